"""Admin screens for MNVPs and who may reach them."""

from django.db import transaction
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.ui.tables import DateColumn
from wagtail.admin.views import generic

from ..admin_views import ScopedChooserViewSet, ScopedDeleteView, ScopedModelViewSet
from ..filters import PartnershipAccessFilterSet, PartnershipFilterSet
from ..models import Partnership, PartnershipAccess
from ..services.access import grant_partnership_access, revoke_partnership_access

HOST_ONLY = "members.add_partnership"


class PartnershipViewSet(ScopedModelViewSet):
    model = Partnership
    icon = "group"
    menu_label = "MNVPs"
    menu_order = 100
    add_to_admin_menu = False
    list_display = ["name", "status", "icb_name", "lmns_name", DateColumn("updated_at", label="Updated")]
    filterset_class = PartnershipFilterSet
    search_fields = ["name", "icb_name", "lmns_name"]
    search_backend_name = None  # plain ORM search: same results on SQLite and PostgreSQL
    list_export = [
        "name",
        "slug",
        "status",
        "icb_name",
        "icb_code",
        "lmns_name",
        "footprint",
        "contact_email",
        "hosted_since",
    ]
    export_filename = "mnvps"
    inspect_view_fields = [
        "name",
        "slug",
        "status",
        "icb_name",
        "icb_code",
        "lmns_name",
        "footprint",
        "contact_email",
        "hosted_since",
    ]
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name", permission=HOST_ONLY),
                FieldPanel("slug", permission=HOST_ONLY),
                FieldPanel("status", permission=HOST_ONLY),
            ],
            heading="MNVP",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("icb_name", permission=HOST_ONLY),
                        FieldPanel("icb_code", permission=HOST_ONLY),
                    ]
                ),
                FieldPanel("lmns_name", permission=HOST_ONLY),
                FieldPanel("hosted_since", permission=HOST_ONLY),
            ],
            heading="Commissioning",
        ),
        FieldPanel("footprint"),
        FieldPanel("contact_email"),
        InlinePanel("served_units", heading="Trusts and units served", label="Unit"),
    ]


class PartnershipChooserViewSet(ScopedChooserViewSet):
    model = Partnership
    icon = "group"
    choose_one_text = "Choose an MNVP"
    choose_another_text = "Choose another MNVP"


class GrantAccessView(generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return grant_partnership_access(
            user=data["user"],
            partnership=data["partnership"],
            role=data["role"],
            acting_user=self.request.user,
        )


class RevokeAccessView(ScopedDeleteView):
    def delete_action(self):
        with transaction.atomic():
            revoke_partnership_access(access=self.object, acting_user=self.request.user)


class PartnershipAccessViewSet(ScopedModelViewSet):
    """Host staff give leads and commissioners their MNVPs. Rows are granted or revoked, never edited."""

    model = PartnershipAccess
    icon = "key"
    menu_label = "MNVP access"
    menu_order = 200
    add_view_class = GrantAccessView
    delete_view_class = RevokeAccessView
    list_display = ["user", "partnership", "role", "granted_by", DateColumn("granted_at", label="Granted")]
    filterset_class = PartnershipAccessFilterSet
    list_export = ["user", "partnership", "role", "granted_by", "granted_at"]
    export_filename = "mnvp-access"
    panels = [FieldPanel("user"), FieldPanel("partnership"), FieldPanel("role")]

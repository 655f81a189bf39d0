"""Admin screens for people and their memberships, with their spreadsheet imports."""

from django.db.models import Prefetch
from django.urls import path
from django.utils.functional import cached_property
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column, DateColumn

from ..admin_views import (
    CalendarDateColumn,
    ScopedEditView,
    ScopedIndexView,
    ScopedInspectView,
    ScopedModelViewSet,
)
from ..compliance import compliance_for
from ..enums import ImportKind
from ..filters import MembershipFilterSet, PersonFilterSet
from ..import_views import ImportJobView, ImportStatusView, ImportUploadView
from ..models import Application, Membership, Person
from ..scoping import scope_queryset


class SpreadsheetImportViewSetMixin:
    """Adds the upload and job pages of a spreadsheet import, and the listing's Import button."""

    import_kind: str

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(import_url_name=self.get_url_name("import"), **kwargs)

    def get_urlpatterns(self):
        common = {"kind": self.import_kind, "url_namespace": self.url_namespace}
        return [
            *super().get_urlpatterns(),
            path("import/", ImportUploadView.as_view(**common), name="import"),
            path("import/<int:pk>/", ImportJobView.as_view(**common), name="import_job"),
            path("import/<int:pk>/status/", ImportStatusView.as_view(**common), name="import_status"),
        ]


class MNVPsColumn(Column):
    """The MNVPs a person belongs to, from the prefetched memberships (no query per row)."""

    def get_value(self, instance):
        return ", ".join(sorted({m.partnership.name for m in instance.memberships.all()})) or "—"


class PersonIndexView(ScopedIndexView):
    def get_base_queryset(self):
        # The MNVPs column reads only each membership's MNVP name: one narrow query, not
        # memberships (ordered through a join to people) and then every MNVP in full.
        names = Membership.objects.select_related("partnership").only("person_id", "partnership__name")
        return super().get_base_queryset().prefetch_related(Prefetch("memberships", names.order_by()))


class PersonHeaderButtonsMixin:
    """Buttons other apps add to a person's page (privacy: subject access and erasure).

    Each ``register_person_header_buttons`` hook takes ``(person, user)`` and returns buttons.
    """

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        for hook in hooks.get_hooks("register_person_header_buttons"):
            buttons.extend(hook(self.object, self.request.user))
        return buttons


class PersonEditView(PersonHeaderButtonsMixin, ScopedEditView):
    pass


class PersonInspectView(PersonHeaderButtonsMixin, ScopedInspectView):
    """A person with their memberships and applications: only those of the user's MNVPs.

    A person may belong to several MNVPs; a lead sees that they exist in ours, never
    what they do in another.
    """

    template_name = "members/admin/person_inspect.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        memberships = scope_queryset(self.object.memberships.select_related("partnership"), user, "view")
        applications = scope_queryset(
            Application.objects.filter(person=self.object).select_related("partnership"), user, "view"
        )
        context = {"memberships": memberships, "applications": applications}
        return super().get_context_data(**context, **compliance_context(self.object, user), **kwargs)


def compliance_context(person, user) -> dict:
    """The person's compliance, with the reasons this user may read."""
    compliance = compliance_for([person.pk]).get(person.pk)
    reasons = compliance.reasons_for(user) if compliance else []
    return {"compliance": compliance, "compliance_reasons": reasons}


class MembershipInspectView(ScopedInspectView):
    template_name = "members/admin/membership_inspect.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**compliance_context(self.object.person, self.request.user), **kwargs)


class PersonViewSet(SpreadsheetImportViewSetMixin, ScopedModelViewSet):
    model = Person
    import_kind = ImportKind.PEOPLE
    icon = "user"
    menu_label = "People"
    menu_order = 100
    index_view_class = PersonIndexView
    edit_view_class = PersonEditView
    inspect_view_class = PersonInspectView
    list_display = [
        "full_name",
        "email",
        "postcode",
        MNVPsColumn("mnvps", label="MNVPs"),
        DateColumn("created_at", label="Added"),
    ]
    filterset_class = PersonFilterSet
    search_fields = ["first_name", "last_name", "email", "postcode"]
    search_backend_name = None
    ordering = ["last_name", "first_name"]
    list_export = [
        "first_name",
        "last_name",
        "email",
        "phone",
        "postcode",
        "preferred_contact",
        "contact_consent",
        "access_needs",
        "language_needs",
        "created_at",
    ]
    export_filename = "people"
    inspect_view_fields = [
        "first_name",
        "last_name",
        "email",
        "phone",
        "postcode",
        "preferred_contact",
        "access_needs",
        "language_needs",
        "contact_consent",
        "contact_consent_changed_at",
        "created_at",
        "updated_at",
    ]
    panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("first_name"), FieldPanel("last_name")]),
                FieldPanel("email"),
                FieldRowPanel([FieldPanel("phone"), FieldPanel("postcode")]),
                FieldPanel("preferred_contact"),
            ],
            heading="Contact details",
        ),
        MultiFieldPanel(
            [FieldPanel("access_needs"), FieldPanel("language_needs"), FieldPanel("contact_consent")],
            heading="Preferences",
        ),
    ]


class MembershipIndexView(ScopedIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("person", "partnership")


class MembershipViewSet(SpreadsheetImportViewSetMixin, ScopedModelViewSet):
    model = Membership
    import_kind = ImportKind.MEMBERSHIPS
    index_view_class = MembershipIndexView
    inspect_view_class = MembershipInspectView
    icon = "group"
    menu_label = "Memberships"
    menu_order = 300
    list_display = [
        "person",
        "partnership",
        "role",
        "ppv_category",
        CalendarDateColumn("start_date"),
        CalendarDateColumn("end_date"),
    ]
    filterset_class = MembershipFilterSet
    search_fields = ["person__first_name", "person__last_name", "person__email"]
    search_backend_name = None
    # The headings are the import's columns, so an export can be edited and imported back.
    list_export = [
        "person.first_name",
        "person.last_name",
        "person.email",
        "partnership",
        "role",
        "ppv_category",
        "start_date",
        "end_date",
    ]
    export_headings = {
        "person.first_name": "First name",
        "person.last_name": "Last name",
        "person.email": "Email",
        "partnership": "MNVP",
        "ppv_category": "PPV category",
    }
    export_filename = "memberships"
    panels = [
        FieldPanel("person"),
        FieldPanel("partnership"),
        FieldRowPanel([FieldPanel("role"), FieldPanel("ppv_category")]),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
    ]

"""Lead arrangements in the admin: host staff only (leads hold none of its permissions).

Scoped through the membership's MNVP like every MNVP record
(:class:`members.admin_views.ScopedModelViewSet`). The membership choice offers
current lead-type memberships only, in the user's MNVPs; saving goes through
:mod:`workplans.services.leadership`, whose messages sit beside the field at fault.
"""

from __future__ import annotations

import django_filters
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic

from members.admin_views import (
    CalendarDateColumn,
    ScopedAdminModelForm,
    ScopedEditView,
    ScopedIndexView,
    ScopedModelViewSet,
)
from members.filters import partnerships_for_request
from members.scoping import scope_queryset

from ..enums import RemunerationRoute
from ..models import LeadArrangement
from ..services import leadership as services
from .activities import WORKPLANS_MENU_HOOK
from .money import ServiceFormMixin

EDITABLE = [
    "role_description",
    "remuneration_route",
    "ir35_determination",
    "ir35_determined_on",
    "hours_per_month",
    "annual_remuneration",
]


class LeadArrangementForm(ScopedAdminModelForm):
    """Offers current lead memberships only; says which field is wrong, in the service's words."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("membership")
        if field is not None:
            memberships = services.lead_memberships().select_related("person", "partnership")
            if self.for_user is not None:
                memberships = scope_queryset(memberships, self.for_user, "change")
            field.queryset = memberships.order_by("partnership__name", "person__last_name")

    def clean(self):
        cleaned = super().clean()
        errors = services.arrangement_errors(
            membership=None,  # the field's queryset already holds current leads only
            remuneration_route=cleaned.get("remuneration_route", ""),
            ir35_determination=cleaned.get("ir35_determination", ""),
            ir35_determined_on=cleaned.get("ir35_determined_on"),
        )
        for name, message in errors.items():
            self.add_error(name if name in self.fields else None, message)
        return cleaned


class StaleColumn(Column):
    def get_value(self, instance):
        if instance.remuneration_route == RemunerationRoute.EMPLOYED:
            return "—"
        return "Review due" if instance.determination_is_stale() else "Current"


class LeadArrangementFilterSet(WagtailFilterSet):
    partnership = django_filters.ModelChoiceFilter(
        label="MNVP", queryset=partnerships_for_request, field_name="membership__partnership"
    )
    remuneration_route = django_filters.ChoiceFilter(choices=RemunerationRoute.choices)

    class Meta:
        model = LeadArrangement
        fields = ["partnership", "remuneration_route"]


class LeadArrangementIndexView(ScopedIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("membership__person", "membership__partnership")


class LeadArrangementCreateView(ServiceFormMixin, generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return services.create_lead_arrangement(
            membership=data["membership"],
            acting_user=self.request.user,
            **{name: data.get(name) for name in EDITABLE if name in data},
        )


class LeadArrangementEditView(ServiceFormMixin, ScopedEditView):
    def save_instance(self):
        data = self.form.cleaned_data
        return services.update_lead_arrangement(
            arrangement=self.object,
            acting_user=self.request.user,
            **{name: data[name] for name in EDITABLE if name in data},
        )


def _panels(with_membership: bool):
    panels = [FieldPanel("membership")] if with_membership else []
    return [
        *panels,
        FieldPanel("role_description"),
        FieldRowPanel([FieldPanel("hours_per_month"), FieldPanel("annual_remuneration")]),
        MultiFieldPanel(
            [
                FieldPanel("remuneration_route"),
                FieldRowPanel([FieldPanel("ir35_determination"), FieldPanel("ir35_determined_on")]),
            ],
            heading="How the lead is paid",
            help_text="Not employed by the host: give the off-payroll (IR35) determination and its date. "
            "Host staff are reminded once a determination is more than a year old.",
        ),
    ]


class LeadArrangementViewSet(ScopedModelViewSet):
    model = LeadArrangement
    icon = "user"
    menu_label = "Lead arrangements"
    menu_hook = WORKPLANS_MENU_HOOK
    index_view_class = LeadArrangementIndexView
    add_view_class = LeadArrangementCreateView
    edit_view_class = LeadArrangementEditView
    list_display = [
        "membership",
        "remuneration_route",
        "ir35_determination",
        CalendarDateColumn("ir35_determined_on", label="Determined on"),
        StaleColumn("review", label="IR35 review"),
        "hours_per_month",
        Column("annual_remuneration", label="Annual (£)"),
    ]
    filterset_class = LeadArrangementFilterSet
    ordering = ["membership__partnership__name"]
    list_export = [
        "membership.partnership",
        "membership.person",
        "membership",
        "remuneration_route",
        "ir35_determination",
        "ir35_determined_on",
        "hours_per_month",
        "annual_remuneration",
    ]
    export_headings = {
        "membership.partnership": "MNVP",
        "membership.person": "Lead",
        "annual_remuneration": "Annual remuneration (£)",
    }
    export_filename = "lead-arrangements"
    edit_handler = ObjectList(_panels(True), base_form_class=LeadArrangementForm)

    def get_edit_view_kwargs(self, **kwargs):
        # The membership is fixed once the arrangement exists: a new lead, a new arrangement.
        handler = ObjectList(_panels(False), base_form_class=LeadArrangementForm).bind_to_model(self.model)
        return super().get_edit_view_kwargs(panel=handler, form_class=handler.get_form_class(), **kwargs)

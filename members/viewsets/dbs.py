"""Admin screens for DBS checks: metadata for host staff, the certificate number for nobody here.

The certificate number is write-only in these screens: the create form takes it,
and no listing, export, inspect field, edit form or log entry shows it. Seeing it
is a separate, logged POST (:class:`members.dbs_views.CertificateNumberView`) for
DBS verifiers. Saving goes through :func:`members.services.dbs.save_dbs_check`,
so the recheck date and the decision of a clear check follow the service's rules.
"""

import django_filters
from django import forms
from django.urls import path
from django.utils.functional import cached_property
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.widgets import AdminDateInput

from cms.access_log import record_access
from cms.models import AccessLogEntry

from ..admin_views import (
    CalendarDateColumn,
    ScopedAdminModelForm,
    ScopedEditView,
    ScopedIndexView,
    ScopedInspectView,
    ScopedModelViewSet,
)
from ..dbs_views import CertificateNumberView, DBSDecisionView
from ..enums import DBSLevel, DBSOutcome
from ..filters import partnerships_for_request
from ..models import DBSCheck
from ..services.dbs import (
    AWAITING_DECISION,
    CERTIFICATE_NUMBER_PERMISSION,
    awaiting_decision,
    certificate_number_erased_note,
    save_dbs_check,
)


class DBSCheckFilterSet(WagtailFilterSet):
    partnership = django_filters.ModelChoiceFilter(
        label="MNVP", queryset=partnerships_for_request, method="filter_partnership"
    )
    level = django_filters.ChoiceFilter(choices=DBSLevel.choices)
    outcome = django_filters.ChoiceFilter(choices=DBSOutcome.choices)
    awaiting_decision = django_filters.BooleanFilter(
        label="Awaiting a decision", method="filter_awaiting_decision"
    )
    recheck_due_before = django_filters.DateFilter(
        label="Recheck due before", field_name="recheck_due_on", lookup_expr="lt", widget=AdminDateInput
    )

    class Meta:
        model = DBSCheck
        fields = ["partnership", "level", "outcome", "awaiting_decision", "recheck_due_before"]

    def filter_partnership(self, queryset, name, value):
        return queryset.filter(DBSCheck.partnership_scope_q([value.pk])) if value else queryset

    def filter_awaiting_decision(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(AWAITING_DECISION) if value else queryset.exclude(AWAITING_DECISION)


def decision_status(check: DBSCheck) -> str:
    if check.outcome == DBSOutcome.CLEAR:
        return "Clear"
    return check.get_decision_display() if check.decision else "Awaiting a decision"


class DecisionStatusColumn(Column):
    def get_value(self, instance):
        return decision_status(instance)


class DBSCheckIndexView(ScopedIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("person")

    def render_to_response(self, context, **response_kwargs):
        # Listings and exports of DBS checks are reads of confidential data: logged.
        action = AccessLogEntry.Action.EXPORT if self.is_export else AccessLogEntry.Action.VIEW
        # Not the query string: a search term can be a person's name.
        detail = f"export {self.request.GET['export']}" if self.is_export else "listing"
        record_access(request=self.request, action=action, model=DBSCheck, detail=detail)
        return super().render_to_response(context, **response_kwargs)


class DBSCheckSaveMixin:
    """Both forms save through the service (as TrainingRecordCreateView does through record_training)."""

    def save_instance(self):
        return save_dbs_check(check=self.form.save(commit=False), acting_user=self.request.user)


class DBSCheckCreateView(DBSCheckSaveMixin, generic.CreateView):
    pass


class DBSCheckEditView(DBSCheckSaveMixin, ScopedEditView):
    pass


class DBSCheckInspectView(ScopedInspectView):
    template_name = "members/admin/dbs_check_inspect.html"

    def get_fields(self):
        # Listed, not derived from the model, so a field added later (the number,
        # say) stays off this page until someone decides it belongs here.
        return [
            "person",
            "level",
            "issued_on",
            "outcome",
            "decision",
            "decided_by",
            "decided_at",
            "update_service",
            "recheck_due_on",
            "recorded_by",
            "recorded_at",
        ]

    def get_decision_display_value(self):
        return decision_status(self.object)

    def get_context_data(self, **kwargs):
        check, user = self.object, self.request.user
        # DBS data is confidential: every read of a check is in the append-only access log.
        record_access(request=self.request, action=AccessLogEntry.Action.VIEW, obj=check, detail="inspect")
        return super().get_context_data(
            can_decide=awaiting_decision(check) and self.user_has_permission("change"),
            can_reveal=user.has_perm(CERTIFICATE_NUMBER_PERMISSION),
            has_number=bool(check.certificate_number),
            erased_note=certificate_number_erased_note(check) if check.details_erased_at else "",
            **kwargs,
        )


def person_panel() -> FieldPanel:
    # members.viewsets.training imports this module for its menu group, so its
    # person chooser is looked up when the forms are built, not at import time.
    from .training import person_chooser_viewset

    return FieldPanel("person", widget=person_chooser_viewset.widget_class)


RECHECK_HELP = "Leave empty to recheck the usual number of months after issue (see Compliance settings)."


class DBSCheckViewSet(ScopedModelViewSet):
    model = DBSCheck
    icon = "lock"
    menu_label = "DBS checks"
    index_view_class = DBSCheckIndexView
    add_view_class = DBSCheckCreateView
    edit_view_class = DBSCheckEditView
    inspect_view_class = DBSCheckInspectView
    list_display = [
        "person",
        "level",
        CalendarDateColumn("issued_on", label="Issued"),
        DecisionStatusColumn("decision", label="Outcome"),
        CalendarDateColumn("recheck_due_on", label="Recheck due"),
    ]
    filterset_class = DBSCheckFilterSet
    search_fields = ["person__first_name", "person__last_name", "person__email"]
    search_backend_name = None
    ordering = ["-issued_on"]
    # Never the certificate number: a spreadsheet is carried away and cannot be logged.
    list_export = [
        "person.email",
        "person",
        "level",
        "issued_on",
        "outcome",
        "decision",
        "decided_at",
        "update_service",
        "recheck_due_on",
    ]
    export_headings = {
        "person.email": "Email",
        "person": "Name",
        "issued_on": "Issued on",
        "decided_at": "Decided at",
        "update_service": "On the update service",
        "recheck_due_on": "Recheck due on",
    }
    export_filename = "dbs-checks"

    def form_panels(self, *, with_number: bool) -> list:
        number = [
            FieldPanel(
                "certificate_number",
                widget=forms.TextInput(attrs={"autocomplete": "off"}),
                help_text="Shown afterwards only to DBS verifiers, each view logged; erased six months "
                "after the decision.",
            )
        ]
        return [
            person_panel(),
            FieldRowPanel([FieldPanel("level"), FieldPanel("issued_on")]),
            *(number if with_number else []),
            FieldPanel("outcome"),
            FieldPanel("update_service"),
            FieldPanel("recheck_due_on", help_text=RECHECK_HELP),
        ]

    @property
    def panels(self):
        """Editing an existing check: everything but the certificate number."""
        return self.form_panels(with_number=False)

    @cached_property
    def create_edit_handler(self):
        """Recording a check: the one form that takes the certificate number."""
        handler = ObjectList(self.form_panels(with_number=True), base_form_class=ScopedAdminModelForm)
        return handler.bind_to_model(self.model)

    def get_add_view_kwargs(self, **kwargs):
        handler = self.create_edit_handler
        return super().get_add_view_kwargs(panel=handler, form_class=handler.get_form_class(), **kwargs)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/decide/", DBSDecisionView.as_view(), name="decide"),
            path("<int:pk>/certificate-number/", CertificateNumberView.as_view(), name="certificate_number"),
        ]

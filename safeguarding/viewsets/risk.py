"""Risk assessments of activities and venues, per MNVP.

Leads see and add their own MNVPs' assessments; host staff and DSLs see, change and
approve every MNVP's (:func:`safeguarding.permissions.risk_assessments_for`). The
permission policy registered in ``safeguarding.wagtail_hooks`` applies that rule to
every generic view; the approve view asks it too, then the service decides.
"""

import django_filters
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import Button, HeaderButton
from wagtail.permissions import policy_registry

from members.admin_views import (
    ScopedAdminModelForm,
    ScopedEditView,
    ScopedIndexView,
    ScopedInspectView,
    ScopedModelViewSet,
)
from members.filters import partnerships_for_request

from ..enums import RiskAssessmentState
from ..models import RiskAssessment
from ..permissions import partnerships_for_risk_assessments, user_may_approve_risk_assessment
from ..services.risk import (
    approve_risk_assessment,
    create_risk_assessment,
    filter_by_state,
    risk_assessment_state,
    update_risk_assessment,
)


class RiskAssessmentForm(ScopedAdminModelForm):
    """Host staff and DSLs file an assessment under any MNVP; a lead under their own."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None and "partnership" in self.fields:
            self.fields["partnership"].queryset = partnerships_for_risk_assessments(self.for_user)


class RiskAssessmentFilterSet(WagtailFilterSet):
    partnership = django_filters.ModelChoiceFilter(label="MNVP", queryset=partnerships_for_request)
    state = django_filters.ChoiceFilter(
        label="Status", choices=RiskAssessmentState.choices, method="filter_state"
    )

    class Meta:
        model = RiskAssessment
        fields = ["partnership", "state"]

    def filter_state(self, queryset, name, value):
        return filter_by_state(queryset, value) if value else queryset


class StateColumn(Column):
    def get_value(self, instance):
        return RiskAssessmentState(risk_assessment_state(instance)).label


class RiskAssessmentIndexView(ScopedIndexView):
    def get_base_queryset(self):
        # The policy's rule (host-wide for host staff and DSLs), not the plain MNVP scope.
        policy = self.permission_policy
        return policy.instances_user_has_permission_for(self.request.user, "view").select_related(
            "partnership"
        )

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        if needs_approval(instance) and user_may_approve_risk_assessment(self.request.user, instance):
            url = reverse("risk_assessments:approve", args=[instance.pk])
            buttons.append(Button("Approve", url=url, icon_name="tick", priority=15))
        return buttons


def needs_approval(risk_assessment) -> bool:
    return risk_assessment_state(risk_assessment) == RiskAssessmentState.NOT_APPROVED


class RiskAssessmentCreateView(generic.CreateView):
    def save_instance(self):
        risk_assessment = self.form.save(commit=False)
        return create_risk_assessment(risk_assessment=risk_assessment, acting_user=self.request.user)

    def get_success_message(self, instance):
        return f"Risk assessment “{instance.title}” added. It needs approval before an activity may go ahead."


class RiskAssessmentEditView(ScopedEditView):
    def save_instance(self):
        risk_assessment = self.form.save(commit=False)
        was_approved = risk_assessment.approved_at is not None
        saved = update_risk_assessment(risk_assessment=risk_assessment, acting_user=self.request.user)
        self.approval_cleared = was_approved and saved.approved_at is None
        return saved

    def get_success_message(self):
        if getattr(self, "approval_cleared", False):
            return (
                f"Risk assessment “{self.object.title}” updated. Its hazards or controls changed, "
                "so it needs approving again."
            )
        return super().get_success_message()


class RiskAssessmentInspectView(ScopedInspectView):
    def get_fields(self):
        return [
            "partnership",
            "title",
            "venue",
            "activity",
            "hazards",
            "controls",
            "approved_by",
            "approved_at",
            "review_on",
        ]

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if needs_approval(self.object) and user_may_approve_risk_assessment(self.request.user, self.object):
            url = reverse("risk_assessments:approve", args=[self.object.pk])
            buttons.append(HeaderButton("Approve", url=url, icon_name="tick"))
        return buttons


class ApproveRiskAssessmentView(WagtailAdminTemplateMixin, TemplateView):
    """Confirm (GET) and record (POST) an approval.

    Outside the user's view scope: 404. Seen but not theirs to approve: denied.
    """

    template_name = "safeguarding/admin/risk_assessment_approve.html"
    page_title = "Approve risk assessment"
    header_icon = "tick"

    def dispatch(self, request, *args, **kwargs):
        policy = policy_registry.get_by_type(RiskAssessment)
        if not policy.user_has_permission(request.user, "change"):
            raise PermissionDenied
        visible = policy.instances_user_has_permission_for(request.user, "view")
        self.object = visible.select_related("partnership").filter(pk=kwargs["pk"]).first()
        if self.object is None:
            raise Http404
        if not user_may_approve_risk_assessment(request.user, self.object):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("risk_assessments:index"), "label": "Risk assessments"},
            {"url": reverse("risk_assessments:inspect", args=[self.object.pk]), "label": str(self.object)},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.object, **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            approve_risk_assessment(risk_assessment=self.object, acting_user=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("risk_assessments:inspect", self.object.pk)
        messages.success(request, f"Approved “{self.object.title}”, until {self.object.review_on:%d %B %Y}.")
        return redirect("risk_assessments:inspect", self.object.pk)


class RiskAssessmentViewSet(ScopedModelViewSet):
    model = RiskAssessment
    icon = "warning"
    menu_label = "Risk assessments"
    index_view_class = RiskAssessmentIndexView
    add_view_class = RiskAssessmentCreateView
    edit_view_class = RiskAssessmentEditView
    inspect_view_class = RiskAssessmentInspectView
    list_display = ["title", "partnership", "review_on", StateColumn("state", label="Status")]
    filterset_class = RiskAssessmentFilterSet
    search_fields = ["title", "venue", "activity"]
    search_backend_name = None
    ordering = ["review_on"]
    list_export = [
        "partnership",
        "title",
        "venue",
        "activity",
        "hazards",
        "controls",
        "approved_by",
        "approved_at",
        "review_on",
    ]
    export_filename = "risk-assessments"
    # Approval is not a form field: it is given by the approve view, withdrawn by the service.
    edit_handler = ObjectList(
        [
            FieldPanel("partnership"),
            FieldPanel("title"),
            FieldRowPanel([FieldPanel("venue"), FieldPanel("activity")]),
            FieldPanel("hazards"),
            FieldPanel("controls"),
            FieldPanel("review_on"),
        ],
        base_form_class=RiskAssessmentForm,
    )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("approve/<int:pk>/", ApproveRiskAssessmentView.as_view(), name="approve"),
        ]

"""Safeguarding concern screens beyond Wagtail's generic ones.

* Report a concern (anyone with ``add_concern``), then "My reports": the reporter's
  own concerns with a reference, the MNVP, the date and a status, nothing more.
* One view per DSL step (acknowledge, triage, ...). Each finds its concern through
  :func:`safeguarding.permissions.concerns_for` (anyone else: 404, so no concern's
  existence leaks), logs the access, and calls the step's service; nothing is
  decided here.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cms.access_log import record_access
from cms.forms import add_service_errors
from cms.models import AccessLogEntry

from . import concern_forms as forms
from .enums import ConcernStatus
from .models import Concern
from .permissions import concerns_for
from .services import concerns as services
from .workflow import Step, step_refusal

# What a reporter is told of their concern's progress: that it was received, that a
# DSL has it, that it is closed. Triage and escalation are the DSLs' work, and
# telling a reporter "escalated" may tell them more than they should know.
REPORTER_STATUS = {
    ConcernStatus.RECEIVED: "Received",
    ConcernStatus.ACKNOWLEDGED: "Acknowledged: a safeguarding lead is dealing with it",
    ConcernStatus.TRIAGED: "Acknowledged: a safeguarding lead is dealing with it",
    ConcernStatus.ESCALATED: "Acknowledged: a safeguarding lead is dealing with it",
    ConcernStatus.CLOSED: "Closed",
}


def apply_service_errors(view, form, error: ValidationError):
    add_service_errors(form, error)
    for message in form.non_field_errors():
        messages.error(view.request, message)
    return view.form_invalid(form)


# Reporting ------------------------------------------------------------------------------


class ReportConcernView(WagtailAdminTemplateMixin, FormView):
    """The short report form; on success, the reporter's own list with a thank-you."""

    form_class = forms.ReportConcernForm
    template_name = "safeguarding/admin/concern_report.html"
    page_title = "Report a safeguarding concern"
    header_icon = "warning"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(services.REPORT_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        user = self.request.user
        return {
            **super().get_form_kwargs(),
            "partnerships": services.partnerships_for_reporter(user),
            "subjects": services.subjects_for_reporter(user),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        return {
            **context,
            "action_url": self.request.path,
            "submit_button_label": "Send the report",
            "media": form.media,
        }

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            concern = services.report_concern(
                reporter=self.request.user,
                partnership=data["partnership"],
                kind=data["kind"],
                about=data["about"],
                subject_person=data["subject_person"],
                who_described=data["who_described"],
                what_happened=data["what_happened"],
                immediate_risk=data["immediate_risk"],
                action_taken=data["action_taken"],
                where=data["where"],
                when=data["when"],
                activity=data["activity"],
                linked_activity=data["linked_activity"],
            )
        except ValidationError as error:
            return apply_service_errors(self, form, error)
        return redirect(f"{reverse('concern_reports:mine')}?received={concern.pk}")


class MyReportsView(WagtailAdminTemplateMixin, TemplateView):
    """The concerns the user reported, status only: never the narrative or the DSLs' notes."""

    template_name = "safeguarding/admin/concern_my_reports.html"
    page_title = "Your safeguarding reports"
    header_icon = "warning"

    def get_context_data(self, **kwargs):
        # values(): the encrypted columns are never even read.
        rows = Concern.objects.reported_by(self.request.user).values(
            "pk", "partnership__name", "reported_at", "status"
        )
        reports = [{**row, "status_label": REPORTER_STATUS[row["status"]]} for row in rows]
        received = self.request.GET.get("received", "")
        just_received = received.isdigit() and any(r["pk"] == int(received) for r in reports)
        return super().get_context_data(
            reports=reports,
            just_received=just_received,
            can_report=self.request.user.has_perm(services.REPORT_PERMISSION),
            **kwargs,
        )


# The DSLs' steps --------------------------------------------------------------------------


class ConcernStepView(WagtailAdminTemplateMixin, FormView):
    """Base of each DSL step: find, refuse, log the access, call the service."""

    template_name = "wagtailadmin/generic/form.html"
    header_icon = "warning"
    step: Step
    submit_button_label = "Save"
    success_message = ""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.concern = (
            concerns_for(request.user).select_related("partnership").filter(pk=kwargs["pk"]).first()
        )

    def dispatch(self, request, *args, **kwargs):
        if self.concern is None:
            raise Http404
        if not request.user.has_perm(services.CHANGE_PERMISSION):
            raise PermissionDenied
        record_access(request=request, action=AccessLogEntry.Action.VIEW, obj=self.concern, detail=self.step)
        refusal = step_refusal(self.concern, self.step)
        if refusal and request.method == "GET":
            messages.error(request, refusal)
            return redirect(self.inspect_url)
        return super().dispatch(request, *args, **kwargs)

    @property
    def inspect_url(self):
        return reverse("concerns:inspect", args=[self.concern.pk])

    def get_page_subtitle(self):
        return str(self.concern)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("concerns:index"), "label": "Safeguarding concerns"},
            {"url": self.inspect_url, "label": str(self.concern)},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        return {
            **context,
            "action_url": self.request.path,
            "submit_button_label": self.submit_button_label,
            "media": context["form"].media,
        }

    def form_valid(self, form):
        try:
            self.perform(form.cleaned_data)
        except ValidationError as error:
            return apply_service_errors(self, form, error)
        messages.success(self.request, self.success_message)
        return redirect(self.inspect_url)

    def perform(self, data):
        raise NotImplementedError


class AcknowledgeView(ConcernStepView):
    step = Step.ACKNOWLEDGE
    form_class = forms.NoteForm
    page_title = "Acknowledge"
    submit_button_label = "Acknowledge"
    success_message = "Acknowledged."

    def perform(self, data):
        services.acknowledge_concern(concern=self.concern, acting_user=self.request.user, note=data["note"])


class TriageView(ConcernStepView):
    step = Step.TRIAGE
    form_class = forms.TriageForm
    page_title = "Triage"
    submit_button_label = "Save the triage"
    success_message = "Triage recorded."

    def get_initial(self):
        return {"categories": self.concern.categories}

    def perform(self, data):
        services.triage_concern(
            concern=self.concern,
            acting_user=self.request.user,
            categories=data["categories"],
            note=data["note"],
        )


class AddEntryView(ConcernStepView):
    step = Step.ADD_ENTRY
    form_class = forms.EntryForm
    page_title = "Add to the chronology"
    submit_button_label = "Add the entry"
    success_message = "Entry added."

    def perform(self, data):
        services.add_chronology_entry(
            concern=self.concern, acting_user=self.request.user, text=data["text"], at=data["at"]
        )


class EscalateView(ConcernStepView):
    step = Step.ESCALATE
    form_class = forms.EscalationForm
    page_title = "Record an escalation"
    submit_button_label = "Record the escalation"
    success_message = "Escalation recorded."

    def perform(self, data):
        services.record_escalation(concern=self.concern, acting_user=self.request.user, **data)


class LADOReferralView(ConcernStepView):
    step = Step.LADO_REFERRAL
    form_class = forms.LADOReferralForm
    page_title = "Record the LADO referral"
    submit_button_label = "Record the referral"
    success_message = "LADO referral recorded."

    def perform(self, data):
        services.record_lado_referral(concern=self.concern, acting_user=self.request.user, **data)


class DebriefView(ConcernStepView):
    step = Step.DEBRIEF
    form_class = forms.DebriefForm
    page_title = "Record a debrief offer"
    submit_button_label = "Record the offer"
    success_message = "Debrief offer recorded."

    def perform(self, data):
        services.offer_debrief(concern=self.concern, acting_user=self.request.user, notes=data["notes"])


class OutcomeView(ConcernStepView):
    step = Step.OUTCOME
    form_class = forms.OutcomeForm
    page_title = "Record the outcome"
    submit_button_label = "Record the outcome"
    success_message = "Outcome recorded."

    def get_initial(self):
        return {"outcome": self.concern.outcome}

    def perform(self, data):
        services.record_outcome(concern=self.concern, acting_user=self.request.user, outcome=data["outcome"])


class CloseView(ConcernStepView):
    step = Step.CLOSE
    form_class = forms.NoteForm
    page_title = "Close"
    submit_button_label = "Close the concern"
    success_message = "Concern closed."

    def perform(self, data):
        services.close_concern(concern=self.concern, acting_user=self.request.user, note=data["note"])


class ReopenView(ConcernStepView):
    step = Step.REOPEN
    form_class = forms.ReopenForm
    page_title = "Reopen"
    submit_button_label = "Reopen the concern"
    success_message = "Concern reopened."

    def perform(self, data):
        services.reopen_concern(concern=self.concern, acting_user=self.request.user, reason=data["reason"])


STEP_VIEWS = {
    Step.ACKNOWLEDGE: AcknowledgeView,
    Step.TRIAGE: TriageView,
    Step.ADD_ENTRY: AddEntryView,
    Step.ESCALATE: EscalateView,
    Step.LADO_REFERRAL: LADOReferralView,
    Step.DEBRIEF: DebriefView,
    Step.OUTCOME: OutcomeView,
    Step.CLOSE: CloseView,
    Step.REOPEN: ReopenView,
}

STEP_LABELS = {step: view.page_title for step, view in STEP_VIEWS.items()}

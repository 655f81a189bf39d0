"""Case screens beyond Wagtail's generic ones: each stage step, assigning a handler, documents.

Each view finds its case through :func:`safeguarding.permissions.cases_for` (a case
the user may not see answers 404, so its existence does not leak), then calls a
service; nothing is decided here. Documents are served only through
:class:`CaseDocumentDownloadView`, which logs the download first.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.permissions import policy_registry

from cms.antispam import client_ip
from cms.forms import add_service_errors

from . import case_forms
from .case_workflow import STEP_LABELS, CaseStep, allowed_steps
from .models import Case
from .permissions import cases_for, user_can_case
from .services import cases as services


def visible_case(request, pk) -> Case:
    """The case if ``request.user`` may see it; 404 otherwise."""
    return get_object_or_404(cases_for(request.user, "view").select_related("partnership"), pk=pk)


class CaseActionView(WagtailAdminTemplateMixin, FormView):
    """A form acting on one case the user may change."""

    template_name = "wagtailadmin/generic/form.html"
    header_icon = "folder-open-inverse"
    submit_button_label = "Save"
    action = "change"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.case = visible_case(request, kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        policy = policy_registry.get_by_type(Case)
        if not policy.user_has_permission_for_instance(request.user, self.action, self.case):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.case.reference

    def get_success_url(self):
        return reverse("cases:inspect", args=[self.case.pk])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action_url=self.request.path,
            object=self.case,
            submit_button_label=self.submit_button_label,
            **kwargs,
        )

    def perform(self, data: dict) -> str:
        """Call the service; return the success message."""
        raise NotImplementedError

    def form_valid(self, form):
        try:
            message = self.perform(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect(self.get_success_url())

    def form_invalid(self, form):
        for error in form.non_field_errors():
            messages.error(self.request, error)
        return super().form_invalid(form)

    @property
    def ip_address(self):
        return client_ip(self.request) or None


class CaseStepView(CaseActionView):
    """One stage step (acknowledge, start the investigation, outcome, appeal, close)."""

    step: str = ""
    form_class = case_forms.NoteForm

    def get(self, request, *args, **kwargs):
        if self.step not in allowed_steps(self.case.stage):
            messages.error(
                request, f"The case is {self.case.get_stage_display().lower()}: that step is done."
            )
            return redirect(self.get_success_url())
        return super().get(request, *args, **kwargs)

    def get_page_title(self):
        return STEP_LABELS[self.step]

    @property
    def submit_button_label(self):
        return STEP_LABELS[self.step]

    def perform(self, data):
        service = {
            CaseStep.ACKNOWLEDGE: services.acknowledge,
            CaseStep.START_INVESTIGATION: services.start_investigation,
            CaseStep.RECORD_OUTCOME: services.record_outcome,
            CaseStep.LODGE_APPEAL: services.lodge_appeal,
            CaseStep.DECIDE_APPEAL: services.decide_appeal,
            CaseStep.CLOSE: services.close,
        }[self.step]
        service(case=self.case, acting_user=self.request.user, ip_address=self.ip_address, **data)
        return f"{self.case.reference}: {self.case.get_stage_display().lower()}."


STEP_FORMS = {
    CaseStep.ACKNOWLEDGE: case_forms.NoteForm,
    CaseStep.START_INVESTIGATION: case_forms.NoteForm,
    CaseStep.RECORD_OUTCOME: case_forms.OutcomeForm,
    CaseStep.LODGE_APPEAL: case_forms.AppealForm,
    CaseStep.DECIDE_APPEAL: case_forms.DecideAppealForm,
    CaseStep.CLOSE: case_forms.CloseForm,
}


def step_view(step: str):
    return CaseStepView.as_view(step=step, form_class=STEP_FORMS[step])


class AssignHandlerView(CaseActionView):
    form_class = case_forms.AssignHandlerForm
    page_title = "Assign a handler"
    submit_button_label = "Assign"
    action = "assign"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "case": self.case}

    def perform(self, data):
        handler = data["handler"]
        services.assign_handler(
            case=self.case, handler=handler, acting_user=self.request.user, ip_address=self.ip_address
        )
        return f"{handler.get_full_name() or handler} now handles {self.case.reference}."


class CaseDocumentUploadView(CaseActionView):
    form_class = case_forms.DocumentForm
    page_title = "Attach a document"
    submit_button_label = "Attach"

    def perform(self, data):
        services.attach_document(
            case=self.case,
            title=data["title"],
            file=data["file"],
            acting_user=self.request.user,
            ip_address=self.ip_address,
        )
        return f"Attached “{data['title']}” to {self.case.reference}."


class CaseDocumentDownloadView(View):
    """A case document, to whoever may see the case, each download logged before it is served."""

    def get(self, request, pk, document_pk):
        case = visible_case(request, pk)
        document = get_object_or_404(case.documents.all(), pk=document_pk)
        if not user_can_case(request.user, "view", case) or not document.file:
            raise Http404
        if not document.file.storage.exists(document.file.name):
            raise Http404
        services.record_document_download(
            document=document, acting_user=request.user, ip_address=client_ip(request) or None
        )
        extension = document.file.name.rsplit(".", 1)[-1].lower()
        response = FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=f"{case.reference}-document-{document.pk}.{extension}",
        )
        response["Cache-Control"] = "private, no-store"
        return response

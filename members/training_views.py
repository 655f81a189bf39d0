"""Training screens beyond Wagtail's generic ones: a certificate download, and a session register.

A certificate is served only through :class:`CertificateDownloadView`, which finds
the record through the user's scope (another MNVP's answers 404). The register
lets a trainer mark everyone who attended a session at once.
"""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views import View
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.permissions import policy_registry

from cms.forms import DateInput, add_service_errors

from .models import Course, Membership, Partnership, Person, TrainingRecord
from .services.training import record_session


class CertificateDownloadView(View):
    def get(self, request, pk):
        policy = policy_registry.get_by_type(TrainingRecord)
        if not policy.user_has_permission(request.user, "view"):
            raise PermissionDenied
        record = get_object_or_404(TrainingRecord.objects.for_user(request.user, "view"), pk=pk)
        if not record.certificate:
            raise Http404
        name = f"certificate-{record.pk}-{record.course.name}.{record.certificate.name.rsplit('.', 1)[-1]}"
        return FileResponse(record.certificate.open("rb"), as_attachment=True, filename=name)


class SessionRegisterForm(forms.Form):
    course = forms.ModelChoiceField(queryset=Course.objects.filter(active=True))
    completed_on = forms.DateField(label="Session date", widget=DateInput(), initial=timezone.localdate)
    people = forms.ModelMultipleChoiceField(
        label="Who attended",
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick everyone who attended the session."},
    )
    notes = forms.CharField(required=False, max_length=300, help_text="For example, the trainer's name.")

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people

    def clean(self):
        cleaned = super().clean()
        completed_on = cleaned.get("completed_on")
        if completed_on and completed_on > timezone.localdate():
            self.add_error("completed_on", "A session cannot be recorded before it has happened.")
        return cleaned


class SessionRegisterView(WagtailAdminTemplateMixin, FormView):
    """Mark a session's attendees complete: pick the MNVP, tick who came.

    Only current members of one MNVP the user may change are offered, so a long
    list of everyone never appears and nobody outside the user's scope can be ticked.
    """

    template_name = "members/admin/session_register.html"
    form_class = SessionRegisterForm
    page_title = "Record a training session"
    header_icon = "tick"

    def dispatch(self, request, *args, **kwargs):
        policy = policy_registry.get_by_type(TrainingRecord)
        if not policy.user_has_permission(request.user, "add"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def partnerships(self):
        return Partnership.objects.for_user(self.request.user, "change").order_by("name")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        chosen = request.GET.get("partnership") or request.POST.get("partnership")
        self.partnership = None
        if chosen:
            self.partnership = get_object_or_404(self.partnerships(), pk=chosen) if chosen.isdigit() else None
            if self.partnership is None:
                raise Http404

    def get_form_kwargs(self):
        people = Person.objects.none()
        if self.partnership is not None:
            members = Membership.objects.current().filter(partnership=self.partnership).values("person_id")
            people = Person.objects.filter(pk__in=members).order_by("last_name", "first_name")
        return {**super().get_form_kwargs(), "people": people}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            partnerships=self.partnerships(), partnership=self.partnership, **kwargs
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            added = record_session(
                course=data["course"],
                completed_on=data["completed_on"],
                people=list(data["people"]),
                acting_user=self.request.user,
                notes=data["notes"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        skipped = len(data["people"]) - len(added)
        message = f"Recorded {data['course']} for {len(added)} people."
        if skipped:
            message += f" {skipped} already had it recorded for that day."
        messages.success(self.request, message)
        return redirect("training_records:index")

"""Meeting actions in the admin: record, edit and remove who attended.

Each view finds its meeting through the user's scope (another MNVP's answers 404,
as if it did not exist), then needs the role's permission and the MNVP in the
user's *change* scope (an ICB commissioner, who may only read, is refused the usual
Wagtail way). :mod:`workplans.services.meetings` decides, and raises or corrects
the involvement payment.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cms.forms import ServiceFormMixin
from members.scoping import user_can

from .enums import PaymentLength
from .models import Meeting, MeetingAttendance
from .services.meetings import eligible_representatives, remove_attendance, set_attendance

INSPECT_URL = "meetings:inspect"


class MeetingActionView(ServiceFormMixin, WagtailAdminTemplateMixin, FormView):
    """A form about one meeting of the user's MNVPs, submitted to a service."""

    audit_object_attribute = "meeting"  # its Wagtail log entry goes on this record (cms/audit.py)

    template_name = "wagtailadmin/generic/form.html"
    permission_required = "workplans.change_meetingattendance"
    submit_button_label = "Save"
    header_icon = "group"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        meetings = Meeting.objects.for_user(request.user, "view").select_related("committee", "partnership")
        self.meeting = get_object_or_404(meetings, pk=kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not (user.has_perm(self.permission_required) and user_can(user, "change", self.meeting)):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.meeting)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("meetings:index"), "label": "Meetings"},
            {"url": reverse(INSPECT_URL, args=[self.meeting.pk]), "label": str(self.meeting)},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action_url=self.request.path,
            object=self.meeting,
            submit_button_label=self.submit_button_label,
            **kwargs,
        )

    def done(self, message: str):
        messages.success(self.request, message)
        return redirect(INSPECT_URL, self.meeting.pk)


def _attendance_message(attendance: MeetingAttendance) -> str:
    payment = attendance.payment
    if payment is not None:
        status = payment.get_status_display().lower()
        return f"Recorded {attendance.person}: involvement payment £{payment.amount} ({status})."
    return f"Recorded {attendance.person}: {attendance.get_length_display().lower()}."


class AttendanceForm(forms.Form):
    person = forms.ModelChoiceField(queryset=None, label="Representative")
    length = forms.ChoiceField(
        choices=PaymentLength.choices,
        label="How long",
        help_text="For a category C member this sets the involvement payment (half or full day).",
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = eligible_representatives(meeting)
        self.fields["person"].help_text = f"Current members of {meeting.partnership} on the day."


class AddAttendanceView(MeetingActionView):
    permission_required = "workplans.add_meetingattendance"
    page_title = "Record a representative"
    form_class = AttendanceForm
    submit_button_label = "Record"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "meeting": self.meeting}

    def form_valid(self, form):
        try:
            attendance = set_attendance(
                meeting=self.meeting,
                person=form.cleaned_data["person"],
                length=form.cleaned_data["length"],
                acting_user=self.request.user,
            )
        except ValidationError as error:
            return self.service_failed(form, error)
        return self.done(_attendance_message(attendance))


class AttendanceLengthForm(forms.Form):
    length = AttendanceForm.base_fields["length"]


class AttendanceMixin:
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.attendance = get_object_or_404(
            MeetingAttendance.objects.select_related("person", "payment"),
            pk=kwargs["attendance_pk"],
            meeting=self.meeting,
        )

    def get_page_subtitle(self):
        return f"{self.attendance.person} at {self.meeting}"


class EditAttendanceView(AttendanceMixin, MeetingActionView):
    """Change how long someone attended; saving again also raises a payment that was waiting."""

    page_title = "Edit an attendance"
    form_class = AttendanceLengthForm

    def get_initial(self):
        return {"length": self.attendance.length}

    def form_valid(self, form):
        try:
            attendance = set_attendance(
                meeting=self.meeting,
                person=self.attendance.person,
                length=form.cleaned_data["length"],
                acting_user=self.request.user,
            )
        except ValidationError as error:
            return self.service_failed(form, error)
        return self.done(_attendance_message(attendance))


class RemoveAttendanceView(AttendanceMixin, MeetingActionView):
    page_title = "Remove an attendance"
    form_class = forms.Form
    submit_button_label = "Remove"

    def form_valid(self, form):
        try:
            remove_attendance(attendance=self.attendance, acting_user=self.request.user)
        except ValidationError as error:
            return self.service_failed(form, error)
        cancelled = " Its involvement payment is cancelled." if self.attendance.payment_id else ""
        return self.done(f"Removed {self.attendance.person} from the meeting.{cancelled}")

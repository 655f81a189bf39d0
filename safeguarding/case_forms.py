"""Forms of the grievance and complaint screens. They collect; the services decide."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateTimeInput

from members.enums import Role
from members.models import User
from members.roles import group_name

from .enums import CaseKind, CaseOutcome


def allegation_help() -> str:
    """Where an allegation of harm belongs: said on the case form, never refused by it."""
    text = (
        "An allegation that a volunteer or lead has harmed, or may pose a risk to, a child or "
        "an adult at risk is not a grievance or complaint: report it as a safeguarding "
        "allegation, which goes to the designated safeguarding leads (and the LADO referral "
        "is recorded there)."
    )
    try:
        url = reverse("concern_reports:report")
    except NoReverseMatch:
        return text
    return format_html('{} <a href="{}">Report a safeguarding concern or allegation</a>.', text, url)


class CaseAdminForm(WagtailAdminModelForm):
    """Opening or correcting a case; the service sets the reference, stage and deadlines."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "kind" in self.fields:
            self.fields["kind"].help_text = allegation_help()
        if "subject_user" in self.fields:
            self.fields["subject_user"].queryset = User.objects.filter(is_active=True).order_by(
                "first_name", "last_name", "username"
            )
        if "received_at" in self.fields:
            self.fields[
                "received_at"
            ].help_text = "When it reached us (a letter may arrive days after it was sent)."

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == CaseKind.COMPLAINT_AGAINST and not cleaned.get("subject_person"):
            self.add_error("subject_person", "A complaint against a lead or member must say who it is about.")
        return cleaned


def handler_candidates(case):
    """Active case handlers and grievance managers, never the case's subject."""
    groups = [group_name(Role.CASE_HANDLER), group_name(Role.GRIEVANCE_MANAGER)]
    users = User.objects.filter(is_active=True, groups__name__in=groups).distinct()
    if case.subject_user_id:
        users = users.exclude(pk=case.subject_user_id)
    if case.subject_person_id and case.subject_person.email:
        users = users.exclude(Q(email__iexact=case.subject_person.email))
    return users.order_by("first_name", "last_name", "username")


class HandlerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name()
        return f"{name} ({obj.get_username()})" if name else obj.get_username()


class AssignHandlerForm(forms.Form):
    handler = HandlerChoiceField(queryset=User.objects.none(), label="Case handler")

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = handler_candidates(case)


NOTE_HELP = "For the case record: seen by the handler and the grievance managers."


class NoteForm(forms.Form):
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}), help_text=NOTE_HELP)


class CloseForm(NoteForm):
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Needed when the case is withdrawn, or closed while an appeal may still be lodged.",
    )


DECIDED_OUTCOMES = [(value, label) for value, label in CaseOutcome.choices if value != CaseOutcome.WITHDRAWN]


class OutcomeForm(NoteForm):
    outcome = forms.ChoiceField(choices=DECIDED_OUTCOMES)
    reasons = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), help_text="Why: sent to the parties.")
    field_order = ["outcome", "reasons", "note"]


class AppealForm(NoteForm):
    lodged_at = forms.DateTimeField(
        label="Appeal received", initial=timezone.now, widget=AdminDateTimeInput()
    )
    reasons = forms.CharField(label="Grounds of appeal", widget=forms.Textarea(attrs={"rows": 6}))
    field_order = ["lodged_at", "reasons", "note"]


class DecideAppealForm(NoteForm):
    outcome = forms.ChoiceField(label="Appeal outcome", choices=CaseOutcome.choices)
    reasons = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}))
    field_order = ["outcome", "reasons", "note"]


class DocumentForm(forms.Form):
    title = forms.CharField(max_length=200)
    file = forms.FileField(help_text="PDF, Word, OpenDocument, text, email or image; up to 10 MB.")

"""Forms of the safeguarding concern screens: the short report, and each DSL step.

The report form asks in plain words and requires only what every reporter knows:
who or what it is about, what was said or seen, and whether anyone is at
immediate risk. Forms only collect; the services decide.
"""

import datetime

from django import forms
from django.utils import timezone
from wagtail.admin.widgets import AdminDateTimeInput

from .enums import ConcernAbout, ConcernCategory, ConcernKind, EscalatedTo

YES_NO = [("yes", "Yes"), ("no", "No")]


def _text(rows=3, **kwargs):
    return forms.CharField(widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


class ReportConcernForm(forms.Form):
    partnership = forms.ModelChoiceField(
        queryset=None, label="Which MNVP were you working with?", empty_label=None
    )
    kind = forms.ChoiceField(
        label="What are you reporting?",
        choices=[
            (ConcernKind.CONCERN, "A worry about someone's safety or care"),
            (ConcernKind.ALLEGATION, "Something a volunteer or MNVP lead did, or might do"),
        ],
        initial=ConcernKind.CONCERN,
        widget=forms.RadioSelect,
    )
    about = forms.ChoiceField(
        label="Who or what is it about?", choices=ConcernAbout.choices, widget=forms.RadioSelect
    )
    subject_person = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Which volunteer or lead?",
        help_text="Only if it is about a volunteer or lead.",
    )
    who_described = _text(
        rows=2,
        required=False,
        label="Who is it about, as far as you know?",
        help_text="A first name, a ward, a description: whatever you have. Leave it empty if you don't know.",
    )
    what_happened = _text(
        rows=6, label="What was said or seen?", help_text="Use the words people used, as far as you can."
    )
    immediate_risk = forms.ChoiceField(
        label="Is anyone at immediate risk?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text="If someone is in danger now, call 999 first.",
    )
    action_taken = _text(required=False, label="What did you do at once?")
    where = forms.CharField(required=False, max_length=200, label="Where did it come up?")
    when = forms.CharField(
        required=False, max_length=100, label="When did it come up?", help_text="A date, or roughly when."
    )
    linked_activity = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Was it at one of your MNVP's activities?",
        help_text="Activities of the last three months. Leave it empty if it was not at one.",
    )
    activity = forms.CharField(
        required=False,
        max_length=200,
        label="Or describe the activity",
        help_text="A listening event or a ward walk, for example. Leave it empty if none.",
    )

    def __init__(self, *args, partnerships, subjects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = partnerships
        self.fields["linked_activity"].queryset = recent_activities(partnerships)
        self.fields["subject_person"].queryset = subjects
        # Imported here: members' viewsets load after its permission policies are registered.
        from members.viewsets.training import person_chooser_viewset

        self.fields["subject_person"].widget = person_chooser_viewset.widget_class()
        only = list(partnerships[:2])
        if len(only) == 1:  # nothing to choose: one question fewer on a phone
            self.fields["partnership"].initial = only[0]
            self.fields["partnership"].widget = forms.HiddenInput()

    def clean_immediate_risk(self):
        return self.cleaned_data["immediate_risk"] == "yes"


def recent_activities(partnerships):
    """Activities of these MNVPs in the last 90 days, to link a concern to (never another MNVP's)."""
    from django.apps import apps
    from django.utils import timezone

    activity_model = apps.get_model("workplans", "EngagementActivity")
    today = timezone.localdate()
    return activity_model.objects.filter(
        partnership__in=partnerships, held_on__lte=today, held_on__gte=today - datetime.timedelta(days=90)
    ).order_by("-held_on")


class NoteForm(forms.Form):
    note = _text(required=False, label="Note (optional)")


class TriageForm(forms.Form):
    categories = forms.MultipleChoiceField(
        choices=ConcernCategory.choices, widget=forms.CheckboxSelectMultiple, label="Categories"
    )
    note = _text(required=False, label="Note (optional)")


class EntryForm(forms.Form):
    text = _text(rows=5, label="What happened")
    at = forms.DateTimeField(
        required=False, label="When", widget=AdminDateTimeInput, help_text="Leave empty for now."
    )


class EscalationForm(forms.Form):
    to = forms.ChoiceField(choices=EscalatedTo.choices, label="Escalated to")
    contact = forms.CharField(required=False, max_length=200, label="Who was contacted")
    reference = forms.CharField(required=False, max_length=100, label="Their reference number")
    at = forms.DateTimeField(label="When", widget=AdminDateTimeInput, initial=timezone.now)
    notes = _text(required=False, label="Notes")


class LADOReferralForm(forms.Form):
    reference = forms.CharField(max_length=100, label="LADO reference")
    contact = forms.CharField(required=False, max_length=200, label="Who was contacted")
    at = forms.DateTimeField(label="When referred", widget=AdminDateTimeInput, initial=timezone.now)
    notes = _text(required=False, label="Notes")


class DebriefForm(forms.Form):
    notes = _text(required=False, label="Notes (optional)", help_text="When it was offered, and if taken up.")


class OutcomeForm(forms.Form):
    outcome = _text(rows=5, label="Outcome")


class ReopenForm(forms.Form):
    reason = _text(label="Why is it reopened?")

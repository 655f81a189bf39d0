"""Forms of the recruitment admin actions (move, accept, move several)."""

from django import forms
from django.utils import timezone

from cms.forms import DateInput

from .enums import ApplicationStage, MembershipRole, PPVCategory
from .pipeline import allowed_moves


class MoveApplicationForm(forms.Form):
    to_stage = forms.ChoiceField(label="Move to")
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    decline_reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="Needed when declining. The applicant may ask to see it.",
    )

    def __init__(self, *args, from_stages, **kwargs):
        super().__init__(*args, **kwargs)
        common = None
        for stage in from_stages:
            moves = set(allowed_moves(stage)) - {ApplicationStage.ACCEPTED}
            common = moves if common is None else common & moves
        self.fields["to_stage"].choices = [
            (s, label) for s, label in ApplicationStage.choices if s in (common or ())
        ]

    def clean(self):
        data = super().clean()
        if data.get("to_stage") == ApplicationStage.DECLINED and not data.get("decline_reason", "").strip():
            self.add_error("decline_reason", "Give a reason when declining an application.")
        return data


class AcceptApplicationForm(forms.Form):
    role = forms.ChoiceField(choices=MembershipRole.choices, initial=MembershipRole.VOLUNTEER)
    ppv_category = forms.ChoiceField(
        label="PPV category",
        choices=PPVCategory.choices,
        initial=PPVCategory.B,
        help_text="A: no financial support. B: out-of-pocket expenses. C: expenses and involvement payments.",
    )
    start_date = forms.DateField(initial=timezone.localdate, widget=DateInput())
    end_date = forms.DateField(required=False, widget=DateInput())
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def clean(self):
        data = super().clean()
        if data.get("end_date") and data.get("start_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", "The end date cannot be before the start date.")
        return data


class BulkMoveApplicationsForm(MoveApplicationForm):
    applications = forms.ModelMultipleChoiceField(
        queryset=None, widget=forms.CheckboxSelectMultiple, label="Applications to move"
    )

    def __init__(self, *args, applications, **kwargs):
        super().__init__(*args, from_stages={a.stage for a in applications}, **kwargs)
        self.fields["applications"].queryset = applications
        self.fields["applications"].label_from_instance = lambda a: (
            f"{a.person} — {a.partnership} ({a.get_stage_display()})"
        )
        self.order_fields(["applications", "to_stage", "note", "decline_reason"])


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Spreadsheet",
        help_text="A .csv file saved as CSV UTF-8, or an .xlsx workbook (first sheet). Up to 10 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

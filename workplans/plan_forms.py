"""Forms of the workplan actions: sign off, copy to a new year, post a milestone update."""

from django import forms

from .enums import MilestoneStatus
from .models.plans import ATTACHMENT_EXTENSIONS


class SignOffForm(forms.Form):
    funding_agreed = forms.DecimalField(
        label="Funding agreed (£)",
        required=False,
        max_digits=10,
        decimal_places=2,
        min_value=0,
        help_text="Leave blank to keep the figure already agreed.",
    )
    on_behalf_of = forms.CharField(
        required=False, max_length=200, help_text="If you record this for someone else: who, and their role."
    )
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))


class CopyWorkplanForm(forms.Form):
    year = forms.IntegerField(
        label="Financial year starting", min_value=2020, max_value=2100, help_text="2027 for 2027/28."
    )


class MilestoneUpdateForm(forms.Form):
    status = forms.ChoiceField(label="Status now", choices=MilestoneStatus.choices)
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), help_text="What has happened since the last update."
    )
    attachment = forms.FileField(
        required=False,
        help_text="Evidence, if any: a document, spreadsheet or photo of 10 MB or less.",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(f".{e}" for e in ATTACHMENT_EXTENSIONS)}),
    )

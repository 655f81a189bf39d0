"""Forms of the money screens' actions. They collect input; the services decide."""

from django import forms
from django.utils import timezone
from wagtail.admin.widgets import AdminDateInput

from .enums import ExpenseKind
from .models.money import RECEIPT_EXTENSIONS


class RejectClaimForm(forms.Form):
    reason = forms.CharField(
        label="Why is the claim rejected?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The claimant is told this reason.",
        error_messages={"required": "Say why the claim is rejected."},
    )


class ConfirmForm(forms.Form):
    """No fields: a POST that confirms an action (submit, approve, cancel)."""


class MarkPaidForm(forms.Form):
    paid_on = forms.DateField(label="Paid on", widget=AdminDateInput, initial=timezone.localdate)
    reference = forms.CharField(label="Payment reference", max_length=100)


class PaymentPaidForm(MarkPaidForm):
    reference = forms.CharField(label="Payroll reference", max_length=100, required=False)


class ExpenseItemForm(forms.Form):
    kind = forms.ChoiceField(choices=ExpenseKind.choices)
    spent_on = forms.DateField(label="Date of the journey or expense", widget=AdminDateInput)
    description = forms.CharField(max_length=300, help_text="For a journey: from where to where, and why.")
    miles = forms.DecimalField(
        required=False,
        min_value=0,
        max_digits=7,
        decimal_places=1,
        help_text="For mileage: the amount is worked out from the rate in force on that day.",
    )
    amount = forms.DecimalField(
        label="Amount (£)",
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        help_text="For fares, childcare, subsistence, accommodation and other costs.",
    )
    receipt = forms.FileField(
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(f".{ext}" for ext in RECEIPT_EXTENSIONS)}),
        help_text="PDF, JPG, PNG or HEIC, up to 10 MB.",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == ExpenseKind.MILEAGE:
            if not cleaned.get("miles"):
                self.add_error("miles", "Give the miles travelled.")
        elif cleaned.get("kind") and not cleaned.get("amount"):
            self.add_error("amount", "Give the amount spent.")
        return cleaned

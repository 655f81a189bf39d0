"""Forms of the volunteer area. They collect and tidy input; the rules live in the services."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from cms.forms import DateInput, add_service_errors
from members.models import Person
from privacy.enums import RequestKind
from workplans.enums import ExpenseKind
from workplans.money_forms import ExpenseItemForm
from workplans.services.claims import OnlineItem, check_receipt, price_item


class SignInForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        help_text="The address you gave when you signed up to volunteer.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )


class DetailsForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["first_name", "last_name", "phone", "postcode", "preferred_contact", "contact_consent"]
        labels = {
            "phone": "Phone number (optional)",
            "postcode": "Postcode",
            "preferred_contact": "How would you like us to contact you?",
            "contact_consent": "Tell me about new opportunities, events and news",
        }
        help_texts = {"contact_consent": ""}
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
            "postcode": forms.TextInput(attrs={"autocomplete": "postal-code"}),
        }


class ClaimForm(forms.Form):
    partnership = forms.ModelChoiceField(label="MNVP", queryset=None, empty_label=None)
    purpose = forms.CharField(
        label="What were the expenses for?",
        max_length=300,
        help_text="For example: the March listening event at the children's centre.",
    )

    def __init__(self, *args, partnerships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = partnerships
        if len(partnerships) == 1:
            self.fields["partnership"].widget = forms.HiddenInput()
            self.initial.setdefault("partnership", partnerships[0].pk)


class ItemForm(ExpenseItemForm):
    """The admin's item form, in the public site's words and widgets."""

    # A blank first choice, so a row left empty is seen as unchanged and skipped.
    kind = forms.ChoiceField(label="Type of expense", choices=[("", "Choose a type"), *ExpenseKind.choices])
    spent_on = forms.DateField(
        label="Date",
        widget=DateInput(),
        help_text="The day of the journey or the purchase.",
    )
    description = forms.CharField(
        label="Details", max_length=300, help_text="For example: bus to the hospital."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["miles"].label = "Miles (mileage only)"
        self.fields["miles"].widget.attrs.update({"step": "0.1", "inputmode": "decimal"})
        self.fields["amount"].label = "Amount in £ (everything but mileage)"
        self.fields["amount"].help_text = ""
        self.fields["amount"].widget.attrs.update({"step": "0.01", "inputmode": "decimal"})
        self.fields["receipt"].label = "Receipt (optional)"
        self.fields["receipt"].help_text = "A photo or scan: PDF, JPG, PNG or HEIC, up to 10 MB."

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        # The service's own checks, run early so each problem shows beside its field.
        try:
            price_item(
                kind=data["kind"],
                spent_on=data["spent_on"],
                miles=data.get("miles"),
                amount=data.get("amount"),
            )
            check_receipt(data.get("receipt"))
        except ValidationError as error:
            add_service_errors(self, error)
        return data

    def to_item(self) -> OnlineItem:
        data = self.cleaned_data
        return OnlineItem(
            kind=data["kind"],
            spent_on=data["spent_on"],
            description=data["description"],
            miles=data.get("miles"),
            amount=data.get("amount"),
            receipt=data.get("receipt"),
        )


class BaseItemFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if not any(form.has_changed() for form in self.forms):
            raise ValidationError("Add at least one item to the claim.")


ItemFormSet = forms.formset_factory(ItemForm, formset=BaseItemFormSet, extra=3, max_num=10, validate_max=True)


class WithdrawConsentForm(forms.Form):
    erase_equality = forms.BooleanField(
        label="Also delete my equality monitoring answers",
        required=False,
        help_text="The answers you gave about yourself when you signed up, used only in anonymous totals.",
    )


class DataRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label="What would you like?",
        choices=[
            (RequestKind.ACCESS, "A copy of the information you hold about me"),
            (RequestKind.ERASURE, "Delete the information you hold about me"),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="Anything we should know (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

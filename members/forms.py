"""Forms that people outside the admin fill in."""

from django import forms

from cms.antispam import SpamProtectedForm

from .enums import (
    AgeBand,
    Availability,
    Disability,
    Ethnicity,
    GenderIdentitySameAsSex,
    HeardAbout,
    Involvement,
    LivedExperience,
    Religion,
    SexualOrientation,
)
from .fields import normalise_postcode
from .models import Partnership
from .services.recruitment import EQUALITY_FIELDS, Signup

NOT_ANSWERED = [("", "Choose an answer (optional)")]


def optional_choice(label, choices, help_text=""):
    return forms.ChoiceField(
        label=label, choices=NOT_ANSWERED + list(choices), required=False, help_text=help_text
    )


class VolunteerSignupForm(SpamProtectedForm):
    """The public volunteer sign-up: what a recruiter needs, and no more."""

    first_name = forms.CharField(
        max_length=100, label="First name", widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        max_length=100, label="Last name", widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    email = forms.EmailField(
        max_length=254, label="Email address", widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    phone = forms.CharField(
        max_length=30,
        required=False,
        label="Phone number (optional)",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    postcode = forms.CharField(
        max_length=10,
        label="Postcode",
        help_text="So we can tell you about things near you.",
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    partnerships = forms.ModelMultipleChoiceField(
        queryset=Partnership.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Which MNVP would you like to join?",
        error_messages={"required": "Choose at least one MNVP."},
    )
    lived_experience = forms.MultipleChoiceField(
        choices=LivedExperience.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Your experience of care (optional)",
        help_text=(
            "Only if you are happy to tell us. It helps us match you to roles, such as a bereavement lead."
        ),
    )
    involvement = forms.MultipleChoiceField(
        choices=Involvement.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="How would you like to take part?",
    )
    availability = forms.MultipleChoiceField(
        choices=Availability.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="When are you free?",
    )
    access_needs = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Anything that would help you take part? (optional)",
        help_text="For example step-free access, a quiet room, childcare, or materials in large print.",
    )
    language_needs = forms.CharField(
        required=False, max_length=200, label="Languages, or an interpreter you would like (optional)"
    )
    heard_about = optional_choice("How did you hear about us?", HeardAbout.choices)
    message = forms.CharField(
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Anything else? (optional)",
    )
    contact_consent = forms.BooleanField(
        required=False,
        label="Yes, send me news and invitations to take part (you can stop these at any time)",
    )
    privacy_consent = forms.BooleanField(
        label="I have read the privacy notice and agree to the MNVP keeping these details",
        error_messages={
            "required": "Please confirm you have read the privacy notice, so we can keep your details."
        },
    )

    # Equality monitoring: optional, stored apart from your contact details.
    ethnicity = optional_choice("Ethnic group", Ethnicity.choices)
    age_band = optional_choice("Age", AgeBand.choices)
    disability = optional_choice(
        "Do you have a physical or mental health condition or illness lasting 12 months or more that reduces "
        "your ability to carry out day-to-day activities?",
        Disability.choices,
    )
    sexual_orientation = optional_choice("Sexual orientation", SexualOrientation.choices)
    gender_identity_same_as_sex = optional_choice(
        "Is the gender you identify with the same as your sex registered at birth?",
        GenderIdentitySameAsSex.choices,
    )
    religion = optional_choice("Religion", Religion.choices)

    contact_fields = ("first_name", "last_name", "email", "phone", "postcode", "partnerships")
    about_fields = ("lived_experience", "involvement", "availability", "access_needs", "language_needs")
    closing_fields = ("heard_about", "message", "contact_consent", "privacy_consent")

    def __init__(self, *args, partnerships=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnerships"].queryset = (
            partnerships if partnerships is not None else Partnership.objects.public()
        )

    def clean_first_name(self):
        return self.cleaned_data["first_name"].strip()

    def clean_last_name(self):
        return self.cleaned_data["last_name"].strip()

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_postcode(self):
        return normalise_postcode(self.cleaned_data["postcode"])

    def section(self, names):
        return [self[name] for name in names]

    def contact_section(self):
        return self.section(self.contact_fields)

    def about_section(self):
        return self.section(self.about_fields)

    def equality_section(self):
        return self.section(EQUALITY_FIELDS)

    def closing_section(self):
        return self.section(self.closing_fields)

    def to_signup(self) -> Signup:
        data = self.cleaned_data
        return Signup(
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            phone=data["phone"].strip(),
            postcode=data["postcode"],
            partnerships=list(data["partnerships"]),
            lived_experience=data["lived_experience"],
            involvement=data["involvement"],
            availability=data["availability"],
            access_needs=data["access_needs"].strip(),
            language_needs=data["language_needs"].strip(),
            heard_about=data["heard_about"],
            message=data["message"].strip(),
            contact_consent=data["contact_consent"],
            equality={name: data[name] for name in EQUALITY_FIELDS if data.get(name)},
        )

"""Forms of the public site that are not a page's own fields."""

from django import forms

from cms.antispam import SpamProtectedForm
from workplans.enums import Sentiment, ServiceArea

FEEDBACK_MAX_CHARS = 5000


class PublicFeedbackForm(SpamProtectedForm):
    """What a family tells an MNVP: what happened, which service, how it felt. Never who they are."""

    text = forms.CharField(
        label="What happened?",
        max_length=FEEDBACK_MAX_CHARS,
        help_text=(
            "Tell us in your own words: what went well, what could have been better, and what you would "
            "change. Please leave out names, yours or anyone else's."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": "Tell us what happened.",
            "max_length": f"Keep it under {FEEDBACK_MAX_CHARS:,} characters (it has %(show_value)d).",
        },
    )
    service_area = forms.ChoiceField(
        label="Which part of your care is it about?",
        choices=ServiceArea.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose which part of your care it is about."},
    )
    sentiment = forms.ChoiceField(
        label="Overall, how was it? (optional)",
        choices=Sentiment.choices,
        required=False,
        widget=forms.RadioSelect,
    )

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError("Tell us what happened.")
        return text

    def feedback(self) -> dict:
        """The answers, as :func:`workplans.services.feedback.record_public_feedback` takes them."""
        return {name: self.cleaned_data[name] for name in ("text", "service_area", "sentiment")}

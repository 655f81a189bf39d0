from django import forms

CODE_HELP = "The six-digit code your authenticator app shows now, or one of your recovery codes."


class OTPTokenForm(forms.Form):
    """One field for the second factor; the view checks it against the user's devices."""

    otp_token = forms.CharField(
        label="Code",
        max_length=32,
        help_text=CODE_HELP,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
        ),
        error_messages={"required": "Enter the code from your authenticator app or a recovery code."},
    )


class EnrolmentForm(forms.Form):
    otp_token = forms.CharField(
        label="Code from your app",
        max_length=12,
        help_text="After scanning the QR code, enter the six-digit code the app shows.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages={"required": "Enter the six-digit code your app shows."},
    )

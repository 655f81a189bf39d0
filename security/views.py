"""The second-factor pages: verification after the password, enrolment, recovery codes.

All live under /admin/ (registered with ``register_admin_urls``, so Wagtail's
``require_admin_access`` sends anonymous visitors to the login page first).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView
from django_otp import login as otp_login
from wagtail.admin.utils import get_valid_next_url_from_request

from . import devices
from .forms import EnrolmentForm, OTPTokenForm
from .policy import requires_two_factor

RECOVERY_CODES_SESSION_KEY = "security_new_recovery_codes"
WRONG_CODE = "That code is not right. Check the time on your phone, or use a recovery code."
THROTTLED = "Too many wrong codes in a row. Wait a minute, then try again."


def _next_url(request) -> str:
    return get_valid_next_url_from_request(request) or reverse("wagtailadmin_home")


class VerifyView(FormView):
    """After the password: the code from the app, or a recovery code (used up once accepted)."""

    template_name = "security/verify.html"
    form_class = OTPTokenForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_verified():
            return redirect(_next_url(request))
        if not devices.has_confirmed_device(request.user):
            return redirect("security_enrol" if requires_two_factor(request.user) else "wagtailadmin_home")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            device = devices.verify_second_factor(self.request.user, form.cleaned_data["otp_token"])
        except devices.Throttled:
            form.add_error("otp_token", THROTTLED)
            return self.form_invalid(form)
        if device is None:
            form.add_error("otp_token", WRONG_CODE)
            return self.form_invalid(form)
        otp_login(self.request, device)
        self.request.session.cycle_key()  # a fully signed-in session gets a key of its own
        if device.__class__.__name__ == "StaticDevice":
            left = devices.unused_recovery_codes(self.request.user)
            messages.warning(
                self.request,
                f"You used a recovery code; {left} left. "
                "Make new ones under Account → Two-factor authentication.",
            )
        return redirect(_next_url(self.request))

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=_next_url(self.request), **kwargs)


class EnrolView(FormView):
    """Set up an authenticator app: QR code and key, then one code to confirm it."""

    template_name = "security/enrol.html"
    form_class = EnrolmentForm

    def dispatch(self, request, *args, **kwargs):
        if devices.confirmed_totp_device(request.user) is not None:
            messages.info(request, "Two-factor authentication is already set up for your account.")
            return redirect("security_recovery_codes")
        self.device = devices.pending_totp_device(request.user)
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            codes = devices.confirm_enrolment(
                user=self.request.user, device=self.device, code=form.cleaned_data["otp_token"]
            )
        except devices.Throttled:
            form.add_error("otp_token", THROTTLED)
            return self.form_invalid(form)
        if codes is None:
            form.add_error("otp_token", "That code is not right. Check the time on your phone and try again.")
            return self.form_invalid(form)
        self.device.refresh_from_db()
        otp_login(self.request, self.device)
        self.request.session.cycle_key()
        self.request.session[RECOVERY_CODES_SESSION_KEY] = codes
        next_url = get_valid_next_url_from_request(self.request)
        url = reverse("security_recovery_codes")
        return redirect(f"{url}?{urlencode({'next': next_url})}" if next_url else url)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            required=requires_two_factor(self.request.user),
            qr_code=devices.qr_code_svg(self.device),
            secret=devices.secret_base32(self.device),
            next=get_valid_next_url_from_request(self.request),
            **kwargs,
        )


class RecoveryCodesView(FormView):
    """New recovery codes are shown once, straight after they are made; POST makes a new set."""

    template_name = "security/recovery_codes.html"
    form_class = OTPTokenForm  # unused fields; POST only regenerates

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_verified():
            return redirect("security_enrol")
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        request.session[RECOVERY_CODES_SESSION_KEY] = devices.regenerate_recovery_codes(request.user)
        return redirect("security_recovery_codes")

    def get_context_data(self, **kwargs):
        codes = self.request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
        return {
            "codes": codes,
            "unused": devices.unused_recovery_codes(self.request.user),
            "next": get_valid_next_url_from_request(self.request) or reverse("wagtailadmin_home"),
        }

from django.urls import include, path, reverse
from wagtail import hooks

from . import devices, urls
from .policy import requires_two_factor


@hooks.register("register_admin_urls")
def register_two_factor_urls():
    return [path("", include(urls))]


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    """On the account page: set up two factors (optional for leads), or manage recovery codes."""
    user = request.user
    if devices.confirmed_totp_device(user) is not None:
        return {
            "url": reverse("security_recovery_codes"),
            "label": "Two-factor authentication: recovery codes",
            "help_text": "Two-factor authentication is on. "
            "Make new recovery codes if you have used or lost yours.",
        }
    required = requires_two_factor(user)
    return {
        "url": reverse("security_enrol"),
        "label": "Set up two-factor authentication",
        "help_text": (
            "Required for your account."
            if required
            else "Optional: a code from your phone after your password."
        ),
    }

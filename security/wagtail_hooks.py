from django.urls import include, path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.staticfiles import versioned_static

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


@hooks.register("insert_global_admin_js")
def start_widgets_without_inline_scripts():
    """Starts the date pickers and inline panels whose inline scripts our CSP blocks."""
    return format_html('<script src="{}"></script>', versioned_static("security/js/csp-init.js"))

"""Admin sign-in hardening on every request: session lifetime, the second factor, no-store.

Order in ``MIDDLEWARE`` (cms/settings/base.py): after Django's AuthenticationMiddleware and
django-otp's OTPMiddleware, so ``request.user.is_verified()`` is known.
"""

from __future__ import annotations

import re
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control

from . import devices
from .policy import requires_two_factor
from .sessions import SESSION_SEEN_KEY, SESSION_STARTED_KEY

# The last-seen time is written at most this often, not on every request.
SEEN_RESOLUTION_SECONDS = 60

# A signed-in user with no device who need not have one (most leads) is asked again this
# often, not on every request: a role that comes to require two factors (or a device set
# up in another session) takes effect within this time.
UNREQUIRED_RECHECK_SECONDS = 300
UNREQUIRED_UNTIL_KEY = "security_second_factor_unrequired_until"

# Views an unverified user may still open: signing in and out, the second-factor pages
# themselves, and what those pages load (translations, icons).
UNVERIFIED_ALLOWED_VIEWS = frozenset(
    {
        "wagtailadmin_login",
        "wagtailadmin_logout",
        "wagtailadmin_password_reset",
        "wagtailadmin_password_reset_done",
        "wagtailadmin_password_reset_confirm",
        "wagtailadmin_password_reset_complete",
        "wagtailadmin_javascript_catalog",
        "wagtailadmin_sprite",
        "security_verify",
    }
)
ENROLMENT_ALLOWED_VIEWS = UNVERIFIED_ALLOWED_VIEWS | {"security_enrol"}


def _view_name(request) -> str | None:
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return None


def _with_next(url_name: str, request) -> str:
    url = reverse(url_name)
    if request.method == "GET" and not request.headers.get("x-requested-with"):
        return f"{url}?{urlencode({'next': request.get_full_path()})}"
    return url


class SessionLifetimeMiddleware:
    """Ends a signed-in session after ``SESSION_IDLE_TIMEOUT`` idle or ``SESSION_ABSOLUTE_TIMEOUT`` in all."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.get(SESSION_STARTED_KEY)
            seen = request.session.get(SESSION_SEEN_KEY)
            if started is None:
                request.session[SESSION_STARTED_KEY] = now
                request.session[SESSION_SEEN_KEY] = now
            elif (
                now - started > settings.SESSION_ABSOLUTE_TIMEOUT
                or now - (seen or started) > settings.SESSION_IDLE_TIMEOUT
            ):
                logout(request)  # flushes the session: a new key, nothing carried over
            elif now - (seen or started) >= SEEN_RESOLUTION_SECONDS:
                request.session[SESSION_SEEN_KEY] = now
        return self.get_response(request)


class TwoFactorMiddleware:
    """Nothing but the second-factor pages until a signed-in user has passed the second factor.

    A user with a confirmed device goes to the verification page; one who must use two
    factors (:func:`security.policy.requires_two_factor`) and has no device, to enrolment.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not self._exempt_path(request)
            and not self._recently_unrequired(request)
        ):
            view_name = _view_name(request)
            if view_name not in UNVERIFIED_ALLOWED_VIEWS:
                if devices.has_confirmed_device(user):
                    return redirect(_with_next("security_verify", request))
                if view_name not in ENROLMENT_ALLOWED_VIEWS:
                    if requires_two_factor(user):
                        return redirect(_with_next("security_enrol", request))
                    request.session[UNREQUIRED_UNTIL_KEY] = int(time.time()) + UNREQUIRED_RECHECK_SECONDS
        return self.get_response(request)

    @staticmethod
    def _recently_unrequired(request) -> bool:
        return request.session.get(UNREQUIRED_UNTIL_KEY, 0) > time.time()

    @staticmethod
    def _exempt_path(request) -> bool:
        return request.path_info.startswith((settings.STATIC_URL, settings.MEDIA_URL))


NO_STORE_PREFIXES = ("/admin/", "/volunteer/")


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every admin and volunteer-area response: no copy kept anywhere."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith(NO_STORE_PREFIXES):
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response


FRAME_ANCESTORS = re.compile(r"frame-ancestors [^;]*")


class SameOriginFramingMiddleware:
    """Lets Wagtail's preview panel frame its own preview: ``frame-ancestors 'self'`` there only.

    Wagtail marks the views it shows in the editor's preview iframe with
    ``X-Frame-Options: SAMEORIGIN`` (``wagtail.utils.decorators.xframe_options_sameorigin_override``);
    every other response keeps ``frame-ancestors 'none'``. Listed after django-csp's
    middleware in ``MIDDLEWARE``, so it sees the response first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.get("X-Frame-Options") == "SAMEORIGIN":
            policy = response.get("Content-Security-Policy")
            if policy:
                # A preview is rendered through the middleware once more inside the view,
                # so its response arrives with the policy already written.
                response["Content-Security-Policy"] = FRAME_ANCESTORS.sub("frame-ancestors 'self'", policy)
            else:
                response._csp_replace = {
                    **getattr(response, "_csp_replace", {}),
                    "frame-ancestors": ["'self'"],
                }
        return response

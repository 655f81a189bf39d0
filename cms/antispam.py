"""Spam defences for public forms, with no third-party service.

* a honeypot field people never see (and screen readers skip) that bots fill in;
* a minimum fill time (``settings.ANTISPAM_MIN_FILL_SECONDS``), carried in a signed timestamp
  the form hands out;
* a per-IP rate limit counted in the cache (Redis in production).
"""

from __future__ import annotations

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache

HONEYPOT_FIELD = "website"
TIMESTAMP_FIELD = "form_started"
_SALT = "cms.antispam.form-started"


class SpamSuspected(Exception):
    """The submission looks automated: drop it quietly."""


class TooFast(Exception):
    """Sent sooner than a person could fill the form: ask them to check and resend."""


def issue_token(now: float | None = None) -> str:
    return signing.dumps(now if now is not None else time.time(), salt=_SALT)


def check_token(token: str, *, min_seconds: float, max_age_seconds: float, now: float | None = None) -> None:
    now = now if now is not None else time.time()
    try:
        started = float(signing.loads(token or "", salt=_SALT, max_age=max_age_seconds))
    except (signing.BadSignature, TypeError, ValueError):
        raise TooFast from None
    if now - started < min_seconds:
        raise TooFast


class SpamProtectedForm(forms.Form):
    """Adds the honeypot and timing fields; ``check_spam()`` runs both checks."""

    #: Seconds a person needs at least; None means ``settings.ANTISPAM_MIN_FILL_SECONDS``.
    min_fill_seconds: float | None = None
    max_age_seconds = 24 * 60 * 60

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            required=False,
            label="Leave this field empty",
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )
        self.fields[TIMESTAMP_FIELD] = forms.CharField(required=False, widget=forms.HiddenInput)
        # A fresh timestamp every time the form is shown, including after errors.
        self.initial[TIMESTAMP_FIELD] = issue_token()
        if self.is_bound:
            data = self.data.copy()
            self.submitted_token = data.get(TIMESTAMP_FIELD, "")
            data[TIMESTAMP_FIELD] = self.initial[TIMESTAMP_FIELD]
            self.data = data

    def check_spam(self, now: float | None = None) -> None:
        if self.data.get(HONEYPOT_FIELD):
            raise SpamSuspected
        check_token(
            self.submitted_token,
            min_seconds=(
                self.min_fill_seconds
                if self.min_fill_seconds is not None
                else settings.ANTISPAM_MIN_FILL_SECONDS
            ),
            max_age_seconds=self.max_age_seconds,
            now=now,
        )


def rate_limited(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit for ``key``; True when it is over ``limit`` within the window."""
    bucket = f"ratelimit:{key}:{int(time.time() // window_seconds)}"
    added = cache.add(bucket, 1, timeout=window_seconds)
    count = 1 if added else cache.incr(bucket)
    return count > limit


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or the entry our own proxies appended.

    Only the last ``NUM_PROXIES`` entries of X-Forwarded-For were written by proxies
    we run; anything before them is whatever the client chose to send.
    """
    proxies = settings.NUM_PROXIES
    forwarded = [
        part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")

"""Login throttling with django-axes: the client address, and the answer to a locked-out attempt."""

from __future__ import annotations

from cms.antispam import client_ip as _client_ip


def client_ip(request) -> str:
    """The same address the public forms' rate limits use (trusting only our own proxies)."""
    return _client_ip(request)


def lockout_response(request, original_response, credentials):
    """The login page exactly as a wrong password leaves it (same status, same message).

    django-axes refuses the attempt before the password is checked, so the login form
    already reports "Your username and password didn't match"; the lockout is
    recorded (AccessAttempt) but nothing tells the visitor whether the name exists.
    """
    return original_response

"""Session lifetime bookkeeping: when a signed-in session started and was last used."""

from __future__ import annotations

import time

SESSION_STARTED_KEY = "security_session_started"
SESSION_SEEN_KEY = "security_session_seen"


def start_session_clock(sender, request, user, **kwargs):
    """user_logged_in receiver: the absolute and idle limits count from the sign-in.

    Written into the session Django's ``login()`` has just given a new key, so no extra save.
    """
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SESSION_STARTED_KEY] = now
        request.session[SESSION_SEEN_KEY] = now

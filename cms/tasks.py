"""Project-wide scheduled housekeeping, and the base class every background task runs on.

:class:`ReliableTask` is the Celery application's task class (``cms/celery.py``), so
every ``@shared_task`` in the project builds on it: a transient error (the mail
server or the database away for a moment) is retried with a growing, jittered
delay, at most ``max_retries`` times; a task that still fails, or fails for any
other reason, leaves a :class:`cms.models.FailedTask` row that host staff see in
the admin and on the dashboard. Nothing fails silently.
"""

from __future__ import annotations

import logging
import re
import smtplib

from celery import shared_task
from celery.contrib.django.task import DjangoTask
from django.db import OperationalError
from django.utils import timezone

logger = logging.getLogger(__name__)

# Errors worth another try: the network, the mail server or the database was away.
TRANSIENT_ERRORS = (OSError, smtplib.SMTPException, OperationalError)

_EMAIL = re.compile(r"[^\s<>()\"',;:]+@[^\s<>()\"',;:]+")


def summarise_arguments(args, kwargs) -> str:
    """The shape of a task's arguments without personal data: numbers and ids as they are,
    text only as its length, collections as a count (with their numbers, when short)."""

    def one(value) -> str:
        if value is None or isinstance(value, bool | int | float):
            return repr(value)
        if isinstance(value, str):
            return f"<text, {len(value)} characters>"
        if isinstance(value, list | tuple | set):
            if len(value) <= 10 and all(
                isinstance(item, int) and not isinstance(item, bool) for item in value
            ):
                return repr(list(value))
            return f"<{len(value)} items>"
        if isinstance(value, dict):
            return f"<mapping of {len(value)}: {', '.join(sorted(map(str, value))[:10])}>"
        return f"<{type(value).__name__}>"

    parts = [one(value) for value in args or ()]
    parts += [f"{key}={one(value)}" for key, value in sorted((kwargs or {}).items())]
    return ", ".join(parts)[:500]


def scrub_message(message: str) -> str:
    """An exception's message without email addresses (an SMTP refusal names the recipient)."""
    return _EMAIL.sub("[email address]", str(message))[:500]


class ReliableTask(DjangoTask):
    """Bounded retries with backoff for transient errors; a visible record of a final failure.

    Celery calls :meth:`on_failure` once, when the task gives up (retries spent or an
    error that is not transient); a retry goes to ``on_retry`` instead. Eager Celery
    (development, tests) retries at once and, with ``task_eager_propagates``, raises the
    error to the caller after the row is written.
    """

    autoretry_for = TRANSIENT_ERRORS
    max_retries = 5
    retry_backoff = 30  # seconds before the first retry, doubling each time
    retry_backoff_max = 60 * 60
    retry_jitter = True
    acks_late = True

    def apply(self, args=None, kwargs=None, *, throw=None, **options):
        """Eager runs (development, tests): retry and record as a worker would, then raise.

        Celery's eager tracer re-raises at once when ``task_eager_propagates`` is on,
        before any retry or ``on_failure``; so run without propagating and raise the
        final error here instead.
        """
        throw = self.app.either("task_eager_propagates", throw)
        result = super().apply(args, kwargs, throw=False, **options)
        if throw:
            result.maybe_throw()
        return result

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        from .models import FailedTask

        try:
            FailedTask.objects.create(
                task_name=self.name[:200],
                task_id=str(task_id or "")[:64],
                arguments=summarise_arguments(args, kwargs),
                exception_type=f"{type(exc).__module__}.{type(exc).__qualname__}"[:200],
                exception_message=scrub_message(exc),
                retries=self.request.retries or 0,
            )
        except Exception:  # the database may be what failed; the worker's log still has it
            logger.exception("Could not record the failure of task %s (%s)", self.name, task_id)
        super().on_failure(exc, task_id, args, kwargs, einfo)


@shared_task
def clear_expired_sessions() -> int:
    """Delete expired sessions (beat runs it daily); returns how many went.

    Idempotent: a second run finds nothing left to delete.
    """
    from django.contrib.sessions.models import Session

    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted

"""Project-wide scheduled housekeeping."""

from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone


@shared_task
def clear_expired_sessions() -> int:
    """Delete expired sessions (beat runs it daily); returns how many went.

    Idempotent: a second run finds nothing left to delete.
    """
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted

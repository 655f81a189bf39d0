"""Wagtail's audit trail (log entries) for admin actions that go through our own form views.

Wagtail's generic create, edit and delete views write a log entry themselves; our
action views (approve a claim, record attendance, move an application...) call a
service instead. Some services log what they do; :class:`AuditedActionMixin` makes
sure every successful action leaves an entry on the record it was about, without a
second one where the service has logged already.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.log_actions import LogFormatter, log
from wagtail.models import ModelLogEntry

ACTION = "cms.action"


class ActionFormatter(LogFormatter):
    """How an entry reads in a record's history: the action's own name ("Approve claim")."""

    label = "Action"

    def format_message(self, log_entry):
        return (log_entry.data or {}).get("action") or "Action taken"


def log_action_once(instance, *, user, action_name: str, since) -> None:
    """Log ``action_name`` on ``instance`` unless something was logged on it since ``since``."""
    content_type = ContentType.objects.get_for_model(instance, for_concrete_model=False)
    logged = ModelLogEntry.objects.filter(
        content_type=content_type, object_id=str(instance.pk), timestamp__gte=since
    ).exists()
    if not logged:
        log(instance, ACTION, user=user, data={"action": action_name[:200]})


class AuditedActionMixin:
    """For admin form views that act on one record through a service.

    A POST that succeeded (the view redirects) leaves a Wagtail log entry on the
    record, named after the view's title; a refused one (the form again) leaves none.
    The record is the view's ``object``, or the attribute ``audit_object_attribute`` names.
    """

    audit_object_attribute = "object"

    def post(self, request, *args, **kwargs):
        started = timezone.now()
        response = super().post(request, *args, **kwargs)
        obj = getattr(self, self.audit_object_attribute, None)
        if response.status_code in (301, 302, 303) and getattr(obj, "pk", None) is not None:
            title = (
                getattr(self, "page_title", "")
                or getattr(self, "submit_button_label", "")
                or type(self).__name__
            )
            log_action_once(obj, user=request.user, action_name=str(title), since=started)
        return response

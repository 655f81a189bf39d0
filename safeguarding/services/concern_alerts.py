"""Alerts to the DSLs about concerns not acknowledged in time: found by a sweep, sent once.

A beat sweep (every few minutes, :func:`sweep_concern_alerts`) looks for open,
unacknowledged concerns past either limit in :class:`ConcernSettings`:

* immediate risk, not acknowledged ``immediate_risk_ack_minutes`` after reporting;
* any concern, not acknowledged ``ack_working_days`` working days after reporting
  (:func:`cms.dates.working_deadline`: weekends and bank holidays do not count).

It records one :class:`ConcernAlert` per concern and kind; the unique constraint
makes the sweep idempotent (a second or overlapping sweep creates nothing), and each
new alert is emailed by its own task, which marks it sent under a row lock.

The emails carry no narrative: the concern's number, its MNVP and a link.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from cms.dates import working_deadline
from members.enums import Role
from members.roles import role_group

from ..enums import ConcernAlertKind
from ..models import Concern, ConcernAlert, ConcernSettings

# Unsent alerts this recent are enqueued again by the next sweep, in case their task
# was lost; sending is idempotent, so a task enqueued twice still sends once.
RESEND_UNSENT_WITHIN = datetime.timedelta(days=2)

SUBJECTS = {
    ConcernAlertKind.IMMEDIATE_RISK_UNACKNOWLEDGED: "with immediate risk has not been acknowledged",
    ConcernAlertKind.UNACKNOWLEDGED: "has not been acknowledged in time",
}


def _not_alerted(kind: str):
    return ~Exists(ConcernAlert.objects.filter(concern=OuterRef("pk"), kind=kind))


def due_alerts(now: datetime.datetime) -> list[tuple[int, str]]:
    """(concern id, alert kind) for every alert due at ``now`` and not yet recorded.

    Immediate risk is one query. The working-day limit is worked out per concern (bank
    holidays are data), but only for unacknowledged concerns older than that many
    calendar days, which are few: each should have been acknowledged within a day.
    """
    limits = ConcernSettings.load()
    waiting = Concern.objects.open().unacknowledged().order_by()
    immediate_by = now - datetime.timedelta(minutes=limits.immediate_risk_ack_minutes)
    due = [
        (pk, ConcernAlertKind.IMMEDIATE_RISK_UNACKNOWLEDGED)
        for pk in waiting.filter(immediate_risk=True, reported_at__lte=immediate_by)
        .filter(_not_alerted(ConcernAlertKind.IMMEDIATE_RISK_UNACKNOWLEDGED))
        .values_list("pk", flat=True)
    ]
    days = limits.ack_working_days
    candidates = (
        waiting.filter(reported_at__lte=now - datetime.timedelta(days=days))
        .filter(_not_alerted(ConcernAlertKind.UNACKNOWLEDGED))
        .values_list("pk", "reported_at")
    )
    due += [
        (pk, ConcernAlertKind.UNACKNOWLEDGED)
        for pk, reported_at in candidates
        if working_deadline(timezone.localtime(reported_at), days) <= now
    ]
    return due


def sweep_concern_alerts(*, now: datetime.datetime | None = None) -> list[int]:
    """Record the alerts due now and enqueue one email for each; return the new alerts' ids."""
    now = now or timezone.now()
    started = timezone.now()
    due = due_alerts(now)
    if due:
        ConcernAlert.objects.bulk_create(
            [ConcernAlert(concern_id=pk, kind=kind) for pk, kind in due], ignore_conflicts=True
        )
    # ignore_conflicts returns no ids: read back what is unsent (this sweep's, and any
    # recent alert whose task went missing).
    unsent = ConcernAlert.objects.filter(
        sent_at__isnull=True, created_at__gte=started - RESEND_UNSENT_WITHIN
    ).values_list("pk", "created_at")
    from ..tasks import send_concern_alert  # tasks import this module

    created = []
    for pk, created_at in unsent.order_by("pk"):
        if created_at >= started:
            created.append(pk)
        send_concern_alert.delay_on_commit(pk)
    return created


def dsl_addresses() -> list[str]:
    group = role_group(Role.SAFEGUARDING_LEAD)
    users = group.user_set.filter(is_active=True).exclude(email="").order_by("pk")
    return list(dict.fromkeys(users.values_list("email", flat=True)))


def alert_subject(alert: ConcernAlert) -> str:
    concern = alert.concern
    return f"Concern #{concern.pk} ({concern.partnership.name}) {SUBJECTS[alert.kind]}"


def send_alert(alert_id: int) -> bool:
    """Email one alert to every active DSL, once; an alert whose concern is acknowledged is dropped.

    The alert row is locked and marked sent in the transaction that sends, so a task
    run twice sends once; a mail failure rolls back and the task's retry sends again.
    One message per DSL, so no DSL's address goes to another.
    """
    with transaction.atomic():
        alert = (
            ConcernAlert.objects.select_for_update(of=("self",))
            .select_related("concern__partnership")
            .filter(pk=alert_id, sent_at__isnull=True)
            .first()
        )
        if alert is None:
            return False
        if alert.concern.acknowledged_at is not None:
            # Acknowledged since the sweep: nothing to alert about. Marked sent, so no
            # later sweep enqueues it again.
            alert.sent_at = timezone.now()
            alert.save(update_fields=["sent_at"])
            return False
        subject = alert_subject(alert)
        link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
            "concerns:inspect", args=[alert.concern_id]
        )
        body = f"{subject}.\n\nOpen it here (you will be asked to log in): {link}\n"
        messages = [
            EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[address])
            for address in dsl_addresses()
        ]
        if messages:
            get_connection().send_messages(messages)
        alert.sent_at = timezone.now()
        alert.save(update_fields=["sent_at"])
    return True

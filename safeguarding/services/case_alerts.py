"""Deadline alerts of grievances and complaints: a warning before a stage's due date, an alert after.

A beat sweep (:func:`sweep_case_deadlines`) reads what is due from the database:
every open case whose due date is within ``CaseSettings.warn_working_days_before``
working days gets a "deadline approaching" :class:`~safeguarding.models.CaseAlert`,
and every one whose due date has passed a "deadline passed" alert. One row per case,
kind and due date: the unique constraint and ``bulk_create(ignore_conflicts=True)``
make the sweep idempotent, so two runs (or two at once) send each alert once. A new
due date (the next stage) is a new deadline, with alerts of its own.

Each alert is emailed by its own task (:func:`send_case_alert`) to the case's
handler, or to the grievance managers while nobody is assigned; never to the
subject of the complaint. The email names the reference, the MNVP and the date,
never the people or the narrative: it links to the case, where the read is logged.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from cms.dates import working_days_after
from members.enums import Role
from members.models import User
from members.roles import group_name

from ..enums import CaseAlertKind, CaseStage
from ..models import Case, CaseAlert, CaseSettings

# Unsent alerts this recent are enqueued again by the next sweep, in case their task
# was lost; sending is idempotent.
RESEND_UNSENT_WITHIN = datetime.timedelta(days=3)

# What falls due at each stage, in the emails' words.
DUE_AT_STAGE = {
    CaseStage.RECEIVED: "the acknowledgement",
    CaseStage.ACKNOWLEDGED: "the outcome",
    CaseStage.INVESTIGATING: "the outcome",
    CaseStage.OUTCOME: "the end of the appeal window (close the case if no appeal comes)",
    CaseStage.APPEAL: "the appeal decision",
}


def _alerted(kind: str):
    # Any stage: the outcome's due date carries from "acknowledged" to "investigating",
    # and one warning about one deadline is enough.
    return CaseAlert.objects.filter(case=OuterRef("pk"), kind=kind, due_at=OuterRef("stage_due_at"))


def due_alerts(now: datetime.datetime) -> list[CaseAlert]:
    """The alerts that should exist now and do not yet (unsaved). Two queries."""
    limits = CaseSettings.load()
    open_cases = Case.objects.exclude(stage=CaseStage.CLOSED).filter(stage_due_at__isnull=False).order_by()
    overdue = open_cases.filter(stage_due_at__lte=now).filter(~Exists(_alerted(CaseAlertKind.OVERDUE)))
    rows = [
        CaseAlert(case_id=pk, stage=stage, kind=CaseAlertKind.OVERDUE, due_at=due_at)
        for pk, stage, due_at in overdue.values_list("pk", "stage", "stage_due_at")
    ]
    if limits.warn_working_days_before:
        # Due on or before the day that many working days from today: the warning's first day
        # is that many working days before the due date, counted as the deadlines are.
        today = timezone.localdate(now)
        last_day = working_days_after(today, limits.warn_working_days_before)
        warn_before = timezone.make_aware(
            datetime.datetime.combine(last_day + datetime.timedelta(days=1), datetime.time.min)
        )
        soon = open_cases.filter(stage_due_at__gt=now, stage_due_at__lt=warn_before).filter(
            ~Exists(_alerted(CaseAlertKind.DUE_SOON))
        )
        rows += [
            CaseAlert(case_id=pk, stage=stage, kind=CaseAlertKind.DUE_SOON, due_at=due_at)
            for pk, stage, due_at in soon.values_list("pk", "stage", "stage_due_at")
        ]
    return rows


def sweep_case_deadlines(*, now: datetime.datetime | None = None) -> list[int]:
    """Record the case alerts due now and enqueue one email for each; return the new rows' ids."""
    started = timezone.now()
    now = now or started
    rows = due_alerts(now)
    if rows:
        CaseAlert.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    from ..tasks import send_case_alert  # tasks import this module

    created = []
    unsent = CaseAlert.objects.filter(sent_at__isnull=True, created_at__gte=started - RESEND_UNSENT_WITHIN)
    for pk, created_at in unsent.order_by("pk").values_list("pk", "created_at"):
        if created_at >= started:
            created.append(pk)
        send_case_alert.delay_on_commit(pk)
    return created


def recipients(case: Case) -> list[str]:
    """The handler's address, or the grievance managers' while none is assigned; never the subject's."""
    users = User.objects.filter(is_active=True).exclude(email="")
    if case.handler_id:
        users = users.filter(pk=case.handler_id)
    else:
        users = users.filter(groups__name=group_name(Role.GRIEVANCE_MANAGER))
    if case.subject_user_id:
        users = users.exclude(pk=case.subject_user_id)
    if case.subject_person_id and case.subject_person.email:
        users = users.exclude(email__iexact=case.subject_person.email)
    return sorted(set(users.values_list("email", flat=True)))


def _still_due(alert: CaseAlert) -> bool:
    case = alert.case
    return (
        case.stage != CaseStage.CLOSED
        and case.stage_due_at == alert.due_at
        and (case.stage == alert.stage or {case.stage, alert.stage} <= {"acknowledged", "investigating"})
    )


def send_case_alert(alert_id: int) -> bool:
    """Email one alert, once: locked while sent and marked sent in the same transaction.

    An alert whose deadline has since moved (the step was taken, or the case closed)
    is not sent. A mail failure rolls back, so the task's retry sends it.
    """
    with transaction.atomic():
        alert = (
            CaseAlert.objects.select_for_update(of=("self",))
            .select_related("case__partnership", "case__subject_person")
            .filter(pk=alert_id, sent_at__isnull=True)
            .first()
        )
        if alert is None or not _still_due(alert):
            return False
        case = alert.case
        to = recipients(case)
        if to:
            due = timezone.localtime(alert.due_at)
            overdue = alert.kind == CaseAlertKind.OVERDUE
            context = {
                "case": case,
                "kind": case.get_kind_display(),
                "what": DUE_AT_STAGE.get(case.stage, "the next step"),
                "due": due,
                "overdue": overdue,
                "url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("cases:inspect", args=[case.pk]),
            }
            when = f"{due.day} {due:%B %Y}"
            subject = f"{case.reference}: {'overdue since' if overdue else 'due on'} {when}"
            body = render_to_string("safeguarding/email/case_alert.txt", context)
            get_connection().send_messages(
                [
                    EmailMessage(
                        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[email]
                    )
                    for email in to
                ]
            )
        alert.sent_at = timezone.now()
        alert.save(update_fields=["sent_at"])
    return True

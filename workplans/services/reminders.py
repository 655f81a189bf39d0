"""Milestone reminders: to the owner a week before a milestone is due, and once it is overdue.

A daily beat sweep (:func:`sweep_milestone_reminders`) reads what is due from the
database and records one :class:`~workplans.models.MilestoneReminder` per milestone,
kind and due date. The unique constraint on those rows makes the sweep idempotent:
a second run (or two overlapping runs) finds the row and sends nothing. Each new row
is emailed by its own task (:func:`send_milestone_reminder`), which marks it sent.
A milestone whose due date moves earns fresh reminders for the new date.

Only milestones whose owner has a login with an email address are reminded (an
owner named in ``owner_name`` alone has no address). See DESIGN.md, "Background work".
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Case, CharField, Exists, OuterRef, QuerySet, Value, When
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ..enums import MilestoneReminderKind
from ..models import Milestone, MilestoneReminder

DAY = datetime.timedelta(days=1)
DUE_SOON_DAYS = 7
# An overdue milestone is announced only while the lateness is recent: when the feature
# first runs it must not write about every milestone left open in years gone by.
OVERDUE_WITHIN_DAYS = 30
# Unsent reminders this recent are enqueued again by the next sweep, in case their task
# was lost. Sending is idempotent, so a task enqueued twice still sends once.
RESEND_UNSENT_WITHIN = datetime.timedelta(days=3)
INSERT_BATCH_SIZE = 5000


def due_milestones(today: datetime.date) -> QuerySet:
    """Open milestones with an owner to write to, due within a week or recently overdue.

    Each is annotated with the reminder ``kind`` due today: a sweep that missed some
    days sends the overdue reminder, never a stale "due soon" one.
    """
    return (
        Milestone.objects.open()
        .filter(
            due_on__range=(today - OVERDUE_WITHIN_DAYS * DAY, today + DUE_SOON_DAYS * DAY),
            owner__is_active=True,
        )
        .exclude(owner__email="")
        .annotate(
            kind=Case(
                When(due_on__lt=today, then=Value(MilestoneReminderKind.OVERDUE.value)),
                default=Value(MilestoneReminderKind.DUE_SOON.value),
                output_field=CharField(),
            )
        )
    )


def sweep_milestone_reminders(*, today: datetime.date | None = None) -> list[int]:
    """Record the milestone reminders due today and enqueue one email each; return the new rows' ids.

    Three queries whatever the number of milestones (the candidates, the insert, the
    unsent read-back), plus one insert per batch. ``bulk_create(ignore_conflicts=True)``
    leaves the final word to the unique constraint, so concurrent sweeps create each
    reminder once.
    """
    today = today or timezone.localdate()
    started = timezone.now()
    reminded = MilestoneReminder.objects.filter(
        milestone=OuterRef("pk"), kind=OuterRef("kind"), due_on=OuterRef("due_on")
    )
    candidates = due_milestones(today).filter(~Exists(reminded)).order_by()
    rows = [
        MilestoneReminder(milestone_id=pk, kind=kind, due_on=due_on)
        for pk, kind, due_on in candidates.values_list("pk", "kind", "due_on")
    ]
    if rows:
        MilestoneReminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=INSERT_BATCH_SIZE)

    # ignore_conflicts returns no ids, so read back what is unsent: this sweep's rows,
    # and any recent ones whose task went missing.
    unsent = (
        MilestoneReminder.objects.filter(sent_at__isnull=True, created_at__gte=started - RESEND_UNSENT_WITHIN)
        .order_by("pk")
        .values_list("pk", "created_at")
    )
    from ..tasks import send_milestone_reminder  # tasks import this module

    created = []
    for pk, created_at in unsent:
        if created_at >= started:
            created.append(pk)
        send_milestone_reminder.delay_on_commit(pk)
    return created


def _subject(reminder: MilestoneReminder) -> str:
    when = f"{reminder.due_on.day} {reminder.due_on:%B %Y}"
    if reminder.kind == MilestoneReminderKind.OVERDUE:
        return f"Overdue milestone: {reminder.milestone.title} (due {when})"
    return f"Milestone due on {when}: {reminder.milestone.title}"


def send_reminder(reminder_id: int, *, today: datetime.date | None = None) -> bool:
    """Email one milestone reminder to the milestone's owner, once.

    Idempotent: the row is locked while it is sent and marked sent in the same
    transaction, so a task run twice sends once. A milestone done since, or whose due
    date moved, is not written about (its new date has reminders of its own); the row
    is marked sent so it is not tried again. If the mail server fails, the transaction
    rolls back and the task's retry sends it.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        reminder = (
            MilestoneReminder.objects.select_for_update(of=("self",))
            .select_related("milestone__owner", "milestone__objective__workplan__partnership")
            .filter(pk=reminder_id, sent_at__isnull=True)
            .first()
        )
        if reminder is None:  # sent already, or deleted with its milestone
            return False
        milestone = reminder.milestone
        still_due = (
            due_milestones(today).filter(pk=milestone.pk, due_on=reminder.due_on, kind=reminder.kind).exists()
        )
        sent = False
        if still_due:
            context = {
                "reminder": reminder,
                "milestone": milestone,
                "owner": milestone.owner,
                "workplan": milestone.objective.workplan,
                "overdue": reminder.kind == MilestoneReminderKind.OVERDUE,
                "days": abs((reminder.due_on - today).days),
                "url": settings.WAGTAILADMIN_BASE_URL + reverse("milestones:inspect", args=[milestone.pk]),
            }
            message = EmailMessage(
                subject=_subject(reminder),
                body=render_to_string("workplans/email/milestone_reminder.txt", context),
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[milestone.owner.email],
            )
            get_connection().send_messages([message])
            sent = True
        reminder.sent_at = timezone.now()
        reminder.save(update_fields=["sent_at"])
    return sent

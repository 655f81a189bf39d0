"""Background work for workplans. Tasks take ids, load, and call a service."""

from celery import shared_task

from .services import reminders


@shared_task
def sweep_milestone_reminders() -> int:
    """Beat, daily: record the milestone reminders due today; each is emailed by its own task."""
    return len(reminders.sweep_milestone_reminders())


@shared_task
def send_milestone_reminder(reminder_id: int) -> bool:
    """Email one milestone reminder to its owner; a reminder sent already is left alone."""
    return reminders.send_reminder(reminder_id)


# --- Expense claims: the unpaid alert ---


@shared_task
def sweep_unpaid_claims() -> int:
    """Beat, daily: record an alert for each claim newly past the unpaid limit; email host staff once."""
    from .services.claims import sweep_unpaid_claims as sweep

    return len(sweep())


@shared_task
def send_unpaid_claim_alerts(alert_ids: list[int]) -> int:
    """Email host staff the claims in ``alert_ids`` not alerted yet (idempotent)."""
    from .services.claims import send_unpaid_claim_alerts as send

    return send(alert_ids)


# --- Lead arrangements: the IR35 review reminder ---


@shared_task
def sweep_ir35_reminders() -> int:
    """Beat, daily: record a reminder for each lead's IR35 determination over a year old (once per date)."""
    from .services.leadership import sweep_ir35_reminders as sweep

    return len(sweep())


@shared_task
def send_ir35_reminder(reminder_id: int) -> bool:
    """Email host staff one IR35 reminder; a reminder sent already is left alone."""
    from .services.leadership import send_ir35_reminder as send

    return send(reminder_id)

"""Background work for workplans. Tasks take ids, load, and call a service."""

from celery import shared_task

# --- Expense claims: the unpaid alert ---


@shared_task
def sweep_unpaid_claims() -> int:
    """Beat, daily: record an alert for each claim newly past the unpaid limit; email host staff once."""
    from .services.claims import sweep_unpaid_claims as sweep

    return len(sweep())


@shared_task(bind=True, max_retries=5, default_retry_delay=300, acks_late=True)
def send_unpaid_claim_alerts(self, alert_ids: list[int]) -> int:
    """Email host staff the claims in ``alert_ids`` not alerted yet (idempotent)."""
    from .services.claims import send_unpaid_claim_alerts as send

    try:
        return send(alert_ids)
    except OSError as exc:
        raise self.retry(exc=exc) from exc

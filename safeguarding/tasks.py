"""Background work of the safeguarding app. Tasks take ids, load, and call a service."""

from celery import shared_task

from .services import concern_alerts


@shared_task
def sweep_concern_alerts() -> int:
    """Beat, every few minutes: record the alerts due; each is emailed by its own task."""
    return len(concern_alerts.sweep_concern_alerts())


@shared_task(bind=True, max_retries=5, default_retry_delay=60, acks_late=True)
def send_concern_alert(self, alert_id: int) -> bool:
    """Email one alert to the DSLs; an alert sent already is left alone."""
    try:
        return concern_alerts.send_alert(alert_id)
    except OSError as exc:
        raise self.retry(exc=exc) from exc


# --- Grievances and complaints -------------------------------------------------------


@shared_task
def sweep_case_deadlines() -> int:
    """Beat, hourly: record the case deadline warnings and alerts due; each is emailed by its own task."""
    from .services import case_alerts

    return len(case_alerts.sweep_case_deadlines())


@shared_task(bind=True, max_retries=5, default_retry_delay=300, acks_late=True)
def send_case_alert(self, alert_id: int) -> bool:
    """Email one case deadline alert to the handler (or grievance managers); sent once."""
    from .services import case_alerts

    try:
        return case_alerts.send_case_alert(alert_id)
    except OSError as exc:
        raise self.retry(exc=exc) from exc

"""Background work of the safeguarding app. Tasks take ids, load, and call a service."""

from celery import shared_task

from .services import concern_alerts


@shared_task
def sweep_concern_alerts() -> int:
    """Beat, every few minutes: record the alerts due; each is emailed by its own task."""
    return len(concern_alerts.sweep_concern_alerts())


@shared_task
def send_concern_alert(alert_id: int) -> bool:
    """Email one alert to the DSLs; an alert sent already is left alone."""
    return concern_alerts.send_alert(alert_id)


# --- Grievances and complaints -------------------------------------------------------


@shared_task
def sweep_case_deadlines() -> int:
    """Beat, hourly: record the case deadline warnings and alerts due; each is emailed by its own task."""
    from .services import case_alerts

    return len(case_alerts.sweep_case_deadlines())


@shared_task
def send_case_alert(alert_id: int) -> bool:
    """Email one case deadline alert to the handler (or grievance managers); sent once."""
    from .services import case_alerts

    return case_alerts.send_case_alert(alert_id)

"""Background work for privacy: notices of data requests and the retention job. Thin: call a service."""

from celery import shared_task

from .services.requests import send_request_notice


@shared_task(bind=True, max_retries=5, default_retry_delay=60, acks_late=True)
def send_data_request_notice(self, request_id: int) -> bool:
    """Tell the privacy contact about a new data request. Retries while email is down."""
    try:
        return send_request_notice(request_id)
    except OSError as exc:
        raise self.retry(exc=exc) from exc


@shared_task
def apply_retention_policies() -> int:
    """Beat, daily: anonymise or delete what is past its time; the run is recorded with its counts."""
    from .services.retention import run_retention

    return run_retention().total

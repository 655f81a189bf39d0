"""Background work for privacy: notices of data requests and the retention job. Thin: call a service."""

from celery import shared_task

from .services.requests import send_request_notice


@shared_task
def send_data_request_notice(request_id: int) -> bool:
    """Tell the privacy contact about a new data request (the project's task class retries
    while email is down, and records a final failure)."""
    return send_request_notice(request_id)


@shared_task
def apply_retention_policies() -> int:
    """Beat, daily: anonymise or delete what is past its time; the run is recorded with its counts."""
    from .services.retention import run_retention

    return run_retention().total

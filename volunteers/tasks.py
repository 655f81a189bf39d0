"""Background work for the volunteer area."""

from celery import shared_task

from .services import purge_spent_links, send_sign_in_email


@shared_task
def send_sign_in_link(person_id: int, url: str) -> bool:
    """Email a sign-in link. Queued so that asking for a link takes as long for a known address
    as for an unknown one; the link lives in the queue only until it is sent."""
    return send_sign_in_email(person_id, url)


@shared_task
def purge_sign_in_links() -> int:
    """Beat, daily: sign-in links are no use a day after they expire."""
    return purge_spent_links()

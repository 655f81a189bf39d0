"""Data requests under UK GDPR: recorded once, answered within a calendar month."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from members.models import Person

from ..enums import RequestKind, RequestStatus
from ..models import DataRequest


def record_request(person: Person, kind: str, note: str = "") -> DataRequest:
    """Record that ``person`` asked for access to, erasure or correction of their data.

    Idempotent: while a request of the same kind is open, asking again returns it
    (with the new note added) instead of opening a second one. The host's privacy
    contact is emailed about a new request once it is committed.
    """
    if kind not in RequestKind.values:
        raise ValidationError({"kind": f"Unknown kind of data request: {kind!r}."})
    note = (note or "").strip()
    try:
        with transaction.atomic():
            existing = (
                DataRequest.objects.select_for_update()
                .filter(person=person, kind=kind, status=RequestStatus.OPEN)
                .first()
            )
            if existing is not None:
                if note and note not in existing.note:
                    existing.note = f"{existing.note}\n\n{note}".strip()
                    existing.save(update_fields=["note"])
                return existing
            request = DataRequest.objects.create(person=person, kind=kind, note=note)
    except IntegrityError:
        # Two submissions at once: the other one won, and it is the open request.
        return DataRequest.objects.get(person=person, kind=kind, status=RequestStatus.OPEN)
    from ..tasks import send_data_request_notice

    pk = request.pk
    transaction.on_commit(lambda: send_data_request_notice.delay(pk))
    return request


def close_request(request: DataRequest, *, by, status: str, outcome_note: str = "") -> DataRequest:
    """Mark an open request done or refused, by whom and when (a refusal says why)."""
    if status not in (RequestStatus.DONE, RequestStatus.REFUSED):
        raise ValidationError({"status": "A request is closed as done or refused."})
    if status == RequestStatus.REFUSED and not outcome_note.strip():
        raise ValidationError({"outcome_note": "Say why the request is refused."})
    with transaction.atomic():
        locked = DataRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status != RequestStatus.OPEN:
            raise ValidationError("This request has already been closed.")
        locked.status = status
        locked.handled_by = by
        locked.handled_at = timezone.now()
        locked.outcome_note = outcome_note.strip()
        locked.save(update_fields=["status", "handled_by", "handled_at", "outcome_note"])
    return locked


def privacy_contact_emails() -> list[str]:
    """Where data requests are sent: the privacy contact, or every host staff login."""
    from workplans.services.claims import host_staff_emails

    from ..models import PrivacySettings

    contact = PrivacySettings.load().contact_email
    return [contact] if contact else host_staff_emails()


def send_request_notice(request_id: int) -> bool:
    """Email the privacy contact about a new data request (nothing if it is gone)."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse

    request = DataRequest.objects.select_related("person").filter(pk=request_id).first()
    recipients = privacy_contact_emails()
    if request is None or not recipients:
        return False
    url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("data_requests:edit", args=[request.pk])
    kind = request.get_kind_display().split(" (")[0].lower()
    send_mail(
        subject=f"New {kind} request, due {request.due_by:%d %B %Y}",
        message=render_to_string("privacy/email/data_request.txt", {"request": request, "url": url}),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=recipients,
    )
    return True

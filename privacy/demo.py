"""Demo privacy data: an open access request, so the Data requests screen has something to show."""

from __future__ import annotations

from members.models import Person

from .enums import RequestKind
from .models import DataRequest
from .services.requests import record_request


def seed_data_requests() -> DataRequest | None:
    """An open subject access request from a demo member (idempotent: one open request)."""
    person = Person.objects.filter(memberships__isnull=False).order_by("pk").first()
    if person is None:
        return None
    return record_request(
        person,
        RequestKind.ACCESS,
        note="Please send me a copy of everything you hold about me.",
    )

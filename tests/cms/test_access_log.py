"""The access log is append-only: nothing in the product changes or removes an entry."""

import pytest
from django.test import RequestFactory

from cms.access_log import record_access
from cms.models import AccessLogEntry
from members.models import Partnership


@pytest.mark.django_db
def test_an_access_is_recorded_with_who_what_and_where(north, host_staff):
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9")
    request.user = host_staff
    entry = record_access(request=request, action=AccessLogEntry.Action.VIEW, obj=north, detail="inspect")
    assert (entry.user, entry.object_id, entry.object_repr) == (host_staff, str(north.pk), "Northshire MNVP")
    assert entry.ip_address == "203.0.113.9"


@pytest.mark.django_db
def test_entries_cannot_be_changed_or_deleted(north, host_staff):
    request = RequestFactory().get("/")
    request.user = host_staff
    entry = record_access(request=request, action="export", model=Partnership)
    entry.detail = "tampered"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AccessLogEntry.objects.update(detail="tampered")
    with pytest.raises(PermissionError):
        AccessLogEntry.objects.all().delete()
    assert AccessLogEntry.objects.get().detail == ""

"""Data requests: recorded once while open, due a calendar month later, the privacy contact told."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from privacy.enums import RequestKind, RequestStatus
from privacy.models import DataRequest, PrivacySettings, due_by_for
from privacy.services.requests import close_request, record_request
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def test_a_request_is_due_one_calendar_month_after_it_was_received():
    assert due_by_for(datetime.datetime(2026, 1, 31, 12, tzinfo=LONDON)) == datetime.date(2026, 2, 28)
    assert due_by_for(datetime.datetime(2028, 1, 31, 12, tzinfo=LONDON)) == datetime.date(2028, 2, 29)
    assert due_by_for(datetime.datetime(2026, 5, 10, 9, tzinfo=LONDON)) == datetime.date(2026, 6, 10)


def test_recording_a_request_emails_the_privacy_contact(django_capture_on_commit_callbacks):
    PrivacySettings.objects.create(contact_email="dpo@example.org")
    person = PersonFactory()
    with django_capture_on_commit_callbacks(execute=True):
        request = record_request(person, RequestKind.ACCESS, note="A copy of everything, please.")
    assert request.status == RequestStatus.OPEN
    assert request.due_by == due_by_for(request.requested_at)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["dpo@example.org"]
    assert "A copy of everything" in mail.outbox[0].body
    assert f"/data_requests/edit/{request.pk}/" in mail.outbox[0].body


def test_asking_again_while_open_returns_the_same_request(django_capture_on_commit_callbacks):
    person = PersonFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = record_request(person, RequestKind.ERASURE, note="Please delete me.")
        again = record_request(person, RequestKind.ERASURE, note="Asking again.")
        other = record_request(person, RequestKind.ACCESS)
    assert again.pk == first.pk
    assert "Asking again." in again.note
    assert other.pk != first.pk
    assert DataRequest.objects.filter(person=person).count() == 2


def test_a_closed_request_does_not_stop_a_new_one(host_staff):
    person = PersonFactory()
    first = record_request(person, RequestKind.CORRECTION)
    close_request(first, by=host_staff, status=RequestStatus.DONE, outcome_note="Phone corrected.")
    second = record_request(person, RequestKind.CORRECTION)
    assert second.pk != first.pk


def test_a_refusal_needs_a_reason_and_a_closed_request_stays_closed(host_staff):
    request = record_request(PersonFactory(), RequestKind.ERASURE)
    with pytest.raises(ValidationError):
        close_request(request, by=host_staff, status=RequestStatus.REFUSED)
    close_request(request, by=host_staff, status=RequestStatus.REFUSED, outcome_note="Payments must be kept.")
    request.refresh_from_db()
    assert request.handled_by == host_staff
    assert request.handled_at is not None
    with pytest.raises(ValidationError):
        close_request(request, by=host_staff, status=RequestStatus.DONE)


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValidationError):
        record_request(PersonFactory(), "deletion-please")


def test_the_demo_adds_one_open_access_request(north):
    from privacy.demo import seed_data_requests
    from tests.factories import MembershipFactory

    MembershipFactory(partnership=north)
    first = seed_data_requests()
    again = seed_data_requests()
    assert first.pk == again.pk
    assert first.kind == RequestKind.ACCESS
    assert first.status == RequestStatus.OPEN

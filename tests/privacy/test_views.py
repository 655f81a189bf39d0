"""Privacy screens: who may open each, what they show, and that exports and erasures are logged."""

import datetime
import json
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from cms.models import AccessLogEntry
from members.enums import ApplicationStage
from privacy.enums import RequestKind, RequestStatus
from privacy.models import DataRequest, RetentionPolicy, RetentionRun
from privacy.services.requests import record_request
from tests.factories import (
    ApplicationFactory,
    ConcernFactory,
    DBSCheckFactory,
    EqualityMonitoringFactory,
    MembershipFactory,
    PersonFactory,
)

from .factories import paid_claim

pytestmark = pytest.mark.django_db


def assert_denied(response):
    """Refused: Wagtail's redirect (to the dashboard with a message, or to log in), 403 or 404."""
    if response.status_code == HTTPStatus.FOUND:
        location = response["Location"]
        assert location == reverse("wagtailadmin_home") or location.startswith(reverse("wagtailadmin_login"))
    else:
        assert response.status_code in (HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND)


def assert_each_denied(client, urls, *users):
    """Every URL refused to every user (None: anonymous)."""
    for user in users:
        if user:
            client.force_login(user)
        else:
            client.logout()
        for url in urls:
            assert_denied(client.get(url))


@pytest.fixture
def member(north):
    person = PersonFactory(first_name="Amina", last_name="Khan", phone="07700 900123")
    MembershipFactory(person=person, partnership=north, start_date=datetime.date(2024, 1, 1))
    return person


def sar_url(person, **query):
    url = reverse("privacy_subject_access", args=[person.pk])
    return url + ("?format=json" if query.get("json") else "")


def erase_url(person):
    return reverse("privacy_erase_person", args=[person.pk])


# --- Subject access ---------------------------------------------------------------------------


def test_host_staff_get_everything_held_as_a_printable_page_and_the_read_is_logged(
    client, host_staff, member, north
):
    DBSCheckFactory(person=member, certificate_number="001234567890")
    EqualityMonitoringFactory(person=member, ethnicity="white_british")
    ApplicationFactory(person=member, partnership=north, message="I had my baby at St Mary's")
    paid_claim(member, north, datetime.date(2025, 5, 1))
    ConcernFactory(
        partnership=north, allegation=True, subject_person=member, what_happened="Shouted at a mum"
    )
    client.force_login(host_staff)

    response = client.get(sar_url(member))

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "Amina" in page
    assert "07700 900123" in page
    assert "St Mary" in page
    assert "Train to the listening event" in page
    assert "DBS checks" in page
    assert "001234567890" not in page
    assert "Shouted" not in page
    assert "Review before release" in page
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    entry = AccessLogEntry.objects.get(action="export", object_id=str(member.pk))
    assert entry.user == host_staff


def test_the_json_export_holds_every_section_and_never_the_certificate_number(client, host_staff, member):
    DBSCheckFactory(person=member, certificate_number="001234567890")
    record_request(member, RequestKind.ACCESS, note="All of it")
    client.force_login(host_staff)

    response = client.get(sar_url(member, json=True))

    assert response.status_code == HTTPStatus.OK
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    keys = {section["key"] for section in data["sections"]}
    assert {
        "person",
        "consents",
        "equality",
        "applications",
        "memberships",
        "training",
        "dbs",
        "claims",
    } <= keys
    assert {"payments", "activities", "meetings", "data_requests", "safeguarding"} <= keys
    assert "001234567890" not in response.content.decode()
    requests = next(s for s in data["sections"] if s["key"] == "data_requests")["records"]
    assert requests[0]["Note"] == "All of it"


def test_subject_access_is_refused_to_leads_no_role_users_and_anonymous(
    client, member, north_lead, south_lead, no_role_user
):
    for user in (north_lead, south_lead, no_role_user):
        client.force_login(user)
        assert_denied(client.get(sar_url(member)))
        assert_denied(client.get(sar_url(member, json=True)))
    client.logout()
    response = client.get(sar_url(member))
    assert response.status_code == HTTPStatus.FOUND
    assert reverse("wagtailadmin_login") in response["Location"]
    assert not AccessLogEntry.objects.filter(action="export").exists()


def test_the_person_page_offers_subject_access_and_erasure_to_host_staff_only(
    client, host_staff, north_lead, member
):
    client.force_login(host_staff)
    page = client.get(reverse("people:inspect", args=[member.pk])).content.decode()
    assert sar_url(member) in page
    assert erase_url(member) in page
    page = client.get(reverse("people:edit", args=[member.pk])).content.decode()
    assert sar_url(member) in page
    client.force_login(north_lead)
    page = client.get(reverse("people:inspect", args=[member.pk])).content.decode()
    assert sar_url(member) not in page
    assert erase_url(member) not in page


# --- Erasure --------------------------------------------------------------------------------


def test_erasure_is_refused_while_something_blocks_it_saying_what(client, host_staff, member):
    client.force_login(host_staff)
    response = client.get(erase_url(member))
    assert response.status_code == HTTPStatus.OK
    assert "end the membership first" in response.content.decode()
    response = client.post(erase_url(member), {"reason": "Asked", "confirm": "on"})
    assert response.status_code == HTTPStatus.OK
    member.refresh_from_db()
    assert member.first_name == "Amina"


def test_host_staff_erase_a_former_member_and_their_erasure_request_is_done(client, host_staff, north):
    person = PersonFactory(first_name="Bea")
    MembershipFactory(
        person=person,
        partnership=north,
        start_date=datetime.date(2023, 1, 1),
        end_date=datetime.date(2024, 1, 1),
    )
    request = record_request(person, RequestKind.ERASURE)
    client.force_login(host_staff)

    response = client.post(erase_url(person), {"reason": "Asked by email", "confirm": "on"})

    assert response.status_code == HTTPStatus.FOUND
    person.refresh_from_db()
    assert person.first_name == "Erased person"
    request.refresh_from_db()
    assert request.status == RequestStatus.DONE
    assert request.handled_by == host_staff
    assert AccessLogEntry.objects.filter(action="change", object_id=str(person.pk)).exists()


def test_erasure_needs_a_reason_and_the_confirmation(client, host_staff, north):
    person = PersonFactory(first_name="Cat")
    client.force_login(host_staff)
    response = client.post(erase_url(person), {"reason": ""})
    assert response.status_code == HTTPStatus.OK
    assert "There is a problem" in response.content.decode()
    person.refresh_from_db()
    assert person.first_name == "Cat"


def test_erasure_is_refused_to_leads_no_role_users_and_anonymous(
    client, north_lead, south_lead, no_role_user, north
):
    person = PersonFactory(first_name="Dee")
    ApplicationFactory(person=person, partnership=north, stage=ApplicationStage.WITHDRAWN)
    for user in (north_lead, south_lead, no_role_user):
        client.force_login(user)
        assert_denied(client.get(erase_url(person)))
        assert_denied(client.post(erase_url(person), {"reason": "x", "confirm": "on"}))
    client.logout()
    assert_denied(client.post(erase_url(person), {"reason": "x", "confirm": "on"}))
    person.refresh_from_db()
    assert person.first_name == "Dee"


# --- Data requests, retention policies and runs -----------------------------------------------


def test_host_staff_see_data_requests_by_due_date_with_overdue_ones_marked(client, host_staff, member):
    overdue = record_request(member, RequestKind.ACCESS)
    DataRequest.objects.filter(pk=overdue.pk).update(
        requested_at=timezone.now() - datetime.timedelta(days=60),
        due_by=timezone.localdate() - datetime.timedelta(days=29),
    )
    record_request(PersonFactory(), RequestKind.ERASURE)
    client.force_login(host_staff)

    response = client.get(reverse("data_requests:index"))

    assert response.status_code == HTTPStatus.OK
    assert "Overdue:" in response.content.decode()
    response = client.get(reverse("data_requests:index"), {"overdue": "true"})
    assert len(response.context["object_list"]) == 1


def test_host_staff_record_and_close_a_request_in_the_admin(client, host_staff, member):
    client.force_login(host_staff)
    response = client.post(
        reverse("data_requests:add"),
        {"person": member.pk, "kind": RequestKind.CORRECTION, "note": "New phone"},
    )
    assert response.status_code == HTTPStatus.FOUND
    request = DataRequest.objects.get(person=member)
    response = client.post(
        reverse("data_requests:edit", args=[request.pk]),
        {
            "person": member.pk,
            "kind": request.kind,
            "note": request.note,
            "status": "refused",
            "outcome_note": "",
        },
    )
    assert response.status_code == HTTPStatus.OK  # a refusal needs a reason
    request.refresh_from_db()
    assert request.status == RequestStatus.OPEN
    client.post(
        reverse("data_requests:edit", args=[request.pk]),
        {
            "person": member.pk,
            "kind": request.kind,
            "note": request.note,
            "status": "done",
            "outcome_note": "Fixed",
        },
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.DONE
    assert request.handled_by == host_staff


def test_data_requests_are_refused_to_leads_no_role_users_and_anonymous(
    client, north_lead, no_role_user, member
):
    request = record_request(member, RequestKind.ACCESS)
    urls = [
        reverse("data_requests:index"),
        reverse("data_requests:add"),
        reverse("data_requests:edit", args=[request.pk]),
        reverse("data_requests:inspect", args=[request.pk]),
    ]
    assert_each_denied(client, urls, north_lead, no_role_user, None)


def test_host_staff_change_a_retention_period_but_cannot_add_or_delete_policies(client, host_staff):
    policy = RetentionPolicy.objects.get(record_type="feedback_items")
    client.force_login(host_staff)
    assert client.get(reverse("retention_policies:index")).status_code == HTTPStatus.OK
    response = client.post(
        reverse("retention_policies:edit", args=[policy.pk]),
        {"months": 48, "action": "anonymise", "active": "on", "reason": "Four years for the ICB"},
    )
    assert response.status_code == HTTPStatus.FOUND
    policy.refresh_from_db()
    assert policy.months == 48
    assert_denied(client.get(reverse("retention_policies:add")))
    assert_denied(client.get(reverse("retention_policies:delete", args=[policy.pk])))


def test_a_record_type_that_can_only_be_deleted_refuses_anonymise(client, host_staff):
    policy = RetentionPolicy.objects.get(record_type="access_log")
    client.force_login(host_staff)
    response = client.post(
        reverse("retention_policies:edit", args=[policy.pk]),
        {"months": 72, "action": "anonymise", "active": "on"},
    )
    assert response.status_code == HTTPStatus.OK
    policy.refresh_from_db()
    assert policy.action == "delete"


def test_retention_runs_are_read_only_for_host_staff(client, host_staff):
    run = RetentionRun.objects.create(
        counts={"leavers": {"label": "People who have left", "action": "anonymise", "count": 3}}, total=3
    )
    client.force_login(host_staff)
    response = client.get(reverse("retention_runs:index"))
    assert response.status_code == HTTPStatus.OK
    assert "People who have left: 3" in response.content.decode()
    assert client.get(reverse("retention_runs:inspect", args=[run.pk])).status_code == HTTPStatus.OK
    assert_denied(client.get(reverse("retention_runs:edit", args=[run.pk])))
    assert_denied(client.get(reverse("retention_runs:delete", args=[run.pk])))


def test_retention_screens_are_refused_to_leads_no_role_users_and_anonymous(client, north_lead, no_role_user):
    run = RetentionRun.objects.create()
    policy = RetentionPolicy.objects.first()
    urls = [
        reverse("retention_policies:index"),
        reverse("retention_policies:edit", args=[policy.pk]),
        reverse("retention_runs:index"),
        reverse("retention_runs:inspect", args=[run.pk]),
    ]
    assert_each_denied(client, urls, north_lead, no_role_user, None)


def test_the_data_request_listing_costs_the_same_for_many_rows(
    client, host_staff, django_assert_max_num_queries
):
    for _ in range(15):
        record_request(PersonFactory(), RequestKind.ACCESS)
    client.force_login(host_staff)
    client.get(reverse("data_requests:index"))  # warm caches
    with django_assert_max_num_queries(25):
        response = client.get(reverse("data_requests:index"))
    assert response.status_code == HTTPStatus.OK

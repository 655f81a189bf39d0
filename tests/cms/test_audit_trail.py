"""Every create, change and delete through the admin leaves a Wagtail log entry: one view per app.

Wagtail's generic views log themselves; these are our own action views, which call a
service (cms/audit.py makes sure they log).
"""

import datetime
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from members.enums import ApplicationStage, PPVCategory, Role
from members.models import TrainingRecord
from tests.factories import ApplicationFactory, CaseFactory, CourseFactory, MembershipFactory, UserFactory
from tests.workplans.meeting_factories import MeetingFactory
from tests.workplans.money_factories import member
from workplans.enums import ClaimStatus, ExpenseKind
from workplans.services import claims as claim_services

pytestmark = pytest.mark.django_db

LAST_WEEK = datetime.date.today() - datetime.timedelta(days=7)


def entries_on(obj):
    return ModelLogEntry.objects.for_instance(obj)


def move_application(north, host_staff):
    application = ApplicationFactory(partnership=north, stage=ApplicationStage.NEW)
    url = reverse("applications:move", args=[application.pk])
    return (
        host_staff,
        url,
        {"to_stage": ApplicationStage.CONTACTED, "note": "Rang her"},
        lambda: [application],
    )


def record_a_session(north, host_staff):
    course = CourseFactory()
    person = MembershipFactory(partnership=north).person
    data = {"partnership": north.pk, "course": course.pk, "completed_on": "2026-11-02", "people": [person.pk]}
    return host_staff, reverse("training_records:session"), data, lambda: list(TrainingRecord.objects.all())


def add_an_attendance(north, host_staff):
    meeting = MeetingFactory(partnership=north, held_on=LAST_WEEK)
    person = member(north, PPVCategory.A)
    url = reverse("meetings:add_attendance", args=[meeting.pk])
    return host_staff, url, {"person": person.pk, "length": "half_day"}, lambda: [meeting]


def approve_a_claim(north, host_staff):
    claimant = member(north, PPVCategory.B)
    claim = claim_services.create_claim(
        partnership=north, claimant=claimant, purpose="Listening event", acting_user=host_staff
    )
    claim_services.add_expense_item(
        claim=claim,
        kind=ExpenseKind.OTHER,
        spent_on=LAST_WEEK,
        description="Parking",
        amount=Decimal("5.00"),
        acting_user=host_staff,
    )
    claim_services.submit_claim(claim=claim, acting_user=host_staff)
    ModelLogEntry.objects.all().delete()
    approver = UserFactory(role=Role.HOST_STAFF)
    return approver, reverse("expense_claims:approve", args=[claim.pk]), {}, lambda: [claim]


def assign_a_case_handler(north, host_staff):
    case = CaseFactory(partnership=north)
    manager = UserFactory(role=Role.GRIEVANCE_MANAGER)
    handler = UserFactory(role=Role.CASE_HANDLER)
    return manager, reverse("cases:assign", args=[case.pk]), {"handler": handler.pk}, lambda: [case]


@pytest.mark.parametrize(
    "action",
    [move_application, record_a_session, add_an_attendance, approve_a_claim, assign_a_case_handler],
    ids=lambda action: action.__name__,
)
def test_an_admin_action_leaves_a_log_entry_with_who_did_it(client, north, host_staff, action):
    user, url, data, touched = action(north, host_staff)
    client.force_login(user)
    response = client.post(url, data)
    assert response.status_code == HTTPStatus.FOUND, response.content[:2000]
    objects = touched()
    assert objects
    for obj in objects:
        entries = list(entries_on(obj))
        assert entries, f"no log entry on {obj!r}"
        assert all(entry.user_id == user.pk for entry in entries)


def test_an_action_already_logged_by_its_service_is_logged_once(client, north, host_staff):
    user, url, data, touched = move_application(north, host_staff)
    client.force_login(user)
    client.post(url, data)
    assert entries_on(touched()[0]).count() == 1


def test_a_refused_action_leaves_no_log_entry(client, north, host_staff):
    user, url, _data, touched = add_an_attendance(north, host_staff)
    client.force_login(user)
    assert client.post(url, {"person": "", "length": "half_day"}).status_code == HTTPStatus.OK
    assert not entries_on(touched()[0]).exists()


def test_the_claim_approval_reads_as_its_action_in_the_history(client, north, host_staff):
    user, url, data, touched = approve_a_claim(north, host_staff)
    client.force_login(user)
    client.post(url, data)
    claim = touched()[0]
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED
    entry = entries_on(claim).get()
    assert entry.action == "cms.action"
    assert entry.message

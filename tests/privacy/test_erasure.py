"""Erasure on request: the person becomes a pseudonym; payments, claims and safeguarding stay linked."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError

from members.models import DBSCheck, EqualityMonitoring, Person
from privacy.enums import RequestKind, RequestStatus
from privacy.models import Erasure
from privacy.services.erasure import erase_person, erasure_blockers
from privacy.services.requests import record_request
from safeguarding.enums import ConcernStatus
from safeguarding.models import Case, Concern
from tests.factories import (
    ApplicationFactory,
    CaseFactory,
    ConcernFactory,
    DBSCheckFactory,
    EqualityMonitoringFactory,
    MembershipFactory,
    PersonFactory,
)
from workplans.enums import ClaimStatus

from .factories import paid_claim, payment

pytestmark = pytest.mark.django_db


@pytest.fixture
def former_member(north):
    person = PersonFactory(
        first_name="Amina",
        last_name="Khan",
        phone="07700 900123",
        postcode="NS1 2AB",
        access_needs="Step-free",
    )
    MembershipFactory(
        person=person,
        partnership=north,
        start_date=datetime.date(2022, 1, 1),
        end_date=datetime.date(2025, 1, 1),
    )
    return person


def test_erasure_keeps_payments_claims_and_safeguarding_linked_to_a_pseudonym(
    former_member, north, host_staff
):
    claim = paid_claim(former_member, north, datetime.date(2024, 6, 1))
    paid = payment(former_member, north, host_staff, datetime.date(2024, 6, 1))
    concern = ConcernFactory(partnership=north, allegation=True, subject_person=former_member)
    Concern.objects.filter(pk=concern.pk).update(status=ConcernStatus.CLOSED, closed_at=concern.reported_at)
    case = CaseFactory(partnership=north, complaint_against=True, subject_person=former_member)
    Case.objects.filter(pk=case.pk).update(closed_at=case.received_at)
    EqualityMonitoringFactory(person=former_member, ethnicity="white_british")
    DBSCheckFactory(person=former_member)
    ApplicationFactory(person=former_member, partnership=north, stage="withdrawn", message="My birth story")

    erasure = erase_person(former_member, host_staff, "Asked by email")

    person = Person.objects.get(pk=former_member.pk)
    assert re.fullmatch(r"Erased person [A-Z2-9]{4}", person.full_name)
    assert person.full_name == erasure.pseudonym
    assert "Khan" not in person.email
    assert (person.phone, person.access_needs) == ("", "")
    assert person.postcode == "NS1"
    assert person.memberships.count() == 1
    claim.refresh_from_db()
    paid.refresh_from_db()
    assert claim.claimant_id == person.pk
    assert paid.person_id == person.pk
    assert str(paid).find(erasure.pseudonym) != -1
    assert Concern.objects.get(pk=concern.pk).subject_person_id == person.pk
    assert Case.objects.get(pk=case.pk).subject_person_id == person.pk
    assert not EqualityMonitoring.objects.filter(person=person).exists()
    assert not DBSCheck.objects.filter(person=person).exists()
    assert person.applications.get().message == ""
    assert erasure.erased_by == host_staff
    assert erasure.summary["kept"]["expense claims"] == 1


def test_erasure_marks_their_open_erasure_request_done(former_member, host_staff):
    request = record_request(former_member, RequestKind.ERASURE, note="Delete me")

    erase_person(former_member, host_staff, "Their request")

    request.refresh_from_db()
    assert request.status == RequestStatus.DONE
    assert "Erased person" in request.outcome_note


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("current_member", "end the membership first"),
        ("open_application", "withdraw or decline it first"),
        ("unpaid_claim", "pay or reject it first"),
        ("open_allegation", "designated safeguarding lead must close it first"),
        ("open_case", "must be closed first"),
    ],
)
def test_erasure_is_refused_while_something_blocks_it_and_nothing_changes(north, host_staff, setup, message):
    person = PersonFactory(first_name="Bea")
    if setup == "current_member":
        MembershipFactory(person=person, partnership=north)
    elif setup == "open_application":
        ApplicationFactory(person=person, partnership=north)
    elif setup == "unpaid_claim":
        paid_claim(person, north, None, status=ClaimStatus.APPROVED)
    elif setup == "open_allegation":
        ConcernFactory(partnership=north, allegation=True, subject_person=person)
    else:
        CaseFactory(partnership=north, complaint_against=True, subject_person=person)

    with pytest.raises(ValidationError) as refused:
        erase_person(person, host_staff, "Asked")

    assert any(message in text for text in refused.value.messages)
    assert Person.objects.get(pk=person.pk).first_name == "Bea"
    assert not Erasure.objects.exists()


def test_erasure_needs_a_reason_and_happens_once(former_member, host_staff):
    with pytest.raises(ValidationError):
        erase_person(former_member, host_staff, "  ")
    erase_person(former_member, host_staff, "Asked")
    assert erasure_blockers(Person.objects.get(pk=former_member.pk)) == [
        "This person has already been erased."
    ]
    with pytest.raises(ValidationError):
        erase_person(former_member, host_staff, "Asked again")


def test_erasure_is_all_or_nothing(former_member, host_staff, monkeypatch):
    EqualityMonitoringFactory(person=former_member)

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Erasure.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
        erase_person(former_member, host_staff, "Asked")

    person = Person.objects.get(pk=former_member.pk)
    assert person.first_name == "Amina"
    assert EqualityMonitoring.objects.filter(person=person).exists()

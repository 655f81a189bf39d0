"""A copy of someone's data shows every field their records hold, but for what is left out by rule."""

import pytest

from members.models import DBSCheck, Membership, Person, TrainingRecord
from privacy.services.subject_access import disclosed_fields, subject_access_data
from tests.factories import DBSCheckFactory, MembershipFactory, PersonFactory, TrainingRecordFactory
from workplans.models import ExpenseClaim, InvolvementPayment


def test_every_field_of_a_record_is_disclosed_unless_a_rule_leaves_it_out():
    assert disclosed_fields(Person) == [f.name for f in Person._meta.concrete_fields if f.name != "id"]
    assert "created_at" in disclosed_fields(Membership)  # not in the old hand-written list
    assert "recorded_at" in disclosed_fields(TrainingRecord)
    assert "payment_reference" in disclosed_fields(ExpenseClaim)
    assert "amount" in disclosed_fields(InvolvementPayment)


def test_the_certificate_number_staff_accounts_and_the_link_back_to_the_person_are_left_out():
    dbs = disclosed_fields(DBSCheck)
    assert "certificate_number" not in dbs
    assert {"decided_by", "recorded_by", "person", "id"}.isdisjoint(dbs)
    assert {"level", "issued_on", "outcome", "recorded_at"} <= set(dbs)
    assert "claimant" not in disclosed_fields(ExpenseClaim)
    assert "budget_line" not in disclosed_fields(ExpenseClaim)


@pytest.mark.django_db
def test_the_copy_holds_new_fields_and_never_the_certificate_number(north):
    person = PersonFactory()
    MembershipFactory(person=person, partnership=north)
    TrainingRecordFactory(person=person, notes="Online course")
    DBSCheckFactory(person=person, certificate_number="001234567890")

    data = subject_access_data(person)

    sections = {section["key"]: section for section in data["sections"]}
    assert "Created at" in sections["memberships"]["records"][0]
    assert sections["training"]["records"][0]["Notes"] == "Online course"
    assert "001234567890" not in repr(data)

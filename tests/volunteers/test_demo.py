"""The demo volunteer can sign in and claim expenses, and seeding twice adds nobody."""

import pytest

from members.demo import seed_partnerships
from volunteers.demo import DEMO_VOLUNTEER_EMAIL, seed_demo_volunteer
from volunteers.services import people_who_may_sign_in
from workplans.services.claims import claimable_partnerships

pytestmark = pytest.mark.django_db


def test_the_demo_volunteer_may_sign_in_and_claim():
    seed_partnerships()
    person = seed_demo_volunteer()
    assert seed_demo_volunteer() == person
    assert people_who_may_sign_in().with_email(DEMO_VOLUNTEER_EMAIL).get() == person
    assert [p.slug for p in claimable_partnerships(person)] == ["northshire"]
    assert person.memberships.count() == 1

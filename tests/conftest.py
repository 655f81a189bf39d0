"""Fixtures shared by the whole suite: one login per role, two MNVPs."""

import pytest

from members.enums import Role
from tests.factories import PartnershipFactory, UserFactory, commissioner_of, lead_of


@pytest.fixture
def north(db):
    return PartnershipFactory(name="Northshire MNVP", slug="northshire")


@pytest.fixture
def south(db):
    return PartnershipFactory(name="Southvale MNVP", slug="southvale")


@pytest.fixture
def host_staff(db):
    return UserFactory(username="host", role=Role.HOST_STAFF)


@pytest.fixture
def dsl(db):
    return UserFactory(username="dsl", role=Role.SAFEGUARDING_LEAD)


@pytest.fixture
def case_handler(db):
    return UserFactory(username="handler", role=Role.CASE_HANDLER)


@pytest.fixture
def north_lead(north):
    return lead_of(north, username="north.lead")


@pytest.fixture
def south_lead(south):
    return lead_of(south, username="south.lead")


@pytest.fixture
def north_commissioner(north):
    return commissioner_of(north, username="icb.north")


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def no_role_user(db):
    return UserFactory(username="nobody")

"""Fixtures shared by the whole suite: one login per role, two MNVPs."""

import pytest
from django.test.client import ClientMixin

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


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "unverified_session: force_login leaves the second factor unpassed (security tests)"
    )


@pytest.fixture(autouse=True)
def _force_login_passes_second_factor(request, monkeypatch):
    """``client.force_login(user)`` yields a session that has passed two-factor sign-in.

    The enforcement (security.middleware.TwoFactorMiddleware) stays on in every test: this
    only gives the user a confirmed TOTP device and marks the session verified with it, as
    the verification page does. Tests marked ``unverified_session`` get Django's plain
    force_login, so they can prove the second factor is asked for.
    """
    if request.node.get_closest_marker("unverified_session"):
        return
    original = ClientMixin.force_login

    def force_login(self, user, backend=None):
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        original(self, user, backend)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Test device", confirmed=True)
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

    monkeypatch.setattr(ClientMixin, "force_login", force_login)


@pytest.fixture(autouse=True)
def _fresh_compliance_counts():
    """Each test counts afresh: the cached compliance counts and funnels of one test never reach the next."""
    from members.compliance_cache import forget_compliance
    from members.funnel_cache import forget_funnels

    forget_compliance()
    forget_funnels()

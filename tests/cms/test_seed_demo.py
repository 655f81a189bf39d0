"""`seed_demo` makes the product explorable at once, safely and repeatably."""

from http import HTTPStatus
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from members.compliance import compliance_for
from members.demo import DEMO_LOGINS
from members.enums import ComplianceState
from members.models import DBSCheck, Membership, Partnership, PartnershipAccess, TrainingRecord, User

pytestmark = pytest.mark.django_db


def sign_in(client, username):
    """Through the admin login page, then the second factor for logins that need one (demo key)."""
    from security.devices import confirmed_totp_device, current_code

    response = client.post(
        reverse("wagtailadmin_login"), {"username": username, "password": "a-demo-password"}
    )
    assert response.status_code == HTTPStatus.FOUND, f"{username} could not sign in"
    device = confirmed_totp_device(User.objects.get(username=username))
    if device is not None:
        verified = client.post(reverse("security_verify"), {"otp_token": current_code(device)})
        assert verified.status_code == HTTPStatus.FOUND


@pytest.fixture
def seeded(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "a-demo-password")
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=StringIO())


def counts():
    from wagtail.models import Page

    return (
        Partnership.objects.count(),
        User.objects.count(),
        PartnershipAccess.objects.count(),
        Page.objects.count(),
        TrainingRecord.objects.count(),
        DBSCheck.objects.count(),
    )


def test_refuses_to_run_with_debug_off():
    with override_settings(DEBUG=False), pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_seeds_the_named_partnerships_and_logins(seeded):
    assert {"Northshire MNVP", "Southvale MNVP"} <= set(Partnership.objects.values_list("name", flat=True))
    assert set(DEMO_LOGINS) <= set(User.objects.values_list("username", flat=True))


def test_running_twice_changes_nothing(seeded):
    before = counts()
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=StringIO())
    assert counts() == before


@pytest.mark.parametrize(
    ("username", "sees", "never_sees"),
    [
        ("host.admin", {"Northshire MNVP", "Southvale MNVP", "Westbrook MNVP"}, set()),
        ("north.lead", {"Northshire MNVP"}, {"Southvale MNVP", "Westbrook MNVP"}),
        ("south.lead", {"Southvale MNVP"}, {"Northshire MNVP", "Westbrook MNVP"}),
        ("icb.viewer", {"Northshire MNVP", "Southvale MNVP"}, {"Westbrook MNVP"}),
    ],
)
def test_each_demo_login_signs_in_and_sees_its_mnvps(client, seeded, username, sees, never_sees):
    sign_in(client, username)
    response = client.get(reverse("partnerships:index"))
    assert response.status_code == HTTPStatus.OK
    listed = {str(p) for p in response.context["object_list"]}
    assert listed == sees
    assert not listed & never_sees


def test_safeguarding_lead_signs_in_to_the_admin(client, seeded):
    sign_in(client, "safeguarding.lead")
    assert client.get(reverse("wagtailadmin_home")).status_code == HTTPStatus.OK


def test_public_pages_of_each_partnership_answer(client, seeded):
    assert client.get("/").status_code == HTTPStatus.OK
    for slug in ("northshire", "southvale"):
        assert client.get(f"/{slug}/").status_code == HTTPStatus.OK


def test_demo_shows_the_pipeline_in_every_open_stage_and_members(client, seeded):
    from members.models import Application, Membership

    stages = set(Application.objects.values_list("stage", flat=True))
    assert {"new", "contacted", "conversation", "references", "checks", "induction", "declined"} <= stages
    assert Membership.objects.filter(partnership__slug="northshire").exists()
    sign_in(client, "north.lead")
    listed = client.get(reverse("applications:index")).context["object_list"]
    assert {a.partnership.slug for a in listed} == {"northshire"}


def test_demo_members_are_in_every_compliance_state(seeded):
    states = {c.state for c in compliance_for(Membership.objects.current()).values()}
    assert states == set(ComplianceState)

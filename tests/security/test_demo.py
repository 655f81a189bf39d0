"""Demo logins that must use two factors get the public demo key; demo_otp_code prints its code."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from home.demo import seed_public_site
from members.demo import seed_logins, seed_partnerships
from security.demo import DEMO_TOTP_KEY
from security.devices import current_code


@pytest.fixture
def demo_users(db):
    seed_public_site(seed_partnerships())
    return seed_logins("a-demo-password")


def test_demo_logins_that_must_use_two_factors_get_the_demo_key(demo_users):
    with_device = set(TOTPDevice.objects.filter(key=DEMO_TOTP_KEY).values_list("user__username", flat=True))
    assert {"host.admin", "safeguarding.lead"} <= with_device
    assert not with_device & {"north.lead", "south.lead", "icb.viewer"}


def test_demo_otp_code_prints_the_current_code(demo_users, settings):
    settings.DEBUG = False
    out = StringIO()
    call_command("demo_otp_code", "host.admin", stdout=out)
    device = TOTPDevice.objects.get(user__username="host.admin")
    assert out.getvalue().strip() == current_code(device)


def test_demo_otp_code_refuses_a_real_device_unless_debug(host_staff, totp_device, settings):
    totp_device(host_staff)
    settings.DEBUG = False
    with pytest.raises(CommandError, match="Refused"):
        call_command("demo_otp_code", "host", stdout=StringIO())
    settings.DEBUG = True
    call_command("demo_otp_code", "host", stdout=StringIO())


def test_demo_otp_code_names_a_login_without_a_device(no_role_user):
    with pytest.raises(CommandError, match="no authenticator"):
        call_command("demo_otp_code", "nobody", stdout=StringIO())

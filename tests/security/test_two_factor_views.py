"""Two-factor sign-in to the admin: verification, forced enrolment, recovery codes, throttling."""

import importlib
import re
from http import HTTPStatus

import pytest
from django.apps import apps
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from members.enums import Role
from members.roles import role_group
from security import devices
from security.middleware import UNREQUIRED_UNTIL_KEY
from security.views import WRONG_CODE

from .conftest import code_for, password_login

pytestmark = pytest.mark.unverified_session

VERIFY = "/admin/two-factor/verify/"
ENROL = "/admin/two-factor/set-up/"
RECOVERY = "/admin/two-factor/recovery-codes/"
SECOND_FACTOR_URLS = [VERIFY, ENROL, RECOVERY]


@pytest.mark.parametrize("url", SECOND_FACTOR_URLS)
def test_anonymous_visitors_are_sent_to_sign_in(client, db, url):
    response = client.get(url)
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith("/admin/login/")


@pytest.mark.parametrize("url", SECOND_FACTOR_URLS)
def test_users_without_admin_access_are_refused(client, no_role_user, url):
    client.force_login(no_role_user)
    response = client.get(url)
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith("/admin/login/")


def test_a_user_with_a_device_must_enter_a_code_before_any_admin_page(client, host_staff, totp_device):
    device = totp_device(host_staff)
    response = password_login(client, "host")
    assert response.status_code == HTTPStatus.FOUND

    for url in ["/admin/", "/admin/pages/", "/admin/account/"]:
        refused = client.get(url)
        assert refused.status_code == HTTPStatus.FOUND
        assert refused.url.startswith(VERIFY)

    page = client.get(VERIFY + "?next=/admin/pages/")
    assert page.status_code == HTTPStatus.OK
    assert b'name="otp_token"' in page.content

    wrong = client.post(VERIFY, {"otp_token": "000000" if code_for(device) != "000000" else "111111"})
    assert wrong.status_code == HTTPStatus.OK
    assert WRONG_CODE in wrong.content.decode()
    assert client.get("/admin/").status_code == HTTPStatus.FOUND

    device.throttle_reset()
    verified = client.post(VERIFY, {"otp_token": code_for(device), "next": "/admin/pages/"})
    assert verified.status_code == HTTPStatus.FOUND
    assert verified.url == "/admin/pages/"
    assert client.get("/admin/").status_code == HTTPStatus.OK


def test_a_lead_may_sign_in_without_a_second_factor(client, north_lead):
    password_login(client, "north.lead")
    assert client.get("/admin/").status_code == HTTPStatus.OK
    account = client.get("/admin/account/")
    assert ENROL.encode() in account.content
    assert b"Set up two-factor authentication" in account.content


def test_a_lead_without_a_device_is_not_asked_about_it_on_every_request(client, north_lead):
    password_login(client, "north.lead")
    client.get("/admin/account/")
    with CaptureQueriesContext(connection) as within_window:
        client.get("/admin/account/")
    session = client.session
    session[UNREQUIRED_UNTIL_KEY] = 0  # the recheck window has passed
    session.save()
    with CaptureQueriesContext(connection) as rechecked:
        client.get("/admin/account/")
    assert len(rechecked.captured_queries) > len(within_window.captured_queries)


def test_a_role_that_comes_to_require_two_factors_takes_effect_at_the_recheck(client, north_lead):
    password_login(client, "north.lead")
    assert client.get("/admin/").status_code == HTTPStatus.OK
    north_lead.groups.add(role_group(Role.SAFEGUARDING_LEAD))
    session = client.session
    session[UNREQUIRED_UNTIL_KEY] = 0
    session.save()
    assert client.get("/admin/").url.startswith(ENROL)


def test_a_lead_who_enrolled_is_asked_for_the_code_too(client, north_lead, totp_device):
    totp_device(north_lead)
    password_login(client, "north.lead")
    assert client.get("/admin/").url.startswith(VERIFY)


def test_a_user_who_must_have_two_factors_enrols_before_anything_else(client, host_staff):
    password_login(client, "host")
    refused = client.get("/admin/")
    assert refused.status_code == HTTPStatus.FOUND
    assert refused.url.startswith(ENROL)

    page = client.get(ENROL)
    assert page.status_code == HTTPStatus.OK
    html = page.content.decode()
    assert "<svg" in html  # the QR code, inline
    secret = re.search(r"<code data-secret>([A-Z2-7]+)</code>", html).group(1)
    device = TOTPDevice.objects.get(user=host_staff, confirmed=False)
    assert secret == devices.secret_base32(device)
    assert client.get(ENROL).content.decode().count(secret) == 1  # the same key on a reload

    wrong = client.post(ENROL, {"otp_token": "12345"})
    assert wrong.status_code == HTTPStatus.OK
    assert not TOTPDevice.objects.filter(user=host_staff, confirmed=True).exists()

    device.throttle_reset()
    done = client.post(ENROL, {"otp_token": code_for(device)})
    assert done.status_code == HTTPStatus.FOUND
    assert done.url.startswith(RECOVERY)
    shown = client.get(done.url).content.decode()
    codes = re.findall(r"<code data-recovery-code>([a-z2-7]+)</code>", shown)
    assert len(codes) == 10
    kept = set(StaticToken.objects.filter(device__user=host_staff).values_list("token", flat=True))
    assert kept == {devices.stored_form(code) for code in codes}
    assert kept.isdisjoint(codes)  # never kept as shown
    again = client.get(RECOVERY).content.decode()
    assert not re.findall(r"data-recovery-code", again)  # shown once only
    assert "10 unused recovery codes" in again
    assert client.get("/admin/").status_code == HTTPStatus.OK


def test_a_recovery_code_signs_in_once(client, host_staff, totp_device):
    totp_device(host_staff)
    codes = devices.regenerate_recovery_codes(host_staff)

    password_login(client, "host")
    used = client.post(VERIFY, {"otp_token": codes[0].upper()[:4] + "-" + codes[0][4:]})
    assert used.status_code == HTTPStatus.FOUND
    assert client.get("/admin/").status_code == HTTPStatus.OK
    assert devices.unused_recovery_codes(host_staff) == 9

    client.post("/admin/logout/")
    password_login(client, "host")
    again = client.post(VERIFY, {"otp_token": codes[0]})
    assert again.status_code == HTTPStatus.OK
    assert client.get("/admin/").status_code == HTTPStatus.FOUND


def test_new_recovery_codes_replace_the_old_ones(client, host_staff):
    client.force_login(host_staff)
    device = TOTPDevice.objects.create(user=host_staff, name="app", confirmed=True)
    old = devices.regenerate_recovery_codes(host_staff)
    from django_otp import DEVICE_ID_SESSION_KEY

    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()

    response = client.post(RECOVERY)
    assert response.status_code == HTTPStatus.FOUND
    new = re.findall(r"<code data-recovery-code>([a-z2-7]+)</code>", client.get(RECOVERY).content.decode())
    assert len(new) == 10
    assert not set(new) & set(old)
    assert devices.unused_recovery_codes(host_staff) == 10


def test_wrong_codes_are_throttled(client, host_staff, totp_device):
    device = totp_device(host_staff)
    password_login(client, "host")
    wrong = "000000" if code_for(device) != "000000" else "111111"
    for _ in range(4):
        client.post(VERIFY, {"otp_token": wrong})
    refused = client.post(VERIFY, {"otp_token": code_for(device)})
    assert refused.status_code == HTTPStatus.OK
    assert "Too many wrong codes" in refused.content.decode()
    assert client.get("/admin/").status_code == HTTPStatus.FOUND


def test_a_password_reset_neither_signs_in_nor_skips_the_code(client, host_staff, totp_device, settings):
    settings.WAGTAIL_PASSWORD_RESET_ENABLED = True
    totp_device(host_staff)
    client.post("/admin/password_reset/", {"email": host_staff.email})
    link = re.search(r"(/admin/password_reset/confirm/\S+/)", mail.outbox[-1].body).group(1)
    form = client.get(link, follow=True)
    new_password = "a-brand-new-long-password-9"
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    assert done.status_code == HTTPStatus.FOUND
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").url.startswith("/admin/login/")

    password_login(client, "host", new_password)
    assert client.get("/admin/").url.startswith(VERIFY)


def test_verified_sessions_get_a_new_key(client, host_staff, totp_device):
    device = totp_device(host_staff)
    password_login(client, "host")
    before = client.cookies["sessionid"].value
    client.post(VERIFY, {"otp_token": code_for(device)})
    assert client.cookies["sessionid"].value != before


def test_a_recovery_code_made_under_an_old_secret_key_still_works_once_while_that_key_is_a_fallback(
    client, host_staff, totp_device, settings
):
    totp_device(host_staff)
    codes = devices.regenerate_recovery_codes(host_staff)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-after-rotation-" + "x" * 20

    password_login(client, "host")
    assert client.post(VERIFY, {"otp_token": codes[1]}).status_code == HTTPStatus.FOUND
    assert devices.unused_recovery_codes(host_staff) == 9


def test_the_migration_hashes_codes_kept_as_typed_and_they_still_work(client, host_staff, totp_device):
    migration = importlib.import_module("security.migrations.0001_hash_recovery_codes")
    totp_device(host_staff)
    device = StaticDevice.objects.create(user=host_staff, name=devices.RECOVERY_DEVICE_NAME, confirmed=True)
    StaticToken.objects.create(device=device, token="abcd2345")

    migration.hash_plain_codes(apps, None)

    assert list(device.token_set.values_list("token", flat=True)) == [devices.stored_form("abcd2345")]
    password_login(client, "host")
    assert client.post(VERIFY, {"otp_token": "abcd2345"}).status_code == HTTPStatus.FOUND

"""Response headers: the Content Security Policy everywhere, no-store on admin and volunteer pages."""

from http import HTTPStatus

import pytest

from cms.settings import base


def directives(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}


def test_every_response_carries_the_policy(client, db):
    policy = directives(client.get("/admin/login/"))
    assert policy["default-src"] == "default-src 'self'"
    assert policy["object-src"] == "object-src 'none'"
    assert policy["base-uri"] == "base-uri 'none'"
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert policy["form-action"] == "form-action 'self'"
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]


@pytest.mark.parametrize("url", ["/admin/login/", "/admin/", "/volunteer/"])
def test_admin_and_volunteer_pages_are_never_stored(client, host_staff, url):
    client.force_login(host_staff)
    response = client.get(url)
    assert "no-store" in response["Cache-Control"]


def test_public_pages_may_be_cached(client, db):
    response = client.get("/")
    assert "no-store" not in response.get("Cache-Control", "")


def test_passwords_are_hashed_with_argon2_outside_tests():
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert any("CommonPasswordValidator" in v["NAME"] for v in base.AUTH_PASSWORD_VALIDATORS)


def test_login_throttling_is_checked_first():
    assert base.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert base.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_the_login_page_answers(client, db):
    assert client.get("/admin/login/").status_code == HTTPStatus.OK

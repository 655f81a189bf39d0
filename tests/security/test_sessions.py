"""Sessions: a new key at sign-in, idle and absolute limits, ended by disabling or a new password."""

from http import HTTPStatus

import pytest

from security.sessions import SESSION_SEEN_KEY, SESSION_STARTED_KEY

from .conftest import password_login


@pytest.mark.unverified_session
def test_signing_in_gives_a_new_session_key(client, north_lead):
    client.get("/admin/login/")
    session = client.session
    session["before"] = "anonymous visit"
    session.save()
    before = session.session_key
    password_login(client, "north.lead")
    assert client.session.session_key != before


def _age_session(client, *, started_ago=0, seen_ago=0):
    session = client.session
    session[SESSION_STARTED_KEY] -= started_ago
    session[SESSION_SEEN_KEY] -= seen_ago
    session.save()


def test_a_session_idle_too_long_is_signed_out(client, host_staff, settings):
    client.force_login(host_staff)
    assert client.get("/admin/").status_code == HTTPStatus.OK
    _age_session(
        client, started_ago=settings.SESSION_IDLE_TIMEOUT + 5, seen_ago=settings.SESSION_IDLE_TIMEOUT + 5
    )
    response = client.get("/admin/")
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith("/admin/login/")


def test_a_session_in_use_ends_at_the_absolute_limit(client, host_staff, settings):
    client.force_login(host_staff)
    _age_session(client, started_ago=settings.SESSION_ABSOLUTE_TIMEOUT + 5)
    response = client.get("/admin/")
    assert response.url.startswith("/admin/login/")


def test_a_session_in_use_within_both_limits_carries_on(client, host_staff, settings):
    client.force_login(host_staff)
    _age_session(
        client, started_ago=settings.SESSION_IDLE_TIMEOUT * 2, seen_ago=settings.SESSION_IDLE_TIMEOUT - 60
    )
    assert client.get("/admin/").status_code == HTTPStatus.OK
    assert (
        client.session[SESSION_SEEN_KEY] > client.session[SESSION_STARTED_KEY] + settings.SESSION_IDLE_TIMEOUT
    )


def test_a_disabled_users_next_request_is_anonymous(client, host_staff):
    client.force_login(host_staff)
    assert client.get("/admin/").status_code == HTTPStatus.OK
    host_staff.is_active = False
    host_staff.save(update_fields=["is_active"])
    response = client.get("/admin/")
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith("/admin/login/")
    assert response.wsgi_request.user.is_anonymous


def test_a_new_password_ends_other_sessions(client, host_staff):
    client.force_login(host_staff)
    host_staff.set_password("a-completely-new-password-1")
    host_staff.save(update_fields=["password"])
    response = client.get("/admin/")
    assert response.wsgi_request.user.is_anonymous
    assert response.url.startswith("/admin/login/")

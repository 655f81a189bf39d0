"""Login throttling (django-axes): username and IP together, one message for every failure."""

from http import HTTPStatus

import pytest
from axes.models import AccessAttempt
from django.conf import settings

from .conftest import PASSWORD, password_login

pytestmark = pytest.mark.unverified_session

GENERIC = "Your username and password didn&#x27;t match. Please try again."


def fail(client, username, ip="10.0.0.1", times=1):
    for _ in range(times):
        response = password_login(client, username, "not-the-password", REMOTE_ADDR=ip)
    return response


def test_wrong_name_wrong_password_and_lockout_read_the_same(client, north_lead):
    wrong_name = password_login(client, "no.such.person", REMOTE_ADDR="10.0.0.9")
    wrong_password = fail(client, "north.lead", ip="10.0.0.9")
    fail(client, "north.lead", ip="10.0.0.1", times=settings.AXES_FAILURE_LIMIT)
    locked = password_login(client, "north.lead", REMOTE_ADDR="10.0.0.1")  # the right password

    for response in (wrong_name, wrong_password, locked):
        assert response.status_code == HTTPStatus.OK
        assert GENERIC in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert wrong_name.content.decode().count(GENERIC) == locked.content.decode().count(GENERIC)


def test_lockout_is_recorded_and_keyed_on_username_and_address(client, north_lead):
    fail(client, "north.lead", ip="10.0.0.1", times=settings.AXES_FAILURE_LIMIT)
    attempt = AccessAttempt.objects.get(username="north.lead", ip_address="10.0.0.1")
    assert attempt.failures_since_start == settings.AXES_FAILURE_LIMIT

    # The same name from another address, and another name from the same address, still sign in.
    assert password_login(client, "north.lead", REMOTE_ADDR="10.0.0.2").status_code == HTTPStatus.FOUND
    client.post("/admin/logout/")
    assert password_login(client, "north.lead", REMOTE_ADDR="10.0.0.1").status_code == HTTPStatus.OK


def test_someone_else_cannot_lock_a_user_out_by_name_alone(client, north_lead, south_lead):
    fail(client, "south.lead", ip="10.0.0.1", times=settings.AXES_FAILURE_LIMIT)
    response = password_login(client, "south.lead", PASSWORD, REMOTE_ADDR="10.0.0.7")
    assert response.status_code == HTTPStatus.FOUND


def test_a_successful_sign_in_resets_the_count(client, north_lead):
    fail(client, "north.lead", times=settings.AXES_FAILURE_LIMIT - 1)
    assert password_login(client, "north.lead", REMOTE_ADDR="10.0.0.1").status_code == HTTPStatus.FOUND
    client.post("/admin/logout/")
    fail(client, "north.lead", times=settings.AXES_FAILURE_LIMIT - 1)
    assert password_login(client, "north.lead", REMOTE_ADDR="10.0.0.1").status_code == HTTPStatus.FOUND

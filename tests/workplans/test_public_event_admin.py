"""Leads and host staff mark an activity public, with its time and description, in the activity form."""

import datetime
from http import HTTPStatus

import pytest
from django.urls import reverse

from .activity_factories import EngagementActivityFactory
from .test_activity_views import assert_denied

pytestmark = pytest.mark.django_db


def edit(client, activity, **changes):
    data = {
        "partnership": activity.partnership_id,
        "kind": activity.kind,
        "title": activity.title,
        "held_on": activity.held_on.isoformat(),
        "people_heard": "0",
        **changes,
    }
    return client.post(reverse("engagement_activities:edit", args=[activity.pk]), data)


@pytest.mark.parametrize("user_fixture", ["north_lead", "host_staff"])
def test_the_form_offers_the_public_fields_with_help(client, request, north, user_fixture):
    activity = EngagementActivityFactory(partnership=north)
    client.force_login(request.getfixturevalue(user_fixture))
    html = client.get(reverse("engagement_activities:edit", args=[activity.pk])).content.decode()
    for name in ("is_public", "starts_at", "public_description"):
        assert f'name="{name}"' in html
    assert "Show on the public MNVP page" in html
    assert "Families see the title, date, time, place and public description; nothing else." in html
    assert "no names or case details" in html


def test_a_lead_makes_their_activity_a_public_event(client, north, north_lead):
    activity = EngagementActivityFactory(partnership=north)
    client.force_login(north_lead)
    response = edit(
        client, activity, is_public="on", starts_at="10:30", public_description="Buggies welcome."
    )
    assert response.status_code == HTTPStatus.FOUND
    activity.refresh_from_db()
    assert activity.is_public
    assert activity.starts_at == datetime.time(10, 30)
    assert activity.public_description == "Buggies welcome."


def test_a_lead_cannot_publish_another_mnvps_activity(client, south, north_lead):
    activity = EngagementActivityFactory(partnership=south)
    client.force_login(north_lead)
    response = edit(client, activity, is_public="on")
    assert response.status_code == HTTPStatus.NOT_FOUND
    activity.refresh_from_db()
    assert not activity.is_public


@pytest.mark.parametrize("user_fixture", ["no_role_user", "north_commissioner"])
def test_no_role_and_oversight_cannot_publish(client, request, north, user_fixture):
    activity = EngagementActivityFactory(partnership=north)
    client.force_login(request.getfixturevalue(user_fixture))
    response = edit(client, activity, is_public="on")
    if response.status_code != HTTPStatus.NOT_FOUND:
        assert_denied(response)
    activity.refresh_from_db()
    assert not activity.is_public

"""Feedback screens: listing, filters, the item's page with suggestions and tagging, themes, actions.

Host staff reach every MNVP's feedback; a lead their own (another MNVP's: 404); the
ICB commissioner and someone with no role are refused.
"""

from http import HTTPStatus

import pytest
from django.urls import reverse

from workplans.models import FeedbackTheme

from .activity_factories import YouSaidWeDidFactory
from .feedback_factories import FeedbackItemFactory, FeedbackThemeFactory
from .test_activity_views import assert_denied, assert_refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting():
    parent = FeedbackThemeFactory(name="Safety")
    return FeedbackThemeFactory(parent=parent, name="Waiting", keywords="waited\ndelay")


@pytest.fixture
def north_item(north):
    return FeedbackItemFactory(partnership=north, text="We waited hours on the north ward.")


@pytest.fixture
def south_item(south):
    return FeedbackItemFactory(partnership=south, text="South comment.")


def listed(response):
    return {obj.pk for obj in response.context["object_list"]}


@pytest.mark.parametrize(
    ("user_fixture", "sees"), [("host_staff", {"north", "south"}), ("north_lead", {"north"})]
)
def test_listing_shows_only_the_users_mnvps(client, request, north_item, south_item, user_fixture, sees):
    client.force_login(request.getfixturevalue(user_fixture))
    response = client.get(reverse("feedback_items:index"))
    assert response.status_code == HTTPStatus.OK
    expected = {"north": north_item.pk, "south": south_item.pk}
    assert listed(response) == {expected[name] for name in sees}
    assert b"cannot be searched" in response.content


@pytest.mark.parametrize("user_fixture", ["north_commissioner", "no_role_user"])
def test_oversight_and_no_role_are_refused_everywhere(client, request, north_item, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    for url in (
        reverse("feedback_items:index"),
        reverse("feedback_items:inspect", args=[north_item.pk]),
        reverse("feedback_items:edit", args=[north_item.pk]),
        reverse("feedback_items:import"),
        reverse("theme_report:index"),
    ):
        assert_refused(client.get(url))
    response = client.post(reverse("feedback_items:tag", args=[north_item.pk]), {"themes": []})
    assert response.status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND)
    if response.status_code == HTTPStatus.FOUND:
        assert_denied(response)


@pytest.mark.parametrize("view", ["inspect", "edit", "history"])
def test_a_lead_gets_404_for_another_mnvps_item(client, north_lead, south_item, view):
    client.force_login(north_lead)
    assert (
        client.get(reverse(f"feedback_items:{view}", args=[south_item.pk])).status_code
        == HTTPStatus.NOT_FOUND
    )


def test_a_lead_cannot_tag_another_mnvps_item(client, north_lead, south_item, waiting):
    client.force_login(north_lead)
    response = client.post(reverse("feedback_items:tag", args=[south_item.pk]), {"accept": waiting.pk})
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not south_item.themes.exists()


def test_the_item_page_suggests_themes_and_accepts_one_with_a_click(client, north_lead, north_item, waiting):
    client.force_login(north_lead)
    url = reverse("feedback_items:inspect", args=[north_item.pk])
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    assert [t.pk for t in response.context["suggested"]] == [waiting.pk]
    assert "Accept “Safety: Waiting”" in response.content.decode()

    response = client.post(reverse("feedback_items:tag", args=[north_item.pk]), {"accept": waiting.pk})
    assert response.status_code == HTTPStatus.FOUND
    assert list(north_item.themes.all()) == [waiting]
    assert client.get(url).context["suggested"] == []


def test_manual_tagging_replaces_the_themes(client, host_staff, north_item, waiting):
    other = FeedbackThemeFactory(name="Food")
    north_item.themes.set([waiting])
    client.force_login(host_staff)
    client.post(reverse("feedback_items:tag", args=[north_item.pk]), {"themes": [other.pk]})
    assert list(north_item.themes.all()) == [other]


def test_filters_by_theme_including_sub_themes_and_quarter(client, host_staff, north, waiting):
    inside = FeedbackItemFactory(partnership=north, themes=[waiting], received_on="2025-05-10")
    FeedbackItemFactory(partnership=north, themes=[waiting], received_on="2025-08-10")
    FeedbackItemFactory(partnership=north, received_on="2025-05-11")
    client.force_login(host_staff)
    response = client.get(
        reverse("feedback_items:index"),
        {"theme": waiting.parent_id, "quarter": "2025-1", "partnership": north.pk},
    )
    assert listed(response) == {inside.pk}


def test_listing_query_count_does_not_grow_with_rows(
    client, host_staff, north, waiting, django_assert_max_num_queries
):
    for _ in range(3):
        FeedbackItemFactory(partnership=north, themes=[waiting])
    client.force_login(host_staff)
    url = reverse("feedback_items:index")
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(10):
        FeedbackItemFactory(partnership=north, themes=[waiting])
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_a_lead_adds_feedback_for_their_mnvp_only(client, north_lead, north, south, waiting):
    client.force_login(north_lead)
    data = {
        "partnership": south.pk,
        "received_on": "2026-01-05",
        "source": "outreach",
        "service_area": "birth",
        "sentiment": "",
        "text": "Lovely staff.",
        "themes": [waiting.pk],
    }
    response = client.post(reverse("feedback_items:add"), data)
    assert response.status_code == HTTPStatus.OK  # the form refuses another MNVP
    data["partnership"] = north.pk
    response = client.post(reverse("feedback_items:add"), data)
    assert response.status_code == HTTPStatus.FOUND
    item = north.feedback.get()
    assert item.created_by == north_lead
    assert list(item.themes.all()) == [waiting]


def test_themes_are_listed_as_parent_and_child_for_host_staff_only_to_edit(
    client, host_staff, north_lead, waiting
):
    client.force_login(host_staff)
    response = client.get(reverse("feedback_themes:index"))
    assert "Safety: Waiting" in response.content.decode()
    response = client.post(
        reverse("feedback_themes:add"), {"name": "Food", "keywords": "food\nmeals", "active": "on"}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert FeedbackTheme.objects.filter(name="Food").exists()
    client.force_login(north_lead)
    assert client.get(reverse("feedback_themes:index")).status_code == HTTPStatus.OK
    assert_denied(client.get(reverse("feedback_themes:add")))


def test_a_theme_action_is_edited_with_trust_response_and_shows_on_the_public_page(
    client, host_staff, north, waiting
):
    action = YouSaidWeDidFactory(partnership=north)
    client.force_login(host_staff)
    response = client.post(
        reverse("you_said_we_did:edit", args=[action.pk]),
        {
            "partnership": north.pk,
            "feedback_theme": waiting.pk,
            "you_said": action.you_said,
            "we_did": "More staff at night.",
            "trust_response": "Agreed at governance.",
            "owner": "Trust",
            "status": "done",
            "closed_on": "2026-01-10",
            "public": "on",
        },
    )
    assert response.status_code == HTTPStatus.FOUND, response.context["form"].errors
    action.refresh_from_db()
    assert (action.feedback_theme, action.trust_response, str(action.closed_on)) == (
        waiting,
        "Agreed at governance.",
        "2026-01-10",
    )
    from workplans.public import public_actions

    assert public_actions(north) == [action]

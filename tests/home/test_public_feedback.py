"""The public feedback form of an MNVP: what happened, lands as that MNVP's feedback, from nobody named."""

import re
import time
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from cms.antispam import issue_token
from home.models import MNVPPage
from tests.workplans.feedback_factories import FeedbackThemeFactory
from workplans.enums import FeedbackSource
from workplans.models import FeedbackItem

pytestmark = pytest.mark.django_db

URL = "/northshire/feedback/"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def answers(**overrides):
    data = {
        "text": "The midwife on the night shift listened to us. We waited hours for a bed though.",
        "service_area": "birth",
        "sentiment": "mixed",
        "form_started": issue_token(time.time() - 60),
        "website": "",
    }
    data.update(overrides)
    return data


def test_the_form_says_no_names_are_asked_and_has_no_name_field(client, site):
    response = client.get(URL)
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "We do not ask who you are" in html
    for asked in ("text", "service_area", "sentiment"):
        assert f'name="{asked}"' in html
    for never in ("name", "email", "phone", "postcode"):
        assert f'name="{never}"' not in html
    assert 'href="/northshire/feedback/"' in client.get("/northshire/").content.decode()


def test_feedback_lands_as_the_mnvps_item_with_suggested_themes_then_thanks(client, site, north):
    waiting = FeedbackThemeFactory(name="Waiting", keywords="waited\ndelay")
    FeedbackThemeFactory(name="Food", keywords="meals")

    response = client.post(URL, answers())

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/northshire/feedback/thanks/"
    item = FeedbackItem.objects.get()
    assert item.partnership == north
    assert item.source == FeedbackSource.PUBLIC_FORM
    assert (item.service_area, item.sentiment) == ("birth", "mixed")
    assert item.created_by is None
    assert list(item.themes.all()) == [waiting]
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM workplans_feedbackitem WHERE id = %s", [item.pk])
        assert cursor.fetchone()[0].startswith("fernet:")

    thanks = client.get(response["Location"])
    assert thanks.status_code == HTTPStatus.OK
    assert "Thank you for your feedback" in thanks.content.decode()


def test_sentiment_is_optional(client, site):
    assert client.post(URL, answers(sentiment="")).status_code == HTTPStatus.FOUND
    assert FeedbackItem.objects.get().sentiment == ""


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"text": "   "}, "Tell us what happened."),
        ({"service_area": ""}, "Choose which part of your care it is about."),
        ({"service_area": "gardening"}, "Select a valid choice"),
        ({"sentiment": "furious"}, "Select a valid choice"),
        ({"text": "x" * 5001}, "Keep it under 5,000 characters"),
    ],
)
def test_bad_answers_are_explained_and_nothing_is_saved(client, site, overrides, message):
    response = client.post(URL, answers(**overrides))
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert not FeedbackItem.objects.exists()


def test_what_was_typed_is_kept_after_an_error(client, site):
    html = client.post(URL, answers(service_area="")).content.decode()
    assert "The midwife on the night shift listened to us." in html
    assert 'href="#id_service_area_0"' in html


def test_a_filled_honeypot_is_thanked_and_dropped(client, site):
    response = client.post(URL, answers(website="http://spam.example"))
    assert response.status_code == HTTPStatus.FOUND
    assert not FeedbackItem.objects.exists()


@pytest.mark.parametrize("token", ["", "forged", None])
def test_sent_too_fast_or_without_a_token_asks_to_check_and_resend(client, site, token):
    response = client.post(URL, answers(form_started=token if token is not None else issue_token()))
    assert response.status_code == HTTPStatus.OK
    assert "Please check your answers, then send the form again." in response.content.decode()
    assert not FeedbackItem.objects.exists()


def test_one_connection_is_limited_per_hour(client, site):
    for _ in range(MNVPPage.feedback_rate_limit_per_hour):
        assert client.post(URL, answers()).status_code == HTTPStatus.FOUND
    response = client.post(URL, answers())
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "Please try again in an hour" in response.content.decode()
    assert FeedbackItem.objects.count() == MNVPPage.feedback_rate_limit_per_hour


def test_another_connection_is_not_limited(client, site):
    for _ in range(MNVPPage.feedback_rate_limit_per_hour):
        client.post(URL, answers(), REMOTE_ADDR="10.0.0.1")
    assert client.post(URL, answers(), REMOTE_ADDR="10.0.0.2").status_code == HTTPStatus.FOUND


def test_each_mnvp_gets_its_own_feedback(client, site, north, south):
    client.post("/southvale/feedback/", answers(text="Southvale's postnatal ward was calm."))
    assert FeedbackItem.objects.get().partnership == south


@pytest.mark.parametrize(
    ("user_fixture", "sees"), [("north_lead", True), ("south_lead", False), ("host_staff", True)]
)
def test_the_item_reaches_that_mnvps_lead_and_not_another(client, site, request, user_fixture, sees):
    client.post(URL, answers())
    item = FeedbackItem.objects.get()
    client.force_login(request.getfixturevalue(user_fixture))

    listing = client.get(reverse("feedback_items:index"))
    page = client.get(reverse("feedback_items:inspect", args=[item.pk]))

    assert (item in listing.context["object_list"]) is sees
    assert page.status_code == (HTTPStatus.OK if sees else HTTPStatus.NOT_FOUND)
    if sees:
        assert "The midwife on the night shift listened to us." in page.content.decode()


def test_a_fast_send_with_missing_answers_only_says_what_to_fix(client, site):
    html = client.post(URL, answers(text="", form_started=issue_token())).content.decode()
    assert "Tell us what happened." in html
    assert "Please check your answers, then send the form again." not in html


def test_every_field_description_it_points_to_is_on_the_page(client, site):
    html = client.post(URL, answers(text="", service_area="")).content.decode()
    described = {ref for refs in re.findall(r'aria-describedby="([^"]+)"', html) for ref in refs.split()}
    assert {"id_text_helptext", "id_text_error", "id_service_area_error"} <= described
    for ref in described:
        assert f'id="{ref}"' in html

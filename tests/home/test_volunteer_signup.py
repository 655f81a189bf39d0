"""The public volunteer sign-up: validation, spam defences, dedupe, and what the volunteer sees."""

import time
from http import HTTPStatus

import pytest
from django.core import mail
from django.core.cache import cache

from cms.antispam import HONEYPOT_FIELD, TIMESTAMP_FIELD, issue_token
from members.models import Application, EqualityMonitoring, Person, PrivacyConsent

pytestmark = pytest.mark.django_db
URL = "/get-involved/"


@pytest.fixture(autouse=True)
def clear_rate_limits():
    cache.clear()


def form_data(north, **overrides):
    data = {
        "first_name": "Amina",
        "last_name": "Yusuf",
        "email": "amina@example.org",
        "phone": "",
        "postcode": "ns1 2ab",
        "partnerships": [north.pk],
        "involvement": ["listening", "surveys"],
        "availability": ["weekend"],
        "privacy_consent": "on",
        TIMESTAMP_FIELD: issue_token(now=0),  # long ago: a person's pace
        HONEYPOT_FIELD: "",
    }
    data.update(overrides)
    return data


def test_the_page_preselects_the_mnvp_from_the_link(client, site, north):
    response = client.get(URL, {"mnvp": "northshire"})
    assert response.context["form"].initial["partnerships"] == [north.pk]


def test_a_volunteer_signs_up_and_is_thanked(client, site, north, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form_data(north))
    assert response.status_code == HTTPStatus.OK
    assert "Thank you, Amina" in response.content.decode()
    person = Person.objects.get()
    assert (person.email, person.postcode) == ("amina@example.org", "NS1 2AB")
    assert Application.objects.get().partnership == north
    assert PrivacyConsent.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "not-an-email", "Enter a valid email address"),
        ("postcode", "XYZ", "Enter a UK postcode"),
        ("first_name", "", "This field is required"),
        ("partnerships", [], "Choose at least one MNVP"),
        ("privacy_consent", "", "confirm you have read the privacy notice"),
        ("involvement", ["flying"], "Select a valid choice"),
    ],
)
def test_bad_input_gets_a_field_message_keeps_what_was_typed_and_saves_nothing(
    client, site, north, field, value, message
):
    response = client.post(URL, form_data(north, **{field: value}))
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert message in html
    assert "There is a problem" in html
    if field != "first_name":
        assert 'value="Amina"' in html
    assert not Person.objects.exists()
    assert not Application.objects.exists()


def test_the_same_email_again_is_the_same_person(client, site, north, south):
    client.post(URL, form_data(north))
    client.post(URL, form_data(south, email="AMINA@example.org", phone="07700 900123"))
    assert Person.objects.count() == 1
    assert Person.objects.get().phone == "07700 900123"
    assert Application.objects.count() == 2


def test_equality_answers_go_to_their_own_table(client, site, north):
    client.post(URL, form_data(north, ethnicity="white_irish", age_band="25_34", religion="prefer_not"))
    answers = EqualityMonitoring.objects.get()
    assert (answers.ethnicity, answers.age_band, answers.religion) == ("white_irish", "25_34", "prefer_not")


def test_honeypot_filled_looks_like_success_but_saves_nothing(client, site, north):
    response = client.post(URL, form_data(north, **{HONEYPOT_FIELD: "http://spam.example"}))
    assert response.status_code == HTTPStatus.OK
    assert "Thank you" in response.content.decode()
    assert not Person.objects.exists()


@pytest.mark.parametrize("token", ["", "forged", None])
def test_too_fast_or_forged_timing_asks_to_resend_and_saves_nothing(client, site, north, token):
    data = form_data(north, **{TIMESTAMP_FIELD: token if token is not None else issue_token()})
    response = client.post(URL, data)
    assert response.status_code == HTTPStatus.OK
    assert "check your answers, then send the form again" in response.content.decode()
    assert 'value="Amina"' in response.content.decode()
    assert not Person.objects.exists()


def test_too_many_signups_from_one_address_are_refused(client, site, north):
    for n in range(10):
        assert client.post(URL, form_data(north, email=f"p{n}@example.org")).status_code == HTTPStatus.OK
    response = client.post(URL, form_data(north, email="eleventh@example.org"))
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "try again in an hour" in response.content.decode()
    assert not Person.objects.filter(email="eleventh@example.org").exists()
    # Another address is not affected.
    other = client.post(URL, form_data(north, email="other@example.org"), REMOTE_ADDR="192.0.2.9")
    assert other.status_code == HTTPStatus.OK
    assert Person.objects.filter(email="other@example.org").exists()


def test_a_closed_mnvp_cannot_be_chosen(client, site, north, south):
    south.status = "closed"
    south.save()
    response = client.post(URL, form_data(north, partnerships=[south.pk]))
    assert "Select a valid choice" in response.content.decode()
    assert not Person.objects.exists()


@pytest.mark.parametrize(("min_seconds", "started_ago", "thanked"), [(0, 0, True), (60, 30, False)])
def test_the_minimum_fill_time_is_a_setting(client, site, north, settings, min_seconds, started_ago, thanked):
    settings.ANTISPAM_MIN_FILL_SECONDS = min_seconds
    token = issue_token(now=time.time() - started_ago)
    response = client.post(URL, form_data(north, **{TIMESTAMP_FIELD: token}))
    assert ("Thank you, Amina" in response.content.decode()) is thanked
    assert Person.objects.exists() is thanked

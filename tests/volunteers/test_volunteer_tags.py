"""The public navigation: "Your volunteer area" for a signed-in volunteer, "Volunteer sign in" otherwise."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from home.demo import seed_public_site
from volunteers import services

from .test_views import member, sign_in

pytestmark = pytest.mark.django_db
SIGN_IN_LINK = f'<a href="{reverse("volunteers:sign_in")}">Volunteer sign in</a>'
AREA_LINK = f'<a href="{reverse("volunteers:overview")}">Your volunteer area</a>'


@pytest.fixture
def site(north, south):
    return seed_public_site([north, south])


@pytest.fixture
def volunteer(north):
    return member(north, email="val@example.org")


def nav(response):
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('<nav aria-label="Main">') :].split("</nav>", 1)[0]


def test_a_visitor_is_offered_volunteer_sign_in(client, site):
    html = nav(client.get("/"))
    assert SIGN_IN_LINK in html
    assert "Your volunteer area" not in html


def test_a_signed_in_volunteer_is_offered_their_area(client, site, volunteer):
    sign_in(client, volunteer)
    html = nav(client.get("/"))
    assert AREA_LINK in html
    assert "Volunteer sign in" not in html


def test_after_signing_out_the_navigation_offers_sign_in_again(client, site, volunteer):
    sign_in(client, volunteer)
    client.post(reverse("volunteers:sign_out"))
    assert SIGN_IN_LINK in nav(client.get("/"))


def test_an_idle_session_is_not_shown_as_signed_in(client, site, volunteer):
    sign_in(client, volunteer)
    session = client.session
    session[services.SESSION_SEEN] = (timezone.now() - datetime.timedelta(minutes=31)).timestamp()
    session.save()
    assert SIGN_IN_LINK in nav(client.get("/"))


def test_an_admin_login_alone_is_not_a_volunteer_session(client, site, host_staff):
    client.force_login(host_staff)
    assert SIGN_IN_LINK in nav(client.get("/"))


def test_a_visitor_without_a_session_cookie_costs_no_session_query(client, site):
    client.get("/")  # warm the page and site caches
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    assert not [q for q in queries.captured_queries if "django_session" in q["sql"]]

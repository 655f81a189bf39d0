"""Public events, from today on, soonest first, only what families may see.

An MNVP's page lists its own; the home page's "Coming up" the next few of every MNVP.
"""

import datetime
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from home.demo import seed_public_events
from home.models import HomePage, MNVPPage
from tests.workplans.activity_factories import EngagementActivityFactory
from workplans.enums import ActivityStatus
from workplans.public import public_events

pytestmark = pytest.mark.django_db


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def event(partnership, title, on, **kwargs):
    return EngagementActivityFactory(
        partnership=partnership, title=title, held_on=on, is_public=True, **kwargs
    )


def test_only_public_events_from_today_not_cancelled_soonest_first(north, south):
    later = event(north, "Later", days(9))
    afternoon = event(north, "Afternoon", days(2), starts_at=datetime.time(14))
    morning = event(north, "Morning", days(2), starts_at=datetime.time(10))
    today = event(north, "Today", days(0))
    event(north, "Yesterday", days(-1))
    event(north, "Called off", days(3), status=ActivityStatus.CANCELLED)
    EngagementActivityFactory(partnership=north, title="Internal", held_on=days(4), is_public=False)
    event(south, "Southvale's", days(1))

    assert public_events(north) == [today, morning, afternoon, later]
    assert public_events(north, limit=2) == [today, morning]


def test_the_page_shows_title_date_time_place_and_description_only(client, site, north):
    event(
        north,
        "Coffee and chat",
        datetime.date(2099, 3, 4),
        starts_at=datetime.time(10, 30),
        place="Northtown library",
        public_description="Bring the baby; there is space for buggies.",
        summary="Secret summary of what was heard.",
    )
    html = client.get("/northshire/").content.decode()
    assert "Coffee and chat" in html
    assert "Wednesday 4 March 2099, 10:30 a.m." in html
    assert 'datetime="2099-03-04T10:30"' in html
    assert "Northtown library" in html
    assert "there is space for buggies" in html
    assert "Secret summary" not in html


def test_more_than_a_few_events_link_to_the_events_list(client, site, north):
    for number in range(MNVPPage.events_on_page + 2):
        event(north, f"Drop-in {number}", days(number + 1))
    html = client.get("/northshire/").content.decode()
    assert html.count('class="event"') == MNVPPage.events_on_page
    assert 'href="/northshire/events/"' in html

    response = client.get("/northshire/events/")
    assert response.status_code == HTTPStatus.OK
    assert response.content.decode().count('class="event"') == MNVPPage.events_on_page + 2


def test_a_few_events_need_no_list(client, site, north):
    event(north, "Only one", days(5))
    assert 'href="/northshire/events/"' not in client.get("/northshire/").content.decode()


def test_no_events_says_so(client, site, north):
    assert "No events are announced yet." in client.get("/northshire/").content.decode()
    assert "No events are announced yet." in client.get("/northshire/events/").content.decode()


def test_the_page_and_the_list_take_a_fixed_number_of_queries(client, site, north):
    def queries(url):
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == HTTPStatus.OK
        return len(context)

    event(north, "Warm-up", days(1))
    {url: queries(url) for url in ("/northshire/", "/northshire/events/")}  # caches filled once
    few = {url: queries(url) for url in ("/northshire/", "/northshire/events/")}
    for number in range(20):
        event(north, f"More {number}", days(number + 1))
    many = {url: queries(url) for url in ("/northshire/", "/northshire/events/")}
    assert many == few


def test_the_demo_seeds_upcoming_public_events_once(north, south):
    assert seed_public_events([north, south]) == 7
    assert seed_public_events([north, south]) == 0
    assert len(public_events(north)) == 5
    assert len(public_events(south)) == 2


# The home page's "Coming up" ------------------------------------------------------------------


def coming_up_html(client):
    response = client.get("/")
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


def test_the_home_page_shows_the_next_public_events_of_every_mnvp_linked_to_its_events(
    client, site, north, south
):
    event(north, "Coffee and chat", datetime.date(2099, 3, 4), starts_at=datetime.time(10, 30))
    event(south, "Buggy walk", days(1), place="Southvale park")
    EngagementActivityFactory(partnership=north, title="Steering group", held_on=days(2), is_public=False)
    event(north, "Last week drop-in", days(-7))
    event(south, "Called off", days(3), status=ActivityStatus.CANCELLED)

    html = coming_up_html(client)

    assert "Coming up" in html
    assert html.index("Buggy walk") < html.index("Coffee and chat")  # soonest first
    assert "Wednesday 4 March 2099, 10:30 a.m." in html
    assert "Southvale park" in html
    # Each event's own title links to its MNVP's events (not one repeated "events" link text).
    assert '<a href="/northshire/events/">Coffee and chat</a>' in html
    assert '<a href="/southvale/events/">Buggy walk</a>' in html
    assert '<p class="event__mnvp">Southvale MNVP</p>' in html
    for hidden in ("Steering group", "Last week drop-in", "Called off"):
        assert hidden not in html


def test_the_home_page_announces_no_event_of_an_mnvp_without_a_live_page(client, site, north, south):
    MNVPPage.objects.get(partnership=north).unpublish()
    event(north, "Coffee of an unpublished MNVP", days(1))
    event(south, "Buggy walk", days(2))

    html = coming_up_html(client)

    assert "Buggy walk" in html
    assert "Coffee of an unpublished MNVP" not in html


def test_the_home_page_shows_only_the_next_few_events(client, site, north):
    for number in range(HomePage.events_coming_up + 2):
        event(north, f"Drop-in {number}", days(number + 1))
    html = coming_up_html(client)
    assert html.count('class="event"') == HomePage.events_coming_up
    assert f"Drop-in {HomePage.events_coming_up - 1}<" in html
    assert f"Drop-in {HomePage.events_coming_up}<" not in html


def test_the_home_page_has_no_coming_up_without_upcoming_events(client, site, north):
    event(north, "Last week drop-in", days(-7))
    assert "Coming up" not in coming_up_html(client)


def test_the_home_page_takes_the_same_queries_for_many_events(
    client, site, north, south, django_assert_max_num_queries
):
    event(north, "Warm-up", days(1))
    coming_up_html(client)  # caches filled once
    with django_assert_max_num_queries(30) as few:
        coming_up_html(client)
    for number in range(10):
        event(north if number % 2 else south, f"More {number}", days(number + 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        coming_up_html(client)

"""The Themes report: counts per MNVP per financial quarter, small numbers hidden, scoped."""

import datetime
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from workplans.feedback_report import Quarter, last_quarters, theme_report

from .feedback_factories import FeedbackItemFactory, FeedbackThemeFactory
from .test_activity_views import assert_refused

pytestmark = pytest.mark.django_db
Q1 = Quarter(2025, 1)  # April to June 2025
Q2 = Quarter(2025, 2)
QUARTERS = [Q1, Q2, Quarter(2025, 3), Quarter(2025, 4)]


class TestQuarter:
    @pytest.mark.parametrize(
        ("day", "quarter", "label"),
        [
            (datetime.date(2025, 4, 1), Quarter(2025, 1), "2025/26 Q1"),
            (datetime.date(2025, 9, 30), Quarter(2025, 2), "2025/26 Q2"),
            (datetime.date(2025, 12, 31), Quarter(2025, 3), "2025/26 Q3"),
            (datetime.date(2026, 3, 31), Quarter(2025, 4), "2025/26 Q4"),
        ],
    )
    def test_financial_quarters_start_in_april(self, day, quarter, label):
        assert Quarter.of(day) == quarter
        assert quarter.label == label
        assert quarter.start <= day <= quarter.end

    def test_the_last_four_quarters_end_with_the_current_one(self):
        assert last_quarters(4, on=datetime.date(2026, 2, 1)) == QUARTERS


@pytest.fixture
def framework():
    parent = FeedbackThemeFactory(name="Safety")
    return {
        "parent": parent,
        "waiting": FeedbackThemeFactory(parent=parent, name="Waiting"),
        "pain": FeedbackThemeFactory(parent=parent, name="Pain relief"),
        "food": FeedbackThemeFactory(name="Food"),
    }


def items(partnership, day, themes, count):
    for _ in range(count):
        FeedbackItemFactory(partnership=partnership, received_on=day, themes=themes)


def row(report, partnership, theme):
    block = next(b for b in report.partnerships if b.partnership.pk == partnership.pk)
    return next(r for r in block.rows if r.theme.pk == theme.pk)


def counts(theme_row):
    return [cell.count for cell in theme_row.cells]


def test_counts_per_quarter_with_small_numbers_suppressed(host_staff, north, framework):
    may, august, october = (datetime.date(2025, month, 10) for month in (5, 8, 10))
    january = datetime.date(2026, 1, 10)
    items(north, may, [framework["waiting"]], 7)
    items(north, august, [framework["waiting"], framework["pain"]], 6)  # one item, two sub-themes
    items(north, october, [framework["waiting"]], 2)  # under 5: hidden
    items(north, january, [framework["waiting"]], 5)
    report = theme_report(host_staff, quarters=QUARTERS)
    waiting = row(report, north, framework["waiting"])
    # 2 is hidden; secondary suppression hides the next smallest (5) so 2 cannot be worked out.
    assert counts(waiting) == [7, 6, None, None]
    assert waiting.total.count == 20
    assert waiting.cells[2].display_count == "fewer than 5"
    assert waiting.cells[2].url == ""
    # The parent counts each item once however many of its sub-themes it carries.
    assert counts(row(report, north, framework["parent"])) == [7, 6, None, None]
    assert counts(row(report, north, framework["pain"])) == [None, 6, None, None]
    # Nothing under "Food": every cell is under five, and so is its total.
    food = row(report, north, framework["food"])
    assert counts(food) == [None] * 4
    assert food.total.count is None


def test_each_count_links_to_its_items(client, north_lead, north, south, framework):
    items(north, datetime.date(2025, 5, 10), [framework["waiting"]], 5)
    items(south, datetime.date(2025, 5, 10), [framework["waiting"]], 5)
    report = theme_report(north_lead, quarters=QUARTERS)
    assert [b.partnership for b in report.partnerships] == [north]
    url = row(report, north, framework["waiting"]).cells[0].url
    assert f"theme={framework['waiting'].pk}" in url
    assert f"partnership={north.pk}" in url
    assert "quarter=2025-1" in url
    client.force_login(north_lead)
    listing = client.get(url)
    assert len(listing.context["object_list"]) == 5
    assert {item.partnership_id for item in listing.context["object_list"]} == {north.pk}
    # The same link with another MNVP's id shows none of its items.
    other = client.get(url.replace(f"partnership={north.pk}", f"partnership={south.pk}"))
    assert not any(item.partnership_id == south.pk for item in other.context["object_list"])


def test_a_lead_sees_only_their_mnvp_and_another_is_refused(client, north_lead, north, south, framework):
    items(south, datetime.date(2025, 5, 10), [framework["waiting"]], 6)
    client.force_login(north_lead)
    response = client.get(reverse("theme_report:index"), {"year": "2025"})
    assert response.status_code == HTTPStatus.OK
    assert "Southvale" not in response.content.decode()
    response = client.get(reverse("theme_report:index"), {"partnership": south.pk})
    assert response.context["report"] is None


@pytest.mark.parametrize("user_fixture", ["north_commissioner", "no_role_user"])
def test_oversight_and_no_role_are_refused(client, request, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    assert_refused(client.get(reverse("theme_report:index")))


def test_the_page_shows_trend_bars_without_inline_styles(client, host_staff, north, framework):
    items(north, datetime.date(2025, 5, 10), [framework["waiting"]], 8)
    client.force_login(host_staff)
    page = client.get(reverse("theme_report:index"), {"year": "2025"}).content.decode()
    assert "Main themes over time" in page
    assert "mnvp-bar--100" in page
    assert "style=" not in page.split('id="listing-results"')[-1]
    assert "<script" not in page.split('id="listing-results"')[-1]


def test_a_fixed_number_of_queries(host_staff, north, south, framework):
    items(north, datetime.date(2025, 5, 10), [framework["waiting"]], 5)
    theme_report(host_staff, quarters=QUARTERS)  # the user's scope is cached for the request after this
    with CaptureQueriesContext(connection) as few:
        theme_report(host_staff, quarters=QUARTERS)
    for partnership in (north, south):
        for month in (5, 8, 11):
            items(partnership, datetime.date(2025, month, 3), [framework["pain"], framework["food"]], 6)
    with CaptureQueriesContext(connection) as many:
        theme_report(host_staff, quarters=QUARTERS)
    assert len(many) == len(few) <= 6

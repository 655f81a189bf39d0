"""Deep pages of the admin listings, read by primary key first (cms.pagination).

A page must hold the rows the plain queryset slice holds, in the same order, for every
ordering a listing offers (a related field's, an annotation's, a search's), and cost
the same number of queries as the first page.
"""

import datetime
from http import HTTPStatus

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cms.pagination import DeferredJoinPaginator, with_unique_ordering
from members.models import Application, Person, TrainingRecord
from tests.factories import ApplicationFactory, CourseFactory, PersonFactory, TrainingRecordFactory

PER_PAGE = 20  # Wagtail's list_per_page
DEEP = 3


@pytest.fixture
def records(north):
    """70 records over 7 people and 2 courses, on 3 dates: orderings full of ties."""
    courses = [CourseFactory(name="Safeguarding"), CourseFactory(name="Breastfeeding support")]
    people = [
        PersonFactory(last_name=name) for name in ("Ash", "Birch", "Cedar", "Ash", "Elm", "Fir", "Birch")
    ]
    day = datetime.date(2026, 3, 1)
    for n in range(70):
        TrainingRecordFactory(
            person=people[n % 7], course=courses[n % 2], completed_on=day + datetime.timedelta(days=n % 3)
        )
    for person in people:
        ApplicationFactory(person=person, partnership=north)
    return TrainingRecord.objects.all()


def listing(client, name, **params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(f"{name}:index"), params)
    assert response.status_code == HTTPStatus.OK
    return response, len(captured.captured_queries)


def pks(rows):
    return [row.pk for row in rows]


@pytest.mark.django_db
class TestListingPages:
    @pytest.mark.parametrize(
        "params",
        [
            {},  # the viewset's ordering, -completed_on: ties on every date
            {"ordering": "completed_on"},
            {"ordering": "person"},  # a related field: the person's name, then their pk
            {"ordering": "-course"},
            {"q": "Birch"},  # a search through the person
            {"q": "safeguarding", "ordering": "-person"},
        ],
    )
    def test_a_deep_page_shows_the_rows_of_the_plain_slice_in_its_order(
        self, client, host_staff, records, params
    ):
        client.force_login(host_staff)
        response, _queries = listing(client, "training_records", p=DEEP, **params)
        page = response.context["page_obj"]
        shown = pks(page.object_list)

        plain = with_unique_ordering(response.context["view"].get_queryset())
        bottom = (page.number - 1) * PER_PAGE
        assert shown == pks(plain[bottom : bottom + PER_PAGE])
        assert shown
        assert len(shown) == len(set(shown))
        # Every row arrives whole: person and course came with it, not one query each.
        with CaptureQueriesContext(connection) as captured:
            [(row.person.last_name, row.course.name) for row in page.object_list]
        assert not captured.captured_queries

    def test_every_row_shows_on_exactly_one_page(self, client, host_staff, records):
        client.force_login(host_staff)
        seen = []
        for number in range(1, 5):
            response, _queries = listing(client, "training_records", p=number)
            seen += pks(response.context["page_obj"].object_list)
        assert sorted(seen) == sorted(records.values_list("pk", flat=True))

    @pytest.mark.parametrize("name", ["training_records", "applications", "people"])
    def test_a_deep_page_costs_the_queries_of_the_first(self, client, host_staff, records, name):
        client.force_login(host_staff)
        listing(client, name)  # warm the per-process caches (settings, content types)
        _response, first = listing(client, name)
        _response, deep = listing(client, name, p=2)
        assert deep == first


@pytest.mark.django_db
class TestDeferredJoinPaginator:
    def test_an_annotation_that_orders_the_listing_orders_the_page(self, records):
        people = Person.objects.annotate(records_held=Count("training_records")).order_by("-records_held")
        paginator = DeferredJoinPaginator(people, 3)
        page = paginator.page(2)
        assert pks(page.object_list) == pks(with_unique_ordering(people)[3:6])
        assert [person.records_held for person in page.object_list] == [10, 10, 10]

    def test_a_listing_annotation_arrives_on_its_rows(self, records):
        applications = Application.objects.with_overdue_flag(0).order_by("overdue", "person__last_name")
        page = DeferredJoinPaginator(applications, 2).page(2)
        assert pks(page.object_list) == pks(with_unique_ordering(applications)[2:4])
        assert all(hasattr(application, "overdue") for application in page.object_list)

    def test_the_ordering_ends_with_the_primary_key_in_the_direction_of_its_last_field(self, records):
        assert with_unique_ordering(records.order_by("-completed_on")).query.order_by == (
            "-completed_on",
            "-pk",
        )
        assert with_unique_ordering(records.order_by("course__name")).query.order_by == ("course__name", "pk")
        already = records.order_by("completed_on", "-pk")
        assert with_unique_ordering(already).query.order_by == ("completed_on", "-pk")
        assert with_unique_ordering(Person.objects.all()).query.order_by == ()  # Meta ordering ends with pk

    def test_anything_but_a_model_queryset_is_sliced_as_usual(self, records):
        rows = list(records.order_by("pk"))
        assert pks(DeferredJoinPaginator(rows, 20).page(2).object_list) == pks(rows[20:40])
        values = records.order_by("pk").values("pk")
        assert list(DeferredJoinPaginator(values, 20).page(2).object_list) == list(values[20:40])

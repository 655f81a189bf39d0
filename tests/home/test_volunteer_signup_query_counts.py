"""The public sign-up's cost in queries: fixed, and no more per chosen MNVP than the rows it writes.

Counted after one warm-up request, as a running server would be (content types and Wagtail's
site paths already cached). The figures are what the page needs today; a change that adds a
query to every sign-up should have to raise them here, on purpose.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import ReferenceIndex

from members.models import Application, ApplicationStageChange, PrivacyConsent

from .test_volunteer_signup import URL, form_data

pytestmark = pytest.mark.django_db

GET_QUERIES = 14
POST_QUERIES = 23  # new person, one MNVP
PER_EXTRA_MNVP = 3  # the application, and Wagtail's reference index read and written for it


@pytest.fixture
def warm(client, site, north):
    """One sign-up and one view first, so per-process caches are filled as on a running server."""
    cache.clear()  # the per-IP rate limit from earlier tests; each test here posts at most four times
    client.get(URL)
    client.post(URL, form_data(north, email="warm-up@example.org"))


def post(client, data):
    with CaptureQueriesContext(connection) as queries:
        response = client.post(URL, data)
    assert b"Thank you" in response.content
    return len(queries)


def test_the_sign_up_page_is_shown_in_a_fixed_number_of_queries(client, warm, django_assert_max_num_queries):
    with django_assert_max_num_queries(GET_QUERIES):
        client.get(URL)
    with django_assert_max_num_queries(GET_QUERIES + 1):  # the MNVP named in the link, looked up
        client.get(URL, {"mnvp": "northshire"})


def test_a_new_volunteers_sign_up_is_saved_in_a_fixed_number_of_queries(
    client, warm, north, django_assert_max_num_queries
):
    with django_assert_max_num_queries(POST_QUERIES):
        client.post(URL, form_data(north, email="new@example.org"))
    assert Application.objects.filter(person__email="new@example.org").count() == 1


def test_each_further_mnvp_costs_only_the_rows_written_for_it(client, warm, north, south):
    one = post(client, form_data(north, email="one@example.org"))
    two = post(client, form_data(north, email="two@example.org", partnerships=[north.pk, south.pk]))
    assert two - one <= PER_EXTRA_MNVP


def test_signing_up_again_refreshes_the_open_application_in_no_more_queries_than_a_new_one(
    client, warm, north, south, django_assert_max_num_queries
):
    client.post(URL, form_data(north, email="again@example.org"))
    with django_assert_max_num_queries(POST_QUERIES + PER_EXTRA_MNVP):
        client.post(
            URL, form_data(north, email="again@example.org", partnerships=[north.pk, south.pk], message="Hi")
        )
    applications = Application.objects.filter(person__email="again@example.org").order_by("pk")
    assert [(a.partnership, a.message) for a in applications] == [(north, "Hi"), (south, "Hi")]
    assert list(
        ApplicationStageChange.objects.filter(application__in=applications)
        .order_by("pk")
        .values_list("application__partnership__slug", "note")
    ) == [
        ("northshire", "Signed up"),
        ("northshire", "Signed up again through the website; answers updated."),
        ("southvale", "Signed up"),
    ]
    assert PrivacyConsent.objects.filter(person__email="again@example.org").count() == 2


def test_a_new_application_is_still_in_wagtails_reference_index(client, warm, north):
    """The sign-up writes the index itself (rather than Wagtail's save signal re-reading the row):
    an MNVP's "used by" count in the admin still includes the applications to it."""
    client.post(URL, form_data(north, email="indexed@example.org"))
    application = Application.objects.get(person__email="indexed@example.org")
    referrers = ReferenceIndex.get_references_to(north).values_list("object_id", flat=True)
    assert str(application.pk) in list(referrers)

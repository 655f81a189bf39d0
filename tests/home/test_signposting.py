"""The public signposting directory: filters, what it shows, and its accessible structure."""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from home.demo import seed_public_site
from safeguarding.enums import SupportArea, SupportTopic
from safeguarding.models import SupportOrganisation
from tests.home.test_pages import text
from tests.safeguarding.directory_factories import SupportOrganisationFactory

pytestmark = pytest.mark.django_db

URL = "/find-support/"


@pytest.fixture
def directory(site, north, south):
    SupportOrganisation.objects.all().delete()
    return {
        "loss": SupportOrganisationFactory(
            name="Loss Line", helps_with=[SupportTopic.BEREAVEMENT], phone="0808 000 0000"
        ),
        "feeding": SupportOrganisationFactory(
            name="Feeding Friends", helps_with=[SupportTopic.INFANT_FEEDING], email="hi@feeding.example.org"
        ),
        "north_local": SupportOrganisationFactory(
            name="Northtown Baby Bank",
            helps_with=[SupportTopic.MONEY],
            area=SupportArea.LOCAL,
            area_name="Northtown",
            partnerships=[north],
        ),
        "south_local": SupportOrganisationFactory(
            name="Southvale Dads",
            helps_with=[SupportTopic.FATHERS, SupportTopic.MENTAL_HEALTH],
            area=SupportArea.LOCAL,
            partnerships=[south],
        ),
        "closed": SupportOrganisationFactory(
            name="Closed Charity", helps_with=[SupportTopic.BEREAVEMENT], active=False
        ),
    }


def names(html):
    return set(re.findall(r'<li class="card organisation">\s*<h3>(?:<a [^>]*>)?([^<]+)<', html))


def test_every_active_organisation_is_listed_and_inactive_ones_hidden(client, directory):
    shown = names(text(client.get(URL)))
    assert shown == {"Loss Line", "Feeding Friends", "Northtown Baby Bank", "Southvale Dads"}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"topic": SupportTopic.BEREAVEMENT}, {"Loss Line"}),
        ({"topic": SupportTopic.MENTAL_HEALTH}, {"Southvale Dads"}),
        ({"area": SupportArea.LOCAL}, {"Northtown Baby Bank", "Southvale Dads"}),
        ({"mnvp": "northshire"}, {"Loss Line", "Feeding Friends", "Northtown Baby Bank"}),
        ({"mnvp": "southvale", "area": SupportArea.LOCAL}, {"Southvale Dads"}),
        ({"topic": SupportTopic.MONEY, "mnvp": "southvale"}, set()),
    ],
)
def test_filters_by_topic_area_and_mnvp(client, directory, params, expected):
    html = text(client.get(URL, params))
    assert names(html) == expected
    if not expected:
        assert "No organisations found" in html


def test_an_unknown_filter_value_shows_everything_with_a_message(client, directory):
    html = text(client.get(URL, {"topic": "<script>"}))
    assert "We could not use one of your choices" in html
    assert "<script>" not in html
    assert len(names(html)) == 4


def test_contact_details_are_links(client, directory):
    html = text(client.get(URL))
    assert 'href="tel:08080000000"' in html
    assert 'href="mailto:hi@feeding.example.org"' in html
    assert 'href="https://loss-line.example.org"' in html
    assert "Baby loss and bereavement" in html  # what they help with, in words
    assert "Local: Northtown" in html


def test_filter_form_is_labelled_and_needs_no_javascript(client, directory):
    html = text(client.get(URL))
    form = re.search(r'<form method="get"[^>]*role="search".*?</form>', html, re.S).group(0)
    for name in ("topic", "area", "mnvp"):
        assert f'<label for="id_{name}">' in form
        assert f'name="{name}"' in form
    assert '<button type="submit"' in form
    assert 'aria-describedby="id_mnvp_helptext"' in form
    assert 'id="id_mnvp_helptext"' in form
    assert "<script" not in html
    assert " style=" not in html
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    assert '<h2 id="filters-heading">' in html
    assert re.search(r'<h2 id="results-heading">\s*4 organisations', html)
    assert html.count("<h3>") == 4


def test_the_demo_page_is_in_the_menu_and_seeding_again_adds_nothing(client, site, north, south):
    html = text(client.get("/"))
    assert f'href="{URL}"' in html
    before = SupportOrganisation.objects.count()
    assert before >= 10
    seed_public_site([north, south])
    assert SupportOrganisation.objects.count() == before
    demo_local = SupportOrganisation.objects.filter(name__startswith="Demo:")
    assert demo_local.count() == 2
    assert set(names(text(client.get(URL)))) >= {"Sands", "Samaritans", "Demo: Northshire Baby Bank"}


@pytest.mark.parametrize(
    ("fixture", "may_view", "may_add"),
    [
        ("host_staff", True, True),
        ("dsl", True, True),
        ("north_lead", True, False),
        ("north_commissioner", False, False),
        ("no_role_user", False, False),
    ],
)
def test_who_keeps_the_directory_in_the_admin(client, request, directory, fixture, may_view, may_add):
    from tests.members.test_partnership_views import assert_denied

    client.force_login(request.getfixturevalue(fixture))
    listing = client.get(reverse("support_organisations:index"))
    if may_view:
        assert listing.status_code == HTTPStatus.OK
    else:
        assert_denied(listing)
    adding = client.get(reverse("support_organisations:add"))
    if may_add:
        assert adding.status_code == HTTPStatus.OK
    else:
        assert_denied(adding)


def test_admin_listing_filters_and_search(client, host_staff, directory, django_assert_max_num_queries):
    client.force_login(host_staff)
    url = reverse("support_organisations:index")

    def listed(params):
        return {o.name for o in client.get(url, params).context["object_list"]}

    assert listed({"helps_with": SupportTopic.BEREAVEMENT}) == {"Loss Line", "Closed Charity"}
    assert listed({"active": "false"}) == {"Closed Charity"}
    assert listed({"area": SupportArea.LOCAL}) == {"Northtown Baby Bank", "Southvale Dads"}
    assert listed({"q": "feeding"}) == {"Feeding Friends"}
    with django_assert_max_num_queries(20):
        client.get(url)

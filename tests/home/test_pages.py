"""The public pages families read: findable, accessible, honest."""

import re
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError

from home.demo import seed_public_site
from home.models import MNVPPage
from tests.factories import ServedUnitFactory

pytestmark = pytest.mark.django_db


def text(response):
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


def test_home_page_lists_live_mnvp_pages_only(client, site, north):
    page = MNVPPage.objects.get(partnership=north)
    page.unpublish()
    html = text(client.get("/"))
    assert "Southvale MNVP" in html
    assert 'href="/northshire/"' not in html
    assert 'href="/get-involved/"' in html


def test_mnvp_page_shows_units_contact_events_and_volunteer_link(client, site, north):
    ServedUnitFactory(
        partnership=north, unit_name="Northtown Birth Centre", trust_name="Northshire NHS Trust"
    )
    html = text(client.get("/northshire/"))
    assert "Northtown Birth Centre, Northshire NHS Trust" in html
    assert f'href="mailto:{north.contact_email}"' in html
    assert "No events are announced yet" in html
    assert 'href="/get-involved/?mnvp=northshire"' in html


def test_a_second_page_for_the_same_mnvp_is_refused_clearly(site, north):
    duplicate = MNVPPage(title="Again", slug="again", partnership=north, summary="x", about="<p>x</p>")
    with pytest.raises(ValidationError, match="already has a public page"):
        duplicate.full_clean()


def test_seeding_twice_creates_nothing_new(site, north, south):
    from wagtail.models import Page

    before = Page.objects.count()
    seed_public_site([north, south])
    assert Page.objects.count() == before


@pytest.mark.parametrize("url", ["/", "/northshire/", "/about-us/", "/get-involved/", "/find-support/"])
def test_every_page_is_accessible_in_its_structure(client, site, url):
    html = text(client.get(url))
    assert '<html lang="en-GB">' in html
    assert 'href="#main"' in html
    assert 'id="main"' in html
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    assert 'name="viewport"' in html
    assert " style=" not in html, "inline styles would break the Content Security Policy"
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>\s*\S", html), "no inline scripts"


def test_unknown_address_gets_a_friendly_404(client, site):
    response = client.get("/no-such-page/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "Page not found" in response.content.decode()

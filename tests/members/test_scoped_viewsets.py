"""Every MNVP-owned record's admin screens, for every role: the scoping matrix.

Each row of SCREENS is one viewset and a factory that makes a record in a given
MNVP. A lead of Northshire must find Northshire's record and get 404 for
Southvale's on every object view, and never see it in a listing, search or export.
"""

from http import HTTPStatus

import pytest
from django.urls import reverse

from members.enums import ApplicationStage
from tests.factories import ApplicationFactory, MembershipFactory, PersonFactory
from tests.members.test_partnership_views import assert_refused


def person_in(partnership):
    person = PersonFactory(last_name=f"Of{partnership.slug.title()}")
    ApplicationFactory(person=person, partnership=partnership)
    return person


def application_in(partnership):
    return ApplicationFactory(
        partnership=partnership, person=PersonFactory(last_name=f"Of{partnership.slug.title()}")
    )


def membership_in(partnership):
    return MembershipFactory(
        partnership=partnership, person=PersonFactory(last_name=f"Of{partnership.slug.title()}")
    )


SCREENS = {
    "people": person_in,
    "applications": application_in,
    "memberships": membership_in,
}
OBJECT_VIEWS = ["edit", "inspect", "history", "delete", "usage"]

pytestmark = pytest.mark.django_db


def listed(client, namespace, **params):
    response = client.get(reverse(f"{namespace}:index"), params)
    assert response.status_code == HTTPStatus.OK
    return response


def export_text(client, namespace):
    response = client.get(reverse(f"{namespace}:index"), {"export": "csv"})
    assert response.status_code == HTTPStatus.OK
    return b"".join(response.streaming_content).decode()


@pytest.mark.parametrize("namespace", SCREENS)
@pytest.mark.parametrize("view", OBJECT_VIEWS)
def test_lead_is_refused_another_mnvps_record_as_if_it_did_not_exist(
    client, north, south, north_lead, namespace, view
):
    other = SCREENS[namespace](south)
    client.force_login(north_lead)
    real = client.get(reverse(f"{namespace}:{view}", args=[other.pk]))
    missing = client.get(reverse(f"{namespace}:{view}", args=[other.pk + 10_000]))
    assert_refused(real)
    assert (real.status_code, real.get("Location")) == (missing.status_code, missing.get("Location"))


@pytest.mark.parametrize("namespace", SCREENS)
def test_lead_gets_404_inspecting_another_mnvps_record(client, north, south, north_lead, namespace):
    other = SCREENS[namespace](south)
    client.force_login(north_lead)
    assert client.get(reverse(f"{namespace}:inspect", args=[other.pk])).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("namespace", SCREENS)
def test_lead_listing_search_and_export_hold_only_their_mnvp(client, north, south, north_lead, namespace):
    SCREENS[namespace](north)
    SCREENS[namespace](south)
    client.force_login(north_lead)
    page = listed(client, namespace).content.decode()
    assert "OfNorthshire" in page
    assert "OfSouthvale" not in page
    assert list(listed(client, namespace, q="OfSouthvale").context["object_list"]) == []
    exported = export_text(client, namespace)
    assert "OfNorthshire" in exported
    assert "OfSouthvale" not in exported


@pytest.mark.parametrize("namespace", SCREENS)
def test_lead_inspects_their_own_mnvps_record(client, north, north_lead, namespace):
    own = SCREENS[namespace](north)
    client.force_login(north_lead)
    assert client.get(reverse(f"{namespace}:inspect", args=[own.pk])).status_code == HTTPStatus.OK


@pytest.mark.parametrize("namespace", SCREENS)
def test_host_staff_see_every_mnvps_records(client, north, south, host_staff, namespace):
    SCREENS[namespace](north)
    SCREENS[namespace](south)
    client.force_login(host_staff)
    page = listed(client, namespace).content.decode()
    assert "OfNorthshire" in page
    assert "OfSouthvale" in page


@pytest.mark.parametrize("namespace", SCREENS)
@pytest.mark.parametrize("fixture", ["north_commissioner", "dsl", "case_handler"])
def test_roles_without_personal_data_rights_reach_nothing(client, request, north, namespace, fixture):
    record = SCREENS[namespace](north)
    client.force_login(request.getfixturevalue(fixture))
    assert_refused(client.get(reverse(f"{namespace}:index")))
    for view in OBJECT_VIEWS:
        assert_refused(client.get(reverse(f"{namespace}:{view}", args=[record.pk])))


def test_a_person_in_both_mnvps_is_visible_to_both_leads(client, north, south, north_lead, south_lead):
    person = person_in(north)
    ApplicationFactory(person=person, partnership=south, stage=ApplicationStage.CONTACTED)
    for lead in (north_lead, south_lead):
        client.force_login(lead)
        assert client.get(reverse("people:inspect", args=[person.pk])).status_code == HTTPStatus.OK


def test_a_person_page_shows_a_lead_only_their_mnvps_memberships_and_applications(
    client, north, south, north_lead, host_staff
):
    person = person_in(north)
    MembershipFactory(person=person, partnership=south)
    ApplicationFactory(person=person, partnership=south, stage=ApplicationStage.CONTACTED)
    client.force_login(north_lead)
    page = client.get(reverse("people:inspect", args=[person.pk])).content.decode()
    assert "Northshire MNVP" in page
    assert "Southvale MNVP" not in page
    client.force_login(host_staff)
    page = client.get(reverse("people:inspect", args=[person.pk])).content.decode()
    assert "Southvale MNVP" in page


def test_lead_cannot_edit_people(client, north, north_lead):
    person = person_in(north)
    client.force_login(north_lead)
    assert_refused(client.get(reverse("people:edit", args=[person.pk])))


@pytest.mark.parametrize("namespace", SCREENS)
def test_listing_queries_do_not_grow_with_rows(
    client, north, host_staff, namespace, django_assert_max_num_queries
):
    client.force_login(host_staff)
    for _ in range(3):
        SCREENS[namespace](north)
    with django_assert_max_num_queries(60) as baseline:
        listed(client, namespace)
    for _ in range(25):
        SCREENS[namespace](north)
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        listed(client, namespace)

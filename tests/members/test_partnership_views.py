"""Who can reach which MNVP through the admin: every view, every role.

A lead of one MNVP gets 404 for the other MNVP's record on every object view and
never sees it in a listing or export.
"""

from http import HTTPStatus

import pytest
from django.urls import reverse

from members.models import Partnership

pytestmark = pytest.mark.django_db

OBJECT_VIEWS = ["edit", "inspect", "history", "delete", "usage"]


def url(name, obj=None):
    return reverse(f"partnerships:{name}", args=[obj.pk] if obj else [])


def assert_refused(response):
    """Refused outright (404) or by Wagtail's permission redirect."""
    if response.status_code != HTTPStatus.NOT_FOUND:
        assert_denied(response)


def assert_denied(response):
    """Wagtail answers a denial with a redirect: to the dashboard with a message, or to log in."""
    assert response.status_code == HTTPStatus.FOUND
    location = response["Location"]
    assert location == reverse("wagtailadmin_home") or location.startswith(reverse("wagtailadmin_login"))


def rows(response):
    return {str(obj) for obj in response.context["object_list"]}


@pytest.mark.parametrize("view", OBJECT_VIEWS)
def test_lead_gets_404_on_every_view_of_another_mnvp(client, north, south, north_lead, view):
    client.force_login(north_lead)
    assert client.get(url(view, south)).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("view", ["edit", "inspect", "history", "usage"])
def test_lead_reaches_their_own_mnvp(client, north, north_lead, view):
    client.force_login(north_lead)
    assert client.get(url(view, north)).status_code == HTTPStatus.OK


def test_lead_may_not_delete_their_own_mnvp(client, north, north_lead):
    client.force_login(north_lead)
    assert_denied(client.get(url("delete", north)))
    assert_denied(client.post(url("delete", north)))
    assert Partnership.objects.filter(pk=north.pk).exists()


def test_lead_cannot_post_an_edit_to_another_mnvp(client, north, south, north_lead):
    client.force_login(north_lead)
    response = client.post(url("edit", south), {"footprint": "hijacked"})
    assert response.status_code == HTTPStatus.NOT_FOUND
    south.refresh_from_db()
    assert south.footprint != "hijacked"


def test_lead_cannot_add_an_mnvp(client, north_lead):
    client.force_login(north_lead)
    assert_denied(client.get(url("add")))


def test_lead_listing_holds_only_their_own_mnvp(client, north, south, north_lead):
    client.force_login(north_lead)
    response = client.get(url("index"))
    assert response.status_code == HTTPStatus.OK
    assert rows(response) == {"Northshire MNVP"}
    assert b"Southvale MNVP" not in response.content


def test_lead_search_does_not_find_another_mnvp(client, north, south, north_lead, host_staff):
    client.force_login(host_staff)
    assert rows(client.get(url("index"), {"q": "Southvale MNVP"})) == {"Southvale MNVP"}
    client.force_login(north_lead)
    assert rows(client.get(url("index"), {"q": "Southvale MNVP"})) == set()


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_lead_export_holds_only_their_own_mnvp(client, north, south, north_lead, export_format):
    client.force_login(north_lead)
    response = client.get(url("index"), {"export": export_format})
    assert response.status_code == HTTPStatus.OK
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if export_format == "csv":
        assert b"Northshire MNVP" in body
        assert b"Southvale MNVP" not in body
    else:
        from io import BytesIO

        from openpyxl import load_workbook

        values = {c.value for row in load_workbook(BytesIO(body)).active.iter_rows() for c in row}
        assert "Northshire MNVP" in values
        assert "Southvale MNVP" not in values


def test_lead_edit_changes_their_mnvp_but_not_host_only_fields(client, north, north_lead):
    client.force_login(north_lead)
    response = client.post(
        url("edit", north),
        {
            "name": "Renamed by lead",
            "status": "closed",
            "footprint": "Northshire towns and villages",
            "contact_email": "team@northshire.example.org",
            "served_units-TOTAL_FORMS": "0",
            "served_units-INITIAL_FORMS": "0",
            "served_units-MIN_NUM_FORMS": "0",
            "served_units-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == HTTPStatus.FOUND, response.content[:2000]
    north.refresh_from_db()
    assert north.footprint == "Northshire towns and villages"
    assert north.name == "Northshire MNVP"
    assert north.status == "active"


def test_commissioner_sees_commissioned_mnvp_read_only(client, north, south, north_commissioner):
    client.force_login(north_commissioner)
    assert rows(client.get(url("index"))) == {"Northshire MNVP"}
    assert client.get(url("inspect", north)).status_code == HTTPStatus.OK
    assert_denied(client.get(url("edit", north)))
    assert client.get(url("inspect", south)).status_code == HTTPStatus.NOT_FOUND
    assert client.get(url("history", south)).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("view", OBJECT_VIEWS)
@pytest.mark.parametrize("fixture", ["north_lead", "north_commissioner", "case_handler"])
def test_refusals_do_not_reveal_whether_another_mnvp_exists(client, request, south, fixture, view):
    """Asking for another MNVP's record answers exactly as asking for one that does not exist."""
    client.force_login(request.getfixturevalue(fixture))
    real = client.get(url(view, south))
    missing = client.get(reverse(f"partnerships:{view}", args=[south.pk + 1000]))
    assert real.status_code != HTTPStatus.OK
    assert (real.status_code, real.get("Location")) == (missing.status_code, missing.get("Location"))


def test_host_staff_manage_every_mnvp(client, north, south, host_staff):
    client.force_login(host_staff)
    assert rows(client.get(url("index"))) == {"Northshire MNVP", "Southvale MNVP"}
    for view in OBJECT_VIEWS:
        assert client.get(url(view, south)).status_code == HTTPStatus.OK, view
    response = client.post(
        url("add"),
        {
            "name": "Eastmere MNVP",
            "slug": "eastmere",
            "status": "forming",
            "icb_name": "Eastmere ICB",
            "icb_code": "QEM",
            "lmns_name": "Eastmere LMNS",
            "footprint": "",
            "contact_email": "",
            "served_units-TOTAL_FORMS": "1",
            "served_units-INITIAL_FORMS": "0",
            "served_units-MIN_NUM_FORMS": "0",
            "served_units-MAX_NUM_FORMS": "1000",
            "served_units-0-trust_name": "Eastmere NHS Trust",
            "served_units-0-unit_name": "Eastmere Birth Centre",
            "served_units-0-unit_type": "freestanding_mlu",
            "served_units-0-ORDER": "1",
        },
    )
    assert response.status_code == HTTPStatus.FOUND, response.content[:3000]
    created = Partnership.objects.get(slug="eastmere")
    assert [str(u) for u in created.served_units.all()] == ["Eastmere Birth Centre (Eastmere NHS Trust)"]


def test_duplicate_name_gets_a_clear_message(client, north, host_staff):
    client.force_login(host_staff)
    response = client.post(
        url("add"),
        {
            "name": "northshire mnvp",
            "slug": "northshire-2",
            "status": "active",
            "icb_name": "X ICB",
            "lmns_name": "X LMNS",
            "served_units-TOTAL_FORMS": "0",
            "served_units-INITIAL_FORMS": "0",
            "served_units-MIN_NUM_FORMS": "0",
            "served_units-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == HTTPStatus.OK
    assert "already exists" in response.content.decode()
    assert Partnership.objects.count() == 1


@pytest.mark.parametrize("fixture", ["dsl", "case_handler", "no_role_user"])
def test_roles_without_mnvp_rights_cannot_edit(client, request, north, fixture):
    client.force_login(request.getfixturevalue(fixture))
    assert_refused(client.get(url("edit", north)))
    assert_refused(client.post(url("delete", north)))
    assert Partnership.objects.filter(pk=north.pk).exists()


def test_anonymous_is_sent_to_login(client, north):
    response = client.get(url("index"))
    assert response.status_code == HTTPStatus.FOUND
    assert reverse("wagtailadmin_login") in response["Location"]


def test_listing_query_count_does_not_grow_with_rows(client, host_staff, django_assert_max_num_queries):
    from tests.factories import PartnershipFactory

    client.force_login(host_staff)
    PartnershipFactory.create_batch(3)
    with django_assert_max_num_queries(40) as few:
        client.get(url("index"))
    PartnershipFactory.create_batch(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url("index"))

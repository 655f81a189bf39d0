"""Wagtail's site-wide history lists every MNVP's changes, so only host staff may open it."""

from http import HTTPStatus

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

SITE_HISTORY = "wagtailadmin_reports:site_history"


@pytest.mark.parametrize("fixture", ["north_lead", "north_commissioner", "dsl", "case_handler"])
def test_roles_below_host_cannot_open_site_history(client, request, fixture):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(reverse(SITE_HISTORY)).status_code == HTTPStatus.NOT_FOUND
    assert (
        client.get(reverse("wagtailadmin_reports:site_history_results")).status_code == HTTPStatus.NOT_FOUND
    )
    assert reverse(SITE_HISTORY) not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_host_staff_open_site_history_and_see_changes(client, host_staff, north):
    client.force_login(host_staff)
    client.post(
        reverse("partnerships:edit", args=[north.pk]),
        {
            "name": north.name,
            "slug": north.slug,
            "status": north.status,
            "icb_name": north.icb_name,
            "icb_code": north.icb_code,
            "lmns_name": north.lmns_name,
            "footprint": "Changed for the audit trail",
            "served_units-TOTAL_FORMS": "0",
            "served_units-INITIAL_FORMS": "0",
            "served_units-MIN_NUM_FORMS": "0",
            "served_units-MAX_NUM_FORMS": "1000",
        },
    )
    assert reverse(SITE_HISTORY) in client.get(reverse("wagtailadmin_home")).content.decode()
    response = client.get(reverse(SITE_HISTORY))
    assert response.status_code == HTTPStatus.OK
    assert "Northshire MNVP" in response.content.decode()

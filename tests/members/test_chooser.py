"""The MNVP chooser offers only the MNVPs the user may attach records to."""

from http import HTTPStatus

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def chooser_names(client):
    response = client.get(reverse("partnership_chooser:choose_results"))
    assert response.status_code == HTTPStatus.OK
    return {str(obj) for obj in response.context["results"]}


def test_lead_chooser_lists_only_their_mnvp(client, north, south, north_lead):
    client.force_login(north_lead)
    assert chooser_names(client) == {"Northshire MNVP"}


def test_commissioner_chooser_is_empty(client, north, north_commissioner):
    """Commissioners may look but not attach records, so there is nothing to choose."""
    client.force_login(north_commissioner)
    assert chooser_names(client) == set()


def test_host_staff_chooser_lists_every_mnvp(client, north, south, host_staff):
    client.force_login(host_staff)
    assert chooser_names(client) == {"Northshire MNVP", "Southvale MNVP"}


def test_lead_cannot_choose_another_mnvp_by_id(client, north, south, north_lead):
    client.force_login(north_lead)
    assert (
        client.get(reverse("partnership_chooser:chosen", args=[south.pk])).status_code == HTTPStatus.NOT_FOUND
    )
    assert client.get(reverse("partnership_chooser:chosen", args=[north.pk])).status_code == HTTPStatus.OK


def test_lead_choosing_several_gets_only_their_own(client, north, south, north_lead):
    client.force_login(north_lead)
    response = client.get(reverse("partnership_chooser:chosen_multiple"), {"id": [north.pk, south.pk]})
    assert response.status_code == HTTPStatus.OK
    assert "Southvale" not in response.content.decode()
    assert "Northshire MNVP" in response.content.decode()

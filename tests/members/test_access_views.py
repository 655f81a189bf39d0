"""The MNVP access screens: host staff grant and revoke; nobody else reaches them."""

from http import HTTPStatus

import pytest
from django.urls import reverse
from guardian.shortcuts import get_perms

from members.enums import PartnershipRole
from members.models import PartnershipAccess
from tests.factories import UserFactory
from tests.members.test_partnership_views import assert_denied, assert_refused

pytestmark = pytest.mark.django_db


def test_host_staff_grant_access_through_the_service(client, host_staff, north):
    newcomer = UserFactory(username="new.lead")
    client.force_login(host_staff)
    response = client.post(
        reverse("partnership_access:add"),
        {"user": newcomer.pk, "partnership": north.pk, "role": PartnershipRole.MNVP_LEAD},
    )
    assert response.status_code == HTTPStatus.FOUND
    access = PartnershipAccess.objects.get(user=newcomer)
    assert access.granted_by == host_staff
    assert set(get_perms(type(newcomer).objects.get(pk=newcomer.pk), north)) == {
        "view_partnership",
        "change_partnership",
    }


def test_host_staff_revoke_access_through_the_service(client, host_staff, north_lead, north):
    access = PartnershipAccess.objects.get(user=north_lead)
    client.force_login(host_staff)
    response = client.post(reverse("partnership_access:delete", args=[access.pk]))
    assert response.status_code == HTTPStatus.FOUND
    assert not PartnershipAccess.objects.filter(pk=access.pk).exists()
    assert get_perms(type(north_lead).objects.get(pk=north_lead.pk), north) == []


def test_access_rows_are_never_edited(client, host_staff, north_lead):
    access = PartnershipAccess.objects.get(user=north_lead)
    client.force_login(host_staff)
    assert_denied(client.get(reverse("partnership_access:edit", args=[access.pk])))


@pytest.mark.parametrize("fixture", ["north_lead", "north_commissioner", "dsl", "case_handler"])
def test_only_host_staff_reach_the_access_screens(client, request, fixture, south_lead):
    client.force_login(request.getfixturevalue(fixture))
    access = PartnershipAccess.objects.get(user=south_lead)
    assert_denied(client.get(reverse("partnership_access:index")))
    assert_denied(client.get(reverse("partnership_access:add")))
    assert_refused(client.post(reverse("partnership_access:delete", args=[access.pk])))
    assert PartnershipAccess.objects.filter(pk=access.pk).exists()


def test_a_lead_cannot_grant_themselves_another_mnvp(client, north_lead, south):
    client.force_login(north_lead)
    response = client.post(
        reverse("partnership_access:add"),
        {"user": north_lead.pk, "partnership": south.pk, "role": PartnershipRole.MNVP_LEAD},
    )
    assert_denied(response)
    assert not PartnershipAccess.objects.filter(partnership=south, user=north_lead).exists()

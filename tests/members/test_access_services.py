"""Granting and revoking per-MNVP roles keeps guardian permissions and groups in step."""

import pytest
from guardian.shortcuts import get_perms
from wagtail.models import ModelLogEntry

from members.enums import PartnershipRole, Role
from members.models import PartnershipAccess
from members.roles import group_name
from members.scoping import ALL, permitted_partnership_ids
from members.services.access import grant_partnership_access, revoke_partnership_access
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def fresh(user):
    return type(user).objects.get(pk=user.pk)


def test_granting_lead_gives_view_and_change_on_that_mnvp_only(north, south, host_staff):
    user = UserFactory()
    grant_partnership_access(
        user=user, partnership=north, role=PartnershipRole.MNVP_LEAD, acting_user=host_staff
    )
    user = fresh(user)
    assert set(get_perms(user, north)) == {"view_partnership", "change_partnership"}
    assert get_perms(user, south) == []
    assert user.groups.filter(name=group_name(Role.MNVP_LEAD)).exists()
    assert permitted_partnership_ids(user, "change") == {north.pk}


def test_granting_twice_changes_nothing(north):
    user = UserFactory()
    first = grant_partnership_access(user=user, partnership=north, role=PartnershipRole.MNVP_LEAD)
    second = grant_partnership_access(user=user, partnership=north, role=PartnershipRole.MNVP_LEAD)
    assert first.pk == second.pk
    assert PartnershipAccess.objects.count() == 1


def test_commissioner_gets_view_only(north):
    user = UserFactory()
    grant_partnership_access(user=user, partnership=north, role=PartnershipRole.ICB_COMMISSIONER)
    assert get_perms(fresh(user), north) == ["view_partnership"]


def test_revoking_one_role_keeps_what_another_still_gives(north):
    user = UserFactory()
    lead = grant_partnership_access(user=user, partnership=north, role=PartnershipRole.MNVP_LEAD)
    grant_partnership_access(user=user, partnership=north, role=PartnershipRole.ICB_COMMISSIONER)
    revoke_partnership_access(access=lead)
    user = fresh(user)
    assert get_perms(user, north) == ["view_partnership"]
    assert not user.groups.filter(name=group_name(Role.MNVP_LEAD)).exists()
    assert user.groups.filter(name=group_name(Role.ICB_COMMISSIONER)).exists()


def test_revoking_the_last_role_removes_all_access(north):
    user = UserFactory()
    access = grant_partnership_access(user=user, partnership=north, role=PartnershipRole.MNVP_LEAD)
    revoke_partnership_access(access=access)
    user = fresh(user)
    assert get_perms(user, north) == []
    assert permitted_partnership_ids(user, "view") == frozenset()


def test_grant_and_revoke_are_logged_with_who(north, host_staff):
    user = UserFactory()
    access = grant_partnership_access(
        user=user, partnership=north, role=PartnershipRole.MNVP_LEAD, acting_user=host_staff
    )
    revoke_partnership_access(access=access, acting_user=host_staff)
    actions = list(ModelLogEntry.objects.filter(user=host_staff).values_list("action", flat=True))
    assert sorted(actions) == ["wagtail.create", "wagtail.delete"]


def test_host_staff_scope_is_every_mnvp(host_staff, north):
    assert permitted_partnership_ids(host_staff, "view") is ALL
    assert permitted_partnership_ids(host_staff, "change") is ALL


def test_inactive_user_reaches_nothing(north):
    user = UserFactory(is_active=False)
    grant_partnership_access(user=user, partnership=north, role=PartnershipRole.MNVP_LEAD)
    assert permitted_partnership_ids(fresh(user), "view") == frozenset()

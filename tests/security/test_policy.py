"""Who must use two-factor sign-in is derived from permissions, never from names."""

import pytest
from django.contrib.auth.models import Permission

from members.enums import Role
from security.policy import requires_two_factor
from tests.factories import CaseFactory, UserFactory, handled_by


@pytest.mark.parametrize(
    "role",
    [Role.HOST_STAFF, Role.SAFEGUARDING_LEAD, Role.GRIEVANCE_MANAGER, Role.DBS_VERIFIER],
)
def test_roles_reaching_sensitive_records_must_use_two_factors(db, role):
    assert requires_two_factor(UserFactory(role=role))


def test_superusers_must_use_two_factors(superuser):
    assert requires_two_factor(superuser)


def test_leads_commissioners_and_no_role_users_may_choose(north_lead, north_commissioner, no_role_user):
    assert not requires_two_factor(north_lead)
    assert not requires_two_factor(north_commissioner)
    assert not requires_two_factor(no_role_user)


def test_a_case_handler_must_once_they_hold_a_case(case_handler):
    assert not requires_two_factor(case_handler)
    handled_by(CaseFactory(), case_handler)
    case_handler = type(case_handler).objects.get(pk=case_handler.pk)
    assert requires_two_factor(case_handler)


def test_one_payment_permission_given_directly_is_enough(north_lead):
    north_lead.user_permissions.add(
        Permission.objects.get(content_type__app_label="workplans", codename="pay_involvementpayment")
    )
    north_lead = type(north_lead).objects.get(pk=north_lead.pk)
    assert requires_two_factor(north_lead)


def test_anonymous_and_inactive_users_are_not_asked(db):
    from django.contrib.auth.models import AnonymousUser

    assert not requires_two_factor(AnonymousUser())
    assert not requires_two_factor(UserFactory(role=Role.HOST_STAFF, is_active=False))

"""django-guardian: no anonymous user, and no object permission outlives its object."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from guardian.models import GroupObjectPermission, UserObjectPermission
from guardian.shortcuts import assign_perm

from cms.object_permissions import OBJECT_PERMISSION_MODELS
from members.enums import PartnershipRole
from members.scoping import forget_cached_scope, permitted_partnership_ids
from members.services.access import grant_partnership_access
from safeguarding.permissions import cases_for, grant_case_access
from tests.factories import CaseFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PROJECT_DIR = Path(settings.BASE_DIR)


def test_guardian_has_no_anonymous_user():
    assert settings.ANONYMOUS_USER_NAME is None
    assert not get_user_model().objects.filter(username__iexact="anonymoususer").exists()


def test_deleting_a_case_deletes_the_handlers_object_permissions():
    handler = UserFactory()
    case = CaseFactory()
    grant_case_access(case, handler)
    assign_perm("safeguarding.view_case", Group.objects.create(name="reviewers"), case)
    case_pk = case.pk
    assert UserObjectPermission.objects.filter(object_pk=str(case_pk)).count() == 2
    case.delete()
    assert not UserObjectPermission.objects.filter(object_pk=str(case_pk)).exists()
    assert not GroupObjectPermission.objects.filter(object_pk=str(case_pk)).exists()
    # A new case that reuses the key is not reachable through the old grant.
    reused = CaseFactory(pk=case_pk)
    assert not cases_for(handler).filter(pk=reused.pk).exists()


def test_deleting_an_mnvp_deletes_its_access_permissions_and_no_other():
    lead = UserFactory()
    north, south = PartnershipFactory(), PartnershipFactory()
    grant_partnership_access(user=lead, partnership=north, role=PartnershipRole.MNVP_LEAD)
    grant_partnership_access(user=lead, partnership=south, role=PartnershipRole.MNVP_LEAD)
    north_pk = north.pk
    north.delete()
    assert not UserObjectPermission.objects.filter(object_pk=str(north_pk)).exists()
    forget_cached_scope(lead)
    assert permitted_partnership_ids(lead, "change") == frozenset({south.pk})


# Where object permissions are granted, and on which model. A new assign_perm call
# anywhere else fails the test below until its model is in OBJECT_PERMISSION_MODELS.
GRANTED_IN = {
    "members/services/access.py": "members.Partnership",
    "safeguarding/permissions.py": "safeguarding.Case",
}


def test_every_model_given_object_permissions_is_cleaned_up_on_delete():
    granting = set()
    for path in PROJECT_DIR.rglob("*.py"):
        relative = path.relative_to(PROJECT_DIR)
        if relative.parts[0] in {".venv", "tests"} or "migrations" in relative.parts:
            continue
        if re.search(r"\bassign_perm\(", path.read_text(encoding="utf-8")):
            granting.add(relative.as_posix())
    assert granting == set(GRANTED_IN)
    assert set(GRANTED_IN.values()) == set(OBJECT_PERMISSION_MODELS)
    for label in OBJECT_PERMISSION_MODELS:
        apps.get_model(label)  # each label names a real model

"""Imports: every kind needs its own import permission, and a user without it is refused."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from members.enums import ImportKind
from members.models import ImportJob
from members.permissions import spreadsheet_permission, user_may_import
from members.services.imports import MODELS, start_import
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", list(MODELS), ids=str)
def test_every_import_kind_has_its_own_permission(kind):
    """Without one, anyone who may open the page could import (django-import-export's default)."""
    model = MODELS[kind]
    assert (
        spreadsheet_permission(model, "import") == f"{model._meta.app_label}.import_{model._meta.model_name}"
    )


@pytest.mark.parametrize("kind", list(MODELS), ids=str)
def test_a_user_who_may_see_and_change_but_not_import_is_refused(kind):
    model = MODELS[kind]
    user = UserFactory()
    for action in ("view", "add", "change"):
        user.user_permissions.add(
            Permission.objects.get(
                content_type__app_label=model._meta.app_label, codename=f"{action}_{model._meta.model_name}"
            )
        )
    user = type(user).objects.get(pk=user.pk)
    assert not user_may_import(user, model)
    with pytest.raises(PermissionDenied):
        start_import(
            user=user, kind=ImportKind(kind), uploaded_file=SimpleUploadedFile("x.csv", b"Email\na@b.org\n")
        )
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("who", ["north_lead", "no_role_user", "north_commissioner"])
def test_people_are_imported_by_those_who_reach_every_mnvp_only(request, who):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        start_import(user=user, kind=ImportKind.PEOPLE, uploaded_file=SimpleUploadedFile("x.csv", b"Email\n"))

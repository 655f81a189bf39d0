"""Who may see which safeguarding concern and which grievance or complaint: the one place.

Concerns: the DSLs (``safeguarding.view_concern``, held globally) see every one; a
reporter follows only the status of their own (see ``ConcernQuerySet.reported_by``);
nobody else sees any, host staff included.

Cases (grievances and complaints): the grievance role (``safeguarding.view_case``
held globally) sees every case, and an assigned handler sees their cases through a
django-guardian object permission. The subject of a complaint never sees it, even
holding one of those; leads of the MNVP see nothing unless assigned.
"""

from __future__ import annotations

from django.db.models import QuerySet
from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm

from .models import Case, Concern

CASE_OBJECT_PERMISSIONS = ("view_case", "change_case")


def concerns_for(user) -> QuerySet:
    if user.is_active and user.has_perm("safeguarding.view_concern"):
        return Concern.objects.all()
    return Concern.objects.none()


def cases_for(user, action: str = "view") -> QuerySet:
    """The cases ``user`` may ``action`` ("view" or "change"), never one they are the subject of."""
    if not (user.is_authenticated and user.is_active):
        return Case.objects.none()
    permission = f"safeguarding.{action}_case"
    if user.has_perm(permission):
        cases = Case.objects.all()
    else:
        cases = get_objects_for_user(
            user, permission, klass=Case, with_superuser=False, accept_global_perms=False
        )
    return cases.exclude(subject_user=user)


def user_can_case(user, action: str, case: Case) -> bool:
    return cases_for(user, action).filter(pk=case.pk).exists()


def grant_case_access(case: Case, user) -> None:
    for codename in CASE_OBJECT_PERMISSIONS:
        assign_perm(f"safeguarding.{codename}", user, case)


def revoke_case_access(case: Case, user) -> None:
    for codename in CASE_OBJECT_PERMISSIONS:
        remove_perm(f"safeguarding.{codename}", user, case)

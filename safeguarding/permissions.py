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
        # Deliberate: the grievance role (global permission) and superusers were answered
        # above; here only the cases assigned one by one (handlers) count.
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


# --- Risk assessments of activities and venues ---------------------------------------

RISK_HOST_WIDE_PERMISSION = "safeguarding.change_riskassessment"


def risk_assessments_host_wide(user) -> bool:
    """Host staff and DSLs hold ``change_riskassessment`` as a role: every MNVP's, for what they may do.

    Everyone else (MNVP leads) reaches the assessments of their own MNVPs only.
    """
    return user.is_active and user.has_perm(RISK_HOST_WIDE_PERMISSION)


def risk_assessments_for(user, action: str = "view") -> QuerySet:
    """The risk assessments ``user`` may ``action``, before the model permission is asked."""
    from members.scoping import scope_queryset

    from .models import RiskAssessment

    if not (user.is_authenticated and user.is_active):
        return RiskAssessment.objects.none()
    if risk_assessments_host_wide(user):
        return RiskAssessment.objects.all()
    return scope_queryset(RiskAssessment.objects.all(), user, action)


def partnerships_for_risk_assessments(user) -> QuerySet:
    """The MNVPs ``user`` may file a risk assessment under (an add or change of one)."""
    from members.models import Partnership

    if risk_assessments_host_wide(user):
        return Partnership.objects.all()
    return Partnership.objects.for_user(user, "change")


def user_may_approve_risk_assessment(user, risk_assessment) -> bool:
    """Host staff or a DSL approve; never a lead of the assessment's own MNVP (no self-approval)."""
    from members.enums import PartnershipRole
    from members.models import PartnershipAccess

    if not risk_assessments_host_wide(user):
        return False
    # Asked once per listing row: the MNVPs the user leads are looked up once per request.
    led = getattr(user, "_mnvp_partnerships_led", None)
    if led is None:
        led = frozenset(
            PartnershipAccess.objects.filter(user=user, role=PartnershipRole.MNVP_LEAD).values_list(
                "partnership_id", flat=True
            )
        )
        user._mnvp_partnerships_led = led
    return risk_assessment.partnership_id not in led

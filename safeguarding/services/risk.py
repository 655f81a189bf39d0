"""Risk assessments of activities and venues: recording, approving, and whether an activity may go ahead.

An assessment is *current* when it is approved and its review date has not passed
(``RiskAssessment.objects.current``). Changing what was approved (its hazards or
controls) withdraws the approval: somebody must look at it again.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from ..enums import RiskAssessmentState
from ..models import RiskAssessment
from ..permissions import user_may_approve_risk_assessment

# What an approver signed off: changing either of these withdraws the approval.
APPROVED_CONTENT_FIELDS = ("hazards", "controls")

APPROVED_LOG_ACTION = "safeguarding.risk_assessment_approved"
APPROVAL_CLEARED_LOG_ACTION = "safeguarding.risk_assessment_approval_cleared"


def risk_assessment_state(risk_assessment: RiskAssessment, on: datetime.date | None = None) -> str:
    """Current, due for review (approved, review date passed) or not approved, on ``on`` (today)."""
    on = on or timezone.localdate()
    if risk_assessment.approved_at is None:
        return RiskAssessmentState.NOT_APPROVED
    if risk_assessment.review_on < on:
        return RiskAssessmentState.DUE_FOR_REVIEW
    return RiskAssessmentState.CURRENT


def filter_by_state(queryset, state: str, on: datetime.date | None = None):
    """Narrow ``queryset`` of risk assessments to those in ``state`` on ``on`` (today)."""
    on = on or timezone.localdate()
    if state == RiskAssessmentState.CURRENT:
        return queryset.current(on)
    if state == RiskAssessmentState.NOT_APPROVED:
        return queryset.filter(approved_at__isnull=True)
    if state == RiskAssessmentState.DUE_FOR_REVIEW:
        return queryset.filter(approved_at__isnull=False).exclude(pk__in=queryset.current(on).values("pk"))
    raise ValueError(f"Unknown risk assessment state {state!r}")


@transaction.atomic
def create_risk_assessment(*, risk_assessment: RiskAssessment, acting_user) -> RiskAssessment:
    """Save a new, unapproved assessment (whatever approval the caller set is dropped)."""
    risk_assessment.approved_by = None
    risk_assessment.approved_at = None
    risk_assessment.full_clean()
    risk_assessment.save()
    log(risk_assessment, "wagtail.create", user=acting_user)
    return risk_assessment


@transaction.atomic
def update_risk_assessment(*, risk_assessment: RiskAssessment, acting_user) -> RiskAssessment:
    """Save changes to an assessment; a change to its hazards or controls withdraws its approval.

    Compares with the row as stored, so it holds whichever form or import made the change.
    """
    stored = RiskAssessment.objects.select_for_update().get(pk=risk_assessment.pk)
    # Approval is given and withdrawn here and in approve_risk_assessment, never by a form.
    risk_assessment.approved_by_id = stored.approved_by_id
    risk_assessment.approved_at = stored.approved_at
    content_changed = any(
        getattr(stored, name) != getattr(risk_assessment, name) for name in APPROVED_CONTENT_FIELDS
    )
    cleared = content_changed and stored.approved_at is not None
    if cleared:
        risk_assessment.approved_by = None
        risk_assessment.approved_at = None
    risk_assessment.full_clean()
    risk_assessment.save()
    log(risk_assessment, "wagtail.edit", user=acting_user)
    if cleared:
        log(risk_assessment, APPROVAL_CLEARED_LOG_ACTION, user=acting_user)
    return risk_assessment


@transaction.atomic
def approve_risk_assessment(*, risk_assessment: RiskAssessment, acting_user) -> RiskAssessment:
    """Record that ``acting_user`` (host staff or a DSL, not a lead of its MNVP) approved it now.

    Raises ``PermissionDenied`` for anyone else, and ``ValidationError`` when the review
    date has already passed (approve it with a new review date instead).
    """
    if not user_may_approve_risk_assessment(acting_user, risk_assessment):
        raise PermissionDenied("Only host staff or a DSL, not a lead of this MNVP, may approve it.")
    risk_assessment = RiskAssessment.objects.select_for_update().get(pk=risk_assessment.pk)
    if risk_assessment.review_on < timezone.localdate():
        raise ValidationError("Its review date has passed: set a new review date before approving it.")
    risk_assessment.approved_by = acting_user
    risk_assessment.approved_at = timezone.now()
    risk_assessment.full_clean()
    risk_assessment.save(update_fields=["approved_by", "approved_at"])
    log(risk_assessment, APPROVED_LOG_ACTION, user=acting_user)
    return risk_assessment


def activity_may_go_ahead(risk_assessment: RiskAssessment | None, on: datetime.date) -> tuple[bool, str]:
    """Whether an activity on ``on`` may be marked ready, and why (or why not).

    An activity cannot be marked ready while its risk assessment is missing, not
    approved, or past its review date on the day of the activity.
    """
    if risk_assessment is None:
        return False, "It has no risk assessment."
    if risk_assessment.approved_at is None:
        return False, f"Its risk assessment “{risk_assessment.title}” has not been approved."
    if risk_assessment.review_on < on:
        return False, (
            f"Its risk assessment “{risk_assessment.title}” was due for review by "
            f"{risk_assessment.review_on:%d %B %Y}, before the activity."
        )
    return True, (
        f"Its risk assessment “{risk_assessment.title}” is approved and current until "
        f"{risk_assessment.review_on:%d %B %Y}."
    )

"""Writes to workplans and milestones: sign-off, copying a year, progress updates.

Each service is keyword-only, runs in one transaction, validates with ``full_clean``
and writes a Wagtail log entry beside the change (STYLE.md, points 4 and 5). Who may
do what is decided here, not in the views: a view finds the record through the
user's scope (404 outside it) and then calls a service, which checks again.
"""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from wagtail.log_actions import log

from cms.dates import add_months
from cms.uploads import UploadRule
from members.enums import PartnershipRole
from members.models import PartnershipAccess, User
from members.scoping import ALL, permitted_partnership_ids, user_can

from ..enums import MilestoneStatus, SignOffStage
from ..models import Milestone, MilestoneUpdate, Objective, Workplan, WorkplanSignOff
from ..models.plans import ATTACHMENT_EXTENSIONS

# The sign-off stages in order: each follows the one before, one step at a time.
STAGE_ORDER = [SignOffStage.DRAFT, SignOffStage.COPRODUCED, SignOffStage.AGREED, SignOffStage.SIGNED_OFF]
NEXT_STAGE = dict(itertools.pairwise(STAGE_ORDER))
# Stages that commit money: the funding agreed must be known by then.
FUNDING_REQUIRED_FROM = {SignOffStage.AGREED, SignOffStage.SIGNED_OFF}
# Which per-MNVP role may record which stage (host staff may record any of them).
STAGE_FOR_ROLE = {
    PartnershipRole.MNVP_LEAD: SignOffStage.AGREED,
    PartnershipRole.ICB_COMMISSIONER: SignOffStage.SIGNED_OFF,
}

SIGN_OFF_PERMISSION = "workplans.add_workplansignoff"
UPDATE_PERMISSION = "workplans.add_milestoneupdate"
COPY_PERMISSION = "workplans.add_workplan"

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
# Extension, size and content (the first bytes, not just the name): cms/uploads.py.
ATTACHMENT_UPLOADS = UploadRule("attachment", tuple(ATTACHMENT_EXTENSIONS), ATTACHMENT_MAX_BYTES)


def next_stage(stage: str) -> str | None:
    """The stage after ``stage``, or None once the ICB has signed off."""
    return NEXT_STAGE.get(SignOffStage(stage))


def _is_host(user: User) -> bool:
    """Host staff (and superusers) work on every MNVP."""
    return permitted_partnership_ids(user, "change") is ALL


def stages_user_may_record(user: User, workplan: Workplan) -> set[str]:
    """Which sign-off stages ``user`` may record on ``workplan`` (whatever its current stage).

    Host staff: any. An MNVP lead: "agreed by the MNVP", for their own MNVP only. An
    ICB commissioner: "signed off by the ICB", for an MNVP they commission only. The
    per-MNVP roles come from :class:`~members.models.PartnershipAccess`, the source
    of truth for who leads or commissions which MNVP.
    """
    if not (user.is_active and user.has_perm(SIGN_OFF_PERMISSION)):
        return set()
    if _is_host(user):
        return set(STAGE_ORDER[1:])
    roles = PartnershipAccess.objects.filter(user=user, partnership_id=workplan.partnership_id).values_list(
        "role", flat=True
    )
    return {STAGE_FOR_ROLE[role] for role in roles if role in STAGE_FOR_ROLE}


def user_may_sign_off(user: User, workplan: Workplan) -> bool:
    """Whether ``user`` may record the workplan's next stage now."""
    stage = next_stage(workplan.stage)
    return stage is not None and stage in stages_user_may_record(user, workplan)


@transaction.atomic
def sign_off(
    *,
    workplan: Workplan,
    stage: str,
    acting_user: User,
    funding_agreed: Decimal | None = None,
    on_behalf_of: str = "",
    note: str = "",
) -> WorkplanSignOff:
    """Move ``workplan`` on to ``stage`` (the next one only) and record who, when and the funding.

    ``funding_agreed`` replaces the workplan's figure when given; from "agreed by the
    MNVP" on, a figure must be known (given now or before). Raises ``PermissionDenied``
    when the user may not record that stage for that MNVP, and ``ValidationError``
    when the stage is not the next one.
    """
    # Lock the row: two people signing off at once must not both move it on.
    workplan = Workplan.objects.select_for_update().get(pk=workplan.pk)
    if stage not in stages_user_may_record(acting_user, workplan):
        raise PermissionDenied("You may not record that sign-off stage for this MNVP.")
    expected = next_stage(workplan.stage)
    if expected is None:
        raise ValidationError("This workplan has been signed off by the ICB already.", code="final_stage")
    if stage != expected:
        raise ValidationError(
            f"The next stage is “{SignOffStage(expected).label}”: stages follow one another in order.",
            code="stage_out_of_order",
        )
    if funding_agreed is not None and funding_agreed < 0:
        raise ValidationError({"funding_agreed": "The funding agreed cannot be negative."})
    funding = funding_agreed if funding_agreed is not None else workplan.funding_agreed
    if stage in FUNDING_REQUIRED_FROM and funding is None:
        raise ValidationError({"funding_agreed": "Say the funding agreed for the year."})

    record = WorkplanSignOff(
        workplan=workplan,
        stage=stage,
        by=acting_user,
        on_behalf_of=on_behalf_of.strip(),
        funding_agreed=funding,
        note=note.strip(),
    )
    record.full_clean()
    record.save()
    previous = workplan.stage
    workplan.stage = stage
    workplan.funding_agreed = funding
    workplan.full_clean()
    workplan.save(update_fields=["stage", "funding_agreed"])
    log(
        workplan,
        "workplans.signed_off",
        user=acting_user,
        data={
            "from": previous,
            "to": stage,
            "funding_agreed": None if funding is None else str(funding),
            "on_behalf_of": record.on_behalf_of,
        },
    )
    return record


def user_may_copy(user: User, workplan: Workplan) -> bool:
    """Starting a new year's workplan is host staff's work (add_workplan, on that MNVP)."""
    return user.is_active and user.has_perm(COPY_PERMISSION) and user_can(user, "add", workplan)


@transaction.atomic
def copy_workplan(*, from_workplan: Workplan, year: int, acting_user: User) -> Workplan:
    """Start ``year``'s workplan for the same MNVP as a copy of ``from_workplan``.

    The strategy, objectives and milestones are copied; milestones fall due the same
    number of years later (``add_months``, so 29 February becomes 28 February), start
    again as "not started" with no evidence, and the copy starts as a draft with no
    funding agreed (that is agreed again at sign-off). A year the MNVP already has a
    workplan for is refused, and so is a year before the one copied.
    """
    if not user_may_copy(acting_user, from_workplan):
        raise PermissionDenied("You may not start workplans for this MNVP.")
    if year <= from_workplan.year:
        raise ValidationError({"year": "Copy a workplan forward, to a later year."})
    if Workplan.objects.filter(partnership_id=from_workplan.partnership_id, year=year).exists():
        raise ValidationError({"year": "This MNVP already has a workplan for that year."})
    months = 12 * (year - from_workplan.year)

    copy = Workplan(
        partnership_id=from_workplan.partnership_id,
        year=year,
        strategy=from_workplan.strategy,
        funding_agreed=None,
        stage=SignOffStage.DRAFT,
        copied_from=from_workplan,
    )
    copy.full_clean()
    copy.save()

    milestones = []
    sources = from_workplan.objectives.prefetch_related("milestones").order_by("sort_order", "pk")
    for source in sources:
        objective = Objective(
            workplan=copy,
            theme=source.theme,
            title=source.title,
            description=source.description,
            sort_order=source.sort_order,
        )
        objective.full_clean()
        objective.save()
        milestones += [
            Milestone(
                objective=objective,
                title=milestone.title,
                owner_id=milestone.owner_id,
                owner_name=milestone.owner_name,
                due_on=add_months(milestone.due_on, months),
                status=MilestoneStatus.NOT_STARTED,
                evidence="",
            )
            for milestone in source.milestones.all()
        ]
    for milestone in milestones:
        milestone.full_clean(exclude=["objective"])
    Milestone.objects.bulk_create(milestones)
    log(
        copy,
        "workplans.copied",
        user=acting_user,
        data={"from": from_workplan.pk, "from_year": from_workplan.year},
    )
    return copy


def validate_attachment(upload: UploadedFile) -> None:
    """An attachment must be one of the allowed kinds, really (not just by name), and small."""
    ATTACHMENT_UPLOADS.check(upload, "attachment")


def user_may_post_update(user: User, milestone: Milestone) -> bool:
    """Leads for their own MNVP's milestones; host staff for every MNVP's. ICB viewers never."""
    return user.is_active and user.has_perm(UPDATE_PERMISSION) and user_can(user, "add", milestone)


@transaction.atomic
def post_milestone_update(
    *,
    milestone: Milestone,
    status: str,
    note: str,
    acting_user: User,
    attachment: UploadedFile | None = None,
    at: datetime.datetime | None = None,
) -> MilestoneUpdate:
    """Record a progress update on ``milestone`` and move the milestone to ``status``.

    Updates are history: each is a new row, never edited. Raises ``PermissionDenied``
    for a milestone outside the user's MNVPs (views look it up through the scope
    first, and answer 404).
    """
    if not user_may_post_update(acting_user, milestone):
        raise PermissionDenied("You may not post updates on this milestone.")
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if attachment:
        validate_attachment(attachment)
    update = MilestoneUpdate(
        milestone=milestone, by=acting_user, status=status, note=note.strip(), attachment=attachment or ""
    )
    if at is not None:
        update.at = at
    update.full_clean()
    update.save()
    previous = milestone.status
    milestone.status = status
    milestone.save(update_fields=["status", "updated_at"])
    log(
        milestone,
        "workplans.milestone_updated",
        user=acting_user,
        data={"from": previous, "to": status, "update": update.pk},
    )
    return update

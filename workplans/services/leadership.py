"""Lead arrangements (how each MNVP lead role is filled and paid) and the IR35 review reminder.

Rules enforced here, with messages beside the field at fault:

* an arrangement belongs to a current lead-type membership (lead, neonatal lead,
  bereavement lead);
* a lead not employed by the host needs an off-payroll (IR35) determination and the
  date it was made (the model's check constraint says the same, as a last resort);
  an employed lead has none; a determination is not dated in the future.

The reminder: HMRC expects a determination to be reviewed when the engagement
changes, and the host reviews each at least yearly. A daily beat sweep
(:func:`sweep_ir35_reminders`) records one :class:`~workplans.models.IR35Reminder`
per arrangement and determination date once the determination is more than a year
old; its unique constraint makes the sweep idempotent, and a new determination date
earns a new reminder. Each row is emailed to host staff by its own task.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from members.enums import MembershipRole
from members.models import Membership, User
from members.scoping import user_can

from ..enums import RemunerationRoute
from ..models import IR35Reminder, LeadArrangement
from .claims import host_staff_emails

ADD_PERMISSION = "workplans.add_leadarrangement"
CHANGE_PERMISSION = "workplans.change_leadarrangement"
LEAD_ROLES = (MembershipRole.LEAD, MembershipRole.NEONATAL_LEAD, MembershipRole.BEREAVEMENT_LEAD)
STALE_AFTER = datetime.timedelta(days=365)
RESEND_UNSENT_WITHIN = datetime.timedelta(days=3)
INSERT_BATCH_SIZE = 1000


def lead_memberships(on: datetime.date | None = None) -> QuerySet:
    """Current memberships in a lead role: the ones an arrangement may be made for."""
    return Membership.objects.current(on).filter(role__in=LEAD_ROLES)


def arrangement_errors(
    *,
    membership: Membership | None,
    remuneration_route: str,
    ir35_determination: str,
    ir35_determined_on: datetime.date | None,
    today: datetime.date | None = None,
) -> dict[str, str]:
    """What is wrong with these values, field by field (empty when nothing is)."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if membership is not None and not lead_memberships(today).filter(pk=membership.pk).exists():
        errors["membership"] = (
            "Choose a current lead, neonatal lead or bereavement lead membership: "
            "arrangements are for lead roles only."
        )
    if remuneration_route == RemunerationRoute.EMPLOYED:
        if ir35_determination or ir35_determined_on:
            errors["ir35_determination"] = (
                "A lead employed by the host is on the payroll: "
                "leave the IR35 determination and its date empty."
            )
    elif remuneration_route:
        if not ir35_determination:
            errors["ir35_determination"] = (
                "A lead who is not employed by the host needs an off-payroll (IR35) determination."
            )
        if ir35_determined_on is None:
            errors["ir35_determined_on"] = "Give the date the IR35 determination was made."
        elif ir35_determined_on > today:
            errors["ir35_determined_on"] = "A determination is dated the day it was made, not in the future."
    return errors


def _check(arrangement: LeadArrangement, *, check_membership: bool) -> None:
    errors = arrangement_errors(
        membership=arrangement.membership if check_membership else None,
        remuneration_route=arrangement.remuneration_route,
        ir35_determination=arrangement.ir35_determination,
        ir35_determined_on=arrangement.ir35_determined_on,
    )
    if errors:
        raise ValidationError(errors)
    arrangement.full_clean()


def _require(user: User, permission: str, membership: Membership) -> None:
    if not user.has_perm(permission) or not user_can(user, "change", membership):
        raise PermissionDenied


@transaction.atomic
def create_lead_arrangement(
    *,
    membership: Membership,
    remuneration_route: str,
    hours_per_month: Decimal,
    annual_remuneration: Decimal,
    acting_user: User,
    role_description: str = "",
    ir35_determination: str = "",
    ir35_determined_on: datetime.date | None = None,
) -> LeadArrangement:
    """Record how a lead role is filled and paid (one arrangement per membership)."""
    _require(acting_user, ADD_PERMISSION, membership)
    arrangement = LeadArrangement(
        membership=membership,
        role_description=role_description,
        remuneration_route=remuneration_route,
        ir35_determination=ir35_determination,
        ir35_determined_on=ir35_determined_on,
        hours_per_month=hours_per_month,
        annual_remuneration=annual_remuneration,
    )
    _check(arrangement, check_membership=True)
    arrangement.save()
    return arrangement


@transaction.atomic
def update_lead_arrangement(*, arrangement: LeadArrangement, acting_user: User, **changes) -> LeadArrangement:
    """Change an arrangement's terms; the membership it belongs to stays (a new lead, a new arrangement)."""
    _require(acting_user, CHANGE_PERMISSION, arrangement.membership)
    allowed = {
        "role_description",
        "remuneration_route",
        "ir35_determination",
        "ir35_determined_on",
        "hours_per_month",
        "annual_remuneration",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"Not changeable here: {', '.join(sorted(unknown))}")
    for name, value in changes.items():
        setattr(arrangement, name, value)
    _check(arrangement, check_membership=False)
    arrangement.save()
    return arrangement


# The IR35 review reminder ---------------------------------------------------------------------


def stale_arrangements(today: datetime.date) -> QuerySet:
    """Arrangements of current leads, not employed, whose determination is more than a year old.

    The same rule as :meth:`LeadArrangement.determination_is_stale`, as a query.
    """
    return LeadArrangement.objects.filter(
        ~Q(remuneration_route=RemunerationRoute.EMPLOYED),
        ir35_determined_on__lt=today - STALE_AFTER,
        membership__in=Membership.objects.current(today).values("pk"),
    )


def sweep_ir35_reminders(*, today: datetime.date | None = None) -> list[int]:
    """Record an IR35 reminder for each stale determination not reminded of yet; enqueue one email each.

    Returns the ids of the rows this sweep created. Three queries whatever the number
    of arrangements (the candidates, the insert, the unsent read-back):
    ``bulk_create(ignore_conflicts=True)`` leaves the last word to the unique
    constraint, so overlapping sweeps create each reminder once.
    """
    from ..tasks import send_ir35_reminder  # tasks import this module

    today = today or timezone.localdate()
    started = timezone.now()
    reminded = IR35Reminder.objects.filter(
        arrangement=OuterRef("pk"), determined_on=OuterRef("ir35_determined_on")
    )
    candidates = stale_arrangements(today).filter(~Exists(reminded)).order_by()
    rows = [
        IR35Reminder(arrangement_id=pk, determined_on=day)
        for pk, day in candidates.values_list("pk", "ir35_determined_on")
    ]
    if rows:
        IR35Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=INSERT_BATCH_SIZE)
    # ignore_conflicts returns no ids: read back what is unsent, this sweep's rows and
    # any recent ones whose task went missing (sending is idempotent).
    unsent = (
        IR35Reminder.objects.filter(sent_at__isnull=True, created_at__gte=started - RESEND_UNSENT_WITHIN)
        .order_by("pk")
        .values_list("pk", "created_at")
    )
    created = []
    for pk, created_at in unsent:
        if created_at >= started:
            created.append(pk)
        send_ir35_reminder.delay_on_commit(pk)
    return created


def send_ir35_reminder(reminder_id: int, *, today: datetime.date | None = None) -> bool:
    """Email host staff one IR35 reminder, once.

    Idempotent: the row is locked and marked sent in the transaction that sends. A
    determination renewed (or a lead now employed) since the sweep is not written
    about; the row is marked so it is not tried again.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        reminder = (
            IR35Reminder.objects.select_for_update(of=("self",))
            .select_related("arrangement__membership__person", "arrangement__membership__partnership")
            .filter(pk=reminder_id, sent_at__isnull=True)
            .first()
        )
        if reminder is None:
            return False
        arrangement = reminder.arrangement
        still_due = (
            stale_arrangements(today)
            .filter(pk=arrangement.pk, ir35_determined_on=reminder.determined_on)
            .exists()
        )
        recipients = host_staff_emails() if still_due else []
        if recipients:
            membership = arrangement.membership
            context = {
                "arrangement": arrangement,
                "membership": membership,
                "determined_on": reminder.determined_on,
                "url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
                + reverse("lead_arrangements:edit", args=[arrangement.pk]),
            }
            message = EmailMessage(
                subject=f"IR35 determination over a year old: {membership.person} ({membership.partnership})",
                body=render_to_string("workplans/email/ir35_reminder.txt", context),
                from_email=settings.DEFAULT_FROM_EMAIL,
                bcc=recipients,
            )
            get_connection().send_messages([message])
        reminder.sent_at = timezone.now()
        reminder.save(update_fields=["sent_at"])
    return bool(recipients)

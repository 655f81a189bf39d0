"""The annual report of one MNVP for one financial year, and the maternity incentive scheme evidence pack.

Read-only selectors, no view logic; the web page and the PDF both render what
:func:`annual_report` returns, so they always say the same. The caller must be
allowed to see the MNVP (``PermissionDenied`` otherwise): host staff, the MNVP's
lead, its ICB commissioner. A fixed number of queries, however many activities.

What counts for the year (1 April to 31 March):

* milestones done: of the MNVP's workplan for that year;
* activities, people heard, reach and volunteer hours: activities *done* with a date
  in the year (planned or ready ones are listed as still to come, cancelled ones not);
* themes: those heard at the year's activities, and of the year's actions;
* actions ("you said, we did"): those from the year's activities, and those not tied
  to an activity that are due in the year;
* spend against budget: the workplan's budget lines, agreed against committed and paid.

The evidence pack (for a trust's maternity incentive scheme safety action on service
user voice): the workplan; when and by whom it was agreed by the MNVP and ratified
(signed off) by the ICB, from its sign-off records; and whether the MNVP lead was
remunerated: involvement payments *paid* for work in the year to someone whose
membership of the MNVP that day was as its lead. When there is none, it says so.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, Sum

from members.enums import MembershipRole
from members.models import Membership, Partnership
from members.scoping import user_can

from .enums import (
    ActionStatus,
    ActivityKind,
    ActivityStatus,
    MilestoneStatus,
    PaymentStatus,
    SignOffStage,
    Theme,
)
from .models import (
    ActivityVolunteer,
    EngagementActivity,
    InvolvementPayment,
    Milestone,
    Workplan,
    WorkplanSignOff,
    YouSaidWeDid,
)
from .models.plans import financial_year_bounds, financial_year_label
from .reach import Reach, build_reach, reach_counts

ZERO = Decimal("0.00")


# Spend against budget ----------------------------------------------------------------------
# The budget selector says agreed, committed (approved) and spent (paid) per line.
from .services.budgets import budget_summary  # noqa: E402


@dataclass(frozen=True)
class BudgetRow:
    label: str
    agreed: Decimal
    committed: Decimal
    spent: Decimal
    remaining: Decimal


@dataclass(frozen=True)
class Budget:
    rows: list[BudgetRow]
    agreed: Decimal
    committed: Decimal
    spent: Decimal
    remaining: Decimal


def _budget(user, workplan: Workplan | None) -> Budget | None:
    if workplan is None:
        return None
    summary = budget_summary(user=user, workplans=[workplan])
    if not summary.workplans:
        return Budget(rows=[], agreed=ZERO, committed=ZERO, spent=ZERO, remaining=ZERO)
    plan = summary.workplans[0]
    rows = [
        BudgetRow(line.label, line.agreed, line.committed, line.spent, line.remaining) for line in plan.lines
    ]
    return Budget(rows, plan.agreed, plan.committed, plan.spent, plan.remaining)


# The report --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityLine:
    activity: EngagementActivity
    volunteers: int
    hours: Decimal


@dataclass(frozen=True)
class KindLine:
    label: str
    activities: int
    people_heard: int


@dataclass(frozen=True)
class ThemeLine:
    label: str
    activities: int
    actions: int


@dataclass(frozen=True)
class SignOffRecord:
    stage_label: str
    by: str
    on_behalf_of: str
    at: datetime.datetime
    funding_agreed: Decimal | None


@dataclass(frozen=True)
class EvidencePack:
    workplan: Workplan | None
    agreed: SignOffRecord | None
    ratified: SignOffRecord | None
    leads: list[str]
    lead_payments: list[InvolvementPayment]
    lead_paid_total: Decimal

    @property
    def lead_remunerated(self) -> bool:
        return bool(self.lead_payments)

    @property
    def remuneration_statement(self) -> str:
        if not self.lead_payments:
            return "No payment to the MNVP lead is recorded for this year."
        count = len(self.lead_payments)
        return (
            f"The MNVP lead was remunerated: {count} involvement payment{'s' if count != 1 else ''} "
            f"totalling £{self.lead_paid_total:,.2f} paid for work in the year."
        )


@dataclass(frozen=True)
class AnnualReport:
    partnership: Partnership
    year: int
    workplan: Workplan | None
    milestones_done: list[Milestone]
    milestones_total: int
    activities: list[ActivityLine]
    still_to_come: int
    by_kind: list[KindLine]
    people_heard: int
    volunteers: int
    volunteer_hours: Decimal
    reach: Reach
    themes: list[ThemeLine]
    actions: list[YouSaidWeDid]
    budget: Budget | None
    evidence: EvidencePack
    bounds: tuple[datetime.date, datetime.date] = field(default=(datetime.date.min, datetime.date.min))

    @property
    def year_label(self) -> str:
        return financial_year_label(self.year)

    @property
    def title(self) -> str:
        return f"{self.partnership.name} annual report {self.year_label}"

    @property
    def actions_done(self) -> int:
        return sum(action.status == ActionStatus.DONE for action in self.actions)


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _sign_off(record: WorkplanSignOff | None) -> SignOffRecord | None:
    if record is None:
        return None
    return SignOffRecord(
        stage_label=record.get_stage_display(),
        by=_name(record.by),
        on_behalf_of=record.on_behalf_of,
        at=record.at,
        funding_agreed=record.funding_agreed,
    )


def evidence_pack(
    *, user, partnership: Partnership, year: int, workplan: Workplan | None = None
) -> EvidencePack:
    """The maternity incentive scheme evidence for one MNVP and year (four queries)."""
    if not user_can(user, "view", partnership):
        raise PermissionDenied
    start, end = financial_year_bounds(year)
    if workplan is None:
        workplan = Workplan.objects.filter(partnership=partnership, year=year).first()
    agreed = ratified = None
    if workplan is not None:
        # The latest record of each stage: a workplan sent back and agreed again shows the last agreement.
        for record in workplan.sign_offs.filter(
            stage__in=[SignOffStage.AGREED, SignOffStage.SIGNED_OFF]
        ).select_related("by"):
            if record.stage == SignOffStage.AGREED:
                agreed = record
            else:
                ratified = record

    lead_memberships = Membership.objects.filter(partnership=partnership, role=MembershipRole.LEAD).filter(
        Q(start_date__lte=end) & (Q(end_date__isnull=True) | Q(end_date__gte=start))
    )
    leads = sorted({str(m.person) for m in lead_memberships.select_related("person")})
    lead_on_the_day = Membership.objects.filter(
        person=OuterRef("person"),
        partnership=partnership,
        role=MembershipRole.LEAD,
        start_date__lte=OuterRef("activity_on"),
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=OuterRef("activity_on")))
    payments = list(
        InvolvementPayment.objects.filter(
            partnership=partnership,
            status=PaymentStatus.PAID,
            activity_on__range=(start, end),
        )
        .filter(Exists(lead_on_the_day))
        .select_related("person")
        .order_by("activity_on", "pk")
    )
    return EvidencePack(
        workplan=workplan,
        agreed=_sign_off(agreed),
        ratified=_sign_off(ratified),
        leads=leads,
        lead_payments=payments,
        lead_paid_total=sum((p.amount for p in payments), ZERO),
    )


def annual_report(*, user, partnership: Partnership, year: int) -> AnnualReport:
    """Everything the annual report of ``partnership`` for the financial year ``year`` shows.

    Raises ``PermissionDenied`` when ``user`` may not see the MNVP.
    """
    if not user_can(user, "view", partnership):
        raise PermissionDenied
    start, end = financial_year_bounds(year)
    workplan = Workplan.objects.filter(partnership=partnership, year=year).first()

    milestones = (
        Milestone.objects.filter(objective__workplan=workplan) if workplan else Milestone.objects.none()
    )
    milestones_done = list(milestones.filter(status=MilestoneStatus.DONE).select_related("objective"))
    milestones_total = milestones.count() if workplan else 0

    in_year = EngagementActivity.objects.filter(partnership=partnership, held_on__range=(start, end))
    done = in_year.filter(status=ActivityStatus.DONE)
    still_to_come = in_year.filter(status__in=[ActivityStatus.PLANNED, ActivityStatus.READY]).count()
    activities = list(
        done.annotate(
            volunteer_count=Count("volunteers", distinct=True),
            volunteer_hours=Sum("volunteers__hours"),
        ).order_by("held_on", "pk")
    )
    lines = [ActivityLine(a, a.volunteer_count, a.volunteer_hours or ZERO) for a in activities]
    people_heard = sum(a.people_heard for a in activities)
    volunteers = ActivityVolunteer.objects.filter(activity__in=done).values("person").distinct().count()
    hours = sum((line.hours for line in lines), ZERO)

    kinds: dict[str, list[int]] = {}
    for activity in activities:
        counts = kinds.setdefault(activity.kind, [0, 0])
        counts[0] += 1
        counts[1] += activity.people_heard
    by_kind = [KindLine(ActivityKind(k).label, n, heard) for k, (n, heard) in kinds.items()]
    by_kind.sort(key=lambda line: (-line.activities, line.label))

    actions = list(
        YouSaidWeDid.objects.filter(partnership=partnership)
        .filter(
            Q(activity__in=in_year.exclude(status=ActivityStatus.CANCELLED))
            | Q(activity__isnull=True, due_on__range=(start, end))
        )
        .select_related("activity")
        .order_by("status", "-pk")
    )

    heard = Counter(theme for activity in activities for theme in activity.themes)
    acted = Counter(action.theme for action in actions if action.theme)
    themes = [
        ThemeLine(label, heard[value], acted[value])
        for value, label in Theme.choices
        if heard[value] or acted[value]
    ]

    return AnnualReport(
        partnership=partnership,
        year=year,
        workplan=workplan,
        milestones_done=milestones_done,
        milestones_total=milestones_total,
        activities=lines,
        still_to_come=still_to_come,
        by_kind=by_kind,
        people_heard=people_heard,
        volunteers=volunteers,
        volunteer_hours=hours,
        reach=build_reach(reach_counts(done), partnership.pk),
        themes=themes,
        actions=actions,
        budget=_budget(user, workplan),
        evidence=evidence_pack(user=user, partnership=partnership, year=year, workplan=workplan),
        bounds=(start, end),
    )

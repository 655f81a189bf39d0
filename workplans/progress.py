"""Workplan progress: milestones' RAG rating, and the progress report across MNVPs.

RAG (red, amber, green) says whether a milestone is on plan, read from its status
and due date: done is "complete" (blue); an open milestone past its due date is red
whatever its status; otherwise off track is red, at risk amber, and on track or not
yet started (and not yet due) green. One rule, used by the report (as a database
``Case``) and by the screens (in Python), so both always agree.

The report reads the user's scope (:mod:`members.scoping`): host staff see every
MNVP, a lead their own, an ICB commissioner those they commission. It costs the
same handful of queries whatever the number of MNVPs, milestones or updates.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import cached_property

from django.db import models
from django.db.models import Case, CharField, Count, Q, Value, When

from members.models import Partnership

from .enums import MilestoneStatus
from .models import Milestone, MilestoneUpdate, Workplan
from .models.plans import financial_year_label

OVERDUE_LISTED = 50
RECENT_UPDATES_LISTED = 20


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    COMPLETE = "complete", "Complete"


def rag_for(status: str, due_on: datetime.date, today: datetime.date) -> str:
    if status == MilestoneStatus.DONE:
        return Rag.COMPLETE
    if due_on < today or status == MilestoneStatus.OFF_TRACK:
        return Rag.RED
    if status == MilestoneStatus.AT_RISK:
        return Rag.AMBER
    return Rag.GREEN


def rag_case(today: datetime.date, prefix: str = "") -> Case:
    """:func:`rag_for` as a database expression over ``<prefix>status`` and ``<prefix>due_on``."""
    status, due_on = f"{prefix}status", f"{prefix}due_on"
    return Case(
        When(**{status: MilestoneStatus.DONE}, then=Value(Rag.COMPLETE.value)),
        When(
            Q(**{f"{due_on}__lt": today}) | Q(**{status: MilestoneStatus.OFF_TRACK}),
            then=Value(Rag.RED.value),
        ),
        When(**{status: MilestoneStatus.AT_RISK}, then=Value(Rag.AMBER.value)),
        default=Value(Rag.GREEN.value),
        output_field=CharField(),
    )


@dataclass
class Tally:
    """One bar of a chart: a status or a RAG rating, and how many milestones have it."""

    key: str
    label: str
    count: int = 0


@dataclass
class MNVPProgress:
    name: str
    partnership_id: int | None
    workplan: Workplan | None = None
    statuses: dict[str, Tally] = field(
        default_factory=lambda: {value: Tally(value, label) for value, label in MilestoneStatus.choices}
    )
    rags: dict[str, Tally] = field(
        default_factory=lambda: {value: Tally(value, label) for value, label in Rag.choices}
    )
    overdue: int = 0

    @property
    def total(self) -> int:
        return sum(tally.count for tally in self.statuses.values())

    @property
    def done(self) -> int:
        return self.statuses[MilestoneStatus.DONE].count

    @property
    def status_tallies(self) -> list[Tally]:
        return list(self.statuses.values())

    @property
    def rag_tallies(self) -> list[Tally]:
        return list(self.rags.values())

    def add(self, status: str, rag: str, overdue: bool, count: int) -> None:
        self.statuses[status].count += count
        self.rags[rag].count += count
        if overdue:
            self.overdue += count


@dataclass
class ProgressReport:
    year: int
    today: datetime.date
    mnvps: list[MNVPProgress]
    overdue: list[Milestone]
    recent_updates: list[MilestoneUpdate]

    @property
    def year_label(self) -> str:
        return financial_year_label(self.year)

    @property
    def is_empty(self) -> bool:
        return not self.mnvps

    @cached_property
    def total(self) -> MNVPProgress:
        total = MNVPProgress("All MNVPs", None)
        for mnvp in self.mnvps:
            for key, tally in mnvp.statuses.items():
                total.statuses[key].count += tally.count
            for key, tally in mnvp.rags.items():
                total.rags[key].count += tally.count
            total.overdue += mnvp.overdue
        return total

    @cached_property
    def largest(self) -> int:
        """The longest bar, so every MNVP's bars share one scale (read once per MNVP by the template)."""
        counts = [t.count for m in self.mnvps for t in (*m.status_tallies, *m.rag_tallies)]
        return max(counts, default=0)


def workplan_progress(
    user, *, year: int, today: datetime.date, partnership: Partnership | None = None
) -> ProgressReport:
    """Each MNVP's milestones in ``year``'s workplan by status and RAG, the overdue, the latest updates.

    Five queries (plus the scope's own, cached per request): the MNVPs, their
    workplans, one grouped count, the overdue list and the recent updates.
    """
    partnerships = Partnership.objects.for_user(user, "view").order_by("name")
    milestones = Milestone.objects.for_user(user, "view").filter(objective__workplan__year=year)
    updates = MilestoneUpdate.objects.for_user(user, "view").filter(milestone__objective__workplan__year=year)
    workplans = Workplan.objects.for_user(user, "view").filter(year=year)
    if partnership is not None:
        partnerships = partnerships.filter(pk=partnership.pk)
        milestones = milestones.filter(objective__workplan__partnership=partnership)
        updates = updates.filter(milestone__objective__workplan__partnership=partnership)
        workplans = workplans.filter(partnership=partnership)

    rows = {pk: MNVPProgress(name, pk) for pk, name in partnerships.values_list("pk", "name")}
    for workplan in workplans:
        if workplan.partnership_id in rows:
            rows[workplan.partnership_id].workplan = workplan

    open_and_late = Q(due_on__lt=today) & ~Q(status=MilestoneStatus.DONE)
    counts = (
        # Only the rows' MNVPs are counted anyway; naming them lets the database start from
        # their workplans (by the partnership and year index) rather than scan every milestone:
        # 14 ms -> 4 ms on SQLite at 50 MNVPs and 5,000 milestones.
        milestones.filter(objective__workplan__partnership__in=list(rows))
        .annotate(
            rag=rag_case(today),
            late=Case(When(open_and_late, then=Value(True)), default=Value(False)),
        )
        .values_list("objective__workplan__partnership_id", "status", "rag", "late")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for partnership_id, status, rag, late, count in counts:
        if partnership_id in rows:
            rows[partnership_id].add(status, rag, late, count)

    overdue = list(
        milestones.overdue(today)
        .select_related("objective__workplan__partnership", "owner")
        .order_by("due_on", "pk")[:OVERDUE_LISTED]
    )
    recent = list(
        updates.select_related("milestone__objective__workplan__partnership", "by").order_by("-at", "-pk")[
            :RECENT_UPDATES_LISTED
        ]
    )
    return ProgressReport(
        year=year, today=today, mnvps=list(rows.values()), overdue=overdue, recent_updates=recent
    )


# --- The dashboard ------------------------------------------------------------------------


def milestone_rag_counts(user, *, year: int, today: datetime.date) -> dict[str, int]:
    """Milestones of ``year``'s workplans of the MNVPs ``user`` may see, per RAG rating (one query)."""
    counts = dict.fromkeys(Rag.values, 0)
    rows = (
        Milestone.objects.for_user(user, "view")
        .filter(objective__workplan__year=year)
        .annotate(rag=rag_case(today))
        .order_by()
        .values("rag")
        .annotate(n=Count("pk"))
        .values_list("rag", "n")
    )
    for rag, n in rows:
        counts[rag] = n
    return counts


@dataclass(frozen=True)
class MilestonesToUpdate:
    overdue: int
    due_soon: int

    @property
    def total(self) -> int:
        return self.overdue + self.due_soon


def milestones_to_update(user, *, today: datetime.date, within: int = 30) -> MilestonesToUpdate:
    """Open milestones of the MNVPs ``user`` works on: overdue, and due within ``within`` days (one query)."""
    latest = today + datetime.timedelta(days=within)
    counts = (
        Milestone.objects.for_user(user, "change")
        .open()
        .filter(due_on__lte=latest)
        .aggregate(
            overdue=Count("pk", filter=Q(due_on__lt=today)),
            due_soon=Count("pk", filter=Q(due_on__gte=today)),
        )
    )
    return MilestonesToUpdate(overdue=counts["overdue"], due_soon=counts["due_soon"])

"""The budget selector: planned against actual, per line, per MNVP and for the host.

For each budget line:

* **agreed**: the amount agreed in the workplan;
* **committed**: approved but not yet paid (expense claims and involvement payments
  charged to the line);
* **spent**: paid;
* **remaining**: agreed less committed and spent (negative when overspent).

Claims submitted but not yet decided are shown beside the line as *awaiting
approval*: not committed yet, but coming. Three queries, however many lines, MNVPs,
claims or payments: the lines, then one grouped sum each of claims and payments.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from members.models import Partnership

from ..enums import ClaimStatus, PaymentStatus
from ..models import BudgetLine, ExpenseClaim, InvolvementPayment, Workplan
from ..money import ZERO, pounds


@dataclass
class Figures:
    agreed: Decimal = ZERO
    committed: Decimal = ZERO
    spent: Decimal = ZERO
    awaiting: Decimal = ZERO

    @property
    def remaining(self) -> Decimal:
        return pounds(self.agreed - self.committed - self.spent)

    @property
    def used(self) -> Decimal:
        return pounds(self.committed + self.spent)

    @property
    def overspent(self) -> bool:
        return self.remaining < 0

    def add(self, other: Figures) -> None:
        self.agreed += other.agreed
        self.committed += other.committed
        self.spent += other.spent
        self.awaiting += other.awaiting


@dataclass
class LineSummary(Figures):
    line: BudgetLine | None = None

    @property
    def label(self) -> str:
        return str(self.line)


@dataclass
class WorkplanBudget(Figures):
    workplan: Workplan | None = None
    lines: list[LineSummary] = field(default_factory=list)

    @property
    def partnership(self) -> Partnership:
        return self.workplan.partnership

    @property
    def name(self) -> str:
        return f"{self.workplan.partnership} {self.workplan.year_label}"


@dataclass
class BudgetSummary(Figures):
    """Every workplan asked for, and the host's total across them."""

    workplans: list[WorkplanBudget] = field(default_factory=list)

    @property
    def largest(self) -> Decimal:
        """The biggest figure on any line: the scale of the bars."""
        figures = [max(line.agreed, line.used) for wp in self.workplans for line in wp.lines]
        return max(figures, default=ZERO)


def _sums(queryset, amount_field: str, committed: str, spent: str, awaiting: str | None = None):
    """``{line_id: {status: total}}`` for one model, in one grouped query."""
    statuses = [s for s in (committed, spent, awaiting) if s]
    rows = (
        queryset.filter(status__in=statuses)
        .values("budget_line_id", "status")
        .annotate(total=Sum(amount_field))
        .order_by()
    )
    found: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for row in rows:
        found[row["budget_line_id"]][row["status"]] = row["total"] or ZERO
    return found


def budget_summary(*, user, workplans=None, partnerships=None, year: int | None = None) -> BudgetSummary:
    """Planned against actual for the workplans ``user`` may see.

    Narrow by ``workplans`` (a queryset or list), ``partnerships`` and/or the
    financial ``year`` (its starting year); all of them are further narrowed to the
    user's scope, so a lead asking for another MNVP gets nothing.
    """
    lines = BudgetLine.objects.for_user(user, "view").select_related("workplan__partnership")
    if workplans is not None:
        lines = lines.filter(workplan__in=[getattr(w, "pk", w) for w in workplans])
    if partnerships is not None:
        lines = lines.filter(workplan__partnership__in=[getattr(p, "pk", p) for p in partnerships])
    if year is not None:
        lines = lines.filter(workplan__year=year)
    lines = list(lines.order_by("workplan__partnership__name", "-workplan__year", "category", "description"))
    line_ids = [line.pk for line in lines]

    claims = _sums(
        ExpenseClaim.objects.filter(budget_line__in=line_ids),
        "total",
        committed=ClaimStatus.APPROVED,
        spent=ClaimStatus.PAID,
        awaiting=ClaimStatus.SUBMITTED,
    )
    payments = _sums(
        InvolvementPayment.objects.filter(budget_line__in=line_ids),
        "amount",
        committed=PaymentStatus.APPROVED,
        spent=PaymentStatus.PAID,
    )

    summary = BudgetSummary()
    by_workplan: dict[int, WorkplanBudget] = {}
    for line in lines:
        claimed, paid = claims.get(line.pk, {}), payments.get(line.pk, {})
        figures = LineSummary(
            line=line,
            agreed=pounds(line.amount_agreed),
            committed=pounds(
                claimed.get(ClaimStatus.APPROVED, ZERO) + paid.get(PaymentStatus.APPROVED, ZERO)
            ),
            spent=pounds(claimed.get(ClaimStatus.PAID, ZERO) + paid.get(PaymentStatus.PAID, ZERO)),
            awaiting=pounds(claimed.get(ClaimStatus.SUBMITTED, ZERO)),
        )
        workplan = by_workplan.get(line.workplan_id)
        if workplan is None:
            workplan = by_workplan[line.workplan_id] = WorkplanBudget(workplan=line.workplan)
            summary.workplans.append(workplan)
        workplan.lines.append(figures)
        workplan.add(figures)
        summary.add(figures)
    return summary

"""The funding request of an MNVP for a financial year, in the shape of the reference template.

The template is appendix 2 of the London co-production resource ("Funding and
resource template"): one row per kind of need, the national guidance beside it, the
amount requested, and a total. Each row here is filled from the workplan's budget
lines of the matching :class:`~workplans.enums.BudgetCategory` (the amounts agreed,
summed per category); the template's ten rows always appear, the host's extra
categories (translation, vouchers, other) only where the workplan has them.
Amounts are Decimal pounds; the total is the exact sum of the rows.

One query for the workplan, one for its lines (summed by the database), one for the
rate in force, one for the MNVP's current leads.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from members.models import Membership, Partnership

from .enums import BudgetCategory
from .models import BudgetLine, InvolvementRate, Workplan
from .models.plans import financial_year_label
from .money import ZERO, pounds

LEAD_ROLES = ("lead", "neonatal_lead", "bereavement_lead")
PPV_GUIDANCE = "PPV involvement payment: {half} a half day, {full} a day"
EXPENSES_GUIDANCE = "Out-of-pocket expenses: travel, subsistence, carer and childcare costs"

# (category, the template's wording, whether the PPV rates are its guidance, always shown)
TEMPLATE_ROWS: list[tuple[str, str, str, bool]] = [
    (
        BudgetCategory.LEAD_REMUNERATION,
        "Remuneration for the service-user lead's role, including preparing for and chairing MNVP meetings",
        "rates",
        True,
    ),
    (BudgetCategory.LMNS_INVOLVEMENT, "Involvement in LMNS meetings and working groups", "rates", True),
    (
        BudgetCategory.MEMBER_EXPENSES,
        "Service users' time attending MNVP meetings and outreach with wider service users",
        "expenses",
        True,
    ),
    (BudgetCategory.ADMIN_SUPPORT, "Administrative support (where a service user does it)", "", True),
    (BudgetCategory.CRECHE, "Crèche provision for MNVP meetings and development days", "", True),
    (BudgetCategory.VENUE_HIRE, "Venue hire (where free venues cannot be found)", "", True),
    (BudgetCategory.DEVELOPMENT_DAY, "Annual development day", "", True),
    (
        BudgetCategory.OUTREACH,
        "Resources for outreach engagement, to extend the partnership's reach",
        "",
        True,
    ),
    (BudgetCategory.PROMOTION, "Promotional materials", "", True),
    (BudgetCategory.TRAINING, "Providing or facilitating training for the lead(s)", "", True),
    (BudgetCategory.TRANSLATION, "Translation and interpreting", "", False),
    (BudgetCategory.VOUCHERS, "Participation vouchers", "", False),
    (BudgetCategory.OTHER, "Other", "", False),
]


@dataclass
class FundingRow:
    category: str
    requirement: str
    guidance: str
    amount: Decimal


@dataclass
class FundingRequest:
    partnership: Partnership
    year: int
    workplan: Workplan | None
    contacts: list[Membership] = field(default_factory=list)
    rows: list[FundingRow] = field(default_factory=list)

    @property
    def year_label(self) -> str:
        return financial_year_label(self.year)

    @property
    def total(self) -> Decimal:
        return pounds(sum((row.amount for row in self.rows), ZERO))

    @property
    def named_contact(self) -> str:
        return "; ".join(f"{m.person} ({m.get_role_display()})" for m in self.contacts)

    @property
    def contact_details(self) -> str:
        return "; ".join(m.person.email for m in self.contacts if m.person.email)

    @property
    def overview(self) -> str:
        return self.workplan.strategy if self.workplan else ""

    @property
    def title(self) -> str:
        return f"Funding request {self.year_label}: {self.partnership.name}"


def _guidance(kind: str, rate: InvolvementRate | None) -> str:
    if kind == "rates" and rate is not None:
        return PPV_GUIDANCE.format(half=f"£{rate.half_day:,.2f}", full=f"£{rate.full_day:,.2f}")
    if kind == "expenses":
        return EXPENSES_GUIDANCE
    return ""


def funding_request(
    *, partnership: Partnership, year: int, on: datetime.date | None = None
) -> FundingRequest:
    """The funding request of ``partnership`` for the financial year starting ``year``.

    The caller has checked that the user may see ``partnership`` (the views do,
    through the scoping helper). Without a workplan every row is 0.00.
    """
    on = on or timezone.localdate()
    workplan = Workplan.objects.filter(partnership=partnership, year=year).first()
    sums: dict[str, Decimal] = {}
    if workplan is not None:
        sums = {
            row["category"]: row["total"]
            for row in BudgetLine.objects.filter(workplan=workplan)
            .values("category")
            .annotate(total=Sum("amount_agreed"))
            .order_by()
        }
    rate = InvolvementRate.objects.filter(effective_from__lte=on).order_by("-effective_from").first()
    contacts = list(
        Membership.objects.current(on)
        .filter(partnership=partnership, role__in=LEAD_ROLES)
        .select_related("person")
        .order_by("role", "person__last_name")
    )
    request = FundingRequest(partnership=partnership, year=year, workplan=workplan, contacts=contacts)
    for category, requirement, guidance, always in TEMPLATE_ROWS:
        if always or category in sums:
            request.rows.append(
                FundingRow(
                    category=category,
                    requirement=requirement,
                    guidance=_guidance(guidance, rate),
                    amount=pounds(sums.get(category, ZERO)),
                )
            )
    return request

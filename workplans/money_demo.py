"""Demo money: budget lines for each MNVP's current workplan, claims in every state, payments.

Run after the members demo (people, memberships, logins) and the workplans demo
(one workplan per MNVP): ``seed_money()``. Everything goes through the services,
so the demo obeys the same rules as the screens. Idempotent: an MNVP whose current
workplan already has budget lines is left as it is.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from members.enums import PPVCategory, Role
from members.models import Membership, Partnership, User
from members.roles import group_name

from .enums import BudgetCategory, ExpenseKind, PaymentLength
from .models import BudgetLine, Workplan
from .models.plans import financial_year_of
from .services import claims as claim_services
from .services import payments as payment_services

# The host's template (London co-production resource, appendix 2), scaled for a demo MNVP.
DEMO_BUDGET = [
    (BudgetCategory.LEAD_REMUNERATION, Decimal("18000.00")),
    (BudgetCategory.LMNS_INVOLVEMENT, Decimal("2400.00")),
    (BudgetCategory.MEMBER_EXPENSES, Decimal("1500.00")),
    (BudgetCategory.ADMIN_SUPPORT, Decimal("3000.00")),
    (BudgetCategory.CRECHE, Decimal("600.00")),
    (BudgetCategory.VENUE_HIRE, Decimal("900.00")),
    (BudgetCategory.DEVELOPMENT_DAY, Decimal("750.00")),
    (BudgetCategory.OUTREACH, Decimal("500.00")),
    (BudgetCategory.TRANSLATION, Decimal("800.00")),
    (BudgetCategory.VOUCHERS, Decimal("400.00")),
]


def _host_user() -> User | None:
    return (
        User.objects.filter(is_active=True, groups__name=group_name(Role.HOST_STAFF)).order_by("pk").first()
        or User.objects.filter(is_superuser=True).order_by("pk").first()
    )


def _approver(partnership: Partnership, host: User) -> User:
    """A lead of the MNVP (not the host user who entered the claims), else the host."""
    from members.enums import PartnershipRole
    from members.models import PartnershipAccess

    access = (
        PartnershipAccess.objects.filter(partnership=partnership, role=PartnershipRole.MNVP_LEAD)
        .select_related("user")
        .first()
    )
    return access.user if access else host


def _claim(partnership, claimant, host, line, *, purpose, days_ago, items):
    claim = claim_services.create_claim(
        partnership=partnership, claimant=claimant, purpose=purpose, budget_line=line, acting_user=host
    )
    today = timezone.localdate()
    for kind, description, figure in items:
        claim_services.add_expense_item(
            claim=claim,
            kind=kind,
            spent_on=today - datetime.timedelta(days=days_ago),
            description=description,
            miles=figure if kind == ExpenseKind.MILEAGE else None,
            amount=None if kind == ExpenseKind.MILEAGE else figure,
            acting_user=host,
        )
    return claim


def _submit(claim, host, days_ago):
    claim = claim_services.submit_claim(claim=claim, acting_user=host)
    claim.submitted_at = timezone.now() - datetime.timedelta(days=days_ago)
    claim.save(update_fields=["submitted_at"])
    return claim


@transaction.atomic
def seed_money() -> int:
    """Budget lines, claims in every state and involvement payments for each MNVP's current workplan.

    Returns how many MNVPs were seeded (0 on a second run).
    """
    host = _host_user()
    if host is None:
        return 0
    today = timezone.localdate()
    seeded = 0
    for workplan in Workplan.objects.filter(year=financial_year_of(today)).select_related("partnership"):
        if workplan.budget_lines.exists():
            continue
        partnership = workplan.partnership
        lines = {
            category: BudgetLine.objects.create(workplan=workplan, category=category, amount_agreed=amount)
            for category, amount in DEMO_BUDGET
        }
        members = Membership.objects.current(today).filter(partnership=partnership).select_related("person")
        claimants = [m.person for m in members if m.ppv_category in (PPVCategory.B, PPVCategory.C)]
        paid_members = [m.person for m in members if m.ppv_category == PPVCategory.C]
        approver = _approver(partnership, host)
        # Nobody approves their own claim: leave the approver's own claims out of the demo.
        claimants = [p for p in claimants if p.email.lower() != (approver.email or "").lower()]
        if claimants:
            _seed_claims(partnership, claimants, host, approver, lines[BudgetCategory.MEMBER_EXPENSES])
        for person in dict.fromkeys(paid_members):
            _seed_payments(partnership, person, host, lines[BudgetCategory.LMNS_INVOLVEMENT])
        seeded += 1
    return seeded


def _seed_claims(partnership, claimants, host, approver, line):
    """One claim in each state: draft, submitted (one overdue), approved, rejected, paid."""
    today = timezone.localdate()

    def who(index):
        return claimants[index % len(claimants)]

    _claim(
        partnership,
        who(0),
        host,
        line,
        purpose="Listening event at the children's centre",
        days_ago=1,
        items=[(ExpenseKind.FARES, "Bus there and back", Decimal("5.40"))],
    )  # a draft
    _submit(
        _claim(
            partnership,
            who(1),
            host,
            line,
            purpose="Walk the Patch on the labour ward",
            days_ago=4,
            items=[(ExpenseKind.MILEAGE, "Home to the hospital and back", Decimal("18.6"))],
        ),
        host,
        days_ago=3,
    )
    _submit(
        _claim(
            partnership,
            who(2),
            host,
            line,
            purpose="MNVP quarterly meeting",
            days_ago=40,
            items=[
                (ExpenseKind.MILEAGE, "Home to the meeting", Decimal("23.0")),
                (ExpenseKind.CHILDCARE, "Childminder for the afternoon", Decimal("24.00")),
            ],
        ),
        host,
        days_ago=38,
    )  # submitted long ago: the unpaid alert picks it up
    approved = _submit(
        _claim(
            partnership,
            who(0),
            host,
            line,
            purpose="Fifteen Steps visit",
            days_ago=12,
            items=[
                (ExpenseKind.FARES, "Train return", Decimal("14.70")),
                (ExpenseKind.SUBSISTENCE, "Lunch", Decimal("6.35")),
            ],
        ),
        host,
        days_ago=10,
    )
    claim_services.approve_claim(claim=approved, acting_user=approver)
    rejected = _submit(
        _claim(
            partnership,
            who(1),
            host,
            line,
            purpose="Taxi to the focus group",
            days_ago=20,
            items=[(ExpenseKind.FARES, "Taxi", Decimal("32.00"))],
        ),
        host,
        days_ago=19,
    )
    claim_services.reject_claim(
        claim=rejected,
        acting_user=approver,
        reason="Taxis need agreeing beforehand: claim the bus fare instead.",
    )
    paid = _submit(
        _claim(
            partnership,
            who(2),
            host,
            line,
            purpose="Co-production workshop",
            days_ago=30,
            items=[(ExpenseKind.MILEAGE, "Home to the workshop and back", Decimal("31.3"))],
        ),
        host,
        days_ago=28,
    )
    claim_services.approve_claim(claim=paid, acting_user=approver)
    claim_services.mark_claim_paid(
        claim=paid,
        acting_user=host,
        paid_on=today - datetime.timedelta(days=21),
        reference=f"BACS-{paid.pk:05d}",
    )


def _seed_payments(partnership, person, host, line):
    """Benefits advice first, then two LMNS meetings: one paid, one approved and waiting for payroll."""
    today = timezone.localdate()
    payment_services.record_benefits_advice(
        person=person,
        told_on=today - datetime.timedelta(days=60),
        acting_user=host,
        note="Explained at induction",
    )
    paid = payment_services.record_involvement_payment(
        person=person,
        partnership=partnership,
        activity="LMNS board meeting",
        activity_on=today - datetime.timedelta(days=35),
        length=PaymentLength.HALF_DAY,
        budget_line=line,
        acting_user=host,
    )
    payment_services.mark_payment_paid(
        payment=paid, acting_user=host, paid_on=today - datetime.timedelta(days=20), reference="Payroll"
    )
    payment_services.record_involvement_payment(
        person=person,
        partnership=partnership,
        activity="Development day",
        activity_on=today - datetime.timedelta(days=6),
        length=PaymentLength.FULL_DAY,
        budget_line=line,
        acting_user=host,
    )

"""Money arithmetic: one rounding helper, tax years at their boundary, and the budget selector."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.enums import PPVCategory
from tests.factories import UserFactory
from workplans.enums import BudgetCategory, ClaimStatus, PaymentLength, PaymentStatus
from workplans.models import ExpenseClaim, InvolvementPayment, InvolvementRate
from workplans.money import pounds, tax_year_bounds, tax_year_label, tax_year_of
from workplans.services.budgets import budget_summary

from .money_factories import BudgetLineFactory, MoneyWorkplanFactory, member


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0.125", "0.13"), ("0.124", "0.12"), ("5.985", "5.99"), (3, "3.00"), (None, "0.00"), ("2.675", "2.68")],
)
def test_pounds_rounds_half_up_to_the_penny(value, expected):
    assert pounds(Decimal(value) if isinstance(value, str) else value) == Decimal(expected)


def test_pounds_refuses_floats():
    with pytest.raises(TypeError):
        pounds(0.1)


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (datetime.date(2026, 4, 5), 2025),
        (datetime.date(2026, 4, 6), 2026),
        (datetime.date(2027, 1, 1), 2026),
        (datetime.date(2027, 4, 5), 2026),
        (datetime.date(2026, 3, 31), 2025),
    ],
)
def test_tax_year_turns_on_6_april(day, year):
    assert tax_year_of(day) == year


def test_tax_year_bounds_and_label():
    assert tax_year_bounds(2026) == (datetime.date(2026, 4, 6), datetime.date(2027, 4, 5))
    assert tax_year_label(2026) == "2026/27"


# The budget selector -------------------------------------------------------------------------


def claim(line, total, status, claimant, creator):
    return ExpenseClaim.objects.create(
        partnership=line.workplan.partnership,
        claimant=claimant,
        budget_line=line,
        purpose="Meeting",
        status=status,
        total=Decimal(total),
        created_by=creator,
        paid_on=datetime.date(2026, 5, 1) if status == ClaimStatus.PAID else None,
        rejection_reason="No receipt" if status == ClaimStatus.REJECTED else "",
    )


def payment(line, amount, status, person, creator):
    return InvolvementPayment.objects.create(
        partnership=line.workplan.partnership,
        person=person,
        budget_line=line,
        activity="LMNS board",
        activity_on=datetime.date(2026, 5, 1),
        length=PaymentLength.HALF_DAY,
        rate=InvolvementRate.objects.first(),
        amount=Decimal(amount),
        status=status,
        approved_by=creator,
        paid_on=datetime.date(2026, 5, 2) if status == PaymentStatus.PAID else None,
    )


@pytest.fixture
def lines(north, south, host_staff):
    north_plan = MoneyWorkplanFactory(partnership=north)
    south_plan = MoneyWorkplanFactory(partnership=south)
    return {
        "expenses": BudgetLineFactory(workplan=north_plan, amount_agreed=Decimal("500.00")),
        "lmns": BudgetLineFactory(
            workplan=north_plan, category=BudgetCategory.LMNS_INVOLVEMENT, amount_agreed=Decimal("900.00")
        ),
        "south": BudgetLineFactory(workplan=south_plan, amount_agreed=Decimal("300.00")),
    }


def test_committed_spent_and_remaining_per_line_mnvp_and_host(lines, north, host_staff):
    person = member(north, PPVCategory.C)
    expenses, lmns = lines["expenses"], lines["lmns"]
    claim(expenses, "10.10", ClaimStatus.APPROVED, person, host_staff)
    claim(expenses, "20.20", ClaimStatus.PAID, person, host_staff)
    claim(expenses, "5.00", ClaimStatus.SUBMITTED, person, host_staff)
    claim(expenses, "7.00", ClaimStatus.DRAFT, person, host_staff)
    claim(expenses, "8.00", ClaimStatus.REJECTED, person, host_staff)
    payment(lmns, "75.00", PaymentStatus.APPROVED, person, host_staff)
    payment(lmns, "150.00", PaymentStatus.PAID, person, host_staff)
    payment(lmns, "75.00", PaymentStatus.CANCELLED, person, host_staff)

    summary = budget_summary(user=host_staff, year=2026)

    by_line = {line.line.pk: line for wp in summary.workplans for line in wp.lines}
    assert (by_line[expenses.pk].committed, by_line[expenses.pk].spent) == (
        Decimal("10.10"),
        Decimal("20.20"),
    )
    assert by_line[expenses.pk].remaining == Decimal("469.70")
    assert by_line[expenses.pk].awaiting == Decimal("5.00")
    assert (by_line[lmns.pk].committed, by_line[lmns.pk].spent) == (Decimal("75.00"), Decimal("150.00"))
    assert by_line[lmns.pk].remaining == Decimal("675.00")
    north_budget = next(wp for wp in summary.workplans if wp.partnership == north)
    assert north_budget.agreed == Decimal("1400.00")
    assert north_budget.remaining == Decimal("1144.70")
    assert summary.agreed == Decimal("1700.00")
    assert summary.remaining == Decimal("1444.70")


def test_an_overspent_line_has_a_negative_remainder(lines, north, host_staff):
    person = member(north)
    claim(lines["south"], "300.01", ClaimStatus.PAID, member(lines["south"].workplan.partnership), host_staff)
    summary = budget_summary(user=host_staff, partnerships=[lines["south"].workplan.partnership])
    (line,) = summary.workplans[0].lines
    assert line.remaining == Decimal("-0.01")
    assert line.overspent
    assert person  # the north member is untouched by the south summary


def test_many_odd_pennies_add_up_to_the_penny(north, host_staff):
    line = BudgetLineFactory(
        workplan=MoneyWorkplanFactory(partnership=north), amount_agreed=Decimal("10000.00")
    )
    person = member(north)
    amounts = [Decimal("0.01"), Decimal("0.07"), Decimal("1.33"), Decimal("2.99"), Decimal("0.10")] * 40
    for amount in amounts:
        claim(line, amount, ClaimStatus.PAID, person, host_staff)
    summary = budget_summary(user=host_staff)
    (figures,) = summary.workplans[0].lines
    assert figures.spent == sum(amounts) == Decimal("180.00")
    assert figures.remaining == Decimal("9820.00")


def test_a_lead_sees_only_their_own_mnvps_budget(lines, north, south, north_lead, north_commissioner):
    for user in (north_lead, north_commissioner):
        summary = budget_summary(user=user, partnerships=[south])
        assert summary.workplans == []
        assert [wp.partnership for wp in budget_summary(user=user).workplans] == [north]


def test_the_budget_summary_takes_a_fixed_number_of_queries(lines, north, south, host_staff):
    budget_summary(user=host_staff)  # warm the permission caches
    with CaptureQueriesContext(connection) as few:
        budget_summary(user=host_staff)
    person = member(north)
    for index in range(10):
        plan = MoneyWorkplanFactory(partnership=north, year=2027 + index)
        for category in (BudgetCategory.TRAINING, BudgetCategory.VENUE_HIRE):
            extra = BudgetLineFactory(workplan=plan, category=category)
            claim(extra, "1.00", ClaimStatus.PAID, person, host_staff)
            payment(extra, "75.00", PaymentStatus.APPROVED, person, host_staff)
    with CaptureQueriesContext(connection) as many:
        summary = budget_summary(user=host_staff)
    assert len(summary.workplans) == 12
    assert len(many.captured_queries) == len(few.captured_queries) <= 3


def test_budget_lines_with_no_money_against_them_show_the_whole_amount(lines, host_staff):
    user = UserFactory(is_superuser=True)
    summary = budget_summary(user=user, workplans=[lines["south"].workplan])
    (line,) = summary.workplans[0].lines
    assert (line.committed, line.spent, line.remaining) == (
        Decimal("0.00"),
        Decimal("0.00"),
        Decimal("300.00"),
    )

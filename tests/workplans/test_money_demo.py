"""The money demo: claims in every state, payments to category C members, a budget part spent; idempotent."""

import pytest

from members.enums import PPVCategory
from workplans.enums import ClaimStatus, PaymentStatus
from workplans.models import BenefitsAdviceRecord, BudgetLine, ExpenseClaim, InvolvementPayment
from workplans.models.plans import financial_year_of
from workplans.money_demo import seed_money
from workplans.services.budgets import budget_summary

from .money_factories import MoneyWorkplanFactory, member

pytestmark = pytest.mark.django_db


def test_seed_money_covers_every_claim_state_and_is_idempotent(north, north_lead, host_staff):
    from django.utils import timezone

    MoneyWorkplanFactory(partnership=north, year=financial_year_of(timezone.localdate()))
    paid_member = member(north, PPVCategory.C)
    member(north, PPVCategory.B)
    member(north, PPVCategory.A)

    assert seed_money() == 1
    counts = (BudgetLine.objects.count(), ExpenseClaim.objects.count(), InvolvementPayment.objects.count())
    assert seed_money() == 0
    assert counts == (
        BudgetLine.objects.count(),
        ExpenseClaim.objects.count(),
        InvolvementPayment.objects.count(),
    )

    assert set(ExpenseClaim.objects.values_list("status", flat=True)) == set(ClaimStatus.values)
    assert set(InvolvementPayment.objects.values_list("person", flat=True)) == {paid_member.pk}
    assert set(InvolvementPayment.objects.values_list("status", flat=True)) == {
        PaymentStatus.APPROVED,
        PaymentStatus.PAID,
    }
    assert BenefitsAdviceRecord.objects.filter(person=paid_member).exists()
    summary = budget_summary(user=host_staff)
    assert 0 < summary.spent < summary.agreed
    assert summary.committed > 0

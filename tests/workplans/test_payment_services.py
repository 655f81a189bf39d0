"""Involvement payments: category C only, the benefits-advice gate, dated rates, tax-year totals."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from members.enums import PPVCategory
from workplans.enums import PaymentLength, PaymentStatus
from workplans.models import InvolvementRate
from workplans.services import claims as claim_services
from workplans.services import payments as services

from .money_factories import member

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def advised(person, user):
    services.record_benefits_advice(person=person, told_on=datetime.date(2020, 1, 1), acting_user=user)
    return person


def pay(person, partnership, user, on=None, length=PaymentLength.HALF_DAY):
    return services.record_involvement_payment(
        person=person,
        partnership=partnership,
        activity="LMNS board",
        activity_on=on or TODAY,
        length=length,
        acting_user=user,
    )


@pytest.mark.parametrize(
    ("category", "expenses", "fees"), [("A", False, False), ("B", True, False), ("C", True, True)]
)
def test_payment_rules_per_ppv_category(north, host_staff, category, expenses, fees):
    person = advised(member(north, category), host_staff)
    assert claim_services.may_claim_expenses(person, north) is expenses
    if fees:
        assert pay(person, north, host_staff).amount == Decimal("75.00")
    else:
        with pytest.raises(ValidationError, match="only category C members"):
            pay(person, north, host_staff)


def test_no_payment_until_benefits_advice_is_recorded(north, host_staff):
    person = member(north, PPVCategory.C)
    with pytest.raises(ValidationError, match="benefits"):
        pay(person, north, host_staff)
    services.record_benefits_advice(person=person, told_on=TODAY, acting_user=host_staff, note="By phone")
    assert pay(person, north, host_staff).status == PaymentStatus.APPROVED


def test_the_category_on_the_day_of_the_activity_counts(north, host_staff):
    person = advised(member(north, PPVCategory.C), host_staff)
    membership = person.memberships.get()
    membership.start_date = TODAY - datetime.timedelta(days=5)
    membership.save()
    with pytest.raises(ValidationError):
        pay(person, north, host_staff, on=TODAY - datetime.timedelta(days=6))
    assert pay(person, north, host_staff, on=TODAY - datetime.timedelta(days=5))


def test_the_rate_in_force_on_the_activity_date_applies(north, host_staff):
    change = TODAY - datetime.timedelta(days=30)
    InvolvementRate.objects.create(
        effective_from=change, half_day=Decimal("80.00"), full_day=Decimal("160.00")
    )
    person = advised(member(north, PPVCategory.C), host_staff)
    day_before = pay(
        person, north, host_staff, on=change - datetime.timedelta(days=1), length=PaymentLength.FULL_DAY
    )
    on_the_day = pay(person, north, host_staff, on=change, length=PaymentLength.FULL_DAY)
    half = pay(person, north, host_staff, on=change + datetime.timedelta(days=1))
    assert (day_before.amount, on_the_day.amount, half.amount) == (
        Decimal("150.00"),
        Decimal("160.00"),
        Decimal("80.00"),
    )
    assert on_the_day.rate.effective_from == change


def test_only_host_staff_record_and_pay_involvement_payments(north, north_lead, host_staff):
    person = advised(member(north, PPVCategory.C), host_staff)
    with pytest.raises(PermissionDenied):
        pay(person, north, north_lead)
    payment = pay(person, north, host_staff)
    with pytest.raises(PermissionDenied):
        services.mark_payment_paid(payment=payment, acting_user=north_lead, paid_on=TODAY)
    paid = services.mark_payment_paid(
        payment=payment, acting_user=host_staff, paid_on=TODAY, reference="PR-7"
    )
    assert (paid.status, paid.paid_on) == (PaymentStatus.PAID, TODAY)
    with pytest.raises(ValidationError):
        services.cancel_payment(payment=paid, acting_user=host_staff)


def test_a_lead_cannot_record_benefits_advice(north, north_lead):
    with pytest.raises(PermissionDenied):
        services.record_benefits_advice(person=member(north, "C"), told_on=TODAY, acting_user=north_lead)


@pytest.mark.parametrize(
    ("paid_on", "tax_year"),
    [(datetime.date(2026, 4, 5), 2025), (datetime.date(2026, 4, 6), 2026)],
)
def test_tax_year_totals_turn_on_6_april(north, host_staff, paid_on, tax_year):
    person = advised(member(north, PPVCategory.C), host_staff)
    for _ in range(3):
        payment = pay(person, north, host_staff, on=datetime.date(2026, 4, 1))
        services.mark_payment_paid(payment=payment, acting_user=host_staff, paid_on=paid_on)
    unpaid = pay(person, north, host_staff, on=datetime.date(2026, 4, 2))
    assert unpaid.status == PaymentStatus.APPROVED

    (row,) = services.tax_year_totals()
    assert (row.person_id, row.tax_year, row.payments, row.total) == (
        person.pk,
        tax_year,
        3,
        Decimal("225.00"),
    )
    assert services.person_tax_year_total(person, tax_year) == Decimal("225.00")
    assert services.person_tax_year_total(person, tax_year + 1) == Decimal("0.00")


def test_tax_year_totals_separate_the_years_either_side_of_the_boundary(north, host_staff):
    person = advised(member(north, PPVCategory.C), host_staff)
    for paid_on in (datetime.date(2026, 4, 5), datetime.date(2026, 4, 6), datetime.date(2026, 4, 6)):
        payment = pay(person, north, host_staff, on=datetime.date(2026, 4, 1))
        services.mark_payment_paid(payment=payment, acting_user=host_staff, paid_on=paid_on)
    totals = {row.tax_year: row.total for row in services.tax_year_totals()}
    assert totals == {2025: Decimal("75.00"), 2026: Decimal("150.00")}

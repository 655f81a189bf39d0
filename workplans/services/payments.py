"""Involvement payments (earnings, not expenses), the benefits-advice record, tax-year totals.

Rules enforced here:

* only a member in PPV category C on the day of the activity is paid (A: nothing;
  B: expenses only);
* nobody is paid until a :class:`~workplans.models.BenefitsAdviceRecord` says they
  were told to seek advice on how payments may affect their state benefits;
* the amount is the half-day or full-day figure of the
  :class:`~workplans.models.InvolvementRate` with the latest ``effective_from`` on or
  before the activity's date;
* payments are host work: recording, paying and cancelling need the host's
  permissions and the MNVP in the user's scope.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import ExtractYear
from django.utils import timezone

from members.enums import PPVCategory
from members.models import Membership, Partnership, Person, User
from members.scoping import scope_queryset, user_can

from ..enums import PaymentLength, PaymentStatus
from ..models import BenefitsAdviceRecord, BudgetLine, InvolvementPayment, InvolvementRate
from ..money import pounds, tax_year_label

ADD_PERMISSION = "workplans.add_involvementpayment"
CHANGE_PERMISSION = "workplans.change_involvementpayment"
PAY_PERMISSION = "workplans.pay_involvementpayment"
ADVICE_PERMISSION = "workplans.add_benefitsadvicerecord"


def _require(user, permission: str, obj) -> None:
    if not user.has_perm(permission) or not user_can(user, "change", obj):
        raise PermissionDenied


def may_be_paid(person: Person, partnership: Partnership, on: datetime.date) -> bool:
    """Whether ``person`` is a category C member of ``partnership`` on ``on``."""
    return (
        Membership.objects.current(on)
        .filter(person=person, partnership=partnership, ppv_category=PPVCategory.C)
        .exists()
    )


def involvement_rate_on(day: datetime.date) -> InvolvementRate:
    """The involvement rate in force on ``day``: the latest to start on or before it."""
    rate = InvolvementRate.objects.filter(effective_from__lte=day).order_by("-effective_from").first()
    if rate is None:
        raise ValidationError({"activity_on": f"No involvement rate was in force on {day:%d %B %Y}."})
    return rate


def rate_amount(rate: InvolvementRate, length: str) -> Decimal:
    return pounds(rate.full_day if length == PaymentLength.FULL_DAY else rate.half_day)


@transaction.atomic
def record_benefits_advice(
    *,
    person: Person,
    told_on: datetime.date,
    acting_user: User,
    note: str = "",
    claims_benefits: bool | None = None,
) -> BenefitsAdviceRecord:
    """Record that ``person`` was told to seek benefits advice (once; a later call corrects it).

    ``claims_benefits`` (whether they say they claim state benefits, which lets the
    host give them a benefits letter) is left as it was when not given.
    """
    if not acting_user.has_perm(ADVICE_PERMISSION):
        raise PermissionDenied
    if not scope_queryset(Person.objects.filter(pk=person.pk), acting_user, "change").exists():
        raise PermissionDenied
    if told_on > timezone.localdate():
        raise ValidationError({"told_on": "Record the advice once it has been given."})
    record, _ = BenefitsAdviceRecord.objects.update_or_create(
        person=person,
        defaults={
            "told_on": told_on,
            "note": note,
            "recorded_by": acting_user,
            **({} if claims_benefits is None else {"claims_benefits": claims_benefits}),
        },
    )
    return record


@transaction.atomic
def record_involvement_payment(
    *,
    person: Person,
    partnership: Partnership,
    activity: str,
    activity_on: datetime.date,
    length: str,
    acting_user: User,
    budget_line: BudgetLine | None = None,
) -> InvolvementPayment:
    """Approve an involvement payment at the rate in force on ``activity_on``.

    Refused for anyone not in PPV category C of ``partnership`` that day, and for
    anyone whose benefits advice is not recorded yet.
    """
    _require(acting_user, ADD_PERMISSION, partnership)
    if activity_on > timezone.localdate():
        raise ValidationError({"activity_on": "Pay for an activity once it has taken place."})
    if not may_be_paid(person, partnership, activity_on):
        raise ValidationError(
            {
                "person": f"{person} was not a category C member of {partnership} on "
                f"{activity_on:%d %B %Y}: only category C members receive involvement payments."
            },
            code="not_category_c",
        )
    if not BenefitsAdviceRecord.objects.filter(person=person).exists():
        raise ValidationError(
            {
                "person": f"Record that {person} was told to seek advice about how payments may affect "
                "their benefits before their first payment."
            },
            code="no_benefits_advice",
        )
    if budget_line is not None and budget_line.workplan.partnership_id != partnership.pk:
        raise ValidationError({"budget_line": "Choose a budget line of this MNVP's workplan."})
    rate = involvement_rate_on(activity_on)
    payment = InvolvementPayment(
        partnership=partnership,
        person=person,
        budget_line=budget_line,
        activity=activity,
        activity_on=activity_on,
        length=length,
        rate=rate,
        amount=rate_amount(rate, length),
        approved_by=acting_user,
    )
    payment.full_clean()
    payment.save()
    return payment


@transaction.atomic
def mark_payment_paid(
    *, payment: InvolvementPayment, acting_user: User, paid_on: datetime.date, reference: str = ""
) -> InvolvementPayment:
    """Record an approved payment as paid (through payroll) on ``paid_on``."""
    _require(acting_user, PAY_PERMISSION, payment)
    payment = InvolvementPayment.objects.select_for_update().get(pk=payment.pk)
    if payment.status != PaymentStatus.APPROVED:
        raise ValidationError(f"A payment that is {payment.get_status_display().lower()} cannot be paid.")
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": "Record a payment once it has been made."})
    if paid_on < payment.activity_on:
        raise ValidationError({"paid_on": "A payment cannot be made before the activity."})
    payment.status, payment.paid_on, payment.payment_reference = (
        PaymentStatus.PAID,
        paid_on,
        reference.strip(),
    )
    payment.save(update_fields=["status", "paid_on", "payment_reference"])
    return payment


@transaction.atomic
def update_payment(
    *, payment: InvolvementPayment, activity: str, acting_user: User, budget_line: BudgetLine | None = None
) -> InvolvementPayment:
    """Correct what a payment was for, or the budget line it is charged to; nothing else changes."""
    _require(acting_user, CHANGE_PERMISSION, payment)
    payment = InvolvementPayment.objects.select_for_update().get(pk=payment.pk)
    if budget_line is not None and budget_line.workplan.partnership_id != payment.partnership_id:
        raise ValidationError({"budget_line": "Choose a budget line of this MNVP's workplan."})
    payment.activity, payment.budget_line = activity, budget_line
    payment.full_clean()
    payment.save(update_fields=["activity", "budget_line"])
    return payment


@transaction.atomic
def correct_payment_length(
    *, payment: InvolvementPayment, length: str, acting_user: User
) -> InvolvementPayment:
    """Correct the length (half or full day) of an approved, unpaid payment.

    The amount follows from the rate in force on the activity's date, as when it was
    raised; the same payment is corrected, never a second one added.
    """
    _require(acting_user, CHANGE_PERMISSION, payment)
    payment = InvolvementPayment.objects.select_for_update().get(pk=payment.pk)
    if payment.length == length:
        return payment
    if payment.status != PaymentStatus.APPROVED:
        raise ValidationError(
            f"The payment is {payment.get_status_display().lower()}: only an approved, unpaid payment "
            "can be corrected."
        )
    rate = involvement_rate_on(payment.activity_on)
    payment.length, payment.rate, payment.amount = length, rate, rate_amount(rate, length)
    payment.full_clean()
    payment.save(update_fields=["length", "rate", "amount"])
    return payment


@transaction.atomic
def cancel_payment(*, payment: InvolvementPayment, acting_user: User) -> InvolvementPayment:
    """Cancel an approved, unpaid payment (recorded in error, or the activity was not attended)."""
    _require(acting_user, CHANGE_PERMISSION, payment)
    payment = InvolvementPayment.objects.select_for_update().get(pk=payment.pk)
    if payment.status != PaymentStatus.APPROVED:
        raise ValidationError("Only an approved, unpaid payment can be cancelled.")
    payment.status = PaymentStatus.CANCELLED
    payment.save(update_fields=["status"])
    return payment


# Tax-year totals ------------------------------------------------------------------------


def tax_year_expression(field: str) -> Case:
    """The tax year (by its starting year) of a date column, worked out by the database."""
    year = ExtractYear(field)
    from_6_april = Q(**{f"{field}__month__gt": 4}) | Q(**{f"{field}__month": 4, f"{field}__day__gte": 6})
    return Case(When(from_6_april, then=year), default=year - Value(1), output_field=IntegerField())


@dataclass(frozen=True)
class TaxYearTotal:
    person_id: int
    name: str
    email: str
    tax_year: int
    payments: int
    total: Decimal

    @property
    def tax_year_label(self) -> str:
        return tax_year_label(self.tax_year)


def tax_year_totals(payments: QuerySet | None = None, *, tax_year: int | None = None) -> list[TaxYearTotal]:
    """Involvement payments *paid*, per person and tax year (6 April to 5 April) of payment.

    Earnings count in the tax year they are paid in, so the payment date decides.
    One query, whatever the number of payments.
    """
    payments = InvolvementPayment.objects.all() if payments is None else payments
    rows = (
        payments.filter(status=PaymentStatus.PAID)
        .annotate(tax_year=tax_year_expression("paid_on"))
        .filter(**({} if tax_year is None else {"tax_year": tax_year}))
        .values("person_id", "person__first_name", "person__last_name", "person__email", "tax_year")
        .annotate(total=Sum("amount"), payments=Count("pk"))
        .order_by("person__last_name", "person__first_name", "person_id", "tax_year")
    )
    return [
        TaxYearTotal(
            person_id=row["person_id"],
            name=f"{row['person__first_name']} {row['person__last_name']}".strip(),
            email=row["person__email"],
            tax_year=row["tax_year"],
            payments=row["payments"],
            total=pounds(row["total"]),
        )
        for row in rows
    ]


def person_tax_year_total(person: Person, tax_year: int) -> Decimal:
    """What ``person`` was paid in involvement payments in the tax year starting ``tax_year``."""
    rows = tax_year_totals(InvolvementPayment.objects.filter(person=person), tax_year=tax_year)
    return rows[0].total if rows else pounds(0)

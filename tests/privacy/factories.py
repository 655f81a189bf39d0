"""Records with money attached, as the retention and erasure tests need them."""

import datetime
from decimal import Decimal

from workplans.enums import ClaimStatus, PaymentLength, PaymentStatus
from workplans.models import ExpenseClaim, InvolvementPayment, InvolvementRate


def paid_claim(person, partnership, paid_on: datetime.date, **kwargs) -> ExpenseClaim:
    return ExpenseClaim.objects.create(
        partnership=partnership,
        claimant=person,
        purpose="Train to the listening event in Leeds",
        status=kwargs.pop("status", ClaimStatus.PAID),
        paid_on=paid_on,
        payment_reference="BACS 1234",
        total=Decimal("12.40"),
        **kwargs,
    )


def payment(person, partnership, user, activity_on: datetime.date, **kwargs) -> InvolvementPayment:
    rate, _ = InvolvementRate.objects.get_or_create(
        effective_from=datetime.date(2017, 7, 1),
        defaults={"half_day": Decimal("75.00"), "full_day": Decimal("150.00")},
    )
    return InvolvementPayment.objects.create(
        partnership=partnership,
        person=person,
        activity="Maternity board with Dr Patel",
        activity_on=activity_on,
        length=PaymentLength.HALF_DAY,
        rate=rate,
        amount=Decimal("75.00"),
        approved_by=user,
        status=kwargs.pop("status", PaymentStatus.PAID),
        paid_on=kwargs.pop("paid_on", activity_on),
        **kwargs,
    )

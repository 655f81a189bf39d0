"""Budgets, expense claims and involvement payments. Money is Decimal pounds, two places.

Rates (mileage, involvement payments) are rows with an effective date, never
constants: the rate in force on the day of the activity or journey applies.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from members.models import Partnership, Person, ScopedQuerySet
from members.models.training import private_storage

from ..enums import BudgetCategory, ClaimStatus, ExpenseKind, PaymentLength, PaymentStatus
from .plans import Workplan

PENNY = Decimal("0.01")
RECEIPT_EXTENSIONS = ["pdf", "jpg", "jpeg", "png", "heic"]


def money_field(verbose_name=None, **kwargs):
    return models.DecimalField(
        verbose_name, max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0"))], **kwargs
    )


@register_setting(icon="doc-full")
class BenefitsLetterSettings(BaseGenericSetting):
    """The letter a member who claims benefits can give the benefits agency (editable by the host).

    Placeholders: {name}, {host}, {mnvp}, {role}, {half_day}, {full_day}, {tax_year_total}, {date}.
    """

    host_name = models.CharField(max_length=200, default="The MNVP host")
    letter = models.TextField(
        default=(
            "To whom it may concern\n\n"
            "{name} is a volunteer member of {mnvp}, a Maternity and Neonatal Voices Partnership "
            "hosted by {host}, in the role of {role}. Members share their experience of maternity "
            "and neonatal care so that services improve. This is voluntary involvement, not "
            "employment: there is no contract of employment and no set hours.\n\n"
            "Out-of-pocket expenses are reimbursed at cost and are not income. For some meetings "
            "{name} is offered an involvement payment under NHS England's patient and public "
            "voice policy: {half_day} for up to four hours, {full_day} for a longer day. In the "
            "tax year so far these payments total {tax_year_total}.\n\n"
            "{name} has been advised to seek independent advice on how these payments may affect "
            "their benefits.\n\n{host}, {date}"
        )
    )

    class Meta:
        verbose_name = "benefits letter"


class BudgetLine(models.Model):
    """A line of a workplan's budget from the host's template; committed and spent come from claims."""

    workplan = models.ForeignKey(Workplan, on_delete=models.CASCADE, related_name="budget_lines")
    category = models.CharField(max_length=30, choices=BudgetCategory.choices)
    description = models.CharField(max_length=200, blank=True)
    amount_agreed = money_field()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["workplan", "category", "description"]
        verbose_name = "budget line"
        constraints = [
            models.UniqueConstraint(
                fields=["workplan", "category", "description"],
                name="budget_line_unique_in_workplan",
                violation_error_message="This workplan already has this budget line.",
            ),
        ]

    def __str__(self):
        label = self.get_category_display()
        return f"{label}: {self.description}" if self.description else label

    @classmethod
    def partnership_scope_q(cls, ids) -> Q:
        return Q(workplan__partnership__in=ids)


class MileageRate(models.Model):
    effective_from = models.DateField(unique=True)
    pence_per_mile = models.DecimalField(max_digits=5, decimal_places=1, validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = "mileage rate"

    def __str__(self):
        return f"{self.pence_per_mile}p a mile from {self.effective_from:%d %b %Y}"


class InvolvementRate(models.Model):
    """NHS England's PPV involvement payment rates, from a date (defaults 75.00 and 150.00)."""

    effective_from = models.DateField(unique=True)
    half_day = money_field("half day (4 hours or less)")
    full_day = money_field("full day")

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = "involvement payment rate"

    def __str__(self):
        return f"£{self.half_day} a half day, £{self.full_day} a day, from {self.effective_from:%d %b %Y}"


class ExpenseClaim(models.Model):
    partnership_scope_path = "partnership"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="expense_claims")
    claimant = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="expense_claims")
    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, null=True, blank=True, related_name="expense_claims"
    )
    purpose = models.CharField(max_length=300, help_text="What the expenses were for.")
    status = models.CharField(max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who entered the claim in the admin; empty when the claimant sent it online.",
    )
    submitted_online = models.BooleanField(
        default=False, editable=False, help_text="Sent by the claimant from the volunteer area."
    )
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)
    paid_on = models.DateField(null=True, blank=True)
    payment_reference = models.CharField(max_length=100, blank=True)
    total = money_field(default=Decimal("0.00"), editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "expense claim"
        permissions = [
            ("approve_expenseclaim", "Can approve or reject expense claims"),
            ("pay_expenseclaim", "Can record expense claims as paid"),
            ("export_expenseclaim", "Can export expense claims"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ClaimStatus.REJECTED) | ~Q(rejection_reason=""),
                name="rejected_claim_has_reason",
                violation_error_message="Say why the claim is rejected.",
            ),
            models.CheckConstraint(
                condition=~Q(status=ClaimStatus.PAID) | Q(paid_on__isnull=False),
                name="paid_claim_has_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "submitted_at"], name="claim_status_idx")]

    def __str__(self):
        return f"Claim #{self.pk} by {self.claimant} (£{self.total})"


class ExpenseItem(models.Model):
    claim = models.ForeignKey(ExpenseClaim, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=20, choices=ExpenseKind.choices)
    spent_on = models.DateField()
    description = models.CharField(max_length=300)
    miles = models.DecimalField(
        max_digits=7, decimal_places=1, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    amount = money_field(help_text="For mileage, worked out from the miles and the rate on that day.")
    receipt = models.FileField(
        upload_to="receipts/%Y/%m/",
        storage=private_storage,
        blank=True,
        validators=[FileExtensionValidator(RECEIPT_EXTENSIONS)],
    )

    class Meta:
        ordering = ["spent_on", "pk"]
        verbose_name = "expense item"
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=ExpenseKind.MILEAGE) | Q(miles__isnull=False),
                name="mileage_item_has_miles",
                violation_error_message="Give the miles travelled.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} £{self.amount}"


class BenefitsAdviceRecord(models.Model):
    """That a person was told to seek advice on how payments may affect their benefits."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="benefits_advice")
    told_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=300, blank=True)
    claims_benefits = models.BooleanField(
        "says they claim state benefits", default=False, help_text="They can then be given a benefits letter."
    )

    class Meta:
        verbose_name = "benefits advice record"

    def __str__(self):
        return f"{self.person} told to seek benefits advice on {self.told_on:%d %b %Y}"


class InvolvementPayment(models.Model):
    """An involvement payment (earnings, not expenses) to a PPV category C member."""

    partnership_scope_path = "partnership"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="involvement_payments"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="involvement_payments")
    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, null=True, blank=True, related_name="involvement_payments"
    )
    activity = models.CharField(max_length=300, help_text="The meeting or activity paid for.")
    activity_on = models.DateField()
    length = models.CharField(max_length=10, choices=PaymentLength.choices)
    rate = models.ForeignKey(InvolvementRate, on_delete=models.PROTECT, related_name="+", editable=False)
    amount = money_field(editable=False)
    status = models.CharField(max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.APPROVED)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(default=timezone.now)
    paid_on = models.DateField(null=True, blank=True)
    payment_reference = models.CharField(max_length=100, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-activity_on", "-pk"]
        verbose_name = "involvement payment"
        permissions = [
            ("pay_involvementpayment", "Can record involvement payments as paid"),
            ("export_involvementpayment", "Can export the involvement payments payroll file"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=PaymentStatus.PAID) | Q(paid_on__isnull=False),
                name="paid_payment_has_date",
            ),
        ]

    def __str__(self):
        return f"£{self.amount} to {self.person} for {self.activity} ({self.activity_on:%d %b %Y})"


@register_setting(icon="cog")
class FinanceSettings(BaseGenericSetting):
    """Host-wide finance settings, edited under Settings in the admin."""

    unpaid_alert_days = models.PositiveSmallIntegerField(
        default=30,
        validators=[MinValueValidator(1)],
        help_text="Host staff are alerted, once, about a claim still unpaid this many days after it "
        "was submitted.",
    )

    class Meta:
        verbose_name = "finance settings"


class UnpaidClaimAlert(models.Model):
    """That host staff were (or are being) alerted about a claim left unpaid: one per claim.

    The unique claim is what makes the daily sweep send once, however often it runs.
    """

    claim = models.OneToOneField(ExpenseClaim, on_delete=models.CASCADE, related_name="unpaid_alert")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "unpaid claim alert"

    def __str__(self):
        return f"Unpaid alert for claim #{self.claim_id}"

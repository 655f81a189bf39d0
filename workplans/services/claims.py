"""Expense claims: drafts with items, submission, approval or rejection, payment, unpaid alerts.

Every rule is enforced here, whatever screen (or script) calls it:

* only members in PPV category B or C claim expenses: the claimant must hold a
  current membership of the claim's MNVP in one of those categories (category A
  members get no financial support);
* a mileage item costs its miles at the :class:`~workplans.models.MileageRate` in
  force on the day of the journey; other items carry the amount given;
* the allowed moves between states are :data:`CLAIM_TRANSITIONS`, nothing else;
* whoever decides a claim is not its claimant (the deciding user's email against the
  claimant's, ignoring case), and nobody approves a claim they entered themselves
  (four eyes: a claim keyed in by a lead is approved by someone else);
* leads decide only their own MNVP's claims; only those holding
  ``workplans.pay_expenseclaim`` (host staff) record a payment.

Authority (role or MNVP) failures raise ``PermissionDenied``; a broken rule about
the claim itself raises ``ValidationError`` with a message fit to show.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet, Sum
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from cms.uploads import UploadRule
from members.enums import PPVCategory, Role
from members.models import Membership, Partnership, Person, User
from members.roles import group_name
from members.scoping import user_can

from ..enums import ClaimStatus, ExpenseKind
from ..models import BudgetLine, ExpenseClaim, ExpenseItem, FinanceSettings, MileageRate, UnpaidClaimAlert
from ..models.money import RECEIPT_EXTENSIONS
from ..money import pounds

EXPENSE_CATEGORIES = (PPVCategory.B, PPVCategory.C)
RECEIPT_MAX_BYTES = 10 * 2**20
# Extension, size and content (the first bytes, not just the name): cms/uploads.py.
RECEIPT_UPLOADS = UploadRule("receipt", tuple(RECEIPT_EXTENSIONS), RECEIPT_MAX_BYTES)

CLAIM_TRANSITIONS: dict[str, frozenset[str]] = {
    ClaimStatus.DRAFT: frozenset({ClaimStatus.SUBMITTED}),
    ClaimStatus.SUBMITTED: frozenset({ClaimStatus.APPROVED, ClaimStatus.REJECTED}),
    ClaimStatus.APPROVED: frozenset({ClaimStatus.PAID}),
    ClaimStatus.REJECTED: frozenset(),
    ClaimStatus.PAID: frozenset(),
}
# Waiting for the host: the states an unpaid claim can sit in.
AWAITING_PAYMENT = (ClaimStatus.SUBMITTED, ClaimStatus.APPROVED)

ADD_PERMISSION = "workplans.add_expenseclaim"
CHANGE_PERMISSION = "workplans.change_expenseclaim"
APPROVE_PERMISSION = "workplans.approve_expenseclaim"
PAY_PERMISSION = "workplans.pay_expenseclaim"


# Checks ---------------------------------------------------------------------------------


def _require(user, permission: str, partnership_or_obj) -> None:
    """The role's permission, and the record's MNVP among those the user works on."""
    if not user.has_perm(permission) or not user_can(user, "change", partnership_or_obj):
        raise PermissionDenied


def _move(claim: ExpenseClaim, to: str) -> None:
    if to not in CLAIM_TRANSITIONS[claim.status]:
        raise ValidationError(
            f"A claim that is {claim.get_status_display().lower()} cannot become "
            f"{ClaimStatus(to).label.lower()}.",
            code="bad_transition",
        )
    claim.status = to


def may_claim_expenses(person: Person, partnership: Partnership, on: datetime.date | None = None) -> bool:
    """Whether ``person`` holds a current category B or C membership of ``partnership``."""
    return (
        Membership.objects.current(on)
        .filter(person=person, partnership=partnership, ppv_category__in=EXPENSE_CATEGORIES)
        .exists()
    )


def _require_eligible(person: Person, partnership: Partnership) -> None:
    if not may_claim_expenses(person, partnership):
        raise ValidationError(
            {
                "claimant": f"{person} holds no current category B or C membership of {partnership}, "
                "so cannot claim expenses (category A members receive no financial support)."
            },
            code="not_eligible",
        )


def _check_budget_line(budget_line: BudgetLine | None, partnership: Partnership) -> None:
    if budget_line is not None and budget_line.workplan.partnership_id != partnership.pk:
        raise ValidationError({"budget_line": "Choose a budget line of this MNVP's workplan."})


def is_claimant(user, claim: ExpenseClaim) -> bool:
    """Whether ``user`` is the claim's claimant: the same email address, whatever its case."""
    email = (user.email or "").strip().lower()
    return bool(email) and email == (claim.claimant.email or "").strip().lower()


def approval_refusal(user, claim: ExpenseClaim) -> str | None:
    """Why ``user`` may not approve ``claim`` (ignoring role and MNVP), or None."""
    if is_claimant(user, claim):
        return "Nobody approves their own claim: ask another lead or the host team."
    if claim.created_by_id == user.pk:
        return "You entered this claim, so someone else approves it."
    return None


def mileage_rate_on(day: datetime.date) -> MileageRate:
    """The mileage rate in force on ``day``: the one with the latest start on or before it."""
    rate = MileageRate.objects.filter(effective_from__lte=day).order_by("-effective_from").first()
    if rate is None:
        raise ValidationError({"spent_on": f"No mileage rate was in force on {day:%d %B %Y}."})
    return rate


def mileage_amount(miles: Decimal, day: datetime.date) -> Decimal:
    """``miles`` at the rate in force on ``day``, in pounds to the penny."""
    return pounds(Decimal(miles) * mileage_rate_on(day).pence_per_mile / 100)


def check_receipt(receipt) -> None:
    """A receipt is a PDF, JPEG, PNG or HEIC of 10 MB or less, judged by its content too."""
    RECEIPT_UPLOADS.check(receipt, "receipt")


def waiting_days(claim: ExpenseClaim, today: datetime.date | None = None) -> int | None:
    """Days since the claim was submitted: until it was paid or rejected, or until today."""
    if claim.submitted_at is None:
        return None
    submitted_on = timezone.localdate(claim.submitted_at)
    if claim.status == ClaimStatus.PAID and claim.paid_on:
        until = claim.paid_on
    elif claim.status == ClaimStatus.REJECTED and claim.decided_at:
        until = timezone.localdate(claim.decided_at)
    else:
        until = today or timezone.localdate()
    return max(0, (until - submitted_on).days)


# Drafts ---------------------------------------------------------------------------------


@transaction.atomic
def create_claim(
    *,
    partnership: Partnership,
    claimant: Person,
    purpose: str,
    acting_user: User,
    budget_line: BudgetLine | None = None,
) -> ExpenseClaim:
    """Start a draft claim by or for ``claimant``, a category B or C member of ``partnership``."""
    _require(acting_user, ADD_PERMISSION, partnership)
    _require_eligible(claimant, partnership)
    _check_budget_line(budget_line, partnership)
    claim = ExpenseClaim(
        partnership=partnership,
        claimant=claimant,
        purpose=purpose,
        budget_line=budget_line,
        created_by=acting_user,
    )
    claim.full_clean()
    claim.save()
    return claim


def _editable(claim: ExpenseClaim, acting_user: User) -> ExpenseClaim:
    _require(acting_user, CHANGE_PERMISSION, claim)
    claim = ExpenseClaim.objects.select_for_update().get(pk=claim.pk)
    if claim.status != ClaimStatus.DRAFT:
        raise ValidationError("Only a draft claim can be changed.", code="not_draft")
    return claim


@transaction.atomic
def update_claim(
    *, claim: ExpenseClaim, acting_user: User, purpose: str, budget_line: BudgetLine | None = None
) -> ExpenseClaim:
    """Change a draft's purpose or budget line."""
    claim = _editable(claim, acting_user)
    _check_budget_line(budget_line, claim.partnership)
    claim.purpose = purpose
    claim.budget_line = budget_line
    claim.full_clean()
    claim.save(update_fields=["purpose", "budget_line"])
    return claim


def _recount(claim: ExpenseClaim) -> None:
    claim.total = pounds(claim.items.aggregate(total=Sum("amount"))["total"])
    claim.save(update_fields=["total"])


@transaction.atomic
def add_expense_item(
    *,
    claim: ExpenseClaim,
    kind: str,
    spent_on: datetime.date,
    description: str,
    acting_user: User,
    miles: Decimal | None = None,
    amount: Decimal | None = None,
    receipt=None,
) -> ExpenseItem:
    """Add an item to a draft: mileage priced from the rate on ``spent_on``, others as given."""
    claim = _editable(claim, acting_user)
    item = _new_item(claim, kind, spent_on, description, miles, amount, receipt)
    _recount(claim)
    return item


def price_item(
    *, kind: str, spent_on: datetime.date, miles: Decimal | None = None, amount: Decimal | None = None
) -> tuple[Decimal | None, Decimal]:
    """``(miles, amount)`` of an item: mileage priced at the rate on ``spent_on``, others as given."""
    if spent_on > timezone.localdate():
        raise ValidationError({"spent_on": "Claim for something already spent, not a future date."})
    if kind == ExpenseKind.MILEAGE:
        if miles is None or miles <= 0:
            raise ValidationError({"miles": "Give the miles travelled."})
        return miles, mileage_amount(miles, spent_on)
    if amount is None or amount <= 0:
        raise ValidationError({"amount": "Give the amount spent."})
    return None, pounds(amount)


def _new_item(claim, kind, spent_on, description, miles, amount, receipt) -> ExpenseItem:
    miles, amount = price_item(kind=kind, spent_on=spent_on, miles=miles, amount=amount)
    check_receipt(receipt)
    item = ExpenseItem(
        claim=claim,
        kind=kind,
        spent_on=spent_on,
        description=description,
        miles=miles,
        amount=amount,
        receipt=receipt or "",
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def remove_expense_item(*, item: ExpenseItem, acting_user: User) -> None:
    """Take an item off a draft (and its receipt out of storage)."""
    claim = _editable(item.claim, acting_user)
    receipt = item.receipt
    item.delete()
    _recount(claim)
    if receipt:
        transaction.on_commit(lambda: receipt.storage.delete(receipt.name))


# Online claims (the volunteer area) ----------------------------------------------------


@dataclass(frozen=True)
class OnlineItem:
    """One item of a claim a claimant sends online, as the volunteer area's form collected it."""

    kind: str
    spent_on: datetime.date
    description: str
    miles: Decimal | None = None
    amount: Decimal | None = None
    receipt: object = None


def claimable_partnerships(person: Person, on: datetime.date | None = None) -> QuerySet:
    """The MNVPs ``person`` may claim expenses from (as :func:`may_claim_expenses` decides)."""
    members = Membership.objects.current(on).filter(person=person, ppv_category__in=EXPENSE_CATEGORIES)
    return Partnership.objects.filter(pk__in=members.values("partnership_id"))


def _member_expenses_line(partnership: Partnership, day: datetime.date) -> BudgetLine | None:
    """The MNVP's member-expenses budget line of the year of ``day``, when there is exactly one."""
    from ..enums import BudgetCategory
    from ..models.plans import financial_year_of

    lines = list(
        BudgetLine.objects.filter(
            workplan__partnership=partnership,
            workplan__year=financial_year_of(day),
            category=BudgetCategory.MEMBER_EXPENSES,
        )[:2]
    )
    return lines[0] if len(lines) == 1 else None


@transaction.atomic
def submit_online_claim(
    *, person: Person, partnership: Partnership, purpose: str, items: list[OnlineItem]
) -> ExpenseClaim:
    """A claimant sends their own claim from the volunteer area, straight to the lead for approval.

    The same rules as a claim keyed in the admin (category B or C membership, mileage at
    the rate of the day, receipts checked by content), but nobody entered it for them:
    ``created_by`` is empty and ``submitted_online`` set. Nothing is saved unless every
    item is good. It is charged to the MNVP's member-expenses budget line of the year
    when there is one; the lead can change that while deciding.
    """
    _require_eligible(person, partnership)
    purpose = (purpose or "").strip()
    if not purpose:
        raise ValidationError({"purpose": "Say what the expenses were for."})
    if not items:
        raise ValidationError("Add at least one item to the claim.", code="empty")
    now = timezone.now()
    claim = ExpenseClaim(
        partnership=partnership,
        claimant=person,
        purpose=purpose,
        budget_line=_member_expenses_line(partnership, timezone.localdate(now)),
        created_by=None,
        submitted_online=True,
        created_at=now,
    )
    claim.full_clean()
    claim.save()
    for item in items:
        _new_item(claim, item.kind, item.spent_on, item.description, item.miles, item.amount, item.receipt)
    _recount(claim)
    _move(claim, ClaimStatus.SUBMITTED)
    claim.submitted_at = now
    claim.save(update_fields=["status", "submitted_at"])
    return claim


# Decisions ------------------------------------------------------------------------------


@transaction.atomic
def submit_claim(*, claim: ExpenseClaim, acting_user: User) -> ExpenseClaim:
    """Send a draft with at least one item for approval; its waiting time starts now."""
    claim = _editable(claim, acting_user)
    _require_eligible(claim.claimant, claim.partnership)
    if not claim.items.exists():
        raise ValidationError("Add at least one item before submitting the claim.", code="empty")
    _move(claim, ClaimStatus.SUBMITTED)
    claim.submitted_at = timezone.now()
    claim.save(update_fields=["status", "submitted_at"])
    return claim


def _decidable(claim: ExpenseClaim, acting_user: User) -> ExpenseClaim:
    _require(acting_user, APPROVE_PERMISSION, claim)
    return ExpenseClaim.objects.select_for_update(of=("self",)).select_related("claimant").get(pk=claim.pk)


@transaction.atomic
def approve_claim(*, claim: ExpenseClaim, acting_user: User) -> ExpenseClaim:
    """Approve a submitted claim: never by its claimant, nor by whoever entered it."""
    claim = _decidable(claim, acting_user)
    refusal = approval_refusal(acting_user, claim)
    if refusal:
        raise ValidationError(refusal, code="own_claim")
    _move(claim, ClaimStatus.APPROVED)
    claim.decided_by, claim.decided_at = acting_user, timezone.now()
    claim.save(update_fields=["status", "decided_by", "decided_at"])
    return claim


@transaction.atomic
def reject_claim(*, claim: ExpenseClaim, acting_user: User, reason: str) -> ExpenseClaim:
    """Reject a submitted claim, saying why (the claimant is told the reason)."""
    claim = _decidable(claim, acting_user)
    if is_claimant(acting_user, claim):
        raise ValidationError("Nobody decides their own claim.", code="own_claim")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the claim is rejected."}, code="no_reason")
    _move(claim, ClaimStatus.REJECTED)
    claim.rejection_reason = reason
    claim.decided_by, claim.decided_at = acting_user, timezone.now()
    claim.save(update_fields=["status", "rejection_reason", "decided_by", "decided_at"])
    return claim


@transaction.atomic
def mark_claim_paid(
    *, claim: ExpenseClaim, acting_user: User, paid_on: datetime.date, reference: str
) -> ExpenseClaim:
    """Record an approved claim as paid, with the payment's date and reference (host staff)."""
    _require(acting_user, PAY_PERMISSION, claim)
    claim = ExpenseClaim.objects.select_for_update().get(pk=claim.pk)
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": "Record a payment once it has been made."})
    if claim.submitted_at and paid_on < timezone.localdate(claim.submitted_at):
        raise ValidationError({"paid_on": "A claim cannot be paid before it was submitted."})
    reference = (reference or "").strip()
    if not reference:
        raise ValidationError({"reference": "Give the payment reference."})
    _move(claim, ClaimStatus.PAID)
    claim.paid_on, claim.payment_reference = paid_on, reference
    claim.save(update_fields=["status", "paid_on", "payment_reference"])
    return claim


# Unpaid alerts --------------------------------------------------------------------------


def claims_due_unpaid_alert(today: datetime.date, days: int) -> QuerySet:
    """Submitted or approved claims still unpaid ``days`` after submission, not yet alerted."""
    cutoff = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=days), datetime.time.max)
    )
    alerted = UnpaidClaimAlert.objects.filter(claim=OuterRef("pk"))
    return ExpenseClaim.objects.filter(status__in=AWAITING_PAYMENT, submitted_at__lte=cutoff).filter(
        ~Exists(alerted)
    )


def sweep_unpaid_claims(*, today: datetime.date | None = None) -> list[int]:
    """Record an alert for each claim newly past the unpaid limit; enqueue one email for them.

    Beat runs this daily. The one-row-per-claim constraint (``ignore_conflicts``) is
    what makes it send once per claim, even when two sweeps overlap.
    """
    from ..tasks import send_unpaid_claim_alerts  # tasks import this module

    today = today or timezone.localdate()
    days = FinanceSettings.load().unpaid_alert_days
    started = timezone.now()
    with transaction.atomic():
        claim_ids = list(claims_due_unpaid_alert(today, days).values_list("pk", flat=True))
        UnpaidClaimAlert.objects.bulk_create(
            [UnpaidClaimAlert(claim_id=pk, created_at=started) for pk in claim_ids],
            ignore_conflicts=True,
            batch_size=500,
        )
        new_ids = list(
            UnpaidClaimAlert.objects.filter(
                claim_id__in=claim_ids, created_at=started, sent_at__isnull=True
            ).values_list("pk", flat=True)
        )
        if new_ids:
            send_unpaid_claim_alerts.delay_on_commit(new_ids)
    return new_ids


def host_staff_emails() -> list[str]:
    return list(
        User.objects.filter(is_active=True, groups__name=group_name(Role.HOST_STAFF))
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )


def send_unpaid_claim_alerts(alert_ids: list[int], *, today: datetime.date | None = None) -> int:
    """Email host staff one list of the claims in ``alert_ids`` not alerted yet; mark them sent.

    Idempotent: the rows are locked and marked in the transaction that sends, so a
    retried task sends nothing twice; a claim paid meanwhile is marked and left out.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        alerts = list(
            UnpaidClaimAlert.objects.select_for_update(of=("self",))
            .filter(pk__in=alert_ids, sent_at__isnull=True)
            .select_related("claim__claimant", "claim__partnership")
            .order_by("claim__submitted_at")
        )
        unpaid = [a.claim for a in alerts if a.claim.status in AWAITING_PAYMENT]
        recipients = host_staff_emails()
        if unpaid and recipients:
            admin_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
            rows = [
                (
                    claim,
                    waiting_days(claim, today),
                    admin_url + reverse("expense_claims:inspect", args=[claim.pk]),
                )
                for claim in unpaid
            ]
            body = render_to_string(
                "workplans/email/unpaid_claims.txt",
                {
                    "rows": rows,
                    "days": FinanceSettings.load().unpaid_alert_days,
                    "site": settings.WAGTAILADMIN_BASE_URL,
                },
            )
            subject = f"{len(unpaid)} expense claim{'s' if len(unpaid) != 1 else ''} waiting to be paid"
            get_connection().send_messages(
                [EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, bcc=recipients)]
            )
        UnpaidClaimAlert.objects.filter(pk__in=[a.pk for a in alerts]).update(sent_at=timezone.now())
    return len(unpaid) if recipients else 0


# Selectors ------------------------------------------------------------------------------


def claims_waiting(user, *, action: str = "view", today: datetime.date | None = None) -> dict[str, dict]:
    """Submitted and approved claims of the MNVPs ``user`` may ``action``: how many, and the longest wait.

    ``{status: {"count": n, "oldest_days": days or None}}`` for each status in
    :data:`AWAITING_PAYMENT`, the wait counted as :func:`waiting_days` does (one query).
    """
    from django.db.models import Count, Min

    from members.scoping import scope_queryset

    today = today or timezone.localdate()
    waiting = {status: {"count": 0, "oldest_days": None} for status in AWAITING_PAYMENT}
    rows = (
        scope_queryset(ExpenseClaim.objects.filter(status__in=AWAITING_PAYMENT), user, action)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"), first=Min("submitted_at"))
        .values_list("status", "n", "first")
    )
    for status, n, first in rows:
        days = max(0, (today - timezone.localdate(first)).days) if first else None
        waiting[status] = {"count": n, "oldest_days": days}
    return waiting

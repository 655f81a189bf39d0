"""Expense claim rules, enforced by the services whatever screen calls them."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from members.enums import PPVCategory
from tests.factories import lead_of
from workplans.enums import ClaimStatus, ExpenseKind
from workplans.models import FinanceSettings, MileageRate, UnpaidClaimAlert
from workplans.services import claims as services

from .money_factories import PNG, BudgetLineFactory, MoneyWorkplanFactory, member, receipt

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def draft(partnership, claimant, user, **item):
    claim = services.create_claim(
        partnership=partnership, claimant=claimant, purpose="Board", acting_user=user
    )
    services.add_expense_item(
        claim=claim,
        kind=item.get("kind", ExpenseKind.FARES),
        spent_on=item.get("spent_on", TODAY),
        description="Bus",
        amount=item.get("amount", Decimal("4.50")),
        miles=item.get("miles"),
        acting_user=user,
    )
    return claim


def submitted(partnership, claimant, user):
    return services.submit_claim(claim=draft(partnership, claimant, user), acting_user=user)


# Who may claim ----------------------------------------------------------------------------


@pytest.mark.parametrize(("category", "allowed"), [("A", False), ("B", True), ("C", True)])
def test_only_category_b_and_c_members_claim_expenses(north, host_staff, category, allowed):
    person = member(north, category)
    if allowed:
        assert services.create_claim(partnership=north, claimant=person, purpose="x", acting_user=host_staff)
    else:
        with pytest.raises(ValidationError, match="category A members receive no financial support"):
            services.create_claim(partnership=north, claimant=person, purpose="x", acting_user=host_staff)


def test_a_member_of_another_mnvp_cannot_claim_from_this_one(north, south, host_staff):
    with pytest.raises(ValidationError):
        services.create_claim(partnership=north, claimant=member(south), purpose="x", acting_user=host_staff)


def test_a_member_whose_membership_has_ended_cannot_claim(north, host_staff):
    person = member(north)
    person.memberships.update(end_date=TODAY - datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        services.create_claim(partnership=north, claimant=person, purpose="x", acting_user=host_staff)


def test_a_lead_cannot_enter_a_claim_for_another_mnvp(north, south, north_lead):
    with pytest.raises(PermissionDenied):
        services.create_claim(partnership=south, claimant=member(south), purpose="x", acting_user=north_lead)


def test_a_budget_line_of_another_mnvp_is_refused(north, south, host_staff):
    line = BudgetLineFactory(workplan=MoneyWorkplanFactory(partnership=south))
    with pytest.raises(ValidationError):
        services.create_claim(
            partnership=north, claimant=member(north), purpose="x", budget_line=line, acting_user=host_staff
        )


# Items and amounts ------------------------------------------------------------------------


def test_mileage_is_priced_at_the_rate_in_force_on_the_day_of_the_journey(north, host_staff):
    change = TODAY - datetime.timedelta(days=10)
    MileageRate.objects.create(effective_from=change, pence_per_mile=Decimal("55.0"))
    claim = services.create_claim(
        partnership=north, claimant=member(north), purpose="x", acting_user=host_staff
    )
    before = services.add_expense_item(
        claim=claim,
        kind=ExpenseKind.MILEAGE,
        spent_on=change - datetime.timedelta(days=1),
        description="Home to the hospital",
        miles=Decimal("13.3"),
        acting_user=host_staff,
    )
    on = services.add_expense_item(
        claim=claim,
        kind=ExpenseKind.MILEAGE,
        spent_on=change,
        description="Home to the hospital",
        miles=Decimal("13.3"),
        acting_user=host_staff,
    )
    assert before.amount == Decimal("5.99")  # 13.3 x 45p = 598.5p, rounded half up
    assert on.amount == Decimal("7.32")  # 13.3 x 55p = 731.5p
    claim.refresh_from_db()
    assert claim.total == Decimal("13.31")


def test_a_mileage_amount_typed_in_is_ignored(north, host_staff):
    claim = services.create_claim(
        partnership=north, claimant=member(north), purpose="x", acting_user=host_staff
    )
    item = services.add_expense_item(
        claim=claim,
        kind=ExpenseKind.MILEAGE,
        spent_on=TODAY,
        description="x",
        miles=Decimal("10"),
        amount=Decimal("999"),
        acting_user=host_staff,
    )
    assert item.amount == Decimal("4.50")


def test_receipts_are_checked_by_their_content(north, host_staff):
    claim = services.create_claim(
        partnership=north, claimant=member(north), purpose="x", acting_user=host_staff
    )
    item = services.add_expense_item(
        claim=claim,
        kind=ExpenseKind.FARES,
        spent_on=TODAY,
        description="Train",
        amount=Decimal("12.40"),
        receipt=receipt("ticket.png", PNG),
        acting_user=host_staff,
    )
    assert item.receipt.name.startswith("receipts/")
    for name, content in [("ticket.exe", b"MZ"), ("ticket.pdf", b"<html>not a pdf</html>")]:
        with pytest.raises(ValidationError):
            services.add_expense_item(
                claim=claim,
                kind=ExpenseKind.FARES,
                spent_on=TODAY,
                description="Train",
                amount=Decimal("1"),
                receipt=receipt(name, content),
                acting_user=host_staff,
            )


def test_a_submitted_claim_cannot_be_changed(north, host_staff):
    claim = submitted(north, member(north), host_staff)
    with pytest.raises(ValidationError):
        services.add_expense_item(
            claim=claim,
            kind=ExpenseKind.FARES,
            spent_on=TODAY,
            description="x",
            amount=1,
            acting_user=host_staff,
        )


def test_an_empty_claim_cannot_be_submitted(north, host_staff):
    claim = services.create_claim(
        partnership=north, claimant=member(north), purpose="x", acting_user=host_staff
    )
    with pytest.raises(ValidationError, match="at least one item"):
        services.submit_claim(claim=claim, acting_user=host_staff)


# Decisions --------------------------------------------------------------------------------


def test_the_claimant_cannot_approve_their_own_claim_whatever_the_case_of_their_email(north, host_staff):
    lead = lead_of(north, username="niamh", email="NIAMH.roberts@example.org")
    claimant = member(north, PPVCategory.C, email="niamh.roberts@example.org")
    claim = submitted(north, claimant, host_staff)
    with pytest.raises(ValidationError, match="their own claim"):
        services.approve_claim(claim=claim, acting_user=lead)
    with pytest.raises(ValidationError):
        services.reject_claim(claim=claim, acting_user=lead, reason="x")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED


def test_whoever_entered_a_claim_does_not_approve_it(north, north_lead, host_staff):
    claim = submitted(north, member(north), north_lead)
    with pytest.raises(ValidationError, match="someone else approves"):
        services.approve_claim(claim=claim, acting_user=north_lead)
    assert services.approve_claim(claim=claim, acting_user=host_staff).status == ClaimStatus.APPROVED


def test_a_lead_approves_their_own_mnvps_claims_only(north, south, north_lead, host_staff):
    own = submitted(north, member(north), host_staff)
    other = submitted(south, member(south), host_staff)
    approved = services.approve_claim(claim=own, acting_user=north_lead)
    assert (approved.status, approved.decided_by) == (ClaimStatus.APPROVED, north_lead)
    with pytest.raises(PermissionDenied):
        services.approve_claim(claim=other, acting_user=north_lead)


def test_a_commissioner_cannot_approve(north, north_commissioner, host_staff):
    with pytest.raises(PermissionDenied):
        services.approve_claim(
            claim=submitted(north, member(north), host_staff), acting_user=north_commissioner
        )


def test_rejecting_needs_a_reason(north, north_lead, host_staff):
    claim = submitted(north, member(north), host_staff)
    with pytest.raises(ValidationError, match="Say why"):
        services.reject_claim(claim=claim, acting_user=north_lead, reason="  ")
    rejected = services.reject_claim(claim=claim, acting_user=north_lead, reason="No receipt for the taxi")
    assert (rejected.status, rejected.rejection_reason) == (ClaimStatus.REJECTED, "No receipt for the taxi")


def test_only_host_staff_record_a_payment(north, north_lead, host_staff):
    claim = services.approve_claim(claim=submitted(north, member(north), host_staff), acting_user=north_lead)
    with pytest.raises(PermissionDenied):
        services.mark_claim_paid(claim=claim, acting_user=north_lead, paid_on=TODAY, reference="BACS 1")
    with pytest.raises(ValidationError):
        services.mark_claim_paid(claim=claim, acting_user=host_staff, paid_on=TODAY, reference="")
    paid = services.mark_claim_paid(claim=claim, acting_user=host_staff, paid_on=TODAY, reference="BACS 1")
    assert (paid.status, paid.paid_on, paid.payment_reference) == (ClaimStatus.PAID, TODAY, "BACS 1")


def test_a_claim_moves_only_along_the_allowed_transitions(north, north_lead, host_staff):
    claim = submitted(north, member(north), host_staff)
    with pytest.raises(ValidationError):
        services.mark_claim_paid(claim=claim, acting_user=host_staff, paid_on=TODAY, reference="x")
    services.reject_claim(claim=claim, acting_user=north_lead, reason="Duplicate")
    with pytest.raises(ValidationError):
        services.approve_claim(claim=claim, acting_user=north_lead)


def test_waiting_days_count_from_submission_until_payment(north, north_lead, host_staff):
    claim = submitted(north, member(north), host_staff)
    claim.submitted_at = timezone.now() - datetime.timedelta(days=12)
    claim.save()
    assert services.waiting_days(claim) == 12
    claim = services.approve_claim(claim=claim, acting_user=north_lead)
    claim = services.mark_claim_paid(
        claim=claim, acting_user=host_staff, paid_on=TODAY - datetime.timedelta(days=2), reference="x"
    )
    assert services.waiting_days(claim) == 10
    assert (
        services.waiting_days(
            services.create_claim(
                partnership=north, claimant=member(north), purpose="x", acting_user=host_staff
            )
        )
        is None
    )


# The unpaid alert -------------------------------------------------------------------------


def test_unpaid_claims_alert_host_staff_once_per_claim(
    north, north_lead, host_staff, django_capture_on_commit_callbacks
):
    settings = FinanceSettings.load()
    settings.unpaid_alert_days = 30
    settings.save()
    old = submitted(north, member(north), host_staff)
    old_approved = services.approve_claim(
        claim=submitted(north, member(north), host_staff), acting_user=north_lead
    )
    recent = submitted(north, member(north), host_staff)
    old_paid = services.approve_claim(
        claim=submitted(north, member(north), host_staff), acting_user=north_lead
    )
    for claim, days in [(old, 31), (old_approved, 45), (recent, 29), (old_paid, 60)]:
        type(claim).objects.filter(pk=claim.pk).update(
            submitted_at=timezone.now() - datetime.timedelta(days=days)
        )
    services.mark_claim_paid(claim=old_paid, acting_user=host_staff, paid_on=TODAY, reference="x")

    with django_capture_on_commit_callbacks(execute=True):
        first = services.sweep_unpaid_claims()
    with django_capture_on_commit_callbacks(execute=True):
        second = services.sweep_unpaid_claims()

    assert len(first) == 2
    assert second == []
    assert set(UnpaidClaimAlert.objects.values_list("claim_id", flat=True)) == {old.pk, old_approved.pk}
    assert not UnpaidClaimAlert.objects.filter(sent_at__isnull=True).exists()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.bcc == [host_staff.email]
    assert f"Claim #{old.pk}" in message.body
    assert f"Claim #{old_approved.pk}" in message.body
    assert f"Claim #{recent.pk}" not in message.body
    # Sending the same alerts again (a retried task) sends nothing.
    assert services.send_unpaid_claim_alerts(first) == 0
    assert len(mail.outbox) == 1


def test_the_alert_threshold_is_a_setting(north, host_staff, django_capture_on_commit_callbacks):
    settings = FinanceSettings.load()
    settings.unpaid_alert_days = 7
    settings.save()
    claim = submitted(north, member(north), host_staff)
    type(claim).objects.filter(pk=claim.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=8))
    with django_capture_on_commit_callbacks(execute=True):
        assert len(services.sweep_unpaid_claims()) == 1

"""Every money screen, for every role: scoped to the user's MNVPs (404 outside), refused without the role.

The expenses export and the payroll export are separate files behind separate
permissions, hold approved and paid items only, and never another MNVP's rows.
"""

import datetime
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from members.enums import PPVCategory
from tests.members.test_partnership_views import assert_denied, assert_refused
from workplans.enums import ClaimStatus, ExpenseKind, PaymentLength, PaymentStatus
from workplans.models import BenefitsAdviceRecord, ExpenseClaim, InvolvementPayment
from workplans.services import claims as claim_services
from workplans.services import payments as payment_services

from .money_factories import PDF, BudgetLineFactory, MoneyWorkplanFactory, member

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def world(north, south, host_staff):
    """In each MNVP: a budget line, a submitted claim with a receipt, an approved payment."""
    made = {}
    for key, partnership in (("north", north), ("south", south)):
        line = BudgetLineFactory(workplan=MoneyWorkplanFactory(partnership=partnership, year=2026))
        claimant = member(partnership, PPVCategory.C, first_name=key.title(), last_name="Claimant")
        claim = claim_services.create_claim(
            partnership=partnership, claimant=claimant, purpose=f"{key} board", acting_user=host_staff
        )
        item = claim_services.add_expense_item(
            claim=claim,
            kind=ExpenseKind.FARES,
            spent_on=TODAY,
            description="Train",
            amount=Decimal("12.40"),
            receipt=SimpleUploadedFile("ticket.pdf", PDF),
            acting_user=host_staff,
        )
        claim_services.submit_claim(claim=claim, acting_user=host_staff)
        payment_services.record_benefits_advice(person=claimant, told_on=TODAY, acting_user=host_staff)
        payment = payment_services.record_involvement_payment(
            person=claimant,
            partnership=partnership,
            activity=f"{key} LMNS board",
            activity_on=TODAY,
            length=PaymentLength.HALF_DAY,
            acting_user=host_staff,
        )
        made[key] = {"line": line, "claim": claim, "item": item, "payment": payment, "person": claimant}
    return made


def claim_urls(claim, item):
    return {
        "inspect": reverse("expense_claims:inspect", args=[claim.pk]),
        "history": reverse("expense_claims:history", args=[claim.pk]),
        "approve": reverse("expense_claims:approve", args=[claim.pk]),
        "reject": reverse("expense_claims:reject", args=[claim.pk]),
        "mark_paid": reverse("expense_claims:mark_paid", args=[claim.pk]),
        "submit": reverse("expense_claims:submit", args=[claim.pk]),
        "add_item": reverse("expense_claims:add_item", args=[claim.pk]),
        "receipt": reverse("expense_claims:receipt", args=[claim.pk, item.pk]),
    }


def payment_urls(payment):
    return {
        "inspect": reverse("involvement_payments:inspect", args=[payment.pk]),
        "edit": reverse("involvement_payments:edit", args=[payment.pk]),
        "mark_paid": reverse("involvement_payments:mark_paid", args=[payment.pk]),
        "cancel": reverse("involvement_payments:cancel", args=[payment.pk]),
    }


# Scope: another MNVP's record answers 404 on every view --------------------------------------


@pytest.mark.parametrize(
    "view", ["inspect", "history", "approve", "reject", "mark_paid", "submit", "add_item", "receipt"]
)
def test_a_lead_gets_404_on_every_view_of_another_mnvps_claim(client, world, north_lead, view):
    client.force_login(north_lead)
    south = world["south"]
    assert client.get(claim_urls(south["claim"], south["item"])[view]).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("view", ["inspect", "mark_paid", "cancel"])
def test_a_lead_gets_404_on_every_view_of_another_mnvps_payment(client, world, north_lead, view):
    client.force_login(north_lead)
    assert client.get(payment_urls(world["south"]["payment"])[view]).status_code == HTTPStatus.NOT_FOUND


def test_a_lead_is_refused_the_edit_view_of_another_mnvps_payment(client, world, north_lead):
    # Leads may not edit payments at all, so Wagtail refuses before looking the record up.
    client.force_login(north_lead)
    assert_refused(client.get(payment_urls(world["south"]["payment"])["edit"]))


def test_a_lead_gets_404_on_another_mnvps_budget_line(client, world, north_lead):
    client.force_login(north_lead)
    url = reverse("budget_lines:inspect", args=[world["south"]["line"].pk])
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND


def test_a_lead_cannot_post_an_approval_to_another_mnvp(client, world, north_lead):
    client.force_login(north_lead)
    claim = world["south"]["claim"]
    assert (
        client.post(claim_urls(claim, world["south"]["item"])["approve"]).status_code == HTTPStatus.NOT_FOUND
    )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED


# A lead's own MNVP --------------------------------------------------------------------------


@pytest.mark.parametrize("view", ["inspect", "history", "approve", "reject", "receipt"])
def test_a_lead_reaches_their_own_mnvps_claim(client, world, north_lead, view):
    client.force_login(north_lead)
    north = world["north"]
    assert client.get(claim_urls(north["claim"], north["item"])[view]).status_code == HTTPStatus.OK


def test_the_receipt_downloads_through_the_permission_check(client, world, north_lead):
    client.force_login(north_lead)
    north = world["north"]
    response = client.get(claim_urls(north["claim"], north["item"])["receipt"])
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]


def test_a_lead_approves_their_own_mnvps_claim_through_the_screen(client, world, north_lead):
    client.force_login(north_lead)
    claim = world["north"]["claim"]
    response = client.post(claim_urls(claim, world["north"]["item"])["approve"])
    assert response.status_code == HTTPStatus.FOUND
    claim.refresh_from_db()
    assert (claim.status, claim.decided_by) == (ClaimStatus.APPROVED, north_lead)


def test_rejecting_without_a_reason_is_refused_on_screen(client, world, north_lead):
    client.force_login(north_lead)
    claim = world["north"]["claim"]
    url = claim_urls(claim, world["north"]["item"])["reject"]
    assert client.post(url, {"reason": ""}).status_code == HTTPStatus.OK
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED
    client.post(url, {"reason": "Taxi not agreed"})
    claim.refresh_from_db()
    assert (claim.status, claim.rejection_reason) == (ClaimStatus.REJECTED, "Taxi not agreed")


def test_the_claimant_approving_their_own_claim_on_screen_is_refused(client, world, north):
    from tests.factories import lead_of

    claimant = world["north"]["person"]
    lead = lead_of(north, username="claimant.lead", email=claimant.email.upper())
    client.force_login(lead)
    claim = world["north"]["claim"]
    response = client.post(claim_urls(claim, world["north"]["item"])["approve"])
    assert response.status_code == HTTPStatus.OK  # the form again, with the refusal
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED


@pytest.mark.parametrize("view", ["mark_paid"])
def test_a_lead_may_not_pay_a_claim(client, world, north_lead, view):
    client.force_login(north_lead)
    north = world["north"]
    assert_denied(client.get(claim_urls(north["claim"], north["item"])[view]))


@pytest.mark.parametrize("view", ["mark_paid", "cancel", "edit"])
def test_a_lead_may_view_but_not_act_on_their_own_mnvps_payment(client, world, north_lead, view):
    client.force_login(north_lead)
    urls = payment_urls(world["north"]["payment"])
    assert client.get(urls["inspect"]).status_code == HTTPStatus.OK
    assert_denied(client.get(urls[view]))


def test_a_lead_may_not_add_a_payment(client, world, north_lead):
    client.force_login(north_lead)
    assert_denied(client.get(reverse("involvement_payments:add")))


@pytest.mark.parametrize(
    "name", ["benefits_advice:index", "mileage_rates:index", "involvement_rates:index", "budget_lines:add"]
)
def test_host_only_screens_refuse_a_lead(client, world, north_lead, name):
    client.force_login(north_lead)
    assert_denied(client.get(reverse(name)))


# Commissioners and people with no role ---------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["expense_claims:index", "involvement_payments:index", "budget_lines:add", "workplans_money:tax_year"],
)
def test_a_commissioner_sees_budgets_only(client, world, north_commissioner, name):
    client.force_login(north_commissioner)
    assert_denied(client.get(reverse(name)))


def test_a_commissioner_reads_their_mnvps_budget(client, world, north_commissioner):
    client.force_login(north_commissioner)
    listing = client.get(reverse("budget_lines:index"))
    assert listing.status_code == HTTPStatus.OK
    assert [line.pk for line in listing.context["object_list"]] == [world["north"]["line"].pk]
    report = client.get(reverse("workplans_money:budget"), {"year": 2026})
    assert report.status_code == HTTPStatus.OK
    assert b"Northshire MNVP" in report.content
    assert b"Southvale MNVP" not in report.content


@pytest.mark.parametrize(
    "name",
    [
        "expense_claims:index",
        "involvement_payments:index",
        "budget_lines:index",
        "benefits_advice:index",
        "workplans_money:budget",
    ],
)
def test_a_user_with_no_role_is_refused(client, world, no_role_user, name):
    client.force_login(no_role_user)
    assert_denied(client.get(reverse(name)))


# Host staff -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "expense_claims:index",
        "expense_claims:add",
        "involvement_payments:index",
        "involvement_payments:add",
        "budget_lines:index",
        "budget_lines:add",
        "benefits_advice:index",
        "benefits_advice:add",
        "mileage_rates:index",
        "involvement_rates:index",
        "workplans_money:budget",
        "workplans_money:tax_year",
    ],
)
def test_host_staff_reach_every_money_screen(client, world, host_staff, name):
    client.force_login(host_staff)
    assert client.get(reverse(name)).status_code == HTTPStatus.OK


def test_host_staff_pay_a_claim_and_a_payment_on_screen(client, world, host_staff, north_lead):
    north = world["north"]
    claim_services.approve_claim(claim=north["claim"], acting_user=north_lead)
    client.force_login(host_staff)
    client.post(
        claim_urls(north["claim"], north["item"])["mark_paid"], {"paid_on": TODAY, "reference": "BACS 9"}
    )
    client.post(payment_urls(north["payment"])["mark_paid"], {"paid_on": TODAY, "reference": "PR 9"})
    north["claim"].refresh_from_db()
    north["payment"].refresh_from_db()
    assert north["claim"].status == ClaimStatus.PAID
    assert north["payment"].status == PaymentStatus.PAID


def test_host_staff_add_a_claim_and_an_item_on_screen(client, world, host_staff, north):
    client.force_login(host_staff)
    person = member(north, PPVCategory.B)
    response = client.post(
        reverse("expense_claims:add"),
        {"partnership": north.pk, "claimant": person.pk, "purpose": "Walk the Patch"},
    )
    claim = ExpenseClaim.objects.get(claimant=person)
    assert response["Location"] == reverse("expense_claims:inspect", args=[claim.pk])
    client.post(
        reverse("expense_claims:add_item", args=[claim.pk]),
        {"kind": ExpenseKind.MILEAGE, "spent_on": TODAY, "description": "Home to the unit", "miles": "10"},
    )
    claim.refresh_from_db()
    assert claim.total == Decimal("4.50")


def test_a_category_a_claimant_is_refused_on_screen(client, world, host_staff, north):
    client.force_login(host_staff)
    person = member(north, PPVCategory.A)
    response = client.post(
        reverse("expense_claims:add"), {"partnership": north.pk, "claimant": person.pk, "purpose": "x"}
    )
    assert response.status_code == HTTPStatus.OK
    assert not ExpenseClaim.objects.filter(claimant=person).exists()


def test_a_payment_without_benefits_advice_is_refused_on_screen(client, world, host_staff, north):
    client.force_login(host_staff)
    person = member(north, PPVCategory.C)
    data = {
        "person": person.pk,
        "partnership": north.pk,
        "activity": "Board",
        "activity_on": TODAY,
        "length": PaymentLength.HALF_DAY,
    }
    assert client.post(reverse("involvement_payments:add"), data).status_code == HTTPStatus.OK
    assert not InvolvementPayment.objects.filter(person=person).exists()
    client.post(reverse("benefits_advice:add"), {"person": person.pk, "told_on": TODAY})
    assert BenefitsAdviceRecord.objects.filter(person=person).exists()
    assert client.post(reverse("involvement_payments:add"), data).status_code == HTTPStatus.FOUND
    assert InvolvementPayment.objects.get(person=person).amount == Decimal("75.00")


def test_a_paid_claim_cannot_be_deleted_or_edited(client, world, host_staff):
    client.force_login(host_staff)
    claim = world["north"]["claim"]
    assert_denied(client.get(reverse("expense_claims:edit", args=[claim.pk])))
    assert_denied(client.get(reverse("expense_claims:delete", args=[claim.pk])))


# The two exports --------------------------------------------------------------------------------


def export_rows(response) -> list[str]:
    return b"".join(response.streaming_content).decode().strip().splitlines()


def test_the_expenses_export_holds_approved_and_paid_claims_only(client, world, host_staff, north_lead):
    claim_services.approve_claim(claim=world["north"]["claim"], acting_user=north_lead)
    client.force_login(host_staff)
    response = client.get(reverse("expense_claims:index"), {"export": "csv"})
    header, *rows = export_rows(response)
    assert "Claimant" in header
    assert "Total (£)" in header
    assert len(rows) == 1
    assert "north board" in rows[0]


def test_the_payroll_export_is_separate_and_filtered_by_date(client, world, host_staff):
    payment_services.cancel_payment(payment=world["south"]["payment"], acting_user=host_staff)
    client.force_login(host_staff)
    url = reverse("involvement_payments:index")
    header, *rows = export_rows(client.get(url, {"export": "csv"}))
    assert "Tax year paid" in header
    assert "Claimant" not in header
    assert len(rows) == 1
    assert "north LMNS board" in rows[0]
    later = TODAY + datetime.timedelta(days=1)
    _, *rows = export_rows(client.get(url, {"export": "csv", "activity_from": later.isoformat()}))
    assert rows == []
    assert client.get(url, {"export": "xlsx"}).status_code == HTTPStatus.OK


def test_a_lead_may_not_export_either_file(client, world, north_lead):
    client.force_login(north_lead)
    for name in ("expense_claims:index", "involvement_payments:index"):
        assert client.get(reverse(name)).status_code == HTTPStatus.OK
        assert_denied(client.get(reverse(name), {"export": "csv"}))


def test_a_lead_sees_only_their_mnvps_claims_and_payments(client, world, north_lead):
    client.force_login(north_lead)
    claims = client.get(reverse("expense_claims:index")).context["object_list"]
    payments = client.get(reverse("involvement_payments:index")).context["object_list"]
    assert [c.pk for c in claims] == [world["north"]["claim"].pk]
    assert [p.pk for p in payments] == [world["north"]["payment"].pk]

"""Claims a claimant sends from the volunteer area: same rules, nobody entered them, straight to the lead."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from members.enums import PPVCategory
from workplans.enums import ClaimStatus, ExpenseKind
from workplans.models import ExpenseClaim, MileageRate
from workplans.services import claims as services

from .money_factories import PNG, BudgetLineFactory, MoneyWorkplanFactory, member, receipt

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def fares(**changes):
    values = {"kind": ExpenseKind.FARES, "spent_on": TODAY, "description": "Bus", "amount": Decimal("4.50")}
    return services.OnlineItem(**{**values, **changes})


def test_an_online_claim_is_submitted_with_nobody_as_its_creator(north):
    person = member(north)
    claim = services.submit_online_claim(
        person=person,
        partnership=north,
        purpose="Listening event",
        items=[fares(receipt=receipt()), fares(amount=Decimal("2.25"))],
    )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED
    assert claim.created_by is None
    assert claim.submitted_online
    assert claim.submitted_at is not None
    assert claim.total == Decimal("6.75")
    assert claim.items.count() == 2
    assert claim.items.filter(receipt="").count() == 1


def test_mileage_is_priced_at_the_rate_on_the_day_of_the_journey(north):
    MileageRate.objects.create(
        effective_from=TODAY - datetime.timedelta(days=10), pence_per_mile=Decimal("50")
    )
    person = member(north)
    before = TODAY - datetime.timedelta(days=30)
    old_rate = services.mileage_rate_on(before).pence_per_mile
    claim = services.submit_online_claim(
        person=person,
        partnership=north,
        purpose="Two meetings",
        items=[
            services.OnlineItem(
                kind=ExpenseKind.MILEAGE, spent_on=before, description="Car", miles=Decimal("10")
            ),
            services.OnlineItem(
                kind=ExpenseKind.MILEAGE, spent_on=TODAY, description="Car", miles=Decimal("10")
            ),
        ],
    )
    amounts = sorted(claim.items.values_list("amount", flat=True))
    assert amounts == sorted([Decimal("5.00"), old_rate / 10])


@pytest.mark.parametrize("category", [PPVCategory.A])
def test_a_category_a_member_cannot_claim_online(north, category):
    with pytest.raises(ValidationError, match="no financial support"):
        services.submit_online_claim(
            person=member(north, category), partnership=north, purpose="x", items=[fares()]
        )
    assert not ExpenseClaim.objects.exists()


def test_a_member_of_another_mnvp_cannot_claim_from_this_one_online(north, south):
    with pytest.raises(ValidationError):
        services.submit_online_claim(person=member(south), partnership=north, purpose="x", items=[fares()])


def test_a_bad_receipt_saves_nothing(north):
    person = member(north)
    fake = receipt("receipt.png", b"not really a png")
    with pytest.raises(ValidationError, match="not really a PNG"):
        services.submit_online_claim(
            person=person, partnership=north, purpose="x", items=[fares(), fares(receipt=fake)]
        )
    assert not ExpenseClaim.objects.exists()


def test_a_good_png_receipt_is_accepted(north):
    claim = services.submit_online_claim(
        person=member(north), partnership=north, purpose="x", items=[fares(receipt=receipt("r.png", PNG))]
    )
    assert claim.items.get().receipt


@pytest.mark.parametrize(
    ("items", "message"),
    [([], "at least one item"), ([fares(spent_on=TODAY + datetime.timedelta(days=1))], "already spent")],
)
def test_an_empty_or_future_claim_is_refused(north, items, message):
    with pytest.raises(ValidationError, match=message):
        services.submit_online_claim(person=member(north), partnership=north, purpose="x", items=items)
    assert not ExpenseClaim.objects.exists()


def test_an_online_claim_is_charged_to_the_member_expenses_line_of_the_year(north):
    from workplans.models.plans import financial_year_of

    line = BudgetLineFactory(workplan=MoneyWorkplanFactory(partnership=north, year=financial_year_of(TODAY)))
    claim = services.submit_online_claim(
        person=member(north), partnership=north, purpose="x", items=[fares()]
    )
    assert claim.budget_line == line


def test_a_lead_approves_an_online_claim_as_any_other(north, north_lead):
    claim = services.submit_online_claim(
        person=member(north), partnership=north, purpose="x", items=[fares()]
    )
    assert services.approval_refusal(north_lead, claim) is None
    services.approve_claim(claim=claim, acting_user=north_lead)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED


def test_the_claimant_still_cannot_approve_their_own_online_claim(north):
    from tests.factories import lead_of

    lead = lead_of(north, email="lead@example.org")
    claim = services.submit_online_claim(
        person=member(north, email="lead@example.org"), partnership=north, purpose="x", items=[fares()]
    )
    assert "own claim" in services.approval_refusal(lead, claim)


def test_claimable_partnerships_are_the_current_b_and_c_memberships(north, south):
    person = member(north)
    member(south, PPVCategory.A)
    assert list(services.claimable_partnerships(person)) == [north]


def test_a_lead_opens_and_approves_an_online_claim_in_the_admin(client, north, north_lead):
    from django.urls import reverse

    claim = services.submit_online_claim(
        person=member(north), partnership=north, purpose="Sent online", items=[fares(receipt=receipt())]
    )
    client.force_login(north_lead)
    assert client.get(reverse("expense_claims:inspect", args=[claim.pk])).status_code == 200
    assert client.post(reverse("expense_claims:approve", args=[claim.pk])).status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.decided_by) == (ClaimStatus.APPROVED, north_lead)


def test_a_lead_of_another_mnvp_cannot_approve_it(client, north, south_lead):
    from django.urls import reverse

    claim = services.submit_online_claim(
        person=member(north), partnership=north, purpose="x", items=[fares()]
    )
    client.force_login(south_lead)
    assert client.post(reverse("expense_claims:approve", args=[claim.pk])).status_code in (403, 404)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED


def test_a_lead_sees_that_their_mnvps_claim_was_sent_online(client, north, north_lead, host_staff):
    from django.urls import reverse

    online = services.submit_online_claim(
        person=member(north), partnership=north, purpose="Sent online", items=[fares()]
    )
    entered = services.create_claim(
        partnership=north, claimant=member(north), purpose="Entered", acting_user=host_staff
    )
    client.force_login(north_lead)
    assert (
        "Sent online by the claimant"
        in client.get(reverse("expense_claims:inspect", args=[online.pk])).content.decode()
    )
    assert (
        "Sent online by the claimant"
        not in client.get(reverse("expense_claims:inspect", args=[entered.pk])).content.decode()
    )
    listing = client.get(reverse("expense_claims:index")).content.decode()
    assert "Sent online by the claimant" in listing
    assert "Entered in the admin" in listing
    only_online = client.get(reverse("expense_claims:index"), {"submitted_online": "true"})
    assert [c.pk for c in only_online.context["object_list"]] == [online.pk]
    only_entered = client.get(reverse("expense_claims:index"), {"submitted_online": "false"})
    assert [c.pk for c in only_entered.context["object_list"]] == [entered.pk]


def test_a_lead_of_another_mnvp_neither_lists_nor_opens_the_online_claim(client, north, south_lead):
    from django.urls import reverse

    claim = services.submit_online_claim(
        person=member(north), partnership=north, purpose="x", items=[fares()]
    )
    client.force_login(south_lead)
    assert client.get(reverse("expense_claims:inspect", args=[claim.pk])).status_code == 404
    listed = client.get(reverse("expense_claims:index"), {"submitted_online": "true"}).context["object_list"]
    assert list(listed) == []


def test_the_claims_listing_costs_the_same_queries_with_more_online_claims(
    client, north, north_lead, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    services.submit_online_claim(person=member(north), partnership=north, purpose="1", items=[fares()])
    client.force_login(north_lead)
    client.get(reverse("expense_claims:index"))  # warm the session and permission caches
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("expense_claims:index"))
    for n in range(8):
        services.submit_online_claim(
            person=member(north), partnership=north, purpose=f"more {n}", items=[fares()]
        )
    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse("expense_claims:index"))
    assert response.content.decode().count("Sent online by the claimant") >= 9

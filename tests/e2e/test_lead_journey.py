"""An MNVP lead, on a phone or at a desk, updates a milestone's progress and approves a member's claim.

From the dashboard's own links: the overdue milestone, its update form, then the claims awaiting
approval, one approved. The lead's own claim shows why they cannot approve it (and refuses if they
try), and another MNVP's claim is not there for them at all. Every admin page is checked with axe.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from members.enums import PPVCategory
from tests.e2e.accessibility import assert_accessible
from tests.workplans.money_factories import member
from tests.workplans.plan_factories import milestone_in
from workplans.enums import ClaimStatus, ExpenseKind, MilestoneStatus
from workplans.models import ExpenseClaim, MilestoneUpdate
from workplans.services import claims as claim_services

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips, or fails under E2E_REQUIRED=1, saying why
    expect = None

pytestmark = pytest.mark.e2e
SCREENS = ["phone", "desktop"]


def submitted_claim(partnership, claimant, host, purpose, amount="12.40"):
    """A claim keyed in by host staff for ``claimant``, with one item, sent for approval."""
    claim = claim_services.create_claim(
        partnership=partnership, claimant=claimant, purpose=purpose, acting_user=host
    )
    claim_services.add_expense_item(
        claim=claim,
        kind=ExpenseKind.FARES,
        spent_on=timezone.localdate() - datetime.timedelta(days=2),
        description="Bus there and back",
        amount=Decimal(amount),
        acting_user=host,
    )
    return claim_services.submit_claim(claim=claim, acting_user=host)


@pytest.fixture
def lead_work(demo):
    """An overdue Northshire milestone, and claims waiting: a member's, the lead's own, Southvale's."""
    partnerships, users = demo
    north, south = partnerships["northshire"], partnerships["southvale"]
    host, lead = users["host.admin"], users["north.lead"]
    milestone = milestone_in(
        north,
        title="Listening walk at the birth centre",
        owner=lead,
        due_on=timezone.localdate() - datetime.timedelta(days=5),
        status=MilestoneStatus.ON_TRACK,
    )
    carla = member(north, PPVCategory.B, first_name="Carla", last_name="Mendes")
    # The lead is a category C member too, so may claim; never approve their own.
    lead_as_member = member(
        north, PPVCategory.C, first_name="Niamh", last_name="Roberts", email="North.Lead@example.org"
    )
    sade = member(south, PPVCategory.C, first_name="Sade", last_name="Okafor")
    return {
        "milestone": milestone,
        "members_claim": submitted_claim(north, carla, host, "Walk the Patch on the labour ward"),
        "own_claim": submitted_claim(north, lead_as_member, host, "Fifteen Steps visit"),
        "south_claim": submitted_claim(south, sade, host, "Southvale quarterly meeting"),
        "lead": lead,
    }


@pytest.mark.parametrize("screen", SCREENS)
def test_a_lead_updates_a_milestone_and_approves_a_members_claim(request, screen, lead_work, log_in, shot):
    page = request.getfixturevalue(screen)
    milestone, lead = lead_work["milestone"], lead_work["lead"]
    members_claim, own_claim = lead_work["members_claim"], lead_work["own_claim"]
    log_in(page, "north.lead")
    assert_accessible(page, "lead dashboard")
    shot(page, f"lead-01-dashboard-{screen}")

    # The dashboard counts the overdue milestone and links to it.
    milestones_panel = page.get_by_role("region", name="Milestones to update")
    milestones_panel.get_by_role("link", name=re.compile(r"^1\s+Overdue$")).click()
    page.wait_for_url(re.compile(r"/admin/milestones/\?.*overdue=true"))
    expect(page.get_by_role("row").filter(has_text=milestone.title)).to_have_count(1)
    assert_accessible(page, "milestones to update")
    shot(page, f"lead-02-milestones-{screen}")

    page.goto(reverse("milestones:inspect", args=[milestone.pk]))
    expect(page.locator("main")).to_contain_text("No updates yet.")
    assert_accessible(page, "milestone")
    page.get_by_role("link", name="Post an update").click()
    page.wait_for_url(f"**{reverse('milestones:post_update', args=[milestone.pk])}")
    assert_accessible(page, "post a milestone update")

    # Posted without a note: told what is missing, nothing recorded.
    page.get_by_label("Status now").select_option(label="Done")
    page.get_by_role("button", name="Post update").click()
    note_field = page.locator("[data-field]").filter(has=page.locator("#id_note"))
    expect(note_field).to_contain_text("This field is required")
    assert_accessible(page, "post a milestone update, with an error")
    assert not MilestoneUpdate.objects.filter(milestone=milestone).exists()

    page.get_by_label("Note").fill("Forty families spoken to; themes written up for the trust.")
    page.get_by_role("button", name="Post update").click()
    page.wait_for_url(f"**{reverse('milestones:inspect', args=[milestone.pk])}")
    expect(page.get_by_text(f"Posted an update on “{milestone.title}”")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Forty families spoken to")).to_have_count(1)
    assert_accessible(page, "milestone after the update")
    shot(page, f"lead-03-milestone-updated-{screen}")

    # Back to the dashboard: two Northshire claims await approval (Southvale's is not counted).
    page.goto(reverse("wagtailadmin_home"))
    claims_panel = page.get_by_role("region", name="Claims to approve")
    claims_panel.get_by_role("link", name=re.compile(r"^2 submitted, awaiting your approval")).click()
    page.wait_for_url(re.compile(r"/admin/expense_claims/\?.*status=submitted"))
    expect(page.get_by_role("row").filter(has_text="Walk the Patch on the labour ward")).to_have_count(1)
    expect(page.get_by_role("row").filter(has_text="Fifteen Steps visit")).to_have_count(1)
    expect(page.get_by_text("Southvale quarterly meeting")).to_have_count(0)
    assert_accessible(page, "claims awaiting approval")
    shot(page, f"lead-04-claims-{screen}")

    # The member's claim: approve it.
    page.goto(reverse("expense_claims:inspect", args=[members_claim.pk]))
    expect(page.locator("main")).to_contain_text("Bus there and back")
    assert_accessible(page, "a member's claim")
    page.get_by_role("link", name="Approve").click()
    page.wait_for_url(f"**{reverse('expense_claims:approve', args=[members_claim.pk])}")
    assert_accessible(page, "approve the claim")
    page.get_by_role("button", name="Approve").click()
    page.wait_for_url(f"**{reverse('expense_claims:inspect', args=[members_claim.pk])}")
    expect(page.get_by_text("Claim approved: the host team will pay it.")).to_be_visible()
    assert_accessible(page, "the claim, approved")
    shot(page, f"lead-05-claim-approved-{screen}")

    # Their own claim: the page says why there is no Approve button, and the form refuses too.
    page.goto(reverse("expense_claims:inspect", args=[own_claim.pk]))
    expect(page.get_by_text("Nobody approves their own claim")).to_be_visible()
    expect(page.get_by_role("link", name="Approve", exact=True)).to_have_count(0)
    assert_accessible(page, "the lead's own claim")
    page.goto(reverse("expense_claims:approve", args=[own_claim.pk]))
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Nobody approves their own claim")).to_be_visible()
    assert_accessible(page, "approving one's own claim, refused")
    shot(page, f"lead-06-own-claim-refused-{screen}")

    # Another MNVP's claim does not exist for them.
    south_claim = lead_work["south_claim"]
    assert page.goto(reverse("expense_claims:inspect", args=[south_claim.pk])).status == 404
    assert page.goto(reverse("expense_claims:approve", args=[south_claim.pk])).status == 404

    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.DONE
    update = MilestoneUpdate.objects.get(milestone=milestone)
    assert (update.by, update.status) == (lead, MilestoneStatus.DONE)
    assert update.note == "Forty families spoken to; themes written up for the trust."
    claims = {claim.pk: claim for claim in ExpenseClaim.objects.all()}
    assert claims[members_claim.pk].status == ClaimStatus.APPROVED
    assert claims[members_claim.pk].decided_by == lead
    assert claims[own_claim.pk].status == ClaimStatus.SUBMITTED
    assert claims[own_claim.pk].decided_by is None
    assert claims[south_claim.pk].status == ClaimStatus.SUBMITTED

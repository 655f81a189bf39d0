"""A designated safeguarding lead triages a new concern; the MNVP lead who reported it cannot open it.

The DSL finds the concern from the dashboard's "not acknowledged" link, opens it, acknowledges it,
triages it and records a decision in the chronology, on a phone or at a desk. Every read and step is
in the access log. The reporter sees only their own report's reference and status. Every admin page
is checked with axe.
"""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from cms.models import AccessLogEntry
from safeguarding.enums import ConcernStatus
from safeguarding.models import Concern
from tests.e2e.accessibility import assert_accessible
from tests.factories import ConcernFactory

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips, or fails under E2E_REQUIRED=1, saying why
    expect = None

pytestmark = pytest.mark.e2e
SCREENS = ["phone", "desktop"]
DECISION = "Spoke to the ward manager: the midwife will follow up at the next visit. No referral needed."


@pytest.fixture
def concern(demo):
    """Reported by the Northshire lead an hour ago, from a listening event, not yet acknowledged."""
    partnerships, users = demo
    return ConcernFactory(partnership=partnerships["northshire"], reported_by=users["north.lead"])


@pytest.mark.parametrize("screen", SCREENS)
def test_a_dsl_triages_a_new_concern_and_the_reporter_cannot_open_it(
    request, screen, concern, demo, log_in, shot
):
    page = request.getfixturevalue(screen)
    _partnerships, users = demo
    dsl = users["safeguarding.lead"]
    inspect_url = reverse("concerns:inspect", args=[concern.pk])
    log_in(page, "safeguarding.lead")
    assert_accessible(page, "DSL dashboard")
    shot(page, f"dsl-01-dashboard-{screen}")

    # The dashboard counts it among today's concerns, flagged as not acknowledged.
    panel = page.get_by_role("region", name="Open safeguarding concerns")
    panel.get_by_role("link", name="1 not acknowledged").click()
    page.wait_for_url(re.compile(r"/admin/concerns/\?.*unacknowledged=true"))
    row = page.get_by_role("row").filter(has_text=f"#{concern.pk}")
    expect(row).to_have_count(1)
    assert_accessible(page, "concerns not acknowledged")
    shot(page, f"dsl-02-concerns-{screen}")
    row.get_by_role("link", name=str(concern)).click()
    page.wait_for_url(f"**{inspect_url}")
    expect(page.locator("main")).to_contain_text(concern.what_happened)
    assert_accessible(page, "a new concern")
    shot(page, f"dsl-03-concern-{screen}")

    # Acknowledge: one click (a note is optional); the clock stops.
    page.get_by_role("link", name="Acknowledge").click()
    page.wait_for_url(f"**{reverse('concerns:acknowledge', args=[concern.pk])}")
    assert_accessible(page, "acknowledge")
    page.get_by_role("button", name="Acknowledge").click()
    page.wait_for_url(f"**{inspect_url}")
    expect(page.get_by_text("Acknowledged.").first).to_be_visible()
    assert_accessible(page, "the concern, acknowledged")

    # Triage: saved without a category, it says what is missing and changes nothing.
    page.get_by_role("link", name="Triage").click()
    page.wait_for_url(f"**{reverse('concerns:triage', args=[concern.pk])}")
    page.get_by_role("button", name="Save the triage").click()
    expect(page.locator(".w-field__wrapper").filter(has_text="Categories")).to_contain_text(
        "This field is required"
    )
    assert_accessible(page, "triage, with an error")
    assert Concern.objects.get(pk=concern.pk).status == ConcernStatus.ACKNOWLEDGED
    page.get_by_role("checkbox", name="Domestic abuse").check()
    page.get_by_label("Note (optional)").fill("Disclosure of domestic abuse by a partner.")
    page.get_by_role("button", name="Save the triage").click()
    page.wait_for_url(f"**{inspect_url}")
    expect(page.get_by_text("Triage recorded.")).to_be_visible()

    # The decision goes in the chronology.
    page.get_by_role("link", name="Add to the chronology").click()
    page.wait_for_url(f"**{reverse('concerns:add_entry', args=[concern.pk])}")
    assert_accessible(page, "add to the chronology")
    page.get_by_label("What happened").fill(DECISION)
    page.get_by_role("button", name="Add the entry").click()
    page.wait_for_url(f"**{inspect_url}")
    chronology = page.get_by_role("region", name="Chronology")
    expect(chronology.get_by_role("row").filter(has_text="Triaged: Domestic abuse")).to_have_count(1)
    expect(chronology.get_by_role("row").filter(has_text=DECISION)).to_have_count(1)
    assert_accessible(page, "the concern, triaged")
    shot(page, f"dsl-04-concern-triaged-{screen}")

    # The lead who reported it, in their own browser: their report's status, never the concern.
    lead_page = request.getfixturevalue("desktop" if screen == "phone" else "phone")
    log_in(lead_page, "north.lead")
    assert lead_page.goto(inspect_url).status == 404
    assert lead_page.goto(reverse("concerns:acknowledge", args=[concern.pk])).status == 404
    lead_page.goto(reverse("concerns:index"))
    expect(lead_page.get_by_text(str(concern))).to_have_count(0)
    lead_page.goto(reverse("concern_reports:mine"))
    mine = lead_page.get_by_role("row").filter(
        has_text="Acknowledged: a safeguarding lead is dealing with it"
    )
    expect(mine).to_have_count(1)
    expect(lead_page.get_by_text(concern.what_happened)).to_have_count(0)
    expect(lead_page.get_by_text("Domestic abuse")).to_have_count(0)
    assert_accessible(lead_page, "the lead's own reports")
    shot(lead_page, f"dsl-05-lead-reports-{screen}")

    concern.refresh_from_db()
    assert concern.status == ConcernStatus.TRIAGED
    assert concern.acknowledged_by == dsl
    assert concern.acknowledged_at is not None
    assert concern.categories == ["domestic_abuse"]
    assert [(entry.by, entry.text) for entry in concern.entries.order_by("at", "pk")] == [
        (dsl, "Acknowledged."),
        (dsl, "Triaged: Domestic abuse.\nDisclosure of domestic abuse by a partner."),
        (dsl, DECISION),
    ]
    logged = AccessLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Concern), object_id=str(concern.pk)
    )
    assert logged.filter(user=dsl, action=AccessLogEntry.Action.VIEW).exists()
    assert set(logged.filter(action=AccessLogEntry.Action.CHANGE).values_list("user", flat=True)) == {dsl.pk}
    assert not logged.filter(user=users["north.lead"], action=AccessLogEntry.Action.CHANGE).exists()

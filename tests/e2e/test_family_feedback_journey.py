"""A family finds their MNVP, reads its events and what changed, and gives feedback on a phone and at
a desk; the MNVP's lead finds what they said in the admin. Each page is checked with axe-core."""

import re
import time

import pytest
from django.conf import settings
from django.urls import reverse

from tests.e2e.accessibility import assert_accessible
from tests.e2e.public_site import QUIET_ROOM_DONE, seed_family_pages
from tests.workplans.feedback_factories import FeedbackThemeFactory
from workplans.enums import FeedbackSource
from workplans.models import FeedbackItem

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips, or fails under E2E_REQUIRED=1, saying why
    expect = None

pytestmark = pytest.mark.e2e

ON_THE_PHONE = "We waited two hours for a bed after the birth, but the midwife was lovely."
AT_THE_DESK = "Nobody told us where to park for the neonatal unit, and it cost us a fortune."


def give_feedback(page, shot, screen, text, area, sentiment=None):
    """From the MNVP page: a first try with nothing chosen, told what to fix, then sent."""
    held = FeedbackItem.objects.count()
    page.get_by_role("link", name="Give feedback to Northshire MNVP").click()
    page.wait_for_url(re.compile(r"/northshire/feedback/$"))
    expect(page.get_by_role("heading", name="We do not ask who you are")).to_be_visible()
    page.get_by_label("What happened?").fill(text)
    page.get_by_role("button", name="Send feedback").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.locator("#id_service_area_error")).to_have_text("Choose which part of your care it is about.")
    expect(page.get_by_label("What happened?")).to_have_value(text)
    assert_accessible(page, f"feedback-errors-{screen}")
    shot(page, f"family-02-feedback-errors-{screen}")
    assert FeedbackItem.objects.count() == held  # nothing half-saved

    shown_at = time.monotonic()
    page.get_by_role("link", name="Choose which part of your care it is about.").click()
    expect(page.get_by_role("radio", name="Antenatal")).to_be_focused()  # the first choice
    page.get_by_role("radio", name=area).check()
    if sentiment:
        page.get_by_role("radio", name=sentiment).check()
    wait = settings.ANTISPAM_MIN_FILL_SECONDS + 0.2 - (time.monotonic() - shown_at)
    if wait > 0:
        time.sleep(wait)
    page.get_by_role("button", name="Send feedback").click()
    page.wait_for_url(re.compile(r"/northshire/feedback/thanks/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your feedback")
    assert_accessible(page, f"feedback-thanks-{screen}")
    shot(page, f"family-03-thanks-{screen}")


def test_a_family_gives_feedback_and_the_lead_finds_it(demo, phone, desktop, log_in, shot):
    partnerships, _users = demo
    north = partnerships["northshire"]
    seed_family_pages(north)
    waiting = FeedbackThemeFactory(name="Waiting times", keywords="waited\nwait")

    # On a phone: from the home page to their MNVP, its events and what changed.
    phone.goto("/")
    phone.get_by_role("link", name="Northshire MNVP", exact=True).click()
    phone.wait_for_url(re.compile(r"/northshire/$"))
    events = phone.get_by_role("region", name="Upcoming events")
    expect(events.get_by_role("heading", name="Coffee and chat for new parents")).to_be_visible()
    expect(events).to_contain_text("10:30 a.m.")
    expect(events).to_contain_text("Northtown Family Hub, Market Street")
    changed = phone.get_by_role("region", name="What changed because you spoke")
    expect(changed).to_contain_text(QUIET_ROOM_DONE)
    assert_accessible(phone, "mnvp-phone")
    shot(phone, "family-01-mnvp-phone")
    events.get_by_role("link", name="See all upcoming events of Northshire MNVP").click()
    phone.wait_for_url(re.compile(r"/northshire/events/$"))
    expect(phone.locator(".event")).to_have_count(5)
    expect(phone.get_by_role("heading", name="Baby massage and talk")).to_be_visible()
    assert_accessible(phone, "events-phone")
    phone.get_by_role("link", name="Northshire MNVP", exact=True).click()

    give_feedback(phone, shot, "phone", ON_THE_PHONE, "Postnatal", sentiment="Mixed")
    item = FeedbackItem.objects.get()
    assert (item.partnership, item.source) == (north, FeedbackSource.PUBLIC_FORM)
    assert (item.service_area, item.sentiment) == ("postnatal", "mixed")
    assert list(item.themes.all()) == [waiting]

    # At a desk, another family, with no sentiment given.
    desktop.goto("/northshire/")
    give_feedback(desktop, shot, "desktop", AT_THE_DESK, "Neonatal")
    assert FeedbackItem.objects.filter(partnership=north, source=FeedbackSource.PUBLIC_FORM).count() == 2

    # Northshire's lead finds both among the MNVP's feedback from the public form, and opens one.
    log_in(desktop, "north.lead")
    desktop.goto(reverse("feedback_items:index") + "?source=public_form")
    rows = desktop.get_by_role("row").filter(has_text="Public feedback form")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="We waited two hours for a bed")).to_contain_text("Waiting times")
    shot(desktop, "family-04-feedback-list-lead")
    desktop.goto(reverse("feedback_items:inspect", args=[item.pk]))
    expect(desktop.get_by_text(ON_THE_PHONE)).to_be_visible()
    shot(desktop, "family-05-feedback-item-lead")

"""The pages families use meet WCAG 2.2 AA as axe-core checks it, on a phone and on a desktop.

Every public page: home, an MNVP page, its events, the feedback form (empty and with errors)
and its thanks page, "Find support", and volunteer sign-up with its thanks page. No serious
or critical violation is let through (see tests/e2e/accessibility.py).
"""

import re
import time

import pytest
from django.conf import settings

from tests.e2e.accessibility import assert_accessible
from tests.e2e.public_site import seed_family_pages

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips, or fails under E2E_REQUIRED=1, saying why
    expect = None

pytestmark = pytest.mark.e2e


@pytest.fixture
def public_site(demo):
    partnerships, _users = demo
    seed_family_pages(partnerships["northshire"])
    return partnerships["northshire"]


def check(page, shot, name, url=None):
    if url:
        page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    shot(page, f"a11y-{name}")
    assert_accessible(page, name)


def wait_for_fill_time(since):
    wait = settings.ANTISPAM_MIN_FILL_SECONDS + 0.2 - (time.monotonic() - since)
    if wait > 0:
        time.sleep(wait)


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_public_pages_have_no_serious_accessibility_violations(public_site, request, shot, screen):
    page = request.getfixturevalue(screen)

    check(page, shot, f"home-{screen}", "/")
    check(page, shot, f"mnvp-{screen}", "/northshire/")
    check(page, shot, f"events-{screen}", "/northshire/events/")
    check(page, shot, f"find-support-{screen}", "/find-support/")

    check(page, shot, f"feedback-{screen}", "/northshire/feedback/")
    page.get_by_role("button", name="Send feedback").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    check(page, shot, f"feedback-errors-{screen}")

    shown_at = time.monotonic()
    page.get_by_label("What happened?").fill("The staff on the neonatal unit explained everything to us.")
    page.get_by_role("radio", name="Neonatal").check()
    wait_for_fill_time(shown_at)
    page.get_by_role("button", name="Send feedback").click()
    page.wait_for_url(re.compile(r"/northshire/feedback/thanks/$"))
    check(page, shot, f"feedback-thanks-{screen}")

    check(page, shot, f"signup-{screen}", "/get-involved/")
    page.get_by_role("button", name="Send my details").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    check(page, shot, f"signup-errors-{screen}")
    shown_at = time.monotonic()
    page.get_by_label("First name").fill("Bethan")
    page.get_by_label("Last name").fill("Llewellyn")
    page.get_by_label("Email address").fill(f"bethan.{screen}@example.org")
    page.get_by_label("Postcode").fill("NS1 4XY")
    page.get_by_role("checkbox", name="Northshire MNVP").check()
    page.get_by_role("checkbox", name=re.compile("^I have read the privacy notice")).check()
    wait_for_fill_time(shown_at)
    page.get_by_role("button", name="Send my details").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, Bethan")
    check(page, shot, f"signup-thanks-{screen}")

"""The Wagtail admin works under our Content Security Policy, with no violation reported.

Drives the system Chromium through sign-in (with the second factor), the dashboard, a
page edit with the rich text editor and its link chooser modal, a model edit form, the
two-factor pages and a public page, collecting every CSP violation the browser reports.
"""

import pytest
from django.urls import reverse

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips, or fails under E2E_REQUIRED=1, saying why
    expect = None

pytestmark = pytest.mark.e2e


def _collect_violations(page) -> list[str]:
    found: list[str] = []
    page.on(
        "console",
        lambda message: (
            found.append(f"{page.url}: {message.text} ({message.location.get('url')})")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return found


def inline_scripts(page) -> list[str]:
    """Scripts in the page that would run inline (JSON data blocks are not run, so allowed)."""
    return page.evaluate(
        "Array.from(document.querySelectorAll('script:not([src])'))"
        ".filter(s => !s.type || s.type === 'text/javascript').map(s => s.outerHTML.slice(0, 300))"
    )


def test_the_admin_raises_no_csp_violation(desktop, demo, log_in, shot):
    from home.models import MNVPPage

    partnerships, _users = demo
    violations = _collect_violations(desktop)

    log_in(desktop, "host.admin")
    expect(desktop.get_by_role("heading", level=1).first).to_be_visible()

    page = MNVPPage.objects.first()
    desktop.goto(f"/admin/pages/{page.pk}/edit/")
    assert inline_scripts(desktop) == []
    editor = desktop.locator(".Draftail-Editor [contenteditable=true]").first
    editor.click()
    desktop.keyboard.press("Control+k")
    modal = desktop.locator(".modal-dialog")
    expect(modal).to_be_visible()
    expect(modal.get_by_role("heading").first).to_be_visible()
    shot(desktop, "csp-page-chooser")
    modal.get_by_role("button", name="Close").click()
    expect(modal).to_be_hidden()
    expect(desktop.locator(".modal-backdrop")).to_have_count(0)
    desktop.get_by_role("button", name="Toggle preview").click()
    # Wagtail loads the preview in a second iframe, then swaps it in for the first.
    expect(desktop.locator("iframe.w-preview__proxy")).to_have_count(0)
    expect(desktop.frame_locator("#w-preview-iframe").locator("body")).to_be_visible()
    shot(desktop, "csp-preview")

    # A model form with an inline panel: its "Add" button must work (started by csp-init.js).
    desktop.goto(f"/admin/partnerships/edit/{partnerships['northshire'].pk}/")
    assert inline_scripts(desktop) == []
    total_forms = desktop.locator("#id_served_units-TOTAL_FORMS")
    before = int(total_forms.input_value())
    desktop.get_by_role("button", name="Add Unit").click()
    expect(total_forms).to_have_value(str(before + 1))

    # A form with a date picker.
    desktop.goto(reverse("milestones:add"))
    assert inline_scripts(desktop) == []
    target = desktop.locator("[data-csp-init=date]").first.get_attribute("data-csp-target")
    desktop.locator(f"#{target}").click()
    expect(desktop.locator(".xdsoft_datetimepicker:visible").first).to_be_visible()

    desktop.goto("/admin/two-factor/recovery-codes/")
    expect(desktop.get_by_role("heading", name="Recovery codes", exact=True)).to_be_visible()

    desktop.goto("/admin/account/")
    desktop.goto("/")
    desktop.wait_for_load_state("networkidle")
    assert violations == [], "\n".join(violations)

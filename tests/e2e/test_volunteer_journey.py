"""A new volunteer signs up on a phone; the host finds the application in the admin."""

import re
import time

import pytest
from django.conf import settings

from members.models import Application
from tests.factories import ApplicationFactory, PersonFactory

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips, or fails under E2E_REQUIRED=1, saying why
    expect = None

pytestmark = pytest.mark.e2e


def test_a_volunteer_signs_up_on_a_phone_and_host_staff_see_the_application(
    demo, phone, desktop, log_in, shot
):
    partnerships, _users = demo
    north = partnerships["northshire"]

    # The Northshire page, on a phone, invites people to volunteer.
    phone.goto("/northshire/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Northshire MNVP")
    shot(phone, "01-mnvp-page-phone")
    phone.get_by_role("link", name="Sign up to volunteer with Northshire MNVP").click()
    phone.wait_for_url(re.compile(r"/get-involved/\?mnvp=northshire$"))
    northshire_box = phone.get_by_role("checkbox", name="Northshire MNVP")
    expect(northshire_box).to_be_checked()
    expect(phone.get_by_role("checkbox", name="Southvale MNVP")).not_to_be_checked()

    # A first go with a mistyped email and no consent: told what to fix, nothing lost.
    phone.get_by_label("First name").fill("Bethan")
    phone.get_by_label("Last name").fill("Llewellyn")
    phone.get_by_label("Email address").fill("bethan.example.org")
    phone.get_by_label("Postcode").fill("ns1 4xy")
    phone.get_by_role("button", name="Send my details").click()
    expect(phone.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(phone.locator("#id_email_error")).to_contain_text("Enter a valid email address")
    expect(phone.locator("#id_privacy_consent_error")).to_contain_text(
        "confirm you have read the privacy notice"
    )
    expect(phone.get_by_label("First name")).to_have_value("Bethan")
    expect(phone.get_by_label("Email address")).to_have_value("bethan.example.org")
    expect(phone.get_by_label("Postcode")).to_have_value("ns1 4xy")
    expect(northshire_box).to_be_checked()
    shown_at = time.monotonic()
    shot(phone, "02-signup-errors-phone")
    assert not Application.objects.exists()

    # Put right, with a few choices, after at least the minimum time a person takes.
    phone.get_by_label("Email address").fill("bethan@example.org")
    phone.get_by_role("checkbox", name="Helping with surveys").check()
    phone.get_by_role("checkbox", name="Weekday evenings").check()
    phone.get_by_role("checkbox", name=re.compile("^I have read the privacy notice")).check()
    wait = settings.ANTISPAM_MIN_FILL_SECONDS + 0.2 - (time.monotonic() - shown_at)
    if wait > 0:
        time.sleep(wait)
    phone.get_by_role("button", name="Send my details").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Thank you, Bethan")
    expect(phone.get_by_text("We have your details for Northshire MNVP")).to_be_visible()
    shot(phone, "03-thank-you-phone")
    application = Application.objects.get(person__email="bethan@example.org")
    assert application.partnership == north
    assert application.person.postcode == "NS1 4XY"
    assert application.involvement == ["surveys"]

    # Host staff, at a desk, find the new application and open it.
    log_in(desktop, "host.admin")
    desktop.goto("/admin/applications/")
    row = desktop.get_by_role("row").filter(has_text="Bethan Llewellyn")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Northshire MNVP")
    shot(desktop, "04-applications-host")
    row.get_by_role("link", name="Bethan Llewellyn").click()
    desktop.wait_for_url(re.compile(rf"/admin/applications/\w+/{application.pk}/$"))
    expect(desktop.locator("main")).to_contain_text("Bethan Llewellyn")
    expect(desktop.get_by_role("checkbox", name="Helping with surveys")).to_be_checked()
    shot(desktop, "05-application-host")


def test_an_mnvp_lead_never_sees_another_mnvps_applicant(demo, desktop, log_in, shot):
    partnerships, _users = demo
    ours = ApplicationFactory(
        partnership=partnerships["northshire"], person=PersonFactory(first_name="Olwen", last_name="North")
    )
    theirs = ApplicationFactory(
        partnership=partnerships["southvale"], person=PersonFactory(first_name="Sian", last_name="South")
    )

    log_in(desktop, "north.lead")
    desktop.goto("/admin/applications/")
    expect(desktop.get_by_role("row").filter(has_text="Olwen North")).to_have_count(1)
    expect(desktop.get_by_text("Sian South")).to_have_count(0)
    shot(desktop, "06-applications-north-lead")

    response = desktop.goto(f"/admin/applications/edit/{theirs.pk}/")
    assert response.status == 404
    assert desktop.goto(f"/admin/applications/edit/{ours.pk}/").status == 200

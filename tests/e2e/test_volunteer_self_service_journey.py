"""A volunteer signs up, is accepted by host staff, signs in with the emailed link and claims expenses.

Run on a phone-sized and a desktop-sized page; axe-core checks every volunteer page on the way.
"""

import re
import time
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from members.enums import ApplicationStage, MembershipRole
from members.models import Application, Course, Membership, RoleRequirement, User
from members.services.recruitment import move_application
from privacy.models import DataRequest
from tests.e2e.accessibility import assert_accessible
from tests.factories import MembershipFactory
from workplans.enums import ClaimStatus
from workplans.models import ExpenseClaim
from workplans.services.claims import OnlineItem, submit_online_claim

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips, or fails under E2E_REQUIRED=1, saying why
    expect = None

pytestmark = pytest.mark.e2e

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def host_page(browser, live_server):
    """Host staff at their own desk: a desktop page with cookies of its own."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def sign_up(page, email):
    page.goto("/get-involved/?mnvp=northshire")
    shown_at = time.monotonic()
    page.get_by_label("First name").fill("Rhiannon")
    page.get_by_label("Last name").fill("Davies")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Postcode").fill("ns1 4xy")
    page.get_by_role("checkbox", name="Helping with surveys").check()
    page.get_by_role("checkbox", name=re.compile("^I have read the privacy notice")).check()
    wait = settings.ANTISPAM_MIN_FILL_SECONDS + 0.2 - (time.monotonic() - shown_at)
    if wait > 0:
        time.sleep(wait)
    page.get_by_role("button", name="Send my details").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, Rhiannon")


def sign_in_link(email) -> str:
    links = [m for m in mail.outbox if m.to == [email] and m.subject == "Your link to sign in"]
    assert len(links) == 1, [m.subject for m in mail.outbox]
    return re.search(r"https?://\S+/volunteer/sign-in/\S+/", links[0].body).group(0)


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_a_volunteer_signs_up_is_accepted_signs_in_and_claims_expenses(
    demo, request, screen, host_page, log_in, shot
):
    partnerships, users = demo
    north = partnerships["northshire"]
    RoleRequirement.objects.update_or_create(role=MembershipRole.VOLUNTEER)[0].courses.add(
        Course.objects.create(name="Safeguarding level 1", validity_months=36)
    )
    page = request.getfixturevalue(screen)
    email = f"rhiannon.{screen}@example.org"

    # Before signing up, the volunteer area asks for an email and answers alike for anyone.
    page.goto("/")
    page.get_by_role("link", name="Volunteer sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Volunteer sign in")
    assert_accessible(page, f"volunteer-sign-in-{screen}")
    shot(page, f"volunteer-01-sign-in-{screen}")
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name="Email me a sign-in link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert_accessible(page, f"volunteer-sign-in-sent-{screen}")
    assert not [m for m in mail.outbox if m.to == [email]]  # nobody by that address yet

    # They sign up on the public page.
    sign_up(page, email)
    application = Application.objects.get(person__email=email)

    # The recruiter has talked to them and run the induction (weeks pass)...
    host = users["host.admin"]
    for stage in (ApplicationStage.CONTACTED, ApplicationStage.CONVERSATION, ApplicationStage.INDUCTION):
        application = move_application(application=application, to_stage=stage, acting_user=host)

    # ...and host staff accept them into membership in the admin, in category B (expenses).
    log_in(host_page, "host.admin")
    host_page.goto(f"/admin/applications/inspect/{application.pk}/")
    host_page.get_by_role("link", name="Accept into membership").click()
    host_page.get_by_label("PPV category").select_option("B")
    # The date input's initial value is not in the yyyy-mm-dd form the browser needs, so it shows
    # empty (members/admin_forms.py AcceptApplicationForm, outside this piece): type it.
    host_page.get_by_label("Start date").fill(time.strftime("%Y-%m-%d"))
    host_page.get_by_role("button", name="Accept").click()
    expect(host_page.get_by_text("Rhiannon Davies is now a member of Northshire MNVP")).to_be_visible()
    assert Membership.objects.filter(person__email=email, partnership=north, ppv_category="B").exists()

    # The volunteer asks for a sign-in link and follows it from the email.
    page.goto("/volunteer/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name="Email me a sign-in link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    page.goto(sign_in_link(email))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to your volunteer area")
    assert_accessible(page, f"volunteer-redeem-{screen}")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Rhiannon")
    expect(page.get_by_text("Volunteer, Northshire MNVP")).to_be_visible()
    assert_accessible(page, f"volunteer-overview-{screen}")
    shot(page, f"volunteer-02-overview-{screen}")

    # Their details: corrected, with consent to hear about opportunities.
    area = page.get_by_role("navigation", name="Your volunteer area")
    area.get_by_role("link", name="Your details").click()
    expect(page.get_by_label("Email address")).to_have_count(0)  # shown, never editable here
    expect(page.get_by_label("Last name")).to_have_value("Davies")
    assert_accessible(page, f"volunteer-details-{screen}")
    # A slip first: told what to fix, beside the field, and nothing saved.
    page.get_by_label("First name").fill("")
    page.get_by_role("button", name="Save my details").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page, f"volunteer-details-errors-{screen}")
    page.get_by_role("link", name=re.compile("^First name")).click()
    expect(page.get_by_label("First name")).to_be_focused()
    page.get_by_label("First name").fill("Rhiannon")
    page.get_by_label("Phone number (optional)").fill("07700 900123")
    page.get_by_label("Tell me about new opportunities, events and news").check()
    page.get_by_role("button", name="Save my details").click()
    expect(page.get_by_role("status")).to_contain_text("Your details are saved")
    expect(page.get_by_label("Phone number (optional)")).to_have_value("07700 900123")
    shot(page, f"volunteer-03-details-{screen}")

    # Their training and what is due.
    area.get_by_role("link", name="Training").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your training and checks")
    expect(page.get_by_role("region", name="What your role needs")).to_contain_text("Safeguarding level 1")
    expect(page.get_by_role("region", name="What your role needs")).to_contain_text("Missing")
    assert_accessible(page, f"volunteer-training-{screen}")
    shot(page, f"volunteer-04-training-{screen}")

    # An expense claim with a receipt.
    area.get_by_role("link", name="Expenses").click()
    assert_accessible(page, f"volunteer-claims-empty-{screen}")
    page.get_by_role("link", name="Claim expenses").click()
    expect(page.get_by_text("Claiming from Northshire MNVP")).to_be_visible()
    assert_accessible(page, f"volunteer-new-claim-{screen}")
    page.get_by_label("What were the expenses for?").fill("Listening event at the children's centre")
    page.locator("#id_items-0-kind").select_option("fares")
    page.locator("#id_items-0-spent_on").fill(time.strftime("%Y-%m-%d"))
    page.locator("#id_items-0-description").fill("Bus there and back")
    page.locator("#id_items-0-amount").fill("5.40")
    page.locator("#id_items-0-receipt").set_input_files(
        {"name": "bus-ticket.png", "mimeType": "image/png", "buffer": PNG}
    )
    shot(page, f"volunteer-05-new-claim-{screen}")
    page.get_by_role("button", name="Send my claim").click()
    expect(page.get_by_role("status")).to_contain_text("is sent to your MNVP lead for approval")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Listening event at the children's centre")
    expect(page.get_by_role("table")).to_contain_text("£5.40")
    expect(page.get_by_role("table")).to_contain_text("Attached")
    assert_accessible(page, f"volunteer-claim-{screen}")
    shot(page, f"volunteer-06-claim-{screen}")
    claim = ExpenseClaim.objects.get(claimant__email=email)
    assert claim.status == ClaimStatus.SUBMITTED
    assert claim.submitted_online
    assert claim.created_by is None
    assert claim.items.get().receipt

    # Another volunteer's claim is not theirs to see.
    someone_else = MembershipFactory(partnership=north, ppv_category="B").person
    other = submit_online_claim(
        person=someone_else,
        partnership=north,
        purpose="Their taxi",
        items=[
            OnlineItem(kind="fares", spent_on=timezone.localdate(), description="Taxi", amount=Decimal("9"))
        ],
    )
    assert page.goto(f"/volunteer/claims/{other.pk}/").status == 404
    expect(page.get_by_text("Their taxi")).to_have_count(0)
    page.goto("/volunteer/claims/")
    expect(page.get_by_role("link", name=re.compile("Listening event"))).to_be_visible()
    expect(page.get_by_text("Their taxi")).to_have_count(0)

    # Their data: the page to withdraw consent or ask for a copy.
    area.get_by_role("link", name="Your data").click()
    assert_accessible(page, f"volunteer-your-data-{screen}")
    shot(page, f"volunteer-07-your-data-{screen}")
    page.get_by_role("radio", name="A copy of the information you hold about me").check()
    page.get_by_role("button", name="Send my request").click()
    expect(page.get_by_role("status")).to_contain_text("We have your request")
    assert DataRequest.objects.filter(person__email=email, kind="access").exists()
    page.get_by_role("button", name="Withdraw consent").click()
    expect(page.get_by_role("status")).to_contain_text("We will not contact you about opportunities")

    # Signing out ends it: the area asks to sign in again.
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Volunteer sign in")
    page.goto("/volunteer/claims/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Volunteer sign in")
    assert User.objects.filter(email=email).count() == 0  # a volunteer is never an admin login

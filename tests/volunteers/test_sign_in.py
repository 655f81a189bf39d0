"""Signing in by emailed link: no enumeration, throttled, single use, expiring, hashed at rest."""

import datetime
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from tests.factories import ApplicationFactory, MembershipFactory, PersonFactory
from volunteers import services
from volunteers.models import SignInLink

pytestmark = pytest.mark.django_db
SIGN_IN = reverse("volunteers:sign_in")
OVERVIEW = reverse("volunteers:overview")


@pytest.fixture(autouse=True)
def _fresh_counts():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def volunteer():
    return MembershipFactory(person=PersonFactory(email="vol@example.org", first_name="Val")).person


def emailed_link() -> str:
    assert len(mail.outbox) == 1, [m.subject for m in mail.outbox]
    return re.search(r"https?://\S+/volunteer/sign-in/\S+/", mail.outbox[0].body).group(0)


def ask_for_link(client, email, ip="10.0.0.1"):
    from django.test import TestCase

    # The email is queued after commit; run those callbacks as a real commit would.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(SIGN_IN, {"email": email}, REMOTE_ADDR=ip)


def redeem(client, url):
    return client.post(url.replace("http://testserver", ""))


def test_a_member_signs_in_with_the_emailed_link(client, volunteer):
    response = ask_for_link(client, "VOL@example.org ")
    assert response.status_code == 302
    assert response["Location"] == reverse("volunteers:sign_in_sent")
    url = emailed_link()
    assert mail.outbox[0].to == ["vol@example.org"]
    # Opening the link (as a mail scanner would) does not spend it; the button does.
    assert client.get(url.replace("http://testserver", "")).status_code == 200
    response = redeem(client, url)
    assert response.status_code == 302
    assert response["Location"] == OVERVIEW
    page = client.get(OVERVIEW)
    assert page.status_code == 200
    assert "Hello, Val" in page.content.decode()


def test_an_applicant_may_sign_in_too(client):
    ApplicationFactory(person=PersonFactory(email="applicant@example.org"))
    ask_for_link(client, "applicant@example.org")
    assert len(mail.outbox) == 1


def test_the_answer_is_the_same_for_unknown_and_known_addresses(client, volunteer):
    PersonFactory(email="no-role@example.org")  # known, but never applied nor a member
    answers = [
        ask_for_link(client, email)
        for email in ("vol@example.org", "nobody@example.org", "no-role@example.org")
    ]
    assert {(r.status_code, r["Location"]) for r in answers} == {(302, reverse("volunteers:sign_in_sent"))}
    assert [m.to for m in mail.outbox] == [["vol@example.org"]]
    assert SignInLink.objects.count() == 1


def test_only_a_hash_of_the_token_is_stored(client, volunteer):
    ask_for_link(client, volunteer.email)
    token = emailed_link().rstrip("/").rsplit("/", 1)[-1]
    link = SignInLink.objects.get()
    assert token not in link.token_hash
    assert link.token_hash == services.hash_token(token)
    assert link.expires_at - link.created_at == datetime.timedelta(minutes=15)


def test_a_link_works_once(client, volunteer):
    ask_for_link(client, volunteer.email)
    url = emailed_link()
    assert redeem(client, url).status_code == 302
    other = client.__class__()
    response = redeem(other, url)
    assert response.status_code == 400
    assert other.get(OVERVIEW)["Location"] == SIGN_IN


def test_an_expired_link_does_not_sign_in(client, volunteer):
    token = services.issue_sign_in_link(volunteer, now=timezone.now() - datetime.timedelta(minutes=16))
    response = client.post(reverse("volunteers:redeem", args=[token]))
    assert response.status_code == 400
    assert client.get(OVERVIEW).status_code == 302


@pytest.mark.parametrize("token", ["forged", "x" * 43, "a" * 200])
def test_a_forged_token_does_not_sign_in(client, volunteer, token):
    services.issue_sign_in_link(volunteer)
    assert client.post(reverse("volunteers:redeem", args=[token])).status_code == 400
    assert client.get(OVERVIEW).status_code == 302


def test_a_new_link_spends_older_ones_once_used(volunteer):
    first = services.issue_sign_in_link(volunteer)
    second = services.issue_sign_in_link(volunteer)
    assert services.redeem_sign_in_link(second) == volunteer
    assert services.redeem_sign_in_link(first) is None


def test_someone_no_longer_known_cannot_use_a_link(volunteer):
    token = services.issue_sign_in_link(volunteer)
    volunteer.memberships.all().delete()
    assert services.redeem_sign_in_link(token) is None


def test_requests_are_throttled_per_address(client, volunteer):
    for n in range(services.LINKS_PER_ADDRESS_PER_HOUR):
        assert ask_for_link(client, volunteer.email, ip=f"10.0.1.{n}").status_code == 302
    response = ask_for_link(client, volunteer.email, ip="10.0.2.1")
    assert response.status_code == 429
    assert "Wait an hour" in response.content.decode()
    assert len(mail.outbox) == services.LINKS_PER_ADDRESS_PER_HOUR


def test_requests_are_throttled_per_ip_whatever_the_address(client, volunteer):
    for n in range(services.LINKS_PER_IP_PER_HOUR):
        assert ask_for_link(client, f"someone{n}@example.org").status_code == 302
    assert ask_for_link(client, volunteer.email).status_code == 429
    assert not mail.outbox


def test_the_throttle_answers_alike_for_unknown_addresses(client, volunteer):
    codes = set()
    for email in (volunteer.email, "nobody@example.org"):
        for n in range(services.LINKS_PER_ADDRESS_PER_HOUR + 1):
            codes.add(
                (
                    email == volunteer.email,
                    ask_for_link(client, email, ip=f"10.9.{n}.{len(email)}").status_code,
                )
            )
    assert codes == {(True, 302), (True, 429), (False, 302), (False, 429)}


def test_signing_in_cycles_the_session_key(client, volunteer):
    client.get(SIGN_IN)
    client.session.save()
    before = client.session.session_key
    redeem(client, reverse("volunteers:redeem", args=[services.issue_sign_in_link(volunteer)]))
    assert client.session.session_key != before
    assert client.session[services.SESSION_PERSON] == volunteer.pk


def test_signing_out_ends_the_volunteer_session(client, volunteer):
    redeem(client, reverse("volunteers:redeem", args=[services.issue_sign_in_link(volunteer)]))
    assert client.post(reverse("volunteers:sign_out")).status_code == 302
    assert client.get(OVERVIEW)["Location"] == SIGN_IN


def test_an_idle_session_expires(client, volunteer, settings):
    redeem(client, reverse("volunteers:redeem", args=[services.issue_sign_in_link(volunteer)]))
    session = client.session
    session[services.SESSION_SEEN] = (timezone.now() - datetime.timedelta(minutes=31)).timestamp()
    session.save()
    assert client.get(OVERVIEW)["Location"] == SIGN_IN
    assert services.SESSION_PERSON not in client.session
    assert "without activity" in client.get(SIGN_IN).content.decode()


def test_the_volunteer_session_is_not_an_admin_login(client, volunteer):
    redeem(client, reverse("volunteers:redeem", args=[services.issue_sign_in_link(volunteer)]))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_an_admin_login_is_not_a_volunteer_session(client, host_staff):
    client.force_login(host_staff)
    assert client.get(OVERVIEW)["Location"] == SIGN_IN


def test_the_link_page_sends_no_referrer_to_other_sites(client, volunteer):
    response = client.get(reverse("volunteers:redeem", args=[services.issue_sign_in_link(volunteer)]))
    assert response["Referrer-Policy"] == "same-origin"


def test_spent_links_are_purged_a_day_after_expiry(volunteer):
    services.issue_sign_in_link(volunteer, now=timezone.now() - datetime.timedelta(days=2))
    services.issue_sign_in_link(volunteer)
    assert services.purge_spent_links() == 1
    assert SignInLink.objects.count() == 1


def test_the_sign_in_page_links_to_the_sign_up_page(client):
    from home.demo import seed_public_site
    from members.demo import seed_partnerships

    seed_public_site(seed_partnerships())
    page = client.get(SIGN_IN).content.decode()
    assert "Find out how to get involved" in page
    assert 'href="/get-involved/"' in page

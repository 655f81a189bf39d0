"""The volunteer's own pages: their record only, ever."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from members.enums import DBSLevel, DBSOutcome, MembershipRole, PPVCategory
from members.models import EqualityMonitoring, Person
from privacy.models import DataRequest
from tests.factories import (
    CourseFactory,
    DBSCheckFactory,
    EqualityMonitoringFactory,
    MembershipFactory,
    PersonFactory,
    RoleRequirementFactory,
    TrainingRecordFactory,
)
from volunteers import services
from workplans.enums import ClaimStatus, ExpenseKind
from workplans.models import ExpenseClaim
from workplans.services.claims import OnlineItem, submit_online_claim

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
PDF = b"%PDF-1.4\n% a receipt\n"

PAGES = ["overview", "details", "training", "claims", "new_claim", "your_data"]
POSTS = ["withdraw_consent", "data_request", "sign_out"]


def member(partnership, category=PPVCategory.B, **person):
    return MembershipFactory(
        person=PersonFactory(**person),
        partnership=partnership,
        ppv_category=category,
        start_date=datetime.date(2020, 1, 1),
    ).person


def sign_in(client, person):
    client.post(reverse("volunteers:redeem", args=[services.issue_sign_in_link(person)]))


@pytest.fixture
def volunteer(north):
    return member(north, first_name="Val", last_name="Jones", email="val@example.org", phone="01234 567890")


@pytest.fixture
def signed_in(client, volunteer):
    sign_in(client, volunteer)
    return client


def claim_for(person, partnership, purpose="Listening event"):
    item = OnlineItem(kind=ExpenseKind.FARES, spent_on=TODAY, description="Bus", amount=Decimal("3.20"))
    return submit_online_claim(person=person, partnership=partnership, purpose=purpose, items=[item])


# Who may open the pages -----------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, name):
    response = client.get(reverse(f"volunteers:{name}"))
    assert response.status_code == 302
    assert response["Location"] == reverse("volunteers:sign_in")


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("login", ["host_staff", "north_lead", "south_lead", "no_role_user"])
def test_an_admin_login_is_not_a_volunteer(client, request, name, login):
    client.force_login(request.getfixturevalue(login))
    assert client.get(reverse(f"volunteers:{name}"))["Location"] == reverse("volunteers:sign_in")


@pytest.mark.parametrize("name", ["withdraw_consent", "data_request"])
def test_anonymous_posts_change_nothing(client, volunteer, name):
    response = client.post(reverse(f"volunteers:{name}"), {"kind": "access", "erase_equality": "on"})
    assert response.status_code == 302
    assert not DataRequest.objects.exists()


@pytest.mark.parametrize("name", PAGES)
def test_a_signed_in_volunteer_sees_each_page(signed_in, name):
    response = signed_in.get(reverse(f"volunteers:{name}"))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    assert "Sign out" in response.content.decode()


# Claims: their own only -----------------------------------------------------------------


def test_the_claims_list_shows_only_their_own_claims(signed_in, volunteer, north):
    mine = claim_for(volunteer, north, "My bus fare")
    claim_for(member(north), north, "Someone else's taxi")
    page = signed_in.get(reverse("volunteers:claims")).content.decode()
    assert "My bus fare" in page
    assert f"Claim {mine.pk}" in page
    assert "Someone else" not in page


def test_another_persons_claim_is_not_found(signed_in, north):
    theirs = claim_for(member(north), north)
    assert signed_in.get(reverse("volunteers:claim_detail", args=[theirs.pk])).status_code == 404


def test_their_own_claim_shows_its_items(signed_in, volunteer, north):
    claim = claim_for(volunteer, north)
    page = signed_in.get(reverse("volunteers:claim_detail", args=[claim.pk])).content.decode()
    assert "£3.20" in page
    assert "Submitted" in page


def test_the_claims_list_costs_the_same_for_many_claims(
    signed_in, volunteer, north, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    claim_for(volunteer, north, "Claim 0")
    with CaptureQueriesContext(connection) as one:
        signed_in.get(reverse("volunteers:claims"))
    for n in range(1, 6):
        claim_for(volunteer, north, f"Claim {n}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert signed_in.get(reverse("volunteers:claims")).status_code == 200


def item_data(n=0, **values):
    defaults = {
        "kind": "fares",
        "spent_on": TODAY.isoformat(),
        "description": "Bus",
        "amount": "4.60",
        "miles": "",
    }
    return {f"items-{n}-{key}": value for key, value in {**defaults, **values}.items()}


def claim_post(partnership, *items, purpose="Board meeting"):
    data = {
        "partnership": partnership.pk,
        "purpose": purpose,
        "items-TOTAL_FORMS": "3",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "10",
    }
    for item in items:
        data.update(item)
    return data


def test_a_volunteer_sends_a_claim_with_a_receipt_and_mileage(signed_in, volunteer, north):
    receipt = SimpleUploadedFile("ticket.pdf", PDF)
    data = claim_post(
        north,
        item_data(0, receipt=receipt),
        item_data(1, kind="mileage", miles="10", amount="", description="Car to the hospital"),
    )
    response = signed_in.post(reverse("volunteers:new_claim"), data)
    claim = ExpenseClaim.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("volunteers:claim_detail", args=[claim.pk])
    assert claim.claimant == volunteer
    assert claim.partnership == north
    assert claim.status == ClaimStatus.SUBMITTED
    assert claim.submitted_online
    assert claim.created_by is None
    assert claim.items.count() == 2
    assert claim.items.get(kind="fares").receipt
    assert claim.total > Decimal("4.60")


def test_a_claim_with_a_fake_receipt_is_refused_beside_the_field(signed_in, north):
    data = claim_post(north, item_data(0, receipt=SimpleUploadedFile("ticket.png", b"not a png")))
    response = signed_in.post(reverse("volunteers:new_claim"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "not really a PNG" in page
    assert 'href="#id_items-0-receipt"' in page
    assert not ExpenseClaim.objects.exists()


def test_a_claim_without_items_is_refused(signed_in, north):
    response = signed_in.post(reverse("volunteers:new_claim"), claim_post(north))
    assert "Add at least one item" in response.content.decode()
    assert not ExpenseClaim.objects.exists()


def test_mileage_without_miles_is_refused(signed_in, north):
    data = claim_post(north, item_data(0, kind="mileage", miles="", amount=""))
    assert (
        "Give the miles travelled" in signed_in.post(reverse("volunteers:new_claim"), data).content.decode()
    )
    assert not ExpenseClaim.objects.exists()


def test_a_volunteer_cannot_claim_from_an_mnvp_they_do_not_belong_to(signed_in, volunteer, north, south):
    member(south)  # south has members; our volunteer is not one
    response = signed_in.post(reverse("volunteers:new_claim"), claim_post(south, item_data(0)))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not ExpenseClaim.objects.exists()


def test_a_category_a_member_is_told_they_cannot_claim(client, north):
    person = member(north, PPVCategory.A)
    sign_in(client, person)
    response = client.get(reverse("volunteers:new_claim"))
    assert response.status_code == 403
    assert "category B or C" in response.content.decode()
    assert client.post(reverse("volunteers:new_claim"), claim_post(north, item_data(0))).status_code == 403
    assert not ExpenseClaim.objects.exists()


# Details and consent --------------------------------------------------------------------


def details_post(person, **changes):
    data = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "phone": person.phone,
        "postcode": person.postcode,
        "preferred_contact": person.preferred_contact,
    }
    if person.contact_consent:
        data["contact_consent"] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_a_volunteer_corrects_their_details(signed_in, volunteer):
    response = signed_in.post(
        reverse("volunteers:details"), details_post(volunteer, last_name="Jones-Price", postcode="ns1 9zz")
    )
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.last_name == "Jones-Price"
    assert volunteer.postcode == "NS1 9ZZ"
    assert volunteer.email == "val@example.org"  # never changed here: it is how they sign in
    assert ModelLogEntry.objects.filter(
        action="volunteers.details_changed", object_id=str(volunteer.pk)
    ).exists()


def test_the_details_form_cannot_change_the_email(signed_in, volunteer):
    signed_in.post(reverse("volunteers:details"), details_post(volunteer, email="attacker@example.org"))
    volunteer.refresh_from_db()
    assert volunteer.email == "val@example.org"


def test_giving_consent_is_dated_and_kept_in_the_history(signed_in, volunteer):
    signed_in.post(reverse("volunteers:details"), details_post(volunteer, contact_consent="on"))
    volunteer.refresh_from_db()
    assert volunteer.contact_consent
    assert volunteer.contact_consent_changed_at
    entry = ModelLogEntry.objects.get(action="volunteers.contact_consent", object_id=str(volunteer.pk))
    assert entry.data["consent"] is True


def test_a_blank_name_is_refused_beside_the_field(signed_in, volunteer):
    response = signed_in.post(reverse("volunteers:details"), details_post(volunteer, first_name=""))
    assert response.status_code == 200
    assert 'href="#id_first_name"' in response.content.decode()
    volunteer.refresh_from_db()
    assert volunteer.first_name == "Val"


def test_withdrawing_consent_turns_contact_off_and_on_request_deletes_equality_answers(signed_in, volunteer):
    Person.objects.filter(pk=volunteer.pk).update(contact_consent=True)
    EqualityMonitoringFactory(person=volunteer)
    other = EqualityMonitoringFactory(person=PersonFactory())
    response = signed_in.post(reverse("volunteers:withdraw_consent"), {"erase_equality": "on"})
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert not volunteer.contact_consent
    assert volunteer.contact_consent_changed_at
    assert not EqualityMonitoring.objects.filter(person=volunteer).exists()
    assert EqualityMonitoring.objects.filter(pk=other.pk).exists()


def test_withdrawing_consent_keeps_equality_answers_unless_asked(signed_in, volunteer):
    EqualityMonitoringFactory(person=volunteer)
    signed_in.post(reverse("volunteers:withdraw_consent"), {})
    assert EqualityMonitoring.objects.filter(person=volunteer).exists()


@pytest.mark.parametrize("kind", ["access", "erasure"])
def test_a_volunteer_asks_for_their_data_or_its_erasure(signed_in, volunteer, kind):
    response = signed_in.post(reverse("volunteers:data_request"), {"kind": kind, "note": "By email please"})
    assert response.status_code == 302
    request = DataRequest.objects.get()
    assert request.person == volunteer
    assert request.kind == kind


def test_a_data_request_needs_a_kind(signed_in):
    response = signed_in.post(reverse("volunteers:data_request"), {"kind": ""})
    assert response.status_code == 400
    assert not DataRequest.objects.exists()


# Training -------------------------------------------------------------------------------


def test_training_shows_what_is_due_for_them_only(signed_in, volunteer, north):
    course = CourseFactory(name="Safeguarding adults", validity_months=12)
    RoleRequirementFactory(role=MembershipRole.VOLUNTEER, courses=[course], dbs_level=DBSLevel.ENHANCED)
    TrainingRecordFactory(person=volunteer, course=course, completed_on=TODAY - datetime.timedelta(days=360))
    DBSCheckFactory(
        person=volunteer, level=DBSLevel.ENHANCED, certificate_number="001234567890", outcome=DBSOutcome.CLEAR
    )
    other = member(north, first_name="Other")
    TrainingRecordFactory(person=other, course=CourseFactory(name="Only theirs"))
    page = signed_in.get(reverse("volunteers:training")).content.decode()
    assert "Safeguarding adults" in page
    assert "Due soon" in page
    assert "Enhanced" in page
    assert "001234567890" not in page
    assert "Only theirs" not in page

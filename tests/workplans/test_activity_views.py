"""Engagement activity screens: every view, every role.

Host staff reach every MNVP's activities; a lead their own (another MNVP's: 404);
an ICB commissioner reads those they commission and changes nothing; someone with no
role is refused.
"""

import datetime
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from members.enums import MembershipRole
from tests.factories import CourseFactory, MembershipFactory, RoleRequirementFactory, TrainingRecordFactory
from workplans.enums import ActivityStatus
from workplans.models import ActivityReach, ActivityVolunteer, BirthingPopulation, YouSaidWeDid

from .activity_factories import (
    ActivityReachFactory,
    ActivityRiskAssessmentFactory,
    ActivityVolunteerFactory,
    BirthingPopulationFactory,
    EngagementActivityFactory,
    YouSaidWeDidFactory,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def assert_denied(response):
    """Wagtail answers a denial with a redirect: to the dashboard with a message, or to log in."""
    assert response.status_code == HTTPStatus.FOUND
    location = response["Location"]
    assert location == reverse("wagtailadmin_home") or location.startswith(reverse("wagtailadmin_login"))


def assert_refused(response):
    if response.status_code != HTTPStatus.NOT_FOUND:
        assert_denied(response)


def member_of(partnership):
    return MembershipFactory(partnership=partnership, start_date=TODAY - datetime.timedelta(days=30)).person


@pytest.fixture
def north_activity(north):
    return EngagementActivityFactory(partnership=north, title="Northtown baby group")


@pytest.fixture
def south_activity(south):
    return EngagementActivityFactory(partnership=south, title="Southvale baby group")


OBJECT_VIEWS = ["edit", "inspect", "delete", "history"]
ACTION_VIEWS = [
    ("add_volunteer", {}),
    ("record_reach", {"question": "ethnicity"}),
    ("mark_ready", {}),
]


def action_url(name, activity, **kwargs):
    return reverse(f"engagement_activities:{name}", kwargs={"pk": activity.pk, **kwargs})


def listed(response):
    return {str(obj) for obj in response.context["object_list"]}


# Listing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ("host_staff", {"Northtown baby group", "Southvale baby group"}),
        ("north_lead", {"Northtown baby group"}),
        ("north_commissioner", {"Northtown baby group"}),
    ],
)
def test_listing_holds_the_users_mnvps_only(client, request, north_activity, south_activity, user, expected):
    client.force_login(request.getfixturevalue(user))
    response = client.get(reverse("engagement_activities:index"))
    assert response.status_code == HTTPStatus.OK
    assert {title.split(" (")[0] for title in listed(response)} == expected


def test_no_role_user_is_refused_every_listing(client, no_role_user, north_activity):
    client.force_login(no_role_user)
    for name in ("engagement_activities:index", "you_said_we_did:index", "birthing_population:index"):
        assert_refused(client.get(reverse(name)))


# Object views ----------------------------------------------------------------------------


@pytest.mark.parametrize("view", OBJECT_VIEWS)
def test_lead_gets_404_on_every_view_of_another_mnvps_activity(client, north_lead, south_activity, view):
    client.force_login(north_lead)
    url = reverse(f"engagement_activities:{view}", args=[south_activity.pk])
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize(("name", "kwargs"), [*ACTION_VIEWS, ("mark_done", {})])
def test_lead_gets_404_on_every_action_of_another_mnvps_activity(
    client, north_lead, south_activity, name, kwargs
):
    client.force_login(north_lead)
    assert client.get(action_url(name, south_activity, **kwargs)).status_code == HTTPStatus.NOT_FOUND
    assert client.post(action_url(name, south_activity, **kwargs), {}).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize(("name", "kwargs"), ACTION_VIEWS)
def test_lead_reaches_each_action_of_their_own_activity(client, north_lead, north_activity, name, kwargs):
    client.force_login(north_lead)
    assert client.get(action_url(name, north_activity, **kwargs)).status_code == HTTPStatus.OK


@pytest.mark.parametrize(("name", "kwargs"), [*ACTION_VIEWS, ("mark_done", {})])
def test_icb_commissioner_is_refused_every_action(client, north_commissioner, north_activity, name, kwargs):
    client.force_login(north_commissioner)
    assert_denied(client.get(action_url(name, north_activity, **kwargs)))
    assert_denied(client.post(action_url(name, north_activity, **kwargs), {}))


@pytest.mark.parametrize(("name", "kwargs"), [*ACTION_VIEWS, ("mark_done", {})])
def test_no_role_user_is_refused_every_action(client, no_role_user, north_activity, name, kwargs):
    client.force_login(no_role_user)
    assert_refused(client.get(action_url(name, north_activity, **kwargs)))


def test_icb_commissioner_reads_but_cannot_edit(client, north_commissioner, north_activity, south_activity):
    client.force_login(north_commissioner)
    assert client.get(reverse("engagement_activities:inspect", args=[north_activity.pk])).status_code == 200
    assert_denied(client.get(reverse("engagement_activities:edit", args=[north_activity.pk])))
    assert_denied(client.get(reverse("engagement_activities:add")))
    inspect_other = client.get(reverse("engagement_activities:inspect", args=[south_activity.pk]))
    assert inspect_other.status_code == HTTPStatus.NOT_FOUND


# The inspect page --------------------------------------------------------------------------


@pytest.fixture
def volunteers(north_activity):
    """A cleared, a lapsed and a missing volunteer on the north activity."""
    course = CourseFactory(name="Safeguarding adults level 1", validity_months=12)
    RoleRequirementFactory(role=MembershipRole.VOLUNTEER, courses=[course])
    people = []
    for completed in (TODAY - datetime.timedelta(days=10), TODAY - datetime.timedelta(days=500), None):
        person = member_of(north_activity.partnership)
        if completed:
            TrainingRecordFactory(person=person, course=course, completed_on=completed)
        ActivityVolunteerFactory(activity=north_activity, person=person, hours=Decimal("2.50"))
        people.append(person)
    return people


def test_inspect_shows_each_volunteer_with_their_compliance_flag_and_hours(
    client, north_lead, north_activity, volunteers
):
    client.force_login(north_lead)
    html = client.get(reverse("engagement_activities:inspect", args=[north_activity.pk])).content.decode()
    assert "3 volunteers, 7.50 hours in all." in html
    assert "2 volunteers are not cleared" in html
    for person in volunteers:
        assert escape(str(person)) in html
    assert 'mnvp-flag--cleared">Cleared' in html
    assert 'mnvp-flag--lapsed">⚠ Lapsed' in html
    assert 'mnvp-flag--missing">⚠ Missing' in html
    assert html.count('class="mnvp-row--flagged"') == 2


def test_inspect_runs_the_same_queries_for_three_volunteers_or_ten(
    client, host_staff, north_activity, volunteers, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(host_staff)
    url = reverse("engagement_activities:inspect", args=[north_activity.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as three:
        assert client.get(url).status_code == HTTPStatus.OK
    for _ in range(7):
        ActivityVolunteerFactory(activity=north_activity, person=member_of(north_activity.partnership))
    with django_assert_max_num_queries(len(three.captured_queries)):
        assert client.get(url).status_code == HTTPStatus.OK


def test_icb_commissioner_sees_volunteer_totals_but_no_names(
    client, north_commissioner, north_activity, volunteers
):
    client.force_login(north_commissioner)
    html = client.get(reverse("engagement_activities:inspect", args=[north_activity.pk])).content.decode()
    assert "3 volunteers, 7.50 hours in all." in html
    for person in volunteers:
        assert escape(str(person)) not in html


def test_inspect_compares_reach_with_the_birthing_population_and_hides_small_counts(
    client, host_staff, north_activity
):
    ActivityReachFactory(activity=north_activity, category="white_british", count=20)
    ActivityReachFactory(activity=north_activity, category="asian_pakistani", count=6)
    ActivityReachFactory(activity=north_activity, category="black_african", count=2)
    BirthingPopulationFactory(
        partnership=north_activity.partnership, category="white_british", percentage=Decimal("71.20")
    )
    client.force_login(host_staff)
    html = client.get(reverse("engagement_activities:inspect", args=[north_activity.pk])).content.decode()
    assert "71.20%" in html
    assert "fewer than 5" in html
    assert ">2<" not in html
    assert ">6<" not in html


# Actions -----------------------------------------------------------------------------------


def test_lead_records_a_volunteer_with_hours(client, north_lead, north_activity):
    person = member_of(north_activity.partnership)
    client.force_login(north_lead)
    response = client.post(action_url("add_volunteer", north_activity), {"person": person.pk, "hours": "3.5"})
    assert response.status_code == HTTPStatus.FOUND
    assert ActivityVolunteer.objects.get(activity=north_activity).hours == Decimal("3.50")


def test_a_member_of_another_mnvp_is_not_offered_as_a_volunteer(client, north_lead, north_activity, south):
    outsider = member_of(south)
    client.force_login(north_lead)
    response = client.post(action_url("add_volunteer", north_activity), {"person": outsider.pk, "hours": "2"})
    assert response.status_code == HTTPStatus.OK  # the form again, with its error
    assert not ActivityVolunteer.objects.exists()


def test_lead_records_reach_counts(client, north_lead, north_activity):
    client.force_login(north_lead)
    response = client.post(
        action_url("record_reach", north_activity, question="age_band"), {"25_34": "11", "35_44": "4"}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert dict(ActivityReach.objects.values_list("category", "count")) == {"25_34": 11, "35_44": 4}


def test_mark_ready_without_a_risk_assessment_is_refused_with_the_reason(client, north_lead, north_activity):
    client.force_login(north_lead)
    page = client.get(action_url("mark_ready", north_activity)).content.decode()
    assert "no risk assessment" in page
    response = client.post(action_url("mark_ready", north_activity), {})
    assert response.status_code == HTTPStatus.OK
    assert "no risk assessment" in response.content.decode()
    north_activity.refresh_from_db()
    assert north_activity.status == ActivityStatus.PLANNED


def test_mark_ready_then_done(client, north_lead, north):
    activity = EngagementActivityFactory(
        partnership=north, held_on=TODAY, risk_assessment=ActivityRiskAssessmentFactory(partnership=north)
    )
    client.force_login(north_lead)
    assert client.post(action_url("mark_ready", activity), {}).status_code == HTTPStatus.FOUND
    response = client.post(
        action_url("mark_done", activity),
        {"people_heard": "18", "themes": ["neonatal"], "summary": "Parking."},
    )
    assert response.status_code == HTTPStatus.FOUND
    activity.refresh_from_db()
    assert (activity.status, activity.people_heard, activity.themes) == (
        ActivityStatus.DONE,
        18,
        ["neonatal"],
    )


def test_the_edit_form_cannot_set_the_status(client, host_staff, north_activity):
    client.force_login(host_staff)
    client.post(
        reverse("engagement_activities:edit", args=[north_activity.pk]),
        {
            "partnership": north_activity.partnership_id,
            "kind": north_activity.kind,
            "title": "Renamed",
            "held_on": north_activity.held_on.isoformat(),
            "people_heard": "0",
            "status": ActivityStatus.READY,
        },
    )
    north_activity.refresh_from_db()
    assert (north_activity.title, north_activity.status) == ("Renamed", ActivityStatus.PLANNED)


# You said, we did ----------------------------------------------------------------------------


def test_actions_are_scoped_for_every_view(client, north_lead, north_commissioner, north, south):
    own, other = YouSaidWeDidFactory(partnership=north), YouSaidWeDidFactory(partnership=south)
    client.force_login(north_lead)
    assert listed(client.get(reverse("you_said_we_did:index"))) == {str(own)}
    for view in ("edit", "inspect", "delete"):
        assert client.get(reverse(f"you_said_we_did:{view}", args=[other.pk])).status_code == 404
    assert client.get(reverse("you_said_we_did:edit", args=[own.pk])).status_code == HTTPStatus.OK
    client.force_login(north_commissioner)
    assert client.get(reverse("you_said_we_did:inspect", args=[own.pk])).status_code == HTTPStatus.OK
    assert_denied(client.get(reverse("you_said_we_did:edit", args=[own.pk])))
    assert_denied(client.get(reverse("you_said_we_did:add")))


def test_lead_adds_an_action_and_done_needs_what_was_done(client, north_lead, north):
    client.force_login(north_lead)
    data = {"partnership": north.pk, "you_said": "Nowhere to sit.", "owner": "Estates", "status": "done"}
    response = client.post(reverse("you_said_we_did:add"), data)
    assert response.status_code == HTTPStatus.OK
    assert not YouSaidWeDid.objects.exists()
    response = client.post(reverse("you_said_we_did:add"), {**data, "we_did": "Chairs in the corridor."})
    assert response.status_code == HTTPStatus.FOUND
    assert YouSaidWeDid.objects.get().created_by == north_lead


def test_lead_cannot_add_an_action_to_another_mnvp(client, north_lead, south):
    client.force_login(north_lead)
    client.post(reverse("you_said_we_did:add"), {"partnership": south.pk, "you_said": "x", "status": "open"})
    assert not YouSaidWeDid.objects.exists()


# Birthing population ------------------------------------------------------------------------


def test_host_staff_enter_birthing_population_figures(client, host_staff, north):
    client.force_login(host_staff)
    response = client.post(
        reverse("birthing_population:add"),
        {
            "partnership": north.pk,
            "question": "ethnicity",
            "category": "asian_pakistani",
            "percentage": "12.5",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    assert BirthingPopulation.objects.get().percentage == Decimal("12.50")


def test_leads_read_their_own_birthing_population_only(client, north_lead, north_commissioner, north, south):
    own, other = BirthingPopulationFactory(partnership=north), BirthingPopulationFactory(partnership=south)
    client.force_login(north_lead)
    assert listed(client.get(reverse("birthing_population:index"))) == {str(own)}
    assert client.get(reverse("birthing_population:inspect", args=[other.pk])).status_code == 404
    assert_denied(client.get(reverse("birthing_population:add")))
    assert_denied(client.get(reverse("birthing_population:edit", args=[own.pk])))
    client.force_login(north_commissioner)
    assert_refused(client.get(reverse("birthing_population:index")))

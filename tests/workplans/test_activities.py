"""Engagement activity services: the risk assessment gate, volunteers, reach, themes and actions."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from members.enums import ComplianceState, MembershipRole
from tests.factories import (
    CourseFactory,
    MembershipFactory,
    PersonFactory,
    RoleRequirementFactory,
    TrainingRecordFactory,
)
from workplans.activity_selectors import volunteers_with_compliance
from workplans.enums import ActionStatus, ActivityStatus, Theme
from workplans.models import ActivityReach, YouSaidWeDid
from workplans.reach import activity_reach
from workplans.services.activities import (
    mark_activity_done,
    mark_activity_ready,
    record_activity_reach,
    record_activity_volunteer,
    save_action,
    set_action_status,
)

from .activity_factories import (
    ActivityReachFactory,
    ActivityRiskAssessmentFactory,
    BirthingPopulationFactory,
    EngagementActivityFactory,
    YouSaidWeDidFactory,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def member_of(partnership, **kwargs):
    return MembershipFactory(
        partnership=partnership, start_date=TODAY - datetime.timedelta(days=100), **kwargs
    ).person


# The readiness gate ------------------------------------------------------------------------


def test_activity_without_a_risk_assessment_cannot_be_marked_ready(north, host_staff):
    activity = EngagementActivityFactory(partnership=north)
    with pytest.raises(ValidationError, match="no risk assessment"):
        mark_activity_ready(activity=activity, acting_user=host_staff)
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.PLANNED


def test_activity_with_an_unapproved_risk_assessment_cannot_be_marked_ready(north, host_staff):
    assessment = ActivityRiskAssessmentFactory(partnership=north, not_approved=True)
    activity = EngagementActivityFactory(partnership=north, risk_assessment=assessment)
    with pytest.raises(ValidationError, match="has not been approved"):
        mark_activity_ready(activity=activity, acting_user=host_staff)


def test_risk_assessment_lapsing_before_the_activity_day_blocks_it(north, host_staff):
    """Current today but due for review before the activity: refused, and the message says so."""
    assessment = ActivityRiskAssessmentFactory(
        partnership=north, review_on=TODAY + datetime.timedelta(days=5)
    )
    activity = EngagementActivityFactory(
        partnership=north, risk_assessment=assessment, held_on=TODAY + datetime.timedelta(days=10)
    )
    with pytest.raises(ValidationError, match="review") as refusal:
        mark_activity_ready(activity=activity, acting_user=host_staff)
    assert assessment.title in str(refusal.value)


def test_activity_with_a_current_risk_assessment_is_marked_ready(north, north_lead):
    assessment = ActivityRiskAssessmentFactory(partnership=north)
    activity = EngagementActivityFactory(partnership=north, risk_assessment=assessment)
    mark_activity_ready(activity=activity, acting_user=north_lead)
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.READY


def test_another_mnvps_risk_assessment_does_not_count(north, south, host_staff):
    assessment = ActivityRiskAssessmentFactory(partnership=south)
    activity = EngagementActivityFactory(partnership=north, risk_assessment=assessment)
    with pytest.raises(ValidationError, match="another MNVP"):
        mark_activity_ready(activity=activity, acting_user=host_staff)


def test_icb_commissioner_cannot_mark_an_activity_ready(north, north_commissioner):
    activity = EngagementActivityFactory(
        partnership=north, risk_assessment=ActivityRiskAssessmentFactory(partnership=north)
    )
    with pytest.raises(PermissionDenied):
        mark_activity_ready(activity=activity, acting_user=north_commissioner)


def test_lead_cannot_mark_another_mnvps_activity_ready(south, north_lead):
    activity = EngagementActivityFactory(
        partnership=south, risk_assessment=ActivityRiskAssessmentFactory(partnership=south)
    )
    with pytest.raises(PermissionDenied):
        mark_activity_ready(activity=activity, acting_user=north_lead)


def test_only_a_ready_activity_that_has_happened_can_be_marked_done(north, host_staff):
    planned = EngagementActivityFactory(partnership=north, held_on=TODAY)
    with pytest.raises(ValidationError, match="cannot become done"):
        mark_activity_done(activity=planned, people_heard=10, themes=[], acting_user=host_staff)
    future = EngagementActivityFactory(partnership=north, status=ActivityStatus.READY)
    with pytest.raises(ValidationError, match="not happened"):
        mark_activity_done(activity=future, people_heard=10, themes=[], acting_user=host_staff)
    ready = EngagementActivityFactory(partnership=north, status=ActivityStatus.READY, held_on=TODAY)
    mark_activity_done(
        activity=ready,
        people_heard=23,
        themes=[Theme.NEONATAL, Theme.NEONATAL],
        summary="Parking.",
        acting_user=host_staff,
    )
    ready.refresh_from_db()
    assert (ready.status, ready.people_heard, ready.themes) == (ActivityStatus.DONE, 23, [Theme.NEONATAL])


# Volunteers ----------------------------------------------------------------------------------


def test_a_current_member_is_recorded_with_hours_and_recording_again_corrects_them(north, north_lead):
    activity = EngagementActivityFactory(partnership=north)
    person = member_of(north)
    record_activity_volunteer(activity=activity, person=person, hours=Decimal("2.5"), acting_user=north_lead)
    volunteer = record_activity_volunteer(
        activity=activity, person=person, hours=Decimal("3"), acting_user=north_lead
    )
    assert activity.volunteers.count() == 1
    assert volunteer.hours == Decimal("3")


@pytest.mark.parametrize("case", ["other_mnvp", "ended", "not_started", "nobody"])
def test_only_people_with_a_current_membership_of_the_mnvp_may_volunteer(north, south, host_staff, case):
    activity = EngagementActivityFactory(partnership=north)
    person = {
        "other_mnvp": lambda: member_of(south),
        "ended": lambda: (
            MembershipFactory(
                partnership=north,
                start_date=TODAY - datetime.timedelta(days=300),
                end_date=TODAY - datetime.timedelta(days=1),
            ).person
        ),
        "not_started": lambda: (
            MembershipFactory(
                partnership=north, start_date=activity.held_on + datetime.timedelta(days=1)
            ).person
        ),
        "nobody": PersonFactory,
    }[case]()
    with pytest.raises(ValidationError, match="no current membership"):
        record_activity_volunteer(
            activity=activity, person=person, hours=Decimal("2"), acting_user=host_staff
        )


def test_lead_cannot_record_volunteers_on_another_mnvps_activity(south, north_lead):
    activity = EngagementActivityFactory(partnership=south)
    with pytest.raises(PermissionDenied):
        record_activity_volunteer(activity=activity, person=member_of(south), hours=1, acting_user=north_lead)


def test_volunteers_carry_their_compliance_flag_in_a_fixed_number_of_queries(
    north, host_staff, django_assert_num_queries
):
    course = CourseFactory(name="Safeguarding adults level 1", validity_months=12)
    RoleRequirementFactory(role=MembershipRole.VOLUNTEER, courses=[course])
    activity = EngagementActivityFactory(partnership=north)
    cleared, lapsed, missing = member_of(north), member_of(north), member_of(north)
    TrainingRecordFactory(person=cleared, course=course, completed_on=TODAY - datetime.timedelta(days=10))
    TrainingRecordFactory(person=lapsed, course=course, completed_on=TODAY - datetime.timedelta(days=500))
    for person in (cleared, lapsed, missing):
        record_activity_volunteer(activity=activity, person=person, hours=2, acting_user=host_staff)

    volunteers_with_compliance(activity)  # settings loaded once per process are not the point here
    with django_assert_num_queries(8) as captured:
        rows = volunteers_with_compliance(activity)
    states = {row.volunteer.person_id: row.state for row in rows}
    assert states == {
        cleared.pk: ComplianceState.CLEARED,
        lapsed.pk: ComplianceState.LAPSED,
        missing.pk: ComplianceState.MISSING,
    }
    assert {row.volunteer.person_id for row in rows if row.flagged} == {lapsed.pk, missing.pk}

    for _ in range(5):
        record_activity_volunteer(activity=activity, person=member_of(north), hours=1, acting_user=host_staff)
    with django_assert_num_queries(len(captured.captured_queries)):
        assert len(volunteers_with_compliance(activity)) == 8


# Reach ---------------------------------------------------------------------------------------


def test_reach_replaces_the_counts_of_one_question(north, north_lead):
    activity = EngagementActivityFactory(partnership=north)
    record_activity_reach(
        activity=activity, question="age_band", counts={"25_34": 12, "35_44": 7}, acting_user=north_lead
    )
    record_activity_reach(
        activity=activity, question="age_band", counts={"25_34": 9, "18_24": 0}, acting_user=north_lead
    )
    assert set(ActivityReach.objects.values_list("category", "count")) == {("25_34", 9)}


@pytest.mark.parametrize(
    ("question", "counts", "message"),
    [
        ("shoe_size", {"big": 3}, "Not an equality question"),
        ("age_band", {"white_british": 3}, "Not an answer"),
        ("age_band", {"25_34": -1}, "negative"),
        ("age_band", {"25_34": 30, "35_44": 1}, "more than the 30 people heard"),
    ],
)
def test_reach_is_refused_when_it_does_not_add_up(north, host_staff, question, counts, message):
    activity = EngagementActivityFactory(partnership=north, people_heard=30)
    with pytest.raises(ValidationError, match=message):
        record_activity_reach(activity=activity, question=question, counts=counts, acting_user=host_staff)


def test_reach_hides_counts_under_five_and_one_more_beside_the_birthing_population(north):
    activity = EngagementActivityFactory(partnership=north)
    ActivityReachFactory(activity=activity, category="white_british", count=20)
    ActivityReachFactory(activity=activity, category="asian_pakistani", count=8)
    ActivityReachFactory(activity=activity, category="black_african", count=3)
    BirthingPopulationFactory(partnership=north, category="white_british", percentage=Decimal("70.00"))
    BirthingPopulationFactory(partnership=north, category="asian_pakistani", percentage=Decimal("18.50"))

    (ethnicity,) = activity_reach(activity).questions
    cells = {cell.category: cell for cell in ethnicity.cells}
    assert ethnicity.total == 31
    assert cells["black_african"].suppressed  # under 5
    assert cells["asian_pakistani"].suppressed  # the next smallest, or 3 = 31 - 20 - 8
    assert cells["asian_pakistani"].percentage is None
    assert cells["asian_pakistani"].population_percentage == Decimal("18.50")
    assert (cells["white_british"].count, cells["white_british"].percentage) == (20, Decimal("64.5"))


def test_reach_under_five_in_all_hides_the_total(north):
    activity = EngagementActivityFactory(partnership=north)
    ActivityReachFactory(activity=activity, question="disability", category="no", count=4)
    (disability,) = activity_reach(activity).questions
    assert disability.total is None
    assert all(cell.suppressed for cell in disability.cells)


# You said, we did ---------------------------------------------------------------------------


def test_an_action_cannot_be_done_without_saying_what_was_done(north, north_lead):
    action = YouSaidWeDidFactory(partnership=north)
    with pytest.raises(ValidationError, match="what was done"):
        set_action_status(action=action, status=ActionStatus.DONE, acting_user=north_lead)
    set_action_status(
        action=action,
        status=ActionStatus.DONE,
        we_did="A feeding room opened in May.",
        acting_user=north_lead,
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE


def test_a_new_action_records_its_author_and_must_match_its_activitys_mnvp(north, south, host_staff):
    action = save_action(
        action=YouSaidWeDid(partnership=north, you_said="Signs to the unit are confusing.", owner="Estates"),
        acting_user=host_staff,
    )
    assert action.created_by == host_staff
    stray = YouSaidWeDid(
        partnership=north, activity=EngagementActivityFactory(partnership=south), you_said="x"
    )
    with pytest.raises(ValidationError, match="same MNVP"):
        save_action(action=stray, acting_user=host_staff)


def test_icb_commissioner_cannot_write_actions(north, north_commissioner):
    with pytest.raises(PermissionDenied):
        save_action(action=YouSaidWeDid(partnership=north, you_said="x"), acting_user=north_commissioner)


# Demo ----------------------------------------------------------------------------------------


def test_seed_activities_is_idempotent_and_gives_each_mnvp_public_actions(north, south):
    from workplans.activities_demo import seed_activities
    from workplans.models import BirthingPopulation, EngagementActivity

    member_of(north)
    seed_activities()
    counts = (
        EngagementActivity.objects.count(),
        YouSaidWeDid.objects.count(),
        BirthingPopulation.objects.count(),
    )
    seed_activities()
    assert (
        EngagementActivity.objects.count(),
        YouSaidWeDid.objects.count(),
        BirthingPopulation.objects.count(),
    ) == counts
    for partnership in (north, south):
        assert YouSaidWeDid.objects.filter(partnership=partnership, public=True).exists()
    assert EngagementActivity.objects.get(
        partnership=north, title="Walk the Patch: postnatal ward"
    ).volunteers.exists()

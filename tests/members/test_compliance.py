"""Compliance states from role requirements: cleared, due soon, lapsed, missing."""

import datetime

import pytest

from members.compliance import compliance_for
from members.enums import ComplianceState, DBSDecision, DBSLevel, DBSOutcome, MembershipRole
from members.models import Person
from tests.factories import (
    CourseFactory,
    DBSCheckFactory,
    MembershipFactory,
    RoleRequirementFactory,
    TrainingRecordFactory,
)

TODAY = datetime.date(2026, 11, 23)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def safeguarding(db):
    return CourseFactory(name="Safeguarding adults and children level 2", validity_months=36)


@pytest.fixture
def volunteer(north, safeguarding):
    """A current volunteer of Northshire; volunteers need safeguarding training."""
    RoleRequirementFactory(role=MembershipRole.VOLUNTEER, courses=[safeguarding])
    return MembershipFactory(
        partnership=north, role=MembershipRole.VOLUNTEER, start_date=TODAY - 400 * DAY
    ).person


def state_of(person, on=TODAY):
    return compliance_for([person.pk], on=on)[person.pk]


@pytest.mark.django_db
class TestCourseStates:
    def test_missing_when_never_completed(self, volunteer):
        compliance = state_of(volunteer)
        assert compliance.state == ComplianceState.MISSING
        assert compliance.reasons == ["Safeguarding adults and children level 2: not completed"]

    def test_cleared_when_completed_and_well_within_date(self, volunteer, safeguarding):
        TrainingRecordFactory(person=volunteer, course=safeguarding, completed_on=TODAY - 100 * DAY)
        compliance = state_of(volunteer)
        assert compliance.state == ComplianceState.CLEARED
        assert compliance.reasons == []

    def test_due_soon_within_thirty_days_of_expiry(self, volunteer, safeguarding):
        # Completed 36 months before the day 30 days from now: expires exactly at the edge.
        completed = datetime.date(2023, 12, 23)
        TrainingRecordFactory(person=volunteer, course=safeguarding, completed_on=completed)
        compliance = state_of(volunteer)
        assert compliance.state == ComplianceState.DUE_SOON
        assert compliance.reasons == ["Safeguarding adults and children level 2: expires on 23 Dec 2026"]
        assert state_of(volunteer, on=TODAY - DAY).state == ComplianceState.CLEARED

    def test_lapsed_from_the_expiry_day(self, volunteer, safeguarding):
        TrainingRecordFactory(person=volunteer, course=safeguarding, completed_on=datetime.date(2023, 11, 22))
        assert state_of(volunteer, on=datetime.date(2026, 11, 21)).state == ComplianceState.DUE_SOON
        assert state_of(volunteer, on=datetime.date(2026, 11, 22)).state == ComplianceState.LAPSED
        assert state_of(volunteer).state == ComplianceState.LAPSED

    def test_the_latest_completion_counts(self, volunteer, safeguarding):
        TrainingRecordFactory(person=volunteer, course=safeguarding, completed_on=datetime.date(2022, 1, 1))
        TrainingRecordFactory(person=volunteer, course=safeguarding, completed_on=datetime.date(2026, 1, 1))
        assert state_of(volunteer).state == ComplianceState.CLEARED

    def test_a_course_that_never_expires_stays_cleared(self, volunteer):
        fifteen_steps = CourseFactory(name="Fifteen Steps", validity_months=None)
        RoleRequirementFactory(role=MembershipRole.VOLUNTEER).courses.set([fifteen_steps])
        TrainingRecordFactory(person=volunteer, course=fifteen_steps, completed_on=datetime.date(2010, 1, 1))
        assert state_of(volunteer, on=datetime.date(2090, 1, 1)).state == ComplianceState.CLEARED

    def test_a_completion_without_its_required_certificate_does_not_count(self, volunteer, safeguarding):
        safeguarding.certificate_required = True
        safeguarding.save()
        TrainingRecordFactory(person=volunteer, course=safeguarding, completed_on=TODAY - 10 * DAY)
        compliance = state_of(volunteer)
        assert compliance.state == ComplianceState.MISSING
        assert "with its certificate" in compliance.reasons[0]

    def test_expiry_is_computed_from_the_course_at_month_ends(self, volunteer):
        course = CourseFactory(name="Data protection", validity_months=1)
        record = TrainingRecordFactory(
            person=volunteer, course=course, completed_on=datetime.date(2028, 1, 31)
        )
        assert record.expires_on == datetime.date(2028, 2, 29)


@pytest.mark.django_db
class TestDBSStates:
    @pytest.fixture
    def lead(self, north):
        RoleRequirementFactory(role=MembershipRole.LEAD, dbs_level=DBSLevel.ENHANCED)
        return MembershipFactory(
            partnership=north, role=MembershipRole.LEAD, start_date=TODAY - 400 * DAY
        ).person

    def test_missing_without_a_check(self, lead):
        assert state_of(lead).reasons == ["Enhanced DBS check: none recorded"]

    def test_a_clear_check_of_the_level_or_higher_clears(self, lead):
        DBSCheckFactory(person=lead, level=DBSLevel.ENHANCED_BARRED, recheck_due_on=TODAY + 400 * DAY)
        assert state_of(lead).state == ComplianceState.CLEARED

    def test_a_lower_level_does_not_count(self, lead):
        DBSCheckFactory(person=lead, level=DBSLevel.STANDARD, recheck_due_on=TODAY + 400 * DAY)
        assert state_of(lead).state == ComplianceState.MISSING

    def test_awaiting_a_decision_is_not_cleared_until_found_suitable(self, lead):
        check = DBSCheckFactory(
            person=lead, outcome=DBSOutcome.NEEDS_DECISION, recheck_due_on=TODAY + 400 * DAY
        )
        assert "awaiting a decision" in state_of(lead).reasons[0]
        check.decision = DBSDecision.NOT_SUITABLE
        check.save()
        assert "not cleared for this role" in state_of(lead).reasons[0]
        check.decision = DBSDecision.SUITABLE
        check.save()
        assert state_of(lead).state == ComplianceState.CLEARED

    def test_recheck_due_soon_then_lapsed(self, lead):
        DBSCheckFactory(person=lead, recheck_due_on=TODAY + 7 * DAY)
        assert state_of(lead).state == ComplianceState.DUE_SOON
        assert state_of(lead, on=TODAY + 7 * DAY).state == ComplianceState.LAPSED


@pytest.mark.django_db
class TestRequirementsFollowRoles:
    def test_a_person_needs_what_all_their_current_roles_need(self, north, south, volunteer, safeguarding):
        RoleRequirementFactory(role=MembershipRole.LEAD, dbs_level=DBSLevel.ENHANCED)
        MembershipFactory(
            person=volunteer, partnership=south, role=MembershipRole.LEAD, start_date=TODAY - 400 * DAY
        )
        TrainingRecordFactory(person=volunteer, course=safeguarding, completed_on=TODAY - DAY)
        assert [r.name for r in state_of(volunteer).requirements] == [
            "Safeguarding adults and children level 2",
            "Enhanced DBS check",
        ]

    def test_a_changed_requirement_changes_the_state_at_once(self, volunteer, safeguarding):
        TrainingRecordFactory(person=volunteer, course=safeguarding, completed_on=TODAY - DAY)
        assert state_of(volunteer).state == ComplianceState.CLEARED
        requirement = RoleRequirementFactory(role=MembershipRole.VOLUNTEER)
        requirement.courses.add(CourseFactory(name="Trauma-informed engagement"))
        assert state_of(volunteer).state == ComplianceState.MISSING
        requirement.courses.clear()
        assert state_of(volunteer).state == ComplianceState.CLEARED

    def test_a_past_member_needs_nothing(self, volunteer):
        volunteer.memberships.update(end_date=TODAY - DAY)
        assert compliance_for([volunteer.pk], on=TODAY) == {}

    def test_a_role_without_requirements_is_cleared(self, north):
        person = MembershipFactory(partnership=north, role=MembershipRole.ADMIN_SUPPORT).person
        assert compliance_for([person.pk])[person.pk].state == ComplianceState.CLEARED

    def test_queries_do_not_grow_with_people_or_records(
        self, north, safeguarding, volunteer, django_assert_max_num_queries
    ):
        RoleRequirementFactory(role=MembershipRole.LEAD, dbs_level=DBSLevel.ENHANCED)
        for _ in range(15):
            person = MembershipFactory(
                partnership=north, role=MembershipRole.LEAD, start_date=TODAY - 400 * DAY
            ).person
            TrainingRecordFactory(person=person, course=safeguarding)
            DBSCheckFactory(person=person)
        with django_assert_max_num_queries(8):
            result = compliance_for(Person.objects.all(), on=TODAY)
        assert len(result) == 16


@pytest.mark.django_db
def test_what_a_dbs_check_disclosed_is_told_only_to_the_dbs_role(north, north_lead, host_staff):
    RoleRequirementFactory(role=MembershipRole.LEAD, dbs_level=DBSLevel.ENHANCED)
    person = MembershipFactory(partnership=north, role=MembershipRole.LEAD).person
    DBSCheckFactory(person=person, outcome=DBSOutcome.NEEDS_DECISION)
    compliance = compliance_for([person.pk])[person.pk]
    assert compliance.reasons_for(north_lead) == ["Enhanced DBS check: not cleared yet"]
    assert compliance.reasons_for(host_staff) == [
        "Enhanced DBS check: awaiting a decision on what was disclosed"
    ]

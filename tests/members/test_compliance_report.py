"""The compliance report selector: states, lapsing windows, filters, MNVP scope and its query budget."""

import datetime

import pytest

from members.compliance_report import compliance_report
from members.enums import ComplianceState, DBSLevel, DBSOutcome, MembershipRole
from tests.factories import (
    CourseFactory,
    DBSCheckFactory,
    MembershipFactory,
    PartnershipFactory,
    PersonFactory,
    RoleRequirementFactory,
    TrainingRecordFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)
DAY = datetime.timedelta(days=1)
START = TODAY - 400 * DAY


@pytest.fixture
def safeguarding(db):
    """Valid for 12 months, so a completion on ``TODAY - 365 + n`` days expires ``n`` days from today."""
    return CourseFactory(name="Safeguarding level 2", validity_months=12)


@pytest.fixture
def data_protection(db):
    return CourseFactory(name="Data protection", validity_months=None)


@pytest.fixture
def requirements(safeguarding, data_protection):
    RoleRequirementFactory(role=MembershipRole.VOLUNTEER, courses=[safeguarding, data_protection])
    RoleRequirementFactory(role=MembershipRole.LEAD, dbs_level=DBSLevel.ENHANCED)


def member(partnership, role=MembershipRole.VOLUNTEER, person=None, **person_fields):
    person = person or PersonFactory(**person_fields)
    MembershipFactory(person=person, partnership=partnership, role=role, start_date=START)
    return person


def trained(person, course, expires_in_days):
    """A completion of a 12-month ``course`` that expires ``expires_in_days`` from today."""
    completed = datetime.date(2025, 11, 23) + expires_in_days * DAY
    return TrainingRecordFactory(person=person, course=course, completed_on=completed)


@pytest.fixture
def north_people(north, requirements, safeguarding, data_protection):
    """Northshire volunteers in each state, plus a lead with no DBS check."""
    people = {
        "cleared": member(north, last_name="Ash"),
        "due_soon": member(north, last_name="Birch"),
        "lapsed": member(north, last_name="Cedar"),
        "missing": member(north, last_name="Damson"),
        "in_60": member(north, last_name="Elm"),
    }
    for key, days in (("cleared", 200), ("due_soon", 20), ("lapsed", -3), ("in_60", 55)):
        trained(people[key], safeguarding, days)
    for person in people.values():
        TrainingRecordFactory(person=person, course=data_protection, completed_on=TODAY - 10 * DAY)
    trained(people["missing"], safeguarding, 200)
    # "missing" lacks nothing yet: make them a lead too, with no DBS check.
    member(north, MembershipRole.LEAD, person=people["missing"])
    return people


@pytest.fixture
def south_person(south, requirements):
    return member(south, last_name="Fir")  # nothing completed: missing


def names(report):
    return [row.name.split()[-1] for row in report.rows]


class TestStates:
    def test_each_person_has_their_state_reasons_and_next_expiry(self, host_staff, north, north_people):
        rows = {row.person_id: row for row in compliance_report(host_staff, on=TODAY).rows}
        cleared, due, lapsed, missing = (
            rows[north_people[k].pk] for k in ("cleared", "due_soon", "lapsed", "missing")
        )
        assert cleared.state == ComplianceState.CLEARED
        assert cleared.reasons == ()
        assert cleared.next_expiry == TODAY + 200 * DAY
        assert due.state == ComplianceState.DUE_SOON
        assert due.reasons == ("Safeguarding level 2: expires on 13 Dec 2026",)
        assert lapsed.state == ComplianceState.LAPSED
        assert lapsed.reasons == ("Safeguarding level 2: expired on 20 Nov 2026",)
        assert lapsed.next_expiry is None  # nothing still held expires later
        assert missing.state == ComplianceState.MISSING
        assert missing.reasons == ("Enhanced DBS check: none recorded",)

    def test_a_person_with_two_roles_in_an_mnvp_is_one_row_with_both(self, host_staff, north_people):
        rows = [
            r
            for r in compliance_report(host_staff, on=TODAY).rows
            if r.person_id == north_people["missing"].pk
        ]
        assert len(rows) == 1
        assert rows[0].roles == (MembershipRole.LEAD, MembershipRole.VOLUNTEER)
        assert rows[0].role_labels == "MNVP lead, Volunteer"

    def test_a_person_in_two_mnvps_is_a_row_in_each_and_counted_once(
        self, host_staff, north, south, north_people
    ):
        member(south, person=north_people["cleared"])
        report = compliance_report(host_staff, on=TODAY)
        assert [r.mnvp for r in report.rows if r.person_id == north_people["cleared"].pk] == [
            "Northshire MNVP",
            "Southvale MNVP",
        ]
        assert report.counts[ComplianceState.CLEARED] == 2  # Ash once, and Elm
        assert report.people == 5

    def test_past_and_future_memberships_are_left_out(self, host_staff, north, requirements):
        MembershipFactory(partnership=north, start_date=START, end_date=TODAY - DAY)
        MembershipFactory(partnership=north, start_date=TODAY + DAY)
        assert compliance_report(host_staff, on=TODAY).rows == []

    def test_the_state_filter_narrows_rows_but_not_the_counts(self, host_staff, north_people):
        report = compliance_report(host_staff, state=ComplianceState.LAPSED, on=TODAY)
        assert names(report) == ["Cedar"]
        assert report.counts == {
            ComplianceState.CLEARED: 2,  # Ash, and Elm (due in 55 days is beyond the 30-day "due soon")
            ComplianceState.DUE_SOON: 1,
            ComplianceState.LAPSED: 1,
            ComplianceState.MISSING: 1,
        }
        assert report.people == 5


class TestLapsesWithin:
    @pytest.mark.parametrize(
        ("days", "expected"),
        [
            (30, ["Birch"]),
            (60, ["Birch", "Elm"]),
            (90, ["Birch", "Elm"]),
            (None, ["Ash", "Birch", "Cedar", "Damson", "Elm"]),
        ],
    )
    def test_next_expiry_between_today_and_the_window_end(self, host_staff, north_people, days, expected):
        assert names(compliance_report(host_staff, lapses_within=days, on=TODAY)) == expected

    def test_window_edges_are_included(self, host_staff, north, requirements, safeguarding, data_protection):
        for last_name, days in (("Today", 0), ("Edge", 30), ("Beyond", 31)):
            person = member(north, last_name=last_name)
            trained(person, safeguarding, days)
            TrainingRecordFactory(person=person, course=data_protection, completed_on=TODAY - DAY)
        assert sorted(names(compliance_report(host_staff, lapses_within=30, on=TODAY))) == ["Edge", "Today"]

    def test_a_dbs_recheck_counts_as_an_expiry(self, host_staff, north, requirements):
        person = member(north, MembershipRole.LEAD, last_name="Gean")
        DBSCheckFactory(person=person, recheck_due_on=TODAY + 45 * DAY)
        assert names(compliance_report(host_staff, lapses_within=30, on=TODAY)) == []
        assert names(compliance_report(host_staff, lapses_within=60, on=TODAY)) == ["Gean"]


class TestFilters:
    def test_role_keeps_those_holding_it_in_that_mnvp(self, host_staff, north_people, south_person):
        assert names(compliance_report(host_staff, role=MembershipRole.LEAD, on=TODAY)) == ["Damson"]
        volunteers = compliance_report(host_staff, role=MembershipRole.VOLUNTEER, on=TODAY)
        assert names(volunteers) == ["Ash", "Birch", "Cedar", "Damson", "Elm", "Fir"]

    def test_course_keeps_those_missing_it(self, host_staff, north_people, south_person, safeguarding):
        assert names(compliance_report(host_staff, course=safeguarding, on=TODAY)) == ["Fir"]
        assert names(compliance_report(host_staff, course=safeguarding.pk, on=TODAY)) == ["Fir"]

    def test_an_unknown_course_keeps_no_one(self, host_staff, north_people):
        assert compliance_report(host_staff, course=999_999, on=TODAY).rows == []


class TestScope:
    def test_host_staff_see_every_mnvp(self, host_staff, north_people, south_person):
        report = compliance_report(host_staff, on=TODAY)
        assert {row.mnvp for row in report.rows} == {"Northshire MNVP", "Southvale MNVP"}
        assert report.partnership_names == ["Northshire MNVP", "Southvale MNVP"]

    def test_host_staff_narrow_to_one_mnvp(self, host_staff, south, north_people, south_person):
        assert names(compliance_report(host_staff, partnership=south, on=TODAY)) == ["Fir"]
        assert names(compliance_report(host_staff, partnership=south.pk, on=TODAY)) == ["Fir"]

    def test_a_lead_sees_only_their_mnvp(self, north_lead, north_people, south_person):
        report = compliance_report(north_lead, on=TODAY)
        assert {row.mnvp for row in report.rows} == {"Northshire MNVP"}
        assert south_person.pk not in {row.person_id for row in report.rows}
        assert report.people == 5

    def test_a_lead_asking_for_another_mnvp_gets_nothing(self, north_lead, south, north_people, south_person):
        report = compliance_report(north_lead, partnership=south, on=TODAY)
        assert report.rows == []
        assert report.people == 0
        assert report.partnership_names == []

    @pytest.mark.parametrize("fixture", ["no_role_user", "north_commissioner"])
    def test_those_without_access_to_members_get_nothing_of_others(self, request, fixture, south_person):
        # The view refuses them; a commissioner reaches Northshire, which has no members here.
        assert compliance_report(request.getfixturevalue(fixture), on=TODAY).rows == []

    def test_a_lead_reads_that_a_dbs_check_is_not_cleared_but_not_what_it_disclosed(
        self, north_lead, host_staff, north, requirements
    ):
        person = member(north, MembershipRole.LEAD)
        DBSCheckFactory(person=person, outcome=DBSOutcome.NEEDS_DECISION)
        (lead_row,) = compliance_report(north_lead, on=TODAY).rows
        (host_row,) = compliance_report(host_staff, on=TODAY).rows
        assert lead_row.reasons == ("Enhanced DBS check: not cleared yet",)
        assert host_row.reasons == ("Enhanced DBS check: awaiting a decision on what was disclosed",)


def test_queries_do_not_grow_with_people_or_records(
    host_staff, north, south, requirements, safeguarding, django_assert_max_num_queries
):
    def add(count):
        for partnership in (north, south):
            for _ in range(count):
                person = member(partnership)
                member(partnership, MembershipRole.LEAD, person=person)
                trained(person, safeguarding, 20)
                DBSCheckFactory(person=person)

    add(2)
    compliance_report(host_staff, on=TODAY)  # the user's permissions, cached for the request
    with django_assert_max_num_queries(12) as few:
        assert len(compliance_report(host_staff, on=TODAY).rows) == 4  # the rows are counted when asked
    add(15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(compliance_report(host_staff, on=TODAY).rows) == 34


@pytest.fixture
def two_mnvps(north, south, requirements):
    """Members of both MNVPs in an order that needs every sort key: MNVP, surname, first name, id."""
    ash = member(north, last_name="Ash", first_name="Zoe")
    member(north, last_name="Ash", first_name="Amy")
    member(north, last_name="Ash", first_name="Amy")  # a namesake: told apart by id
    both = member(north, MembershipRole.LEAD, last_name="Birch")
    member(north, MembershipRole.VOLUNTEER, person=both)  # two roles in one MNVP: one row
    member(south, MembershipRole.LEAD, person=ash)  # a volunteer in one MNVP, a lead in the other
    for surname in ("Yew", "Cedar", "Oak", "Elm"):
        member(south, last_name=surname)
    MembershipFactory(partnership=south, start_date=START, end_date=TODAY - DAY)  # past: no row
    return {"ash": ash, "both": both}


class TestPages:
    """Without compliance filters the database pages the rows: each page equals that slice of them all."""

    @pytest.mark.parametrize("role", [None, MembershipRole.VOLUNTEER, MembershipRole.LEAD])
    def test_every_slice_is_that_slice_of_the_whole_list(self, host_staff, two_mnvps, role):
        rows = compliance_report(host_staff, role=role, on=TODAY).rows
        everyone = list(rows)
        for start, stop in [(0, 2), (1, 4), (3, 50), (0, None), (len(everyone) - 1, None), (50, 60)]:
            assert compliance_report(host_staff, role=role, on=TODAY).rows[start:stop] == everyone[start:stop]
        assert [compliance_report(host_staff, role=role, on=TODAY).rows[i] for i in (0, -1)] == [
            everyone[0],
            everyone[-1],
        ]
        assert compliance_report(host_staff, role=role, on=TODAY).rows[-2:] == everyone[-2:]
        with pytest.raises(IndexError):
            compliance_report(host_staff, role=role, on=TODAY).rows[len(everyone)]

    def test_a_page_across_mnvps_is_the_same_with_an_empty_mnvp_between(self, host_staff, two_mnvps):
        PartnershipFactory(name="Pennine MNVP")  # sorts between the two, with no one in it
        everyone = list(compliance_report(host_staff, on=TODAY).rows)
        for start, stop in [(3, 5), (4, 6), (2, 9), (4, None), (8, None)]:
            assert compliance_report(host_staff, on=TODAY).rows[start:stop] == everyone[start:stop]

    def test_the_length_is_every_person_in_each_mnvp_once(self, host_staff, two_mnvps):
        for role, expected in [(None, 9), (MembershipRole.VOLUNTEER, 8), (MembershipRole.LEAD, 2)]:
            rows = compliance_report(host_staff, role=role, on=TODAY).rows
            assert len(rows) == len(list(rows)) == expected

    def test_rows_are_ordered_by_mnvp_surname_first_name_and_person(self, host_staff, two_mnvps):
        rows = compliance_report(host_staff, on=TODAY).rows[0:9]
        assert [(row.mnvp, row.name.split()[-1]) for row in rows] == [
            *[("Northshire MNVP", surname) for surname in ("Ash", "Ash", "Ash", "Birch")],
            *[("Southvale MNVP", surname) for surname in ("Ash", "Cedar", "Elm", "Oak", "Yew")],
        ]
        assert [row.name for row in rows[:3]] == ["Amy Ash", "Amy Ash", "Zoe Ash"]
        assert rows[0].person_id < rows[1].person_id

    def test_a_page_row_has_every_role_held_in_its_mnvp(self, host_staff, two_mnvps):
        both, ash = two_mnvps["both"], two_mnvps["ash"]
        for role in (None, MembershipRole.LEAD, MembershipRole.VOLUNTEER):
            page = compliance_report(host_staff, role=role, on=TODAY).rows[0:9]
            roles = {(row.person_id, row.mnvp[:5]): row.roles for row in page}
            assert roles[(both.pk, "North")] == (MembershipRole.LEAD, MembershipRole.VOLUNTEER)
        leads = compliance_report(host_staff, role=MembershipRole.LEAD, on=TODAY).rows[0:9]
        assert [(row.person_id, row.mnvp[:5], row.roles) for row in leads] == [
            (both.pk, "North", (MembershipRole.LEAD, MembershipRole.VOLUNTEER)),
            (ash.pk, "South", (MembershipRole.LEAD,)),
        ]

    @pytest.mark.parametrize("role", [None, MembershipRole.VOLUNTEER])
    def test_a_page_and_its_length_cost_the_same_queries_for_few_and_many_members(
        self, host_staff, north, south, requirements, safeguarding, django_assert_max_num_queries, role
    ):
        def add(count):
            for partnership in (north, south):
                for _ in range(count):
                    person = member(partnership)
                    member(partnership, MembershipRole.LEAD, person=person)
                    trained(person, safeguarding, 20)

        def page():
            rows = compliance_report(host_staff, role=role, on=TODAY).rows
            return rows[2:6], len(rows)

        add(3)
        page()  # the first count ever also creates the settings row, which forgets the counts
        page()  # the day's counts are now cached
        with django_assert_max_num_queries(12) as few:
            assert len(page()[0]) == 4
        add(30)
        page()
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert page()[1] == 66

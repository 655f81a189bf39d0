"""The compliance summary is worked out once a day, and again as soon as anything it follows from changes.

Pages of the report work out only their own rows, so a page costs the same whatever
the number of members; the counts stay right after every kind of write.
"""

import datetime

import pytest

from members.compliance_report import compliance_counts, compliance_report
from members.enums import ComplianceState, MembershipRole
from members.models import TrainingRecord
from members.services.training import record_session
from tests.factories import MembershipFactory, PersonFactory, TrainingRecordFactory
from tests.members.test_compliance_report import (  # noqa: F401 - fixtures
    START,
    TODAY,
    data_protection,
    member,
    requirements,
    safeguarding,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def courses(requirements, safeguarding, data_protection):  # noqa: F811
    return safeguarding, data_protection


def completed(person, *courses):
    for course in courses:
        TrainingRecordFactory(person=person, course=course, completed_on=TODAY - datetime.timedelta(days=10))


def test_counts_are_kept_for_the_day_and_cost_no_work_the_second_time(
    north, host_staff, courses, django_assert_max_num_queries
):
    completed(member(north), *courses)
    member(north)
    compliance_counts(host_staff, on=TODAY)  # the first count ever also creates the settings row
    first = compliance_counts(host_staff, on=TODAY)
    assert (first[ComplianceState.CLEARED], first[ComplianceState.MISSING]) == (1, 1)
    with django_assert_max_num_queries(1):  # the user's MNVPs, and no counting
        again = compliance_counts(host_staff, on=TODAY)
    assert again == first


def test_a_saved_training_record_changes_the_counts_at_once(north, host_staff, courses):
    person = member(north)
    assert compliance_counts(host_staff, on=TODAY)[ComplianceState.MISSING] == 1
    completed(person, *courses)
    assert compliance_counts(host_staff, on=TODAY)[ComplianceState.CLEARED] == 1


def test_a_deleted_record_and_a_new_membership_change_the_counts(north, host_staff, courses):
    person = member(north)
    completed(person, *courses)
    assert compliance_counts(host_staff, on=TODAY)[ComplianceState.CLEARED] == 1
    TrainingRecord.objects.filter(person=person).first().delete()
    assert compliance_counts(host_staff, on=TODAY)[ComplianceState.MISSING] == 1
    MembershipFactory(person=PersonFactory(), partnership=north, start_date=START)
    assert sum(compliance_counts(host_staff, on=TODAY).values()) == 2


def test_a_session_recorded_in_bulk_changes_the_counts(north, host_staff, courses):
    course, other = courses
    person = member(north)
    completed(person, other)
    assert compliance_counts(host_staff, on=TODAY)[ComplianceState.MISSING] == 1
    record_session(
        course=course,
        completed_on=TODAY - datetime.timedelta(days=1),
        people=[person],
        acting_user=host_staff,
    )
    assert compliance_counts(host_staff, on=TODAY)[ComplianceState.CLEARED] == 1


def test_another_day_is_counted_afresh(north, host_staff, courses):
    completed(member(north), *courses)
    assert compliance_counts(host_staff, on=TODAY)[ComplianceState.CLEARED] == 1
    years_later = TODAY + datetime.timedelta(days=3 * 366)
    assert compliance_counts(host_staff, on=years_later)[ComplianceState.CLEARED] == 0


def test_a_lead_and_host_staff_have_their_own_counts(north, south, host_staff, north_lead, courses):
    member(north)
    member(south)
    assert sum(compliance_counts(north_lead, on=TODAY).values()) == 1
    assert sum(compliance_counts(host_staff, on=TODAY).values()) == 2


def test_report_rows_are_worked_out_per_page_with_the_same_answers(north, host_staff, courses):
    for i in range(6):
        person = member(north, last_name=f"Person{i}")
        if i % 2:
            completed(person, *courses)
    report = compliance_report(host_staff, on=TODAY)
    everyone = list(report.rows)
    assert len(report.rows) == 6
    assert report.rows[2:4] == everyone[2:4]
    assert [row.state for row in everyone].count(ComplianceState.CLEARED) == 3
    assert report.counts[ComplianceState.CLEARED] == 3
    assert report.rows == compliance_report(host_staff, state="", on=TODAY).rows
    only_missing = compliance_report(host_staff, state=ComplianceState.MISSING, on=TODAY)
    assert [row.name for row in only_missing.rows] == [r.name for r in everyone if r.state == "missing"]


def test_a_page_costs_the_same_queries_for_few_and_many_members(
    north, host_staff, courses, django_assert_max_num_queries
):
    for i in range(3):
        member(north, last_name=f"Few{i}", role=MembershipRole.VOLUNTEER)
    compliance_report(host_staff, on=TODAY).rows[:2]  # the counts are now cached
    with django_assert_max_num_queries(20) as few:
        compliance_report(host_staff, on=TODAY).rows[:2]
    for i in range(40):
        completed(member(north, last_name=f"Many{i}"), *courses)
    compliance_report(host_staff, on=TODAY).rows[:2]
    with django_assert_max_num_queries(len(few.captured_queries)):
        compliance_report(host_staff, on=TODAY).rows[:2]

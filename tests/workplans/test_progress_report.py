"""The workplan progress report: counts by status and RAG, overdue items, updates, scoping, queries."""

import datetime
from http import HTTPStatus

import pytest
from django.urls import reverse

from tests.factories import PartnershipFactory
from tests.members.test_partnership_views import assert_refused
from workplans.enums import MilestoneStatus
from workplans.progress import Rag, rag_for, workplan_progress

from .plan_factories import YEAR, MilestoneUpdateFactory, milestone_in

pytestmark = pytest.mark.django_db

TODAY = datetime.date(YEAR, 10, 15)
PAST, FUTURE = datetime.date(YEAR, 9, 1), datetime.date(YEAR, 12, 1)
REPORT = "workplan_progress:index"


@pytest.mark.parametrize(
    ("status", "due_on", "rag"),
    [
        (MilestoneStatus.DONE, PAST, Rag.COMPLETE),
        (MilestoneStatus.ON_TRACK, PAST, Rag.RED),  # overdue whatever it says
        (MilestoneStatus.OFF_TRACK, FUTURE, Rag.RED),
        (MilestoneStatus.AT_RISK, FUTURE, Rag.AMBER),
        (MilestoneStatus.ON_TRACK, FUTURE, Rag.GREEN),
        (MilestoneStatus.NOT_STARTED, FUTURE, Rag.GREEN),
        (MilestoneStatus.NOT_STARTED, TODAY, Rag.GREEN),  # due today is not late yet
    ],
)
def test_rag_rule(status, due_on, rag):
    assert rag_for(status, due_on, TODAY) == rag


@pytest.fixture
def progress(north, south):
    for status, due_on in [
        (MilestoneStatus.DONE, PAST),
        (MilestoneStatus.ON_TRACK, PAST),
        (MilestoneStatus.AT_RISK, FUTURE),
        (MilestoneStatus.NOT_STARTED, FUTURE),
    ]:
        milestone_in(north, status=status, due_on=due_on, title=f"North {status}")
    south_milestone = milestone_in(south, status=MilestoneStatus.OFF_TRACK, due_on=FUTURE, title="South off")
    MilestoneUpdateFactory(milestone=south_milestone, note="South is struggling")
    milestone_in(north, year=YEAR - 1, due_on=datetime.date(YEAR - 1, 6, 1), title="Last year's")


def counts(mnvp):
    return (
        {t.key: t.count for t in mnvp.status_tallies if t.count},
        {t.key: t.count for t in mnvp.rag_tallies if t.count},
        mnvp.overdue,
    )


def test_counts_per_mnvp_by_status_and_rag(host_staff, progress):
    report = workplan_progress(host_staff, year=YEAR, today=TODAY)
    north, south = report.mnvps
    assert north.name == "Northshire MNVP"
    assert counts(north) == (
        {"done": 1, "on_track": 1, "at_risk": 1, "not_started": 1},
        {"complete": 1, "red": 1, "amber": 1, "green": 1},
        1,
    )
    assert counts(south) == ({"off_track": 1}, {"red": 1}, 0)
    assert [m.title for m in report.overdue] == ["North on_track"]
    assert [u.note for u in report.recent_updates] == ["South is struggling"]
    assert report.total.total == 5


def test_lead_sees_only_their_own_mnvp(north_lead, progress):
    report = workplan_progress(north_lead, year=YEAR, today=TODAY)
    assert [m.name for m in report.mnvps] == ["Northshire MNVP"]
    assert report.recent_updates == []


def test_commissioner_sees_the_mnvps_they_commission(north_commissioner, progress):
    report = workplan_progress(north_commissioner, year=YEAR, today=TODAY)
    assert [m.name for m in report.mnvps] == ["Northshire MNVP"]


@pytest.mark.parametrize("fixture", ["host_staff", "north_lead", "north_commissioner"])
def test_the_report_page_for_each_reader(client, request, progress, fixture):
    client.force_login(request.getfixturevalue(fixture))
    response = client.get(reverse(REPORT), {"year": YEAR})
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "Northshire MNVP" in page
    assert ("South is struggling" in page) == (fixture == "host_staff")
    assert ("Southvale MNVP" in page) == (fixture == "host_staff")
    assert "style=" not in page.split('class="nice-padding w-mt-8"')[-1]


def test_a_lead_asking_for_another_mnvp_gets_nothing(client, north_lead, south, progress):
    client.force_login(north_lead)
    response = client.get(reverse(REPORT), {"partnership": south.pk, "year": YEAR})
    assert response.context["report"] is None
    assert "South is struggling" not in response.content.decode()


@pytest.mark.parametrize("fixture", ["dsl", "no_role_user"])
def test_others_are_refused(client, request, fixture):
    client.force_login(request.getfixturevalue(fixture))
    assert_refused(client.get(reverse(REPORT)))
    assert_refused(client.get(reverse("workplan_progress:results")))


def test_export_holds_the_counts(client, north_lead, progress):
    client.force_login(north_lead)
    response = client.get(reverse(REPORT), {"year": YEAR, "export": "csv"})
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0] == "MNVP,Year,Measure,Value,Milestones"
    assert f"Northshire MNVP,{YEAR}/{str(YEAR + 1)[-2:]},RAG,Red,1" in lines
    assert not any("Southvale" in line for line in lines)


def test_the_report_costs_a_fixed_number_of_queries(host_staff, django_assert_num_queries):
    def grow(size):
        for _ in range(size):
            partnership = PartnershipFactory()
            milestone = milestone_in(partnership, due_on=PAST)
            MilestoneUpdateFactory(milestone=milestone)

    grow(2)
    host_staff.refresh_from_db()
    workplan_progress(host_staff, year=YEAR, today=TODAY)  # the scope is cached on the user after this
    with django_assert_num_queries(5):
        report = workplan_progress(host_staff, year=YEAR, today=TODAY)
        assert len(report.overdue) == 2
    grow(12)
    with django_assert_num_queries(5):
        report = workplan_progress(host_staff, year=YEAR, today=TODAY)
        assert len(report.overdue) == 14


def test_the_report_page_query_count_does_not_grow(client, north_lead, north, django_assert_max_num_queries):
    client.force_login(north_lead)
    for _ in range(2):
        MilestoneUpdateFactory(milestone=milestone_in(north, due_on=PAST))
    with django_assert_max_num_queries(60) as baseline:
        client.get(reverse(REPORT), {"year": YEAR})
    for _ in range(12):
        MilestoneUpdateFactory(milestone=milestone_in(north, due_on=PAST))
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        client.get(reverse(REPORT), {"year": YEAR})

"""The representation report: attended against expected, quorate meetings missed for want
of a service user, issues raised and decisions influenced; scoped per MNVP, fixed queries."""

import datetime
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.enums import PPVCategory
from members.scoping import permitted_partnership_ids
from workplans.representation import representation_report, share_of_year_elapsed

from .meeting_factories import CommitteeFactory, MeetingAttendanceFactory, MeetingFactory
from .money_factories import member

pytestmark = pytest.mark.django_db
YEAR = 2025  # financial year 2025/26: 1 April 2025 to 31 March 2026
IN_YEAR = datetime.date(2025, 6, 1)
URL = reverse("workplans_representation:index")


def attended(meeting):
    MeetingAttendanceFactory(meeting=meeting, person=member(meeting.partnership, PPVCategory.A))
    return meeting


def line(report, mnvp, name):
    [section] = [s for s in report.mnvps if s.partnership == mnvp]
    [found] = [row for row in section.lines if row.name == name]
    return found


def test_meetings_attended_are_counted_against_expected(north, host_staff):
    governance = CommitteeFactory(partnership=north, name="Governance", expected_per_year=12)
    for month in (5, 6, 7):
        attended(
            MeetingFactory(partnership=north, committee=governance, held_on=datetime.date(2025, month, 3))
        )
    MeetingFactory(partnership=north, committee=governance, held_on=datetime.date(2025, 8, 3))  # nobody went
    MeetingFactory(partnership=north, committee=governance, held_on=datetime.date(2024, 8, 3))  # last year
    row = line(representation_report(host_staff, year=YEAR), north, "Governance")
    assert (row.recorded, row.attended, row.expected, row.missed) == (4, 3, 12, 0)


def test_pro_rata_expected_to_date():
    assert share_of_year_elapsed(YEAR, datetime.date(2025, 3, 31)) == 0
    assert share_of_year_elapsed(YEAR, datetime.date(2026, 3, 31)) == 1
    report_share = share_of_year_elapsed(YEAR, datetime.date(2025, 9, 30))
    assert round(12 * report_share) == 6


def test_quorate_meetings_missed_for_want_of_a_service_user(north, south, host_staff):
    board = CommitteeFactory(host_board=True)  # needs a service user for quorum
    safety = CommitteeFactory(partnership=north, name="Safety champions")  # does not
    attended(MeetingFactory(partnership=north, committee=board, held_on=IN_YEAR, quorate=True))
    MeetingFactory(partnership=north, committee=board, held_on=IN_YEAR, quorate=False)  # not quorate
    MeetingFactory(partnership=north, committee=board, held_on=IN_YEAR, quorate=None)  # nobody attended
    attended(MeetingFactory(partnership=north, committee=board, held_on=IN_YEAR, quorate=None))
    MeetingFactory(partnership=north, committee=safety, held_on=IN_YEAR, quorate=False)  # quoracy not ours
    MeetingFactory(partnership=south, committee=board, held_on=IN_YEAR, quorate=False)
    report = representation_report(host_staff, year=YEAR)
    assert line(report, north, "LMNS board").missed == 2
    assert line(report, north, "Safety champions").missed == 0
    assert line(report, south, "LMNS board").missed == 1
    assert report.missed == 3


def test_issues_raised_and_decisions_influenced_are_listed(north, host_staff):
    committee = CommitteeFactory(partnership=north)
    MeetingFactory(
        partnership=north,
        committee=committee,
        held_on=IN_YEAR,
        raised="Partners sent home at night",
        influenced="Overnight stays piloted on the postnatal ward",
    )
    MeetingFactory(partnership=north, committee=committee, held_on=IN_YEAR)
    [section] = representation_report(host_staff, year=YEAR, partnership=north).mnvps
    assert [m.raised for m in section.outcomes] == ["Partners sent home at night"]
    assert (section.raised, section.influenced) == (1, 1)


def test_a_lead_sees_their_mnvp_and_host_committees_only(north, south, north_lead):
    CommitteeFactory(host_board=True)
    CommitteeFactory(partnership=north, name="North governance")
    CommitteeFactory(partnership=south, name="South governance")
    MeetingFactory(partnership=south, committee__partnership=south, held_on=IN_YEAR, raised="South's issue")
    report = representation_report(north_lead, year=YEAR)
    assert [s.partnership for s in report.mnvps] == [north]
    assert {row.name for row in report.mnvps[0].lines} == {"LMNS board", "North governance"}
    assert report.mnvps[0].outcomes == []


def build_year(partnership, count):
    board = CommitteeFactory(host_board=True, name=f"LMNS board {partnership.pk}-{count}")
    for day in range(count):
        meeting = MeetingFactory(
            partnership=partnership,
            held_on=IN_YEAR + datetime.timedelta(days=day),
            raised="Something",
            quorate=False,
        )
        attended(meeting)
        MeetingFactory(partnership=partnership, committee=board, held_on=IN_YEAR)


def test_the_report_runs_the_same_queries_for_few_meetings_or_many(client, host_staff, north, south):
    client.force_login(host_staff)
    url = f"{URL}?year={YEAR}"
    client.get(url)  # first-request work (content types, menus) is not the report's
    counts = []
    for count in (1, 5):
        build_year(north, count)
        build_year(south, count)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == HTTPStatus.OK
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_selector_runs_three_queries(host_staff, north, south, django_assert_num_queries):
    build_year(north, 3)
    build_year(south, 2)
    permitted_partnership_ids(host_staff)  # the scope is worked out once per request
    with django_assert_num_queries(3):
        representation_report(host_staff, year=YEAR)


# The page --------------------------------------------------------------------------------


def test_host_staff_see_every_mnvp_and_the_host_total(client, host_staff, north, south):
    attended(MeetingFactory(partnership=north, held_on=IN_YEAR, raised="Triage phone line"))
    client.force_login(host_staff)
    page = client.get(f"{URL}?year={YEAR}").content.decode()
    assert "All MNVPs" in page
    assert north.name in page
    assert south.name in page
    assert "Triage phone line" in page


def test_a_lead_sees_only_their_mnvp_and_is_refused_another(client, north_lead, north, south):
    MeetingFactory(partnership=south, committee__partnership=south, held_on=IN_YEAR, raised="South's issue")
    client.force_login(north_lead)
    response = client.get(f"{URL}?year={YEAR}")
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert north.name in page
    assert south.name not in page
    assert "South&#x27;s issue" not in page
    refused = client.get(f"{URL}?year={YEAR}&partnership={south.pk}")
    assert refused.context["report"] is None
    assert "South&#x27;s issue" not in refused.content.decode()


def test_icb_commissioner_reads_the_report_of_those_they_commission(client, north_commissioner, north, south):
    client.force_login(north_commissioner)
    response = client.get(f"{URL}?year={YEAR}")
    assert response.status_code == HTTPStatus.OK
    assert [s.partnership for s in response.context["report"].mnvps] == [north]


def test_no_role_user_is_refused(client, no_role_user):
    client.force_login(no_role_user)
    response = client.get(URL)
    assert response.status_code == HTTPStatus.FOUND


def test_the_export_holds_one_row_per_mnvp_and_committee(client, host_staff, north, south):
    CommitteeFactory(host_board=True)
    client.force_login(host_staff)
    response = client.get(f"{URL}?year={YEAR}&export=csv")
    assert response.status_code == HTTPStatus.OK
    body = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    assert body.count("LMNS board") == 2

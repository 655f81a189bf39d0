"""The admin dashboard: which panels each role sees, what they count, and where each number leads."""

import datetime
import re
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.utils import timezone

from members.enums import ApplicationStage, MembershipRole
from safeguarding.enums import CaseStage
from safeguarding.permissions import grant_case_access
from tests.factories import (
    ApplicationFactory,
    CaseFactory,
    ConcernFactory,
    CourseFactory,
    MembershipFactory,
    PersonFactory,
    RoleRequirementFactory,
    TrainingRecordFactory,
    handled_by,
)
from tests.workplans.plan_factories import MilestoneFactory, ObjectiveFactory, WorkplanFactory
from workplans.enums import ClaimStatus, MilestoneStatus
from workplans.models import ExpenseClaim
from workplans.models.plans import financial_year_of

pytestmark = pytest.mark.django_db

HOME = "/admin/"
PANEL = re.compile(r'id="dashboard-([a-z-]+?)-section"')
LINK = re.compile(r'href="([^"]+)" data-count="(\d+)"')


def panels(client, user):
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    return set(PANEL.findall(html)), html


def links(html):
    return [(url.replace("&amp;", "&"), int(count)) for url, count in LINK.findall(html)]


def count_for(html, url_part):
    found = [count for url, count in links(html) if url_part in url]
    assert found, f"no link with {url_part}"
    return found[0]


def claim(partnership, status, creator, days_ago=0):
    return ExpenseClaim.objects.create(
        partnership=partnership,
        claimant=PersonFactory(),
        purpose="Meeting",
        status=status,
        total=Decimal("10.00"),
        created_by=creator,
        submitted_at=timezone.now() - datetime.timedelta(days=days_ago),
    )


@pytest.fixture
def world(north, south, host_staff):
    today = timezone.localdate()
    year = financial_year_of(today)
    for partnership in (north, south):
        ApplicationFactory(partnership=partnership, stage=ApplicationStage.NEW)
        ApplicationFactory(
            partnership=partnership,
            stage=ApplicationStage.NEW,
            stage_changed_at=timezone.now() - datetime.timedelta(days=400),
        )
        objective = ObjectiveFactory(workplan=WorkplanFactory(partnership=partnership, year=year))
        MilestoneFactory(objective=objective, due_on=today - datetime.timedelta(days=3))  # red, overdue
        MilestoneFactory(objective=objective, due_on=today + datetime.timedelta(days=10))  # green, soon
        MilestoneFactory(
            objective=objective, due_on=today + datetime.timedelta(days=100), status=MilestoneStatus.DONE
        )
        claim(partnership, ClaimStatus.SUBMITTED, host_staff, days_ago=5)
        claim(partnership, ClaimStatus.APPROVED, host_staff, days_ago=2)
    # Compliance: volunteers need one course; one north volunteer lapsed, one south missing it.
    course = CourseFactory(name="Safeguarding basics")
    RoleRequirementFactory(role=MembershipRole.VOLUNTEER, courses=[course])
    lapsed = MembershipFactory(partnership=north).person
    TrainingRecordFactory(
        person=lapsed,
        course=course,
        completed_on=today - datetime.timedelta(days=400),
        expires_on=today - datetime.timedelta(days=5),
    )
    MembershipFactory(partnership=south)
    # Safeguarding: two fresh concerns (one unacknowledged), one old one; a closed case aside.
    ConcernFactory(partnership=north)
    ConcernFactory(partnership=south, acknowledged_at=timezone.now())
    ConcernFactory(partnership=south, reported_at=timezone.now() - datetime.timedelta(days=10))
    return {"today": today, "year": year, "lapsed": lapsed}


def test_host_staff_sees_the_host_panels_across_mnvps_and_no_concern(client, host_staff, world):
    seen, html = panels(client, host_staff)
    assert seen == {"recruitment", "compliance", "workplan-rag", "claims-waiting"}
    assert count_for(html, "stage=new") == 4
    assert count_for(html, "overdue=true") == 2
    assert count_for(html, "state=lapsed") == 1
    assert count_for(html, "state=missing") == 1
    assert count_for(html, "rag=red") == 2
    assert count_for(html, "rag=green") == 2
    assert count_for(html, "rag=complete") == 2
    assert count_for(html, "status=submitted") == 2
    assert count_for(html, "status=approved") == 2
    assert "oldest waiting 5 days" in html
    assert "concerns" not in html.lower().replace("concerns_", "")


def test_north_lead_counts_only_northshire(client, north, north_lead, world):
    seen, html = panels(client, north_lead)
    assert seen == {"milestones-to-update", "claims-to-approve", "members-lapsing", "workplan-rag"}
    assert count_for(html, "overdue=true") == 1
    assert count_for(html, "overdue=false") == 1
    assert count_for(html, "status=submitted") == 1
    assert count_for(html, "state=lapsed") == 1
    assert count_for(html, "rag=red") == 1
    assert f"partnership={north.pk}" in html
    assert "Southvale" not in html


def test_dsl_sees_open_concerns_by_age_with_unacknowledged_highlighted(client, dsl, world):
    seen, html = panels(client, dsl)
    assert seen == {"concerns"}
    assert count_for(html, "age=under_1_day") == 2
    assert count_for(html, "age=1_to_7_days") == 0
    assert count_for(html, "age=over_7_days") == 1
    assert 'data-flag-count="1"' in html  # under a day: one not acknowledged yet


def test_case_handler_sees_only_their_assigned_case(client, north, case_handler, world):
    handled_by(CaseFactory(partnership=north, stage=CaseStage.INVESTIGATING), case_handler)
    CaseFactory(partnership=north)  # not theirs
    # A case about them, even holding its object permissions, is never counted.
    grant_case_access(
        CaseFactory(partnership=north, stage=CaseStage.RECEIVED, subject_user=case_handler), case_handler
    )
    seen, html = panels(client, case_handler)
    assert seen == {"cases"}
    assert count_for(html, "stage=investigating") == 1
    assert count_for(html, "stage=received") == 0


def test_no_role_user_and_commissioner(client, no_role_user, north_commissioner, world):
    client.force_login(no_role_user)
    response = client.get(HOME)  # no admin access: sent to the login page, no panel
    assert not PANEL.findall(response.content.decode())
    seen, html = panels(client, north_commissioner)
    assert seen == {"workplan-rag"}
    assert count_for(html, "rag=red") == 1


@pytest.mark.parametrize("user_fixture", ["host_staff", "north_lead", "dsl"])
def test_every_number_links_to_a_list_showing_the_counted_rows(client, request, world, user_fixture):
    user = request.getfixturevalue(user_fixture)
    _seen, html = panels(client, user)
    for url, count in links(html):
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK, url
        if "compliance" in url or ("stage=" in url and "applications" not in url):
            continue
        listed = response.context.get("items_count")
        if listed is None and response.context.get("paginator") is not None:
            listed = response.context["paginator"].count
        assert listed == count, url


@pytest.mark.parametrize("user_fixture", ["host_staff", "north_lead", "dsl"])
def test_home_page_queries_do_not_grow_with_rows(
    client, request, north, host_staff, django_assert_max_num_queries, user_fixture
):
    user = request.getfixturevalue(user_fixture)
    client.force_login(user)

    def seed(n):
        for _ in range(n):
            ApplicationFactory(partnership=north)
            MilestoneFactory(objective=ObjectiveFactory(workplan=WorkplanFactory(partnership=north)))
            claim(north, ClaimStatus.SUBMITTED, host_staff)
            ConcernFactory(partnership=north)
            MembershipFactory(partnership=north)

    seed(3)
    client.get(HOME)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(HOME)
    seed(27)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(HOME)

"""The compliance report screen: who may open it, what each role sees, its exports and query budget."""

import datetime
import io
from http import HTTPStatus

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from members.enums import ComplianceState, DBSLevel, MembershipRole
from members.models import RoleRequirement
from tests.factories import (
    CourseFactory,
    MembershipFactory,
    PersonFactory,
    RoleRequirementFactory,
    TrainingRecordFactory,
)
from tests.members.test_partnership_views import assert_refused

pytestmark = pytest.mark.django_db

REPORT = "compliance_report:index"
RESULTS = "compliance_report:results"
DAY = datetime.timedelta(days=1)


@pytest.fixture
def safeguarding(db):
    course = CourseFactory(name="Safeguarding level 2", validity_months=12)
    RoleRequirementFactory(role=MembershipRole.VOLUNTEER, courses=[course])
    RoleRequirementFactory(role=MembershipRole.LEAD, dbs_level=DBSLevel.ENHANCED)
    return course


def member(partnership, role=MembershipRole.VOLUNTEER, **person_fields):
    person = PersonFactory(**person_fields)
    MembershipFactory(person=person, partnership=partnership, role=role, start_date=datetime.date(2024, 1, 1))
    return person


@pytest.fixture
def people(north, south, safeguarding):
    """Northshire: one volunteer due soon, one missing. Southvale: one lapsed volunteer."""
    today = datetime.date.today()
    due = member(north, first_name="Nora", last_name="North")
    TrainingRecordFactory(person=due, course=safeguarding, completed_on=today - 350 * DAY)
    missing = member(north, first_name="Nat", last_name="Nobody")
    lapsed = member(south, first_name="Sam", last_name="South")
    TrainingRecordFactory(person=lapsed, course=safeguarding, completed_on=today - 400 * DAY)
    return {"due": due, "missing": missing, "lapsed": lapsed}


def get(client, user, name=REPORT, **params):
    client.force_login(user)
    return client.get(reverse(name), params)


def csv_lines(response) -> list[str]:
    return b"".join(response.streaming_content).decode().splitlines()


@pytest.mark.parametrize("name", [REPORT, RESULTS])
def test_host_staff_see_every_mnvp(client, host_staff, people, name):
    response = get(client, host_staff, name)
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "Nora North" in page
    assert "Sam South" in page
    assert reverse("people:inspect", args=[people["due"].pk]) in page
    assert response.context["report"].counts == {
        ComplianceState.CLEARED: 0,
        ComplianceState.DUE_SOON: 1,
        ComplianceState.LAPSED: 1,
        ComplianceState.MISSING: 1,
    }


@pytest.mark.parametrize("name", [REPORT, RESULTS])
def test_north_lead_sees_only_northshire(client, north_lead, people, name):
    response = get(client, north_lead, name)
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "Nora North" in page
    assert "Nat Nobody" in page
    assert "Sam South" not in page
    assert "Southvale" not in page


@pytest.mark.parametrize("export", ["csv", "xlsx"])
def test_north_lead_exports_only_northshire(client, north_lead, people, export):
    response = get(client, north_lead, export=export)
    assert response.status_code == HTTPStatus.OK
    if export == "csv":
        lines = csv_lines(response)
        assert lines[0] == "Name,Email,MNVP,Roles,State,Reasons,Next expiry"
        body = "\n".join(lines[1:])
    else:
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        body = "\n".join(",".join(str(cell) for cell in row) for row in sheet.iter_rows(values_only=True))
    assert "Nora North" in body
    assert "Nat Nobody" in body
    assert "Southvale" not in body
    assert "Sam South" not in body


@pytest.mark.parametrize("name", [REPORT, RESULTS])
def test_lead_asking_for_southvale_gets_none_of_it(client, north_lead, south, people, name):
    response = get(client, north_lead, name, partnership=south.pk)
    assert response.status_code == HTTPStatus.OK
    assert response.context["report"] is None
    page = response.content.decode()
    assert "Sam South" not in page
    assert "Southvale" not in page
    assert "not one of yours" in page


def test_lead_export_of_southvale_is_empty(client, north_lead, south, people):
    lines = csv_lines(get(client, north_lead, partnership=south.pk, export="csv"))
    assert lines[1:] == []


@pytest.mark.parametrize("fixture", ["no_role_user", "north_commissioner", "dsl", "case_handler"])
@pytest.mark.parametrize("params", [{}, {"export": "csv"}, {"export": "xlsx"}])
@pytest.mark.parametrize("name", [REPORT, RESULTS])
def test_roles_without_the_permission_are_refused(client, request, people, fixture, params, name):
    assert_refused(get(client, request.getfixturevalue(fixture), name, **params))


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(reverse(REPORT))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


def test_filters_narrow_the_table(client, host_staff, north, people):
    def people_in(**params):
        return [row.name for row in get(client, host_staff, **params).context["object_list"]]

    assert people_in(state=ComplianceState.LAPSED) == ["Sam South"]
    assert people_in(partnership=north.pk) == ["Nat Nobody", "Nora North"]
    assert people_in(lapses_within=30) == ["Nora North"]
    assert people_in(role=MembershipRole.LEAD) == []
    # Not one of the choices: that filter is ignored, and nothing is refused.
    assert people_in(lapses_within=45) == ["Nat Nobody", "Nora North", "Sam South"]


def test_export_reasons_are_joined_and_cells_formula_safe(client, host_staff, north, safeguarding):
    member(north, first_name="=HYPERLINK(1)", last_name="", email="attack@example.org")
    response = get(client, host_staff, export="csv")
    lines = csv_lines(response)
    assert lines[1].startswith("'=HYPERLINK(1),attack@example.org,Northshire MNVP,Volunteer,Missing,")
    assert lines[1].endswith("Safeguarding level 2: not completed,")

    RoleRequirement.objects.filter(role=MembershipRole.VOLUNTEER).update(dbs_level=DBSLevel.BASIC)
    lines = csv_lines(get(client, host_staff, export="csv"))
    assert "Safeguarding level 2: not completed; Basic DBS check: none recorded" in lines[1]

    sheet = load_workbook(
        io.BytesIO(b"".join(get(client, host_staff, export="xlsx").streaming_content))
    ).active
    first = next(sheet.iter_rows(min_row=2, values_only=True))
    assert first[0] == "'=HYPERLINK(1)"


def test_the_table_is_paginated(client, host_staff, north, safeguarding):
    for i in range(53):
        member(north, last_name=f"Person{i:02d}")
    first = get(client, host_staff)
    assert len(first.context["object_list"]) == 50
    assert first.context["paginator"].count == 53
    assert len(get(client, host_staff, p=2).context["object_list"]) == 3
    assert len(csv_lines(get(client, host_staff, export="csv"))) == 54


def test_menu_shows_the_report_to_those_who_may_open_it(client, host_staff, north_lead, north_commissioner):
    home = reverse("wagtailadmin_home")
    for user, shown in ((host_staff, True), (north_lead, True), (north_commissioner, False)):
        client.force_login(user)
        assert (reverse(REPORT) in client.get(home).content.decode()) is shown


def test_page_has_no_inline_styles_or_scripts(client, host_staff, people):
    page = get(client, host_staff, RESULTS).content.decode()
    assert "style=" not in page
    assert "<script" not in page


@pytest.mark.parametrize("params", [{}, {"export": "csv"}])
def test_query_count_is_the_same_for_3_and_for_30_people(
    client, host_staff, north, south, safeguarding, params, django_assert_max_num_queries
):
    def add(count):
        for i in range(count):
            person = member(north if i % 2 else south)
            TrainingRecordFactory(person=person, course=safeguarding)

    client.force_login(host_staff)
    add(3)

    def fetch():
        response = client.get(reverse(REPORT), params)
        if params:
            b"".join(response.streaming_content)
        return response

    fetch()  # warm caches (site, settings, menus)
    with django_assert_max_num_queries(40) as few:
        fetch()
    add(27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert fetch().status_code == HTTPStatus.OK


def test_every_filter_is_named_for_people(client, host_staff, people):
    # The filterset's model (Partnership) names no state or role: unlabelled, they read "[invalid name]".
    response = get(client, host_staff)
    content = response.content.decode()
    assert "[invalid name]" not in content
    assert '<label class="w-field__label" for="id_state"' in content
    assert '<label class="w-field__label" for="id_role"' in content

"""DBS check screens: who reaches each one, and where the certificate number may (never) appear.

Host staff keep DBS metadata; only a DBS verifier (held beside Host staff) sees a
certificate number, by a logged POST. MNVP leads reach no DBS screen at all. No
scoped role holds DBS permissions today, so the 404 for another MNVP's check is
proved with a lead given the DBS permissions directly: the scoping still holds.
"""

import csv
import datetime
import io
from http import HTTPStatus

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from cms.models import AccessLogEntry
from members.demo import seed_logins, seed_partnerships
from members.enums import DBSDecision, DBSLevel, DBSOutcome, Role
from members.models import DBSCheck, User
from members.roles import role_group, sync_role_groups
from tests.factories import DBSCheckFactory, MembershipFactory, PersonFactory, UserFactory, lead_of
from tests.members.test_partnership_views import assert_denied, assert_refused

pytestmark = pytest.mark.django_db

NUMBER = "009876543210"
NUMBER_CODENAME = "view_dbs_certificate_number"
OBJECT_VIEWS = ["edit", "inspect", "history", "delete", "decide"]


def check_in(partnership, **kwargs) -> DBSCheck:
    person = PersonFactory(last_name=f"Of{partnership.slug.title()}")
    MembershipFactory(person=person, partnership=partnership)
    return DBSCheckFactory(person=person, **{"certificate_number": NUMBER, **kwargs})


def url(name, check=None):
    return reverse(f"dbs_checks:{name}", args=[check.pk] if check else [])


def viewed_logs(check):
    return ModelLogEntry.objects.for_instance(check).filter(action="members.dbs_number_viewed")


def html(response) -> str:
    return response.content.decode()


def exported_cells(response, export_format) -> set[str]:
    content = b"".join(response.streaming_content)
    if export_format == "csv":
        return {cell for row in csv.reader(io.StringIO(content.decode())) for cell in row}
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return {str(cell) for row in sheet.iter_rows(values_only=True) for cell in row}


@pytest.fixture
def verifier(db):
    user = UserFactory(username="verifier", role=Role.HOST_STAFF)
    user.groups.add(role_group(Role.DBS_VERIFIER))
    return user


@pytest.fixture
def verifier_only(db):
    """The DBS verifier role without Host staff: may see numbers, but finds no check to see."""
    return UserFactory(username="verifier.only", role=Role.DBS_VERIFIER)


@pytest.fixture
def scoped_dbs_user(north):
    """A Northshire lead given every DBS permission directly: what a scoped DBS role would be."""
    user = lead_of(north, username="north.dbs")
    codenames = ["view_dbscheck", "change_dbscheck", "delete_dbscheck", "view_dbs_certificate_number"]
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="members", codename__in=codenames)
    )
    return user


# --- the roles ---


def test_only_the_dbs_verifier_role_may_see_certificate_numbers(db):
    groups = sync_role_groups()
    holders = {
        role for role, group in groups.items() if group.permissions.filter(codename=NUMBER_CODENAME).exists()
    }
    assert holders == {Role.DBS_VERIFIER}
    assert groups[Role.HOST_STAFF].permissions.filter(codename__endswith="_dbscheck").count() == 4
    assert not groups[Role.MNVP_LEAD].permissions.filter(codename__contains="dbs").exists()


def test_the_demo_host_admin_is_also_a_dbs_verifier(db):
    seed_partnerships()
    seed_logins("demo-password")
    seed_logins("demo-password")  # idempotent
    host_admin = User.objects.get(username="host.admin")
    assert set(host_admin.groups.values_list("name", flat=True)) == {"Host staff", "DBS verifier"}
    assert host_admin.has_perm(f"members.{NUMBER_CODENAME}")


# --- who reaches which screen ---


@pytest.mark.parametrize("fixture", ["host_staff", "verifier"])
def test_host_staff_reach_every_dbs_screen(client, request, north, south, fixture):
    client.force_login(request.getfixturevalue(fixture))
    waiting = check_in(south, outcome=DBSOutcome.NEEDS_DECISION)
    assert client.get(url("index")).status_code == HTTPStatus.OK
    assert client.get(url("add")).status_code == HTTPStatus.OK
    for view in OBJECT_VIEWS:
        assert client.get(url(view, waiting)).status_code == HTTPStatus.OK, view


@pytest.mark.parametrize("fixture", ["north_lead", "north_commissioner", "dsl", "verifier_only"])
def test_other_roles_are_denied_every_dbs_view(client, request, north, fixture):
    own = check_in(north, outcome=DBSOutcome.NEEDS_DECISION)
    client.force_login(request.getfixturevalue(fixture))
    assert_denied(client.get(url("index")))
    assert_denied(client.get(url("index"), {"export": "csv"}))
    assert_denied(client.get(url("add")))
    for view in OBJECT_VIEWS:
        assert_refused(client.get(url(view, own)))
    assert_refused(client.post(url("certificate_number", own)))
    assert_refused(client.post(url("decide", own), {"decision": DBSDecision.SUITABLE}))
    own.refresh_from_db()
    assert own.decision == ""
    assert not viewed_logs(own).exists()


def test_a_lead_lists_no_dbs_check(client, north, north_lead):
    check_in(north)
    client.force_login(north_lead)
    response = client.get(url("index"))
    assert_denied(response)
    assert NUMBER not in html(response)


def test_a_user_without_a_role_is_sent_away(client, north, no_role_user):
    check = check_in(north)
    client.force_login(no_role_user)
    for response in (client.get(url("index")), client.get(url("inspect", check))):
        assert_denied(response)
    assert_denied(client.post(url("certificate_number", check)))
    assert not viewed_logs(check).exists()


def test_anonymous_is_sent_to_login(client, north):
    check = check_in(north)
    response = client.post(url("certificate_number", check))
    assert response.status_code == HTTPStatus.FOUND
    assert reverse("wagtailadmin_login") in response["Location"]


@pytest.mark.parametrize("view", [*OBJECT_VIEWS, "certificate_number"])
def test_another_mnvps_check_answers_404_to_a_scoped_user(client, north, south, scoped_dbs_user, view):
    other = check_in(south, outcome=DBSOutcome.NEEDS_DECISION)
    client.force_login(scoped_dbs_user)
    method = client.post if view == "certificate_number" else client.get
    assert method(url(view, other)).status_code == HTTPStatus.NOT_FOUND
    assert not viewed_logs(other).exists()


def test_a_scoped_user_reaches_and_lists_only_their_mnvps_checks(client, north, south, scoped_dbs_user):
    own = check_in(north, outcome=DBSOutcome.NEEDS_DECISION)
    check_in(south)
    client.force_login(scoped_dbs_user)
    response = client.get(url("index"))
    assert [c.pk for c in response.context["object_list"]] == [own.pk]
    assert client.get(url("inspect", own)).status_code == HTTPStatus.OK
    assert client.post(url("certificate_number", own)).status_code == HTTPStatus.OK


# --- the certificate number never shows, except by a logged reveal ---


def test_the_number_is_not_in_the_listing_inspect_edit_history_or_export(client, north, verifier):
    check = check_in(north)
    client.force_login(verifier)
    client.post(url("edit", check), edit_data(check))  # something in the history
    pages = [
        client.get(url("index")),
        client.get(url("inspect", check)),
        client.get(url("edit", check)),
        client.get(url("history", check)),
    ]
    for response in pages:
        assert response.status_code == HTTPStatus.OK
        assert NUMBER not in html(response), response.request["PATH_INFO"]
    for export_format in ("csv", "xlsx"):
        response = client.get(url("index"), {"export": export_format})
        assert response.status_code == HTTPStatus.OK
        cells = exported_cells(response, export_format)
        assert check.person.email in cells
        assert NUMBER not in cells
    assert "certificate_number" not in client.get(url("edit", check)).context["form"].fields
    assert all(NUMBER not in f"{e.label} {e.data}" for e in ModelLogEntry.objects.for_instance(check))


def test_the_inspect_page_offers_the_reveal_only_to_a_verifier(client, north, host_staff, verifier):
    check = check_in(north)
    client.force_login(host_staff)
    page = html(client.get(url("inspect", check)))
    assert "Certificate number: hidden" in page
    assert "Show the certificate number" not in page
    client.force_login(verifier)
    page = html(client.get(url("inspect", check)))
    assert "Certificate number: hidden" in page
    assert "Show the certificate number" in page
    assert f'action="{url("certificate_number", check)}"' in page
    assert NUMBER not in page


def test_each_reveal_shows_the_number_uncached_and_is_logged(client, north, verifier):
    check = check_in(north)
    client.force_login(verifier)
    for seen in (1, 2):
        response = client.post(url("certificate_number", check))
        assert response.status_code == HTTPStatus.OK
        assert NUMBER in html(response)
        assert "no-store" in response["Cache-Control"]
        assert viewed_logs(check).count() == seen
    entry = viewed_logs(check).latest("pk")
    assert entry.user == verifier
    assert timezone.now() - entry.timestamp < datetime.timedelta(minutes=1)
    accesses = AccessLogEntry.objects.filter(object_id=str(check.pk), user=verifier, action="view")
    assert accesses.count() == 2
    assert all(NUMBER not in f"{a.object_repr} {a.detail}" for a in accesses)


def test_host_staff_without_the_verifier_role_are_refused_the_number(client, north, host_staff):
    check = check_in(north)
    client.force_login(host_staff)
    response = client.post(url("certificate_number", check))
    assert_denied(response)
    assert NUMBER not in html(response)
    assert not viewed_logs(check).exists()
    assert not AccessLogEntry.objects.exists()


def test_a_get_never_reveals_the_number(client, north, verifier):
    check = check_in(north)
    client.force_login(verifier)
    response = client.get(url("certificate_number", check))
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert not viewed_logs(check).exists()


def test_an_erased_number_says_when_it_was_erased(client, north, verifier):
    erased_at = datetime.datetime(2026, 3, 3, 4, tzinfo=datetime.UTC)
    check = check_in(north, certificate_number="", details_erased_at=erased_at)
    client.force_login(verifier)
    expected = "Erased on 3 March 2026, six months after the decision"
    assert expected in html(client.get(url("inspect", check)))
    response = client.post(url("certificate_number", check))
    assert expected in html(response)
    assert not viewed_logs(check).exists()


# --- create and edit go through the service ---


def edit_data(check, **changes):
    data = {
        "person": check.person.pk,
        "level": check.level,
        "issued_on": check.issued_on.isoformat(),
        "outcome": check.outcome,
        "recheck_due_on": "",
    }
    return {**data, **changes}


def test_recording_a_clear_check_takes_the_number_and_decides_it(client, north, host_staff):
    person = PersonFactory()
    MembershipFactory(person=person, partnership=north)
    client.force_login(host_staff)
    assert "certificate_number" in client.get(url("add")).context["form"].fields
    response = client.post(
        url("add"),
        {
            "person": person.pk,
            "level": DBSLevel.ENHANCED,
            "issued_on": "2025-01-31",
            "certificate_number": NUMBER,
            "outcome": DBSOutcome.CLEAR,
            "recheck_due_on": "",
        },
    )
    assert response.status_code == HTTPStatus.FOUND, response.context["form"].errors
    check = DBSCheck.objects.get(person=person)
    assert (check.certificate_number, check.recorded_by, check.decided_by) == (NUMBER, host_staff, host_staff)
    assert check.recheck_due_on == datetime.date(2028, 1, 31)
    assert ModelLogEntry.objects.for_instance(check).filter(action="wagtail.create").count() == 1


def test_editing_a_check_keeps_its_number(client, north, host_staff):
    check = check_in(north)
    client.force_login(host_staff)
    response = client.post(
        url("edit", check), edit_data(check, level=DBSLevel.STANDARD, certificate_number="1")
    )
    assert response.status_code == HTTPStatus.FOUND
    check.refresh_from_db()
    assert (check.level, check.certificate_number) == (DBSLevel.STANDARD, NUMBER)
    assert ModelLogEntry.objects.for_instance(check).filter(action="wagtail.edit").exists()


# --- the decision ---


def test_host_staff_record_a_decision_and_it_is_logged(client, north, host_staff):
    check = check_in(north, outcome=DBSOutcome.NEEDS_DECISION)
    client.force_login(host_staff)
    assert "Record the decision" in html(client.get(url("inspect", check)))
    response = client.post(url("decide", check), {"decision": DBSDecision.SUITABLE})
    assert response.status_code == HTTPStatus.FOUND
    check.refresh_from_db()
    assert (check.decision, check.decided_by) == (DBSDecision.SUITABLE, host_staff)
    entry = ModelLogEntry.objects.for_instance(check).get(action="members.dbs_decided")
    assert (entry.user, entry.data["decision"]) == (host_staff, "suitable")
    assert "Decided: Suitable for the role" in html(client.get(url("history", check)))


@pytest.mark.parametrize(
    "fields",
    [{"outcome": DBSOutcome.CLEAR}, {"outcome": DBSOutcome.NEEDS_DECISION, "decision": DBSDecision.SUITABLE}],
    ids=["clear", "decided already"],
)
def test_a_decision_is_refused_unless_one_is_awaited(client, north, host_staff, fields):
    check = check_in(north, **fields)
    client.force_login(host_staff)
    assert "Record the decision" not in html(client.get(url("inspect", check)))
    assert_denied(client.get(url("decide", check)))
    assert_denied(client.post(url("decide", check), {"decision": DBSDecision.NOT_SUITABLE}))
    assert not ModelLogEntry.objects.for_instance(check).filter(action="members.dbs_decided").exists()


# --- the listing ---


def test_the_listing_filters_what_awaits_a_decision_and_what_is_due(client, north, south, host_staff):
    waiting = check_in(north, outcome=DBSOutcome.NEEDS_DECISION)
    due = check_in(south, recheck_due_on=datetime.date(2026, 1, 1))
    later = check_in(south, recheck_due_on=datetime.date(2027, 1, 1), level=DBSLevel.BASIC)
    client.force_login(host_staff)

    def listed(**params):
        return {c.pk for c in client.get(url("index"), params).context["object_list"]}

    assert listed(awaiting_decision="true") == {waiting.pk}
    assert listed(recheck_due_before="2026-06-01") == {due.pk}
    assert listed(partnership=south.pk) == {due.pk, later.pk}
    assert listed(level=DBSLevel.BASIC) == {later.pk}
    assert listed(outcome=DBSOutcome.NEEDS_DECISION) == {waiting.pk}
    assert "Awaiting a decision" in html(client.get(url("index")))


def test_listing_queries_do_not_grow_with_rows(client, north, host_staff, django_assert_max_num_queries):
    client.force_login(host_staff)
    for _ in range(3):
        check_in(north)
    with django_assert_max_num_queries(60) as baseline:
        assert client.get(url("index")).status_code == HTTPStatus.OK
    for _ in range(25):
        check_in(north, outcome=DBSOutcome.NEEDS_DECISION)
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        assert client.get(url("index")).status_code == HTTPStatus.OK


def test_reading_dbs_checks_is_in_the_access_log(client, north, host_staff):
    check = check_in(north)
    client.force_login(host_staff)
    client.get(reverse("dbs_checks:index"), {"q": "Someone's name"})
    client.get(url("inspect", check))
    client.get(reverse("dbs_checks:index"), {"export": "csv"})
    logged = list(AccessLogEntry.objects.filter(user=host_staff).values_list("action", "object_id", "detail"))
    assert ("view", "", "listing") in logged
    assert ("view", str(check.pk), "inspect") in logged
    assert ("export", "", "export csv") in logged
    assert all("name" not in detail for _action, _id, detail in logged), "search words are not logged"

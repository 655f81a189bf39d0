"""The access log in the admin: read-only, and each role reads only entries about its own records."""

import datetime
from http import HTTPStatus

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from cms.access_log import entries_for
from cms.models import AccessLogEntry, BankHoliday
from members.enums import Role
from members.models import DBSCheck
from safeguarding.enums import CaseKind
from safeguarding.models import Case, CaseDocument, Concern, Escalation
from tests.factories import PersonFactory, UserFactory
from tests.members.test_partnership_views import assert_denied, assert_refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def grievance_manager(db):
    return UserFactory(username="grievances", role=Role.GRIEVANCE_MANAGER)


def entry(model, object_id="", *, user=None, action=AccessLogEntry.Action.VIEW, repr_="", detail=""):
    return AccessLogEntry.objects.create(
        user=user,
        action=action,
        content_type=ContentType.objects.get_for_model(model),
        object_id=str(object_id),
        object_repr=repr_,
        detail=detail,
    )


def make_case(partnership, reference, subject_user=None):
    subject = PersonFactory(email=subject_user.email) if subject_user else None
    return Case.objects.create(
        kind=CaseKind.COMPLAINT_AGAINST if subject_user else CaseKind.GRIEVANCE,
        partnership=partnership,
        reference=reference,
        raised_by_name="A parent",
        summary="Something went wrong",
        subject_person=subject,
        subject_user=subject_user,
    )


@pytest.fixture
def log(north, dsl, grievance_manager):
    about_manager = make_case(north, "GC-2", subject_user=grievance_manager)
    case = make_case(north, "GC-1")
    return {
        "concern": entry(Concern, 7, user=dsl, repr_="Concern 7"),
        "escalation": entry(Escalation, 3, user=dsl, repr_="Escalation 3"),
        "case": entry(Case, case.pk, user=grievance_manager, repr_="GC-1"),
        "case_listing": entry(Case, action=AccessLogEntry.Action.EXPORT, repr_="", detail="cases export"),
        "about_manager": entry(Case, about_manager.pk, user=dsl, repr_="GC-2"),
        "dbs": entry(DBSCheck, 5, user=dsl, repr_="DBS 5", detail="DBS certificate number"),
    }


def shown(entries):
    return set(entries)


def test_each_role_reads_entries_about_its_own_records(log, dsl, grievance_manager, superuser, host_staff):
    assert shown(entries_for(dsl)) == {log["concern"], log["escalation"]}
    # Never entries about a case the user may not see: here, one they are the subject of.
    assert shown(entries_for(grievance_manager)) == {log["case"], log["case_listing"]}
    assert shown(entries_for(superuser)) == set(log.values())
    assert not entries_for(host_staff).exists()


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [("dsl", {"Concern 7", "Escalation 3"}), ("grievance_manager", {"GC-1", ""}), ("superuser", None)],
)
def test_listing_shows_only_the_users_entries(client, request, log, fixture, expected):
    client.force_login(request.getfixturevalue(fixture))
    response = client.get(reverse("access_log:index"))
    assert response.status_code == HTTPStatus.OK
    listed = {e.object_repr for e in response.context["object_list"]}
    assert listed == (expected if expected is not None else {e.object_repr for e in log.values()})


@pytest.mark.parametrize(
    "fixture", ["host_staff", "north_lead", "north_commissioner", "no_role_user", "case_handler"]
)
def test_roles_without_the_permission_are_refused(client, request, log, fixture):
    client.force_login(request.getfixturevalue(fixture))
    assert_denied(client.get(reverse("access_log:index")))
    assert_refused(client.get(reverse("access_log:inspect", args=[log["concern"].pk])))


def test_inspect_of_an_entry_outside_the_users_scope_is_404(client, log, dsl, grievance_manager):
    client.force_login(dsl)
    assert client.get(reverse("access_log:inspect", args=[log["concern"].pk])).status_code == HTTPStatus.OK
    assert (
        client.get(reverse("access_log:inspect", args=[log["case"].pk])).status_code == HTTPStatus.NOT_FOUND
    )
    client.force_login(grievance_manager)
    response = client.get(reverse("access_log:inspect", args=[log["about_manager"].pk]))
    assert response.status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("view", ["add", "edit", "delete", "copy", "history", "usage"])
def test_there_is_no_view_that_changes_the_log(view):
    with pytest.raises(NoReverseMatch):
        reverse(f"access_log:{view}", args=[] if view == "add" else [1])


def test_superuser_is_offered_no_add_or_edit(client, log, superuser):
    client.force_login(superuser)
    html = client.get(reverse("access_log:index")).content.decode()
    assert "/admin/access_log/new/" not in html
    assert "/admin/access_log/edit/" not in html
    inspect = client.get(reverse("access_log:inspect", args=[log["dbs"].pk]))
    assert inspect.status_code == HTTPStatus.OK


def test_filters_by_user_action_record_type_and_date(client, log, superuser, dsl):
    old = entry(Concern, 9, user=superuser, repr_="Old one")
    # The model refuses changes (and `at` is set on insert), so age this one by SQL.
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AccessLogEntry._meta.db_table} SET at = %s WHERE id = %s",
            [timezone.now() - datetime.timedelta(days=400), old.pk],
        )
    client.force_login(superuser)
    url = reverse("access_log:index")

    def listed(params):
        return {e.object_repr for e in client.get(url, params).context["object_list"]}

    assert listed({"user": dsl.pk}) == {"Concern 7", "Escalation 3", "GC-2", "DBS 5"}
    assert listed({"action": AccessLogEntry.Action.EXPORT}) == {""}
    assert listed({"content_type": ContentType.objects.get_for_model(Concern).pk}) == {"Concern 7", "Old one"}
    since = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()
    assert "Old one" not in listed({"at_from": since})
    assert listed({"at_to": (timezone.localdate() - datetime.timedelta(days=300)).isoformat()}) == {"Old one"}


def test_filter_choices_offer_only_what_the_user_may_read(client, log, dsl):
    client.force_login(dsl)
    form = client.get(reverse("access_log:index")).context["filters"].form
    offered_types = {ct.model_class() for ct in form.fields["content_type"].queryset}
    assert offered_types == {Concern, Escalation}
    assert set(form.fields["user"].queryset) == {dsl}


def test_export_is_formula_safe_scoped_and_itself_logged(client, dsl):
    entry(Concern, 1, user=dsl, repr_='=HYPERLINK("http://evil")')
    entry(Case, 1, repr_="GC-secret")
    client.force_login(dsl)
    response = client.get(reverse("access_log:index"), {"export": "csv"})
    assert response.status_code == HTTPStatus.OK
    body = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    assert "'=HYPERLINK" in body or "\"'=HYPERLINK" in body
    assert "GC-secret" not in body
    logged = AccessLogEntry.objects.filter(action=AccessLogEntry.Action.EXPORT, user=dsl).get()
    assert logged.content_type == ContentType.objects.get_for_model(AccessLogEntry)


def test_listing_query_count_does_not_grow_with_rows(client, superuser, dsl, django_assert_max_num_queries):
    for number in range(20):
        entry(Concern, number, user=dsl, repr_=f"Concern {number}")
        entry(CaseDocument, number, user=superuser, repr_=f"Doc {number}")
    client.force_login(superuser)
    client.get(reverse("access_log:index"))
    with django_assert_max_num_queries(20):
        assert client.get(reverse("access_log:index")).status_code == HTTPStatus.OK


# --- Bank holidays -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "allowed"),
    [("host_staff", True), ("dsl", False), ("north_lead", False), ("no_role_user", False)],
)
def test_host_staff_keep_the_bank_holidays(client, request, fixture, allowed):
    client.force_login(request.getfixturevalue(fixture))
    listing = client.get(reverse("bank_holidays:index"))
    response = client.post(reverse("bank_holidays:add"), {"date": "2031-12-25", "name": "Christmas Day"})
    added = BankHoliday.objects.filter(date=datetime.date(2031, 12, 25)).exists()
    if allowed:
        assert listing.status_code == HTTPStatus.OK
        assert response.status_code == HTTPStatus.FOUND
        assert added
    else:
        assert_denied(listing)
        assert_denied(response)
        assert not added


def test_a_bank_holiday_date_is_entered_once(client, host_staff):
    BankHoliday.objects.get_or_create(date=datetime.date(2031, 1, 1), defaults={"name": "New Year's Day"})
    client.force_login(host_staff)
    response = client.post(reverse("bank_holidays:add"), {"date": "2031-01-01", "name": "Again"})
    assert response.status_code == HTTPStatus.OK
    assert "date" in response.context["form"].errors

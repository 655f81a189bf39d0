"""Who can and cannot reach each grievance or complaint, through every admin door.

The handler and the grievance managers see a case; its subject (even holding the
grievance role), the leads of its MNVP and of others, host staff without the role,
ICB commissioners and DSLs never do: not in the listing, its search, any object URL,
a step, a document download or an export. Reads, changes and downloads are logged.
"""

from http import HTTPStatus

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cms.models import AccessLogEntry
from members.enums import Role
from safeguarding.enums import CaseKind, CaseOutcome, CaseStage
from safeguarding.models import Case, CaseDocument
from safeguarding.services import cases as services
from tests.factories import CaseFactory, PersonFactory, UserFactory, handled_by
from tests.members.test_partnership_views import assert_refused

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n" + b"case document body" * 10
SUMMARY = "Shouted at a volunteer during the listening event"
OBJECT_VIEWS = ["inspect", "edit", "history", "usage", "delete", "assign", "attach_document", "acknowledge"]


def grievance_user(username):
    user = UserFactory(username=username, role=Role.GRIEVANCE_MANAGER)
    user.groups.add(*UserFactory(username=f"{username}-host", role=Role.HOST_STAFF).groups.all())
    return user


@pytest.fixture
def grievance_manager(db):
    return grievance_user("grievance")


@pytest.fixture
def subject_manager(db):
    """A grievance manager who is the subject of the complaint: still never sees it."""
    return grievance_user("subject.manager")


@pytest.fixture
def case(north, case_handler, subject_manager, grievance_manager):
    case = CaseFactory(
        partnership=north,
        kind=CaseKind.COMPLAINT_AGAINST,
        subject_person=PersonFactory(email=subject_manager.email),
        subject_user=subject_manager,
        summary=SUMMARY,
        raised_by_name="Robin Marsh",
    )
    handled_by(case, case_handler)
    services.attach_document(
        case=case,
        title="Statement",
        file=SimpleUploadedFile("statement.pdf", PDF),
        acting_user=grievance_manager,
    )
    return case


def url(name, case=None, **extra):
    args = [case.pk, *extra.values()] if case else []
    return reverse(f"cases:{name}", args=args)


def document_url(case):
    return url("document", case, document_pk=case.documents.get().pk)


def log_count(case, action):
    return AccessLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Case), object_id=str(case.pk), action=action
    ).count()


OUTSIDERS = ["subject_manager", "north_lead", "south_lead", "host_staff", "north_commissioner", "dsl"]
INSIDERS = ["case_handler", "grievance_manager"]


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_never_reach_the_case(client, case, request, who):
    user = request.getfixturevalue(who)
    client.force_login(user)

    listing = client.get(url("index"))
    if listing.status_code == HTTPStatus.OK:  # the subject holds the grievance role
        assert case.reference.encode() not in listing.content
    else:
        assert_refused(listing)
    # The search box repeats the words searched for, so look for the case's link and name.
    inspect_link = url("inspect", case).encode()
    for params in ({"q": case.reference}, {"q": "Robin"}, {"partnership": case.partnership_id}):
        for view in ("index", "index_results"):
            response = client.get(url(view), params)
            assert inspect_link not in response.content
            assert b"Robin Marsh" not in response.content

    assert client.get(url("inspect", case)).status_code == HTTPStatus.NOT_FOUND
    for view in OBJECT_VIEWS:
        response = client.get(url(view, case))
        assert_refused(response)  # 404, or a denial without looking the case up
        assert SUMMARY.encode() not in response.content
    assert client.post(url("acknowledge", case), {"note": "x"}).status_code == HTTPStatus.NOT_FOUND
    assert client.get(document_url(case)).status_code == HTTPStatus.NOT_FOUND

    case.refresh_from_db()
    assert case.stage == CaseStage.RECEIVED
    assert log_count(case, "view") == log_count(case, "download") == 0


@pytest.mark.parametrize("who", INSIDERS)
def test_the_handler_and_grievance_managers_see_and_read_it_logged(client, case, request, who):
    user = request.getfixturevalue(who)
    client.force_login(user)

    listing = client.get(url("index"))
    assert listing.status_code == HTTPStatus.OK
    assert case.reference.encode() in listing.content
    assert AccessLogEntry.objects.filter(
        user=user, action="view", object_id="", detail="listing: 1 cases"
    ).exists()

    inspect = client.get(url("inspect", case))
    assert inspect.status_code == HTTPStatus.OK
    assert SUMMARY.encode() in inspect.content
    assert b"Statement" in inspect.content
    assert log_count(case, "view") == 1

    download = client.get(document_url(case))
    assert download.status_code == HTTPStatus.OK
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment")
    assert "no-store" in download["Cache-Control"]
    assert log_count(case, "download") == 1


@pytest.mark.parametrize("who", [*INSIDERS, *OUTSIDERS])
def test_nobody_exports_cases(client, case, request, who):
    client.force_login(request.getfixturevalue(who))
    for export_format in ("csv", "xlsx"):
        response = client.get(url("index"), {"export": export_format})
        assert response.status_code in (HTTPStatus.FORBIDDEN, HTTPStatus.FOUND, HTTPStatus.NOT_FOUND)
        assert "csv" not in response.get("Content-Type", "")
        assert "spreadsheet" not in response.get("Content-Type", "")
        assert case.reference.encode() not in response.content
    assert log_count(case, "export") == 0


def test_the_listing_offers_no_export_buttons(client, case, grievance_manager):
    client.force_login(grievance_manager)
    response = client.get(url("index"))
    assert b"export=csv" not in response.content
    assert b"export=xlsx" not in response.content


def test_search_reads_the_reference_and_name_never_the_narrative(client, case, grievance_manager):
    client.force_login(grievance_manager)
    assert case.reference.encode() in client.get(url("index"), {"q": case.reference}).content
    assert case.reference.encode() in client.get(url("index"), {"q": "Marsh"}).content
    assert case.reference.encode() not in client.get(url("index"), {"q": "listening"}).content
    assert AccessLogEntry.objects.filter(user=grievance_manager, action="search").exists()


def test_filters_by_kind_stage_mnvp_and_overdue(client, north, south, grievance_manager):
    from django.utils import timezone

    late = CaseFactory(partnership=north, stage_due_at=timezone.now() - timezone.timedelta(days=1))
    public = CaseFactory(partnership=south, kind=CaseKind.COMPLAINT_PUBLIC, stage=CaseStage.ACKNOWLEDGED)
    client.force_login(grievance_manager)

    def found(**params):
        content = client.get(url("index"), params).content
        return {c.reference for c in (late, public) if c.reference.encode() in content}

    assert found(kind=CaseKind.COMPLAINT_PUBLIC) == {public.reference}
    assert found(stage=CaseStage.ACKNOWLEDGED) == {public.reference}
    assert found(partnership=north.pk) == {late.reference}
    assert found(overdue="true") == {late.reference}


def test_a_handler_sees_only_their_own_cases(client, north, south, case_handler):
    mine = handled_by(CaseFactory(partnership=south), case_handler)
    other = CaseFactory(partnership=north)
    client.force_login(case_handler)
    content = client.get(url("index")).content
    assert mine.reference.encode() in content
    assert other.reference.encode() not in content
    assert client.get(url("inspect", other)).status_code == HTTPStatus.NOT_FOUND


def test_the_listing_costs_the_same_for_3_or_12_cases(client, north, grievance_manager, case_handler):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("index")).status_code == HTTPStatus.OK
        return len(queries)

    client.force_login(case_handler)
    for _ in range(3):
        handled_by(CaseFactory(partnership=north), case_handler)
    few = count()
    for _ in range(9):
        handled_by(CaseFactory(partnership=north), case_handler)
    assert count() == few


def test_menu_shows_to_case_roles_only(client, case, case_handler, host_staff, dsl):
    home = reverse("wagtailadmin_home")
    for user, shown in ((case_handler, True), (host_staff, False), (dsl, False)):
        client.force_login(user)
        assert (url("index") in client.get(home).content.decode()) is shown


# Creating, moving, assigning, documents through the screens ---------------------------


def test_a_grievance_manager_opens_a_case_and_the_form_points_allegations_elsewhere(
    client, north, grievance_manager
):
    client.force_login(grievance_manager)
    form = client.get(url("add"))
    assert form.status_code == HTTPStatus.OK
    assert b"safeguarding allegation" in form.content
    response = client.post(
        url("add"),
        {
            "kind": CaseKind.GRIEVANCE,
            "partnership": north.pk,
            "received_at": "2026-03-02 09:00",
            "raised_by_name": "Kim Lee",
            "summary": "Expenses repeatedly paid late",
        },
    )
    case = Case.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == url("inspect", case)
    assert case.reference.startswith("GC-")
    assert case.stage_changes.get().by == grievance_manager


def test_a_complaint_against_nobody_is_refused_on_the_form(client, north, grievance_manager):
    client.force_login(grievance_manager)
    response = client.post(
        url("add"),
        {
            "kind": CaseKind.COMPLAINT_AGAINST,
            "partnership": north.pk,
            "received_at": "2026-03-02 09:00",
            "raised_by_name": "Kim Lee",
            "summary": "x",
        },
    )
    assert response.status_code == HTTPStatus.OK
    assert not Case.objects.exists()


@pytest.mark.parametrize("who", ["case_handler", "host_staff", "north_lead", "dsl"])
def test_only_the_grievance_role_opens_cases(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert_refused(client.get(url("add")))


def test_the_handler_moves_the_case_through_its_steps(client, case, case_handler):
    client.force_login(case_handler)
    assert client.get(url("acknowledge", case)).status_code == HTTPStatus.OK
    assert client.post(url("acknowledge", case), {"note": "Letter sent"}).status_code == HTTPStatus.FOUND
    client.post(url("start_investigation", case), {"note": ""})
    response = client.post(url("record_outcome", case), {"outcome": CaseOutcome.NOT_UPHELD, "reasons": ""})
    assert response.status_code == HTTPStatus.OK  # reasons are required
    client.post(url("record_outcome", case), {"outcome": CaseOutcome.NOT_UPHELD, "reasons": "No evidence"})
    case.refresh_from_db()
    assert case.stage == CaseStage.OUTCOME
    assert case.outcome_reasons == "No evidence"
    # A step out of turn: refused with a message, nothing moves.
    response = client.post(url("acknowledge", case), {"note": ""})
    assert response.status_code == HTTPStatus.OK
    assert b"not possible while the case is" in response.content
    case.refresh_from_db()
    assert case.stage == CaseStage.OUTCOME


def test_assigning_through_the_screen_needs_the_assign_permission(
    client, case, case_handler, grievance_manager, subject_manager
):
    other = UserFactory(username="handler2", role=Role.CASE_HANDLER)
    client.force_login(case_handler)
    assert_refused(client.get(url("assign", case)))

    client.force_login(grievance_manager)
    form = client.get(url("assign", case))
    assert subject_manager.username.encode() not in form.content  # the subject is never offered
    assert client.post(url("assign", case), {"handler": other.pk}).status_code == HTTPStatus.FOUND
    assert client.post(url("assign", case), {"handler": subject_manager.pk}).status_code == HTTPStatus.OK
    case.refresh_from_db()
    assert case.handler == other


def test_documents_upload_through_the_screen_with_type_checks(client, case, case_handler):
    client.force_login(case_handler)
    bad = client.post(
        url("attach_document", case),
        {"title": "Fake", "file": SimpleUploadedFile("fake.pdf", b"MZ\x90\x00binary")},
    )
    assert bad.status_code == HTTPStatus.OK
    assert b"not those of a .pdf" in bad.content
    good = client.post(
        url("attach_document", case),
        {"title": "Reply", "file": SimpleUploadedFile("reply.txt", b"Thank you for your letter.")},
    )
    assert good.status_code == HTTPStatus.FOUND
    assert CaseDocument.objects.filter(case=case, title="Reply").exists()


def test_editing_logs_the_read_and_the_change(client, case, grievance_manager):
    client.force_login(grievance_manager)
    assert client.get(url("edit", case)).status_code == HTTPStatus.OK
    assert log_count(case, "view") == 1
    changes = log_count(case, "change")
    data = {
        "kind": case.kind,
        "partnership": case.partnership_id,
        "received_at": "2026-03-02 09:00",
        "raised_by_name": "Robin Marsh",
        "raised_by_contact": "01234 567890",
        "subject_person": case.subject_person_id,
        "subject_user": case.subject_user_id,
        "summary": SUMMARY,
    }
    assert client.post(url("edit", case), data).status_code == HTTPStatus.FOUND
    case.refresh_from_db()
    assert case.raised_by_contact == "01234 567890"
    assert log_count(case, "change") == changes + 1


def test_nobody_deletes_a_case(client, case, grievance_manager):
    client.force_login(grievance_manager)
    assert_refused(client.post(url("delete", case)))
    assert Case.objects.filter(pk=case.pk).exists()

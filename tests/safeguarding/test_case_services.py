"""Grievance and complaint services: a case from receipt to closure, and every refusal."""

import datetime
from contextlib import contextmanager
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from cms.models import AccessLogEntry, BankHoliday
from members.enums import Role
from members.models import User
from safeguarding.enums import CaseKind, CaseOutcome, CaseStage
from safeguarding.models import Case, CaseDocument, CaseSettings
from safeguarding.permissions import cases_for, user_can_case
from safeguarding.services import cases as services
from tests.factories import CaseFactory, PersonFactory, UserFactory, handled_by

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def london(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=LONDON)


@contextmanager
def at(moment: datetime.datetime):
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


@pytest.fixture
def grievance_manager(db):
    user = UserFactory(username="grievance", role=Role.GRIEVANCE_MANAGER)
    user.groups.add(*UserFactory(username="host-template", role=Role.HOST_STAFF).groups.all())
    return user


def new_case(north, **kwargs) -> Case:
    fields = {
        "kind": CaseKind.GRIEVANCE,
        "partnership": north,
        "raised_by_name": "Alex Rowe",
        "summary": "Left out of planning meetings after raising a concern about outreach",
    }
    return Case(**{**fields, **kwargs})


def log_rows(case, action=None):
    rows = AccessLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Case), object_id=str(case.pk)
    )
    return rows.filter(action=action) if action else rows


# Opening ----------------------------------------------------------------------------


def test_open_case_numbers_by_year_and_sets_the_acknowledgement_deadline(north, grievance_manager):
    BankHoliday.objects.get_or_create(
        date=datetime.date(2026, 5, 4), defaults={"name": "Early May bank holiday"}
    )
    friday = london(2026, 5, 1, 10, 0)  # before a bank holiday Monday
    with at(friday):
        first = services.open_case(case=new_case(north, received_at=friday), acting_user=grievance_manager)
        second = services.open_case(case=new_case(north, received_at=friday), acting_user=grievance_manager)

    assert (first.reference, second.reference) == ("GC-2026-0001", "GC-2026-0002")
    assert first.stage == CaseStage.RECEIVED
    # 5 working days: Tue 5, Wed 6, Thu 7, Fri 8, Mon 11 (the weekends and 4 May skipped).
    assert first.stage_due_at == london(2026, 5, 11, 10, 0)
    change = first.stage_changes.get()
    assert (change.from_stage, change.to_stage, change.by) == ("", CaseStage.RECEIVED, grievance_manager)
    assert log_rows(first, AccessLogEntry.Action.CREATE).get().user == grievance_manager


def test_acknowledgement_limit_comes_from_the_settings(north, grievance_manager):
    limits = CaseSettings.load()
    limits.acknowledge_working_days = 1
    limits.save()
    friday = london(2026, 3, 6, 16, 0)
    with at(friday):
        case = services.open_case(case=new_case(north, received_at=friday), acting_user=grievance_manager)
    assert case.stage_due_at == london(2026, 3, 9, 16, 0)  # Monday


def test_open_case_refuses_a_complaint_against_nobody(north, grievance_manager):
    with pytest.raises(ValidationError) as error:
        services.open_case(
            case=new_case(north, kind=CaseKind.COMPLAINT_AGAINST), acting_user=grievance_manager
        )
    assert "who it is about" in str(error.value)
    assert not Case.objects.exists()


def test_open_case_refuses_a_date_in_the_future(north, grievance_manager):
    with at(london(2026, 3, 2, 9, 0)), pytest.raises(ValidationError) as error:
        services.open_case(
            case=new_case(north, received_at=london(2026, 3, 3, 9, 0)), acting_user=grievance_manager
        )
    assert "received_at" in error.value.message_dict


def test_open_case_needs_the_grievance_role(north, host_staff, case_handler, north_lead):
    for user in (host_staff, case_handler, north_lead):
        with pytest.raises(PermissionDenied):
            services.open_case(case=new_case(north), acting_user=user)


def test_the_subject_is_matched_to_their_login_by_email(north, north_lead, grievance_manager):
    subject = PersonFactory(email=north_lead.email.upper())
    case = services.open_case(
        case=new_case(north, kind=CaseKind.COMPLAINT_AGAINST, subject_person=subject),
        acting_user=grievance_manager,
    )
    assert case.subject_user == north_lead
    assert not cases_for(north_lead).exists()


def test_a_grievance_manager_cannot_open_a_complaint_about_themselves(north, grievance_manager):
    subject = PersonFactory(email=grievance_manager.email)
    with pytest.raises(ValidationError, match="another grievance manager"):
        services.open_case(
            case=new_case(north, kind=CaseKind.COMPLAINT_AGAINST, subject_person=subject),
            acting_user=grievance_manager,
        )


# A grievance through every stage ------------------------------------------------------


def test_a_grievance_from_receipt_through_appeal_to_closure(north, grievance_manager, case_handler):
    BankHoliday.objects.get_or_create(
        date=datetime.date(2026, 5, 25), defaults={"name": "Spring bank holiday"}
    )
    monday = london(2026, 5, 11, 9, 30)
    with at(monday):
        case = services.open_case(case=new_case(north, received_at=monday), acting_user=grievance_manager)
        services.assign_handler(case=case, handler=case_handler, acting_user=grievance_manager)
    assert user_can_case(case_handler, "change", case)

    with at(london(2026, 5, 12, 11, 0)):  # Tuesday
        services.acknowledge(case=case, acting_user=case_handler, note="Letter sent")
    assert case.stage == CaseStage.ACKNOWLEDGED
    # 20 working days from Tue 12 May, skipping 25 May: Wed 10 June.
    assert case.stage_due_at == london(2026, 6, 10, 11, 0)

    with at(london(2026, 5, 13, 9, 0)):
        services.start_investigation(case=case, acting_user=case_handler)
    assert (case.stage, case.stage_due_at) == (CaseStage.INVESTIGATING, london(2026, 6, 10, 11, 0))

    with at(london(2026, 6, 5, 15, 0)):  # Friday
        services.record_outcome(
            case=case,
            outcome=CaseOutcome.PARTLY_UPHELD,
            reasons="Meetings were moved without notice; no exclusion was intended.",
            acting_user=case_handler,
        )
    assert case.stage == CaseStage.OUTCOME
    assert case.outcome_reasons.startswith("Meetings were moved")
    assert case.stage_due_at == london(2026, 6, 19, 15, 0)  # appeal window: 10 working days

    with at(london(2026, 6, 19, 17, 45)):  # the window's last day, after the hour of the outcome
        services.lodge_appeal(case=case, reasons="The exclusion continued.", acting_user=case_handler)
    assert case.stage == CaseStage.APPEAL
    assert case.stage_due_at == london(2026, 7, 17, 17, 45)  # 20 working days

    with at(london(2026, 7, 1, 10, 0)):
        services.decide_appeal(
            case=case,
            outcome=CaseOutcome.UPHELD,
            reasons="Further evidence showed the exclusion continued.",
            acting_user=grievance_manager,
        )
    case.refresh_from_db()
    assert case.stage == CaseStage.CLOSED
    assert case.closed_at == london(2026, 7, 1, 10, 0)
    assert case.stage_due_at is None
    assert case.appeal_outcome == CaseOutcome.UPHELD

    history = list(case.stage_changes.values_list("from_stage", "to_stage", "by__username"))
    assert history == [
        ("", "received", "grievance"),
        ("received", "acknowledged", "handler"),
        ("acknowledged", "investigating", "handler"),
        ("investigating", "outcome", "handler"),
        ("outcome", "appeal", "handler"),
        ("appeal", "closed", "grievance"),
    ]
    assert case.stage_changes.get(to_stage="acknowledged").note == "Letter sent"
    # Created, assigned, five moves: each a change in the access log, in the same transactions.
    assert log_rows(case, AccessLogEntry.Action.CHANGE).count() == 6


def outcome_case(north, handler, when) -> Case:
    case = CaseFactory(partnership=north, stage=CaseStage.INVESTIGATING)
    handled_by(case, handler)
    with at(when):
        services.record_outcome(
            case=case, outcome=CaseOutcome.NOT_UPHELD, reasons="No evidence", acting_user=handler
        )
    return case


def test_an_appeal_after_the_window_is_refused(north, case_handler):
    case = outcome_case(north, case_handler, london(2026, 6, 5, 15, 0))
    with at(london(2026, 6, 22, 9, 0)), pytest.raises(ValidationError) as error:
        services.lodge_appeal(case=case, reasons="Late", acting_user=case_handler)
    assert "closed on 19 June 2026" in error.value.message_dict["lodged_at"][0]
    case.refresh_from_db()
    assert case.stage == CaseStage.OUTCOME


def test_an_appeal_received_in_time_may_be_recorded_later(north, case_handler):
    case = outcome_case(north, case_handler, london(2026, 6, 5, 15, 0))
    with at(london(2026, 6, 23, 9, 0)):
        services.lodge_appeal(
            case=case,
            reasons="Posted on time",
            lodged_at=london(2026, 6, 18, 12, 0),
            acting_user=case_handler,
        )
    assert case.stage == CaseStage.APPEAL


def test_an_appeal_cannot_come_before_its_outcome_or_in_the_future(north, case_handler):
    case = outcome_case(north, case_handler, london(2026, 6, 5, 15, 0))
    with at(london(2026, 6, 8, 9, 0)):
        for lodged_at in (london(2026, 6, 4, 9, 0), london(2026, 6, 9, 9, 0)):
            with pytest.raises(ValidationError) as error:
                services.lodge_appeal(case=case, reasons="x", lodged_at=lodged_at, acting_user=case_handler)
            assert "lodged_at" in error.value.message_dict


@pytest.mark.parametrize(
    ("stage", "step"),
    [
        (CaseStage.RECEIVED, "start_investigation"),
        (CaseStage.RECEIVED, "record_outcome"),
        (CaseStage.ACKNOWLEDGED, "acknowledge"),
        (CaseStage.INVESTIGATING, "lodge_appeal"),
        (CaseStage.OUTCOME, "decide_appeal"),
        (CaseStage.APPEAL, "close"),
        (CaseStage.CLOSED, "acknowledge"),
        (CaseStage.CLOSED, "lodge_appeal"),
    ],
)
def test_a_step_out_of_turn_is_refused(north, case_handler, stage, step):
    case = CaseFactory(partnership=north, stage=stage)
    handled_by(case, case_handler)
    arguments = {
        "record_outcome": {"outcome": CaseOutcome.UPHELD, "reasons": "r"},
        "lodge_appeal": {"reasons": "r"},
        "decide_appeal": {"outcome": CaseOutcome.UPHELD, "reasons": "r"},
        "close": {"note": "n"},
    }.get(step, {})
    with pytest.raises(ValidationError, match="not possible while the case is"):
        getattr(services, step)(case=case, acting_user=case_handler, **arguments)
    case.refresh_from_db()
    assert case.stage == stage
    assert not case.stage_changes.exists()
    assert not log_rows(case).exists()


def test_an_outcome_needs_reasons_and_a_decision(north, case_handler):
    case = CaseFactory(partnership=north, stage=CaseStage.INVESTIGATING)
    handled_by(case, case_handler)
    with pytest.raises(ValidationError) as error:
        services.record_outcome(case=case, outcome=CaseOutcome.UPHELD, reasons="  ", acting_user=case_handler)
    assert "reasons" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.record_outcome(
            case=case, outcome=CaseOutcome.WITHDRAWN, reasons="r", acting_user=case_handler
        )
    assert "outcome" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.lodge_appeal(case=case, reasons="", acting_user=case_handler)


def test_closing_inside_the_appeal_window_needs_a_reason(north, case_handler):
    case = outcome_case(north, case_handler, london(2026, 6, 5, 15, 0))
    with at(london(2026, 6, 8, 9, 0)):
        with pytest.raises(ValidationError) as error:
            services.close(case=case, acting_user=case_handler)
        assert "19 June 2026" in error.value.message_dict["note"][0]
        services.close(case=case, acting_user=case_handler, note="They said they will not appeal.")
    assert case.stage == CaseStage.CLOSED


def test_closing_after_the_appeal_window_needs_no_note(north, case_handler):
    case = outcome_case(north, case_handler, london(2026, 6, 5, 15, 0))
    with at(london(2026, 6, 22, 9, 0)):
        services.close(case=case, acting_user=case_handler)
    assert case.stage == CaseStage.CLOSED
    assert case.outcome == CaseOutcome.NOT_UPHELD


def test_a_withdrawal_closes_with_its_reason(north, case_handler):
    case = CaseFactory(partnership=north, stage=CaseStage.ACKNOWLEDGED)
    handled_by(case, case_handler)
    with pytest.raises(ValidationError) as error:
        services.close(case=case, acting_user=case_handler)
    assert "withdrawn" in error.value.message_dict["note"][0]
    services.close(case=case, acting_user=case_handler, note="Resolved informally")
    assert (case.stage, case.outcome, case.outcome_reasons) == (
        CaseStage.CLOSED,
        CaseOutcome.WITHDRAWN,
        "Resolved informally",
    )


@pytest.mark.parametrize("step", ["acknowledge", "close"])
def test_only_someone_who_may_change_the_case_moves_it(north, north_lead, host_staff, dsl, step):
    case = CaseFactory(partnership=north)
    for user in (north_lead, host_staff, dsl):
        with pytest.raises(PermissionDenied):
            getattr(services, step)(case=case, acting_user=user, note="n")
    assert not case.stage_changes.exists()


# Assigning a handler ------------------------------------------------------------------


def test_assigning_grants_access_and_reassigning_takes_it_away(north, grievance_manager, case_handler):
    other = UserFactory(username="handler2", role=Role.CASE_HANDLER)
    case = CaseFactory(partnership=north)
    services.assign_handler(case=case, handler=case_handler, acting_user=grievance_manager)
    assert list(cases_for(case_handler)) == [case]

    services.assign_handler(case=case, handler=other, acting_user=grievance_manager)
    assert not cases_for(case_handler).exists()
    assert list(cases_for(other, "change")) == [case]
    details = list(log_rows(case, AccessLogEntry.Action.CHANGE).values_list("detail", "user__username"))
    assert ("handler assigned: handler2 (was handler)", "grievance") in details


def test_the_subject_can_never_be_assigned(north, grievance_manager, north_lead):
    case = CaseFactory(partnership=north, complaint_against=True, subject_user=north_lead)
    with pytest.raises(ValidationError) as error:
        services.assign_handler(case=case, handler=north_lead, acting_user=grievance_manager)
    assert "subject of this complaint" in error.value.message_dict["handler"][0]
    assert not cases_for(north_lead).exists()


def test_the_subject_matched_by_email_can_never_be_assigned(north, grievance_manager, case_handler):
    case = CaseFactory(partnership=north, complaint_against=True)
    case.subject_person.email = case_handler.email
    case.subject_person.save()
    with pytest.raises(ValidationError, match="subject"):
        services.assign_handler(case=case, handler=case_handler, acting_user=grievance_manager)


def test_assigning_is_refused_without_the_permission_or_to_the_unsuitable(
    north, grievance_manager, case_handler, no_role_user, host_staff
):
    case = CaseFactory(partnership=north)
    handled_by(case, case_handler)
    with pytest.raises(PermissionDenied):  # a handler may not hand the case on
        services.assign_handler(case=case, handler=host_staff, acting_user=case_handler)
    for handler, message in [
        (no_role_user, "active admin login"),
        (case_handler, "handles this case already"),
    ]:
        with pytest.raises(ValidationError, match=message):
            services.assign_handler(case=case, handler=handler, acting_user=grievance_manager)
    closed = CaseFactory(partnership=north, stage=CaseStage.CLOSED)
    with pytest.raises(ValidationError, match="closed"):
        services.assign_handler(case=closed, handler=case_handler, acting_user=grievance_manager)


def test_a_grievance_manager_who_is_the_subject_cannot_assign_or_see(north, grievance_manager, case_handler):
    case = CaseFactory(partnership=north, complaint_against=True, subject_user=grievance_manager)
    assert not user_can_case(grievance_manager, "view", case)
    with pytest.raises(PermissionDenied):
        services.assign_handler(case=case, handler=case_handler, acting_user=grievance_manager)


def test_naming_the_handler_as_subject_is_refused(north, grievance_manager, case_handler):
    case = CaseFactory(partnership=north, kind=CaseKind.COMPLAINT_AGAINST, subject_person=PersonFactory())
    handled_by(case, case_handler)
    case.subject_user = case_handler
    with pytest.raises(ValidationError):
        services.update_case(case=case, acting_user=grievance_manager, changed=["subject_user"])


# Documents -----------------------------------------------------------------------------


PDF = b"%PDF-1.7\n" + b"x" * 100


def test_a_document_is_attached_and_logged(north, case_handler):
    case = CaseFactory(partnership=north)
    handled_by(case, case_handler)
    document = services.attach_document(
        case=case, title="Letter", file=SimpleUploadedFile("letter.pdf", PDF), acting_user=case_handler
    )
    assert document.file.name.startswith("cases/")
    assert log_rows(case, AccessLogEntry.Action.CHANGE).get().detail == f"document #{document.pk} attached"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tool.exe", b"MZ" + b"\0" * 10, "extension"),
        ("letter.pdf", b"MZ\x90\x00 not a pdf", "contents are not those of a .pdf"),
        ("photo.png", b"%PDF-1.4", "contents are not those of a .png"),
        ("notes.txt", b"abc\x00def", "not a .txt text file"),
    ],
)
def test_documents_of_the_wrong_type_are_refused(north, case_handler, name, content, message):
    case = CaseFactory(partnership=north)
    handled_by(case, case_handler)
    with pytest.raises(ValidationError, match=message):
        services.attach_document(
            case=case, title="x", file=SimpleUploadedFile(name, content), acting_user=case_handler
        )
    assert not CaseDocument.objects.exists()


def test_a_document_over_10_mb_is_refused(north, case_handler):
    case = CaseFactory(partnership=north)
    handled_by(case, case_handler)
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError, match="10 MB or less"):
        services.attach_document(case=case, title="Big", file=big, acting_user=case_handler)


def test_only_someone_who_may_change_the_case_attaches(north, north_lead):
    case = CaseFactory(partnership=north)
    with pytest.raises(PermissionDenied):
        services.attach_document(
            case=case, title="x", file=SimpleUploadedFile("a.pdf", PDF), acting_user=north_lead
        )


# Encryption at rest ---------------------------------------------------------------------


def test_narrative_columns_hold_no_plain_text(north, grievance_manager, case_handler):
    case = services.open_case(
        case=new_case(north, summary="SECRET-SUMMARY words"), acting_user=grievance_manager
    )
    services.assign_handler(case=case, handler=case_handler, acting_user=grievance_manager)
    services.acknowledge(case=case, acting_user=case_handler, note="SECRET-NOTE")
    services.start_investigation(case=case, acting_user=case_handler)
    services.record_outcome(
        case=case, outcome=CaseOutcome.UPHELD, reasons="SECRET-REASONS", acting_user=case_handler
    )
    services.lodge_appeal(case=case, reasons="SECRET-APPEAL", acting_user=case_handler)
    services.decide_appeal(
        case=case, outcome=CaseOutcome.UPHELD, reasons="SECRET-DECISION", acting_user=case_handler
    )

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT summary, outcome_reasons, appeal_reasons, appeal_outcome_reasons "
            "FROM safeguarding_case WHERE id = %s",
            [case.pk],
        )
        columns = cursor.fetchone()
        cursor.execute("SELECT note FROM safeguarding_casestagechange WHERE case_id = %s", [case.pk])
        notes = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT detail, object_repr FROM cms_accesslogentry")
        log_text = " ".join(" ".join(row) for row in cursor.fetchall())
    for stored in [*columns, *[n for n in notes if n]]:
        assert stored.startswith("fernet:")
        assert "SECRET" not in stored
    assert "SECRET" not in log_text
    case.refresh_from_db()
    assert case.summary == "SECRET-SUMMARY words"


def test_the_demo_cases_are_seeded_once_and_seen_only_by_the_case_roles():
    from members.demo import seed_logins, seed_partnerships
    from safeguarding.demo import seed_cases

    seed_partnerships()
    users = seed_logins("demo-password")
    first, second = seed_cases("demo-password"), seed_cases("demo-password")
    assert [c.pk for c in first] == [c.pk for c in second]
    handler, manager = (User.objects.get(username=name) for name in ("case.handler", "grievance.manager"))
    assert cases_for(manager).count() == 2
    assert cases_for(handler).get().stage == CaseStage.INVESTIGATING
    assert not cases_for(users["south.lead"]).exists()  # the subject of the demo complaint
    assert not cases_for(users["host.admin"]).exists()

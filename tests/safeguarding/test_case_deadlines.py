"""Case deadlines: a warning some working days before, an alert when passed, each sent once."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from cms.dates import working_deadline
from cms.models import BankHoliday
from members.enums import Role
from safeguarding.enums import CaseAlertKind, CaseStage
from safeguarding.models import CaseAlert, CaseSettings
from safeguarding.services.case_alerts import send_case_alert, sweep_case_deadlines
from tests.factories import CaseFactory, PersonFactory, UserFactory, handled_by

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def london(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=LONDON)


@pytest.fixture
def managers(db):
    return [
        UserFactory(username="grievance1", role=Role.GRIEVANCE_MANAGER),
        UserFactory(username="grievance2", role=Role.GRIEVANCE_MANAGER),
    ]


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    """The sweep, with the emails it enqueues after commit sent (as a worker would)."""

    def run(now):
        with django_capture_on_commit_callbacks(execute=True):
            return sweep_case_deadlines(now=now)

    return run


@pytest.fixture
def may_bank_holiday(db):
    BankHoliday.objects.get_or_create(date=datetime.date(2026, 5, 4), defaults={"name": "Early May"})


def test_deadlines_skip_weekends_and_bank_holidays(may_bank_holiday):
    friday = london(2026, 5, 1, 14, 0)
    assert working_deadline(friday, 1) == london(2026, 5, 5, 14, 0)  # Mon 4 May is a holiday
    assert working_deadline(friday, 5) == london(2026, 5, 11, 14, 0)
    assert working_deadline(london(2026, 5, 2, 10, 0), 1) == london(2026, 5, 5, 10, 0)  # from a Saturday


def test_the_warning_comes_two_working_days_before_across_a_bank_holiday(sweep, may_bank_holiday, managers):
    case = CaseFactory(stage_due_at=london(2026, 5, 6, 12, 0))  # Wednesday after the holiday
    assert sweep(london(2026, 4, 30, 9, 0)) == []  # Thursday: 3 working days before
    created = sweep(london(2026, 5, 1, 9, 0))  # Friday: Tue 5 and Wed 6 to go
    alert = CaseAlert.objects.get(pk__in=created)
    assert (alert.case, alert.kind, alert.stage) == (case, CaseAlertKind.DUE_SOON, CaseStage.RECEIVED)
    assert alert.sent_at is not None
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in managers)


def test_a_weekend_does_not_count_towards_the_warning(sweep, managers):
    CaseFactory(stage_due_at=london(2026, 3, 10, 12, 0))  # Tuesday
    assert sweep(london(2026, 3, 5, 9, 0)) == []  # Thursday: Fri, Mon, Tue
    assert len(sweep(london(2026, 3, 6, 9, 0))) == 1  # Friday: Mon, Tue


def test_the_warning_and_the_alert_are_each_sent_once(sweep, managers):
    CaseFactory(stage_due_at=london(2026, 3, 10, 12, 0))
    assert len(sweep(london(2026, 3, 9, 9, 0))) == 1
    assert sweep(london(2026, 3, 9, 10, 0)) == []
    assert sweep(london(2026, 3, 10, 11, 0)) == []
    overdue = sweep(london(2026, 3, 10, 12, 0))
    assert CaseAlert.objects.get(pk__in=overdue).kind == CaseAlertKind.OVERDUE
    assert sweep(london(2026, 3, 11, 12, 0)) == []
    assert CaseAlert.objects.count() == 2
    assert len(mail.outbox) == 2 * len(managers)
    assert "overdue since 10 March 2026" in mail.outbox[-1].subject


def test_a_sweep_that_missed_days_sends_only_the_overdue_alert(sweep, managers):
    CaseFactory(stage_due_at=london(2026, 3, 10, 12, 0))
    sweep(london(2026, 3, 16, 9, 0))
    assert list(CaseAlert.objects.values_list("kind", flat=True)) == [CaseAlertKind.OVERDUE]


def test_alerts_go_to_the_handler_when_assigned_and_never_to_the_subject(sweep, managers, case_handler):
    subject = managers[1]
    case = CaseFactory(complaint_against=True, subject_user=subject, stage_due_at=london(2026, 3, 10, 12, 0))
    sweep(london(2026, 3, 10, 13, 0))
    assert [m.to for m in mail.outbox] == [[managers[0].email]]

    mail.outbox.clear()
    handled_by(case, case_handler)
    case.stage = CaseStage.ACKNOWLEDGED
    case.stage_due_at = london(2026, 3, 20, 12, 0)
    case.save()
    sweep(london(2026, 3, 20, 13, 0))
    assert [m.to for m in mail.outbox] == [[case_handler.email]]


def test_emails_carry_no_narrative_and_no_names(sweep, managers):
    case = CaseFactory(
        complaint_against=True,
        subject_person=PersonFactory(first_name="Morgan", last_name="Quill"),
        raised_by_name="Taylor Brook",
        summary="SECRET narrative of the complaint",
        stage_due_at=london(2026, 3, 10, 12, 0),
    )
    sweep(london(2026, 3, 10, 13, 0))
    message = mail.outbox[0]
    text = message.subject + message.body
    assert case.reference in text
    assert f"/admin/cases/inspect/{case.pk}/" in message.body
    for secret in ("SECRET", "Morgan", "Quill", "Taylor", "Brook"):
        assert secret not in text


def test_closed_cases_and_moved_deadlines_send_nothing(sweep, managers):
    CaseFactory(stage=CaseStage.CLOSED, stage_due_at=london(2026, 3, 10, 12, 0))
    moved = CaseFactory(stage_due_at=london(2026, 3, 10, 12, 0))
    created = sweep(london(2026, 3, 10, 13, 0))
    assert len(created) == 1
    CaseAlert.objects.filter(pk__in=created).update(sent_at=None)
    moved.stage = CaseStage.ACKNOWLEDGED
    moved.stage_due_at = london(2026, 4, 10, 12, 0)
    moved.save()
    assert send_case_alert(created[0]) is False


def test_the_warning_can_be_turned_off(sweep, managers):
    limits = CaseSettings.load()
    limits.warn_working_days_before = 0
    limits.save()
    CaseFactory(stage_due_at=london(2026, 3, 10, 12, 0))
    assert sweep(london(2026, 3, 10, 9, 0)) == []


def test_the_outcome_deadline_is_warned_about_once_across_investigation(sweep, managers, case_handler):
    case = handled_by(
        CaseFactory(stage=CaseStage.ACKNOWLEDGED, stage_due_at=london(2026, 3, 10, 12, 0)), case_handler
    )
    assert len(sweep(london(2026, 3, 9, 9, 0))) == 1
    case.stage = CaseStage.INVESTIGATING  # the same due date carries over
    case.save()
    assert sweep(london(2026, 3, 9, 10, 0)) == []


def test_the_beat_task_runs_the_sweep(sweep, managers):
    from safeguarding.tasks import sweep_case_deadlines as task

    CaseFactory(stage_due_at=london(2020, 3, 10, 12, 0))
    assert task.delay().get() == 1
    assert task.delay().get() == 0

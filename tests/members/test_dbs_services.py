"""DBS check services: recording, deciding, seeing the number, and erasing it on time."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from wagtail.models import ModelLogEntry

from cms.dates import add_months
from members.enums import DBSDecision, DBSLevel, DBSOutcome, Role
from members.models import ComplianceSettings, DBSCheck
from members.roles import role_group
from members.services.dbs import (
    record_dbs_decision,
    reveal_certificate_number,
    save_dbs_check,
)
from members.services.training import decide_dbs_check, erase_old_dbs_details, record_dbs_check
from members.tasks import erase_old_dbs_certificate_details
from tests.factories import DBSCheckFactory, PersonFactory

pytestmark = pytest.mark.django_db

NUMBER = "009876543210"
NOW = datetime.datetime(2026, 3, 15, 12, 0, tzinfo=datetime.UTC)
SIX_MONTHS_BEFORE_NOW = datetime.datetime.combine(add_months(NOW.date(), -6), NOW.time(), tzinfo=datetime.UTC)


def new_check(**kwargs) -> DBSCheck:
    fields = {
        "person": PersonFactory(),
        "level": DBSLevel.ENHANCED,
        "certificate_number": NUMBER,
        "issued_on": datetime.date(2025, 1, 31),
        "outcome": DBSOutcome.CLEAR,
    }
    return DBSCheck(**{**fields, **kwargs})


def logs_of(check, action=None):
    entries = ModelLogEntry.objects.for_instance(check)
    return entries.filter(action=action) if action else entries


@pytest.fixture
def verifier(host_staff):
    host_staff.groups.add(role_group(Role.DBS_VERIFIER))
    return host_staff


# --- record_dbs_check ---


def test_a_clear_check_is_decided_by_whoever_records_it(host_staff):
    before = timezone.now()
    check = record_dbs_check(check=new_check(), acting_user=host_staff)
    check.refresh_from_db()
    assert (check.decision, check.decided_by, check.recorded_by) == ("", host_staff, host_staff)
    assert before <= check.decided_at <= timezone.now()
    assert check.cleared


def test_a_check_with_information_disclosed_waits_for_a_decision(host_staff):
    check = record_dbs_check(check=new_check(outcome=DBSOutcome.NEEDS_DECISION), acting_user=host_staff)
    assert (check.decision, check.decided_by, check.decided_at) == ("", None, None)
    assert not check.cleared


def test_the_recheck_date_defaults_to_the_issue_date_plus_the_settings_months(host_staff):
    settings = ComplianceSettings.load()
    settings.dbs_recheck_months = 24
    settings.save()
    check = record_dbs_check(check=new_check(issued_on=datetime.date(2024, 2, 29)), acting_user=host_staff)
    assert check.recheck_due_on == add_months(datetime.date(2024, 2, 29), 24) == datetime.date(2026, 2, 28)


def test_a_given_recheck_date_is_kept(host_staff):
    check = record_dbs_check(
        check=new_check(recheck_due_on=datetime.date(2026, 6, 1)), acting_user=host_staff
    )
    assert check.recheck_due_on == datetime.date(2026, 6, 1)


def test_a_clear_check_never_holds_a_decision():
    check = new_check(decision=DBSDecision.SUITABLE)
    with pytest.raises(ValidationError, match="Only a check with information disclosed takes a decision"):
        check.full_clean()


def test_recording_a_clear_check_drops_a_stray_decision(host_staff):
    check = record_dbs_check(check=new_check(decision=DBSDecision.NOT_SUITABLE), acting_user=host_staff)
    assert check.decision == ""


# --- decide_dbs_check and record_dbs_decision ---


def test_a_decision_records_who_decided_and_when(host_staff):
    check = DBSCheckFactory(outcome=DBSOutcome.NEEDS_DECISION)
    before = timezone.now()
    decide_dbs_check(check=check, decision=DBSDecision.SUITABLE, acting_user=host_staff)
    check.refresh_from_db()
    assert (check.decision, check.decided_by) == (DBSDecision.SUITABLE, host_staff)
    assert before <= check.decided_at <= timezone.now()
    assert check.cleared


def test_a_clear_check_cannot_be_decided(host_staff):
    check = DBSCheckFactory(outcome=DBSOutcome.CLEAR)
    with pytest.raises(ValidationError):
        decide_dbs_check(check=check, decision=DBSDecision.SUITABLE, acting_user=host_staff)


def test_recording_a_decision_logs_it(host_staff):
    check = DBSCheckFactory(outcome=DBSOutcome.NEEDS_DECISION)
    record_dbs_decision(check=check, decision=DBSDecision.NOT_SUITABLE, acting_user=host_staff)
    entry = logs_of(check, "members.dbs_decided").get()
    assert entry.user == host_staff
    assert entry.data == {"decision": "not_suitable"}


@pytest.mark.parametrize(
    "fields",
    [
        {"outcome": DBSOutcome.CLEAR},
        {"outcome": DBSOutcome.NEEDS_DECISION, "decision": DBSDecision.SUITABLE},
    ],
    ids=["clear", "decided already"],
)
def test_only_a_check_awaiting_a_decision_is_decided(host_staff, fields):
    check = DBSCheckFactory(**fields)
    with pytest.raises(ValidationError):
        record_dbs_decision(check=check, decision=DBSDecision.NOT_SUITABLE, acting_user=host_staff)
    assert not logs_of(check, "members.dbs_decided").exists()


# --- save_dbs_check: the history never holds the number ---


def test_saving_a_check_logs_create_and_edit_without_the_number(host_staff):
    check = save_dbs_check(check=new_check(), acting_user=host_staff)
    check.level = DBSLevel.STANDARD
    save_dbs_check(check=check, acting_user=host_staff)
    entries = list(logs_of(check).order_by("pk"))
    assert [e.action for e in entries] == ["wagtail.create", "wagtail.edit"]
    assert all(NUMBER not in f"{e.label} {e.data}" for e in entries)


# --- reveal_certificate_number ---


def test_each_reveal_returns_the_number_and_logs_who_saw_it(verifier):
    check = DBSCheckFactory(certificate_number=NUMBER)
    assert reveal_certificate_number(check=check, acting_user=verifier) == NUMBER
    assert reveal_certificate_number(check=check, acting_user=verifier) == NUMBER
    entries = logs_of(check, "members.dbs_number_viewed")
    assert entries.count() == 2
    assert {e.user for e in entries} == {verifier}
    assert all(NUMBER not in f"{e.label} {e.data}" for e in entries)


def test_a_reveal_without_the_role_is_refused_and_not_logged(host_staff):
    check = DBSCheckFactory(certificate_number=NUMBER)
    with pytest.raises(PermissionDenied):
        reveal_certificate_number(check=check, acting_user=host_staff)
    assert not logs_of(check, "members.dbs_number_viewed").exists()


def test_an_erased_number_reveals_nothing(verifier):
    check = DBSCheckFactory(certificate_number="", details_erased_at=NOW)
    assert reveal_certificate_number(check=check, acting_user=verifier) == ""
    assert not logs_of(check, "members.dbs_number_viewed").exists()


# --- erase_old_dbs_details and its task ---


def decided_check(decided_at, **kwargs):
    return DBSCheckFactory(certificate_number=NUMBER, decided_at=decided_at, **kwargs)


def test_details_are_erased_six_months_after_the_decision_and_not_a_day_before():
    old = decided_check(SIX_MONTHS_BEFORE_NOW - datetime.timedelta(days=1))
    recent = decided_check(SIX_MONTHS_BEFORE_NOW + datetime.timedelta(days=1))
    assert erase_old_dbs_details(now=NOW) == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.certificate_number, old.details_erased_at) == ("", NOW)
    assert (recent.certificate_number, recent.details_erased_at) == (NUMBER, None)
    # The rest of the check stays, so compliance can still be shown.
    assert (old.level, old.outcome) == (DBSLevel.ENHANCED, DBSOutcome.CLEAR)


def test_a_check_awaiting_a_decision_is_never_erased():
    waiting = DBSCheckFactory(
        certificate_number=NUMBER,
        outcome=DBSOutcome.NEEDS_DECISION,
        issued_on=datetime.date(2020, 1, 1),
    )
    DBSCheck.objects.filter(pk=waiting.pk).update(recorded_at=NOW - datetime.timedelta(days=1000))
    assert erase_old_dbs_details(now=NOW) == 0
    waiting.refresh_from_db()
    assert waiting.certificate_number == NUMBER


def test_erasing_twice_changes_nothing_more():
    old = decided_check(SIX_MONTHS_BEFORE_NOW - datetime.timedelta(days=30))
    assert erase_old_dbs_details(now=NOW) == 1
    assert erase_old_dbs_details(now=NOW + datetime.timedelta(days=1)) == 0
    old.refresh_from_db()
    assert (old.certificate_number, old.details_erased_at) == ("", NOW)


def test_the_daily_task_erases_through_the_service():
    old = decided_check(timezone.now() - datetime.timedelta(days=400))
    recent = decided_check(timezone.now() - datetime.timedelta(days=10))
    assert erase_old_dbs_certificate_details.delay().get() == 1
    assert erase_old_dbs_certificate_details.delay().get() == 0
    assert DBSCheck.objects.get(pk=old.pk).certificate_number == ""
    assert DBSCheck.objects.get(pk=recent.pk).certificate_number == NUMBER


def test_the_erasure_runs_daily_on_beat(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["erase-old-dbs-certificate-details"]
    assert entry == {"task": "members.tasks.erase_old_dbs_certificate_details", "schedule": 60 * 60 * 24}

"""Unacknowledged concerns alert the DSLs: at the limit, not before, once per kind."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse

from cms.models import BankHoliday
from members.enums import Role
from safeguarding.enums import ConcernAlertKind
from safeguarding.models import ConcernAlert, ConcernSettings
from safeguarding.services import concerns as services
from safeguarding.services.concern_alerts import sweep_concern_alerts
from safeguarding.tasks import send_concern_alert
from tests.factories import ConcernFactory, UserFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
MINUTE = datetime.timedelta(minutes=1)


def at(*args):
    return datetime.datetime(*args, tzinfo=LONDON)


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    def run(now):
        with django_capture_on_commit_callbacks(execute=True):
            return sweep_concern_alerts(now=now)

    return run


@pytest.fixture
def dsls(dsl):
    return [dsl, UserFactory(username="dsl2", role=Role.SAFEGUARDING_LEAD)]


def kinds(concern):
    return set(ConcernAlert.objects.filter(concern=concern).values_list("kind", flat=True))


# Immediate risk: one hour -----------------------------------------------------------------


def test_immediate_risk_alerts_after_the_hour_not_before(north, dsls, sweep):
    reported = at(2026, 3, 4, 14, 0)
    concern = ConcernFactory(partnership=north, immediate_risk=True, reported_at=reported)

    assert sweep(reported + 59 * MINUTE) == []
    assert mail.outbox == []

    assert len(sweep(reported + 61 * MINUTE)) == 1
    assert kinds(concern) == {ConcernAlertKind.IMMEDIATE_RISK_UNACKNOWLEDGED}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in dsls)
    message = mail.outbox[0]
    assert (
        message.subject
        == f"Concern #{concern.pk} (Northshire MNVP) with immediate risk has not been acknowledged"
    )
    assert reverse("concerns:inspect", args=[concern.pk]) in message.body
    for secret in (concern.what_happened, concern.who_described, concern.where, concern.action_taken):
        assert secret not in message.body
        assert secret not in message.subject
    assert ConcernAlert.objects.get().sent_at is not None


def test_a_concern_without_immediate_risk_waits_for_the_working_day(north, dsl, sweep):
    reported = at(2026, 3, 4, 14, 0)
    ConcernFactory(partnership=north, immediate_risk=False, reported_at=reported)
    assert sweep(reported + 61 * MINUTE) == []


def test_the_limit_is_configurable(north, dsl, sweep):
    limits = ConcernSettings.load()
    limits.immediate_risk_ack_minutes = 15
    limits.save()
    reported = at(2026, 3, 4, 14, 0)
    ConcernFactory(partnership=north, immediate_risk=True, reported_at=reported)
    assert sweep(reported + 14 * MINUTE) == []
    assert len(sweep(reported + 16 * MINUTE)) == 1


def test_an_acknowledged_concern_raises_no_alert(north, dsl, sweep):
    reported = at(2026, 3, 4, 14, 0)
    concern = ConcernFactory(partnership=north, immediate_risk=True, reported_at=reported)
    services.acknowledge_concern(concern=concern, acting_user=dsl)
    assert sweep(reported + datetime.timedelta(days=5)) == []
    assert mail.outbox == []


# Any concern: one working day -------------------------------------------------------------


def test_friday_afternoon_is_due_monday_afternoon(north, dsl, sweep):
    friday = at(2026, 3, 6, 16, 30)
    concern = ConcernFactory(partnership=north, reported_at=friday)
    assert sweep(at(2026, 3, 7, 17, 0)) == []  # Saturday
    assert sweep(at(2026, 3, 9, 16, 29)) == []  # Monday, a minute before
    assert len(sweep(at(2026, 3, 9, 16, 30))) == 1
    assert kinds(concern) == {ConcernAlertKind.UNACKNOWLEDGED}
    assert mail.outbox[0].subject.endswith("has not been acknowledged in time")


def test_a_bank_holiday_monday_does_not_count(north, dsl, sweep):
    BankHoliday.objects.get_or_create(
        date=datetime.date(2026, 5, 25), defaults={"name": "Spring bank holiday"}
    )
    friday = at(2026, 5, 22, 10, 0)
    concern = ConcernFactory(partnership=north, reported_at=friday)
    assert sweep(at(2026, 5, 25, 10, 1)) == []  # the bank holiday
    assert sweep(at(2026, 5, 26, 9, 59)) == []
    assert len(sweep(at(2026, 5, 26, 10, 0))) == 1
    assert kinds(concern) == {ConcernAlertKind.UNACKNOWLEDGED}


def test_immediate_risk_still_unacknowledged_a_day_later_alerts_again_once(north, dsl, sweep):
    reported = at(2026, 3, 4, 9, 0)  # a Wednesday
    concern = ConcernFactory(partnership=north, immediate_risk=True, reported_at=reported)
    sweep(reported + 61 * MINUTE)
    sweep(at(2026, 3, 5, 9, 0))
    assert kinds(concern) == set(ConcernAlertKind.values)
    assert len(mail.outbox) == 2


# Once ------------------------------------------------------------------------------------------


def test_sweeping_twice_alerts_once(north, dsls, sweep):
    reported = at(2026, 3, 4, 14, 0)
    ConcernFactory(partnership=north, immediate_risk=True, reported_at=reported)
    assert len(sweep(reported + 61 * MINUTE)) == 1
    assert sweep(reported + 62 * MINUTE) == []
    assert sweep(reported + 90 * MINUTE) == []
    assert ConcernAlert.objects.count() == 1
    assert len(mail.outbox) == len(dsls)


def test_the_send_task_run_twice_sends_once(north, dsl, django_capture_on_commit_callbacks):
    reported = at(2026, 3, 4, 14, 0)
    ConcernFactory(partnership=north, immediate_risk=True, reported_at=reported)
    with django_capture_on_commit_callbacks(execute=False):  # the task enqueued, not yet run
        [alert_id] = sweep_concern_alerts(now=reported + 61 * MINUTE)
    assert send_concern_alert.delay(alert_id).get() is True
    assert send_concern_alert.delay(alert_id).get() is False
    assert len(mail.outbox) == 1


def test_a_lost_task_is_enqueued_again_by_the_next_sweep(
    north, dsl, sweep, django_capture_on_commit_callbacks
):
    reported = at(2026, 3, 4, 14, 0)
    ConcernFactory(partnership=north, immediate_risk=True, reported_at=reported)
    with django_capture_on_commit_callbacks(execute=False):  # the task is lost
        sweep_concern_alerts(now=reported + 61 * MINUTE)
    assert mail.outbox == []
    assert sweep(reported + 66 * MINUTE) == []  # nothing new, but the unsent alert goes
    assert len(mail.outbox) == 1


def test_acknowledged_between_sweep_and_send_sends_nothing(north, dsl, django_capture_on_commit_callbacks):
    reported = at(2026, 3, 4, 14, 0)
    concern = ConcernFactory(partnership=north, immediate_risk=True, reported_at=reported)
    with django_capture_on_commit_callbacks(execute=False):
        [alert_id] = sweep_concern_alerts(now=reported + 61 * MINUTE)
    services.acknowledge_concern(concern=concern, acting_user=dsl)
    assert send_concern_alert.delay(alert_id).get() is False
    assert mail.outbox == []


def test_only_active_dsls_with_an_address_are_alerted(north, dsl, host_staff, north_lead, sweep):
    UserFactory(username="old.dsl", role=Role.SAFEGUARDING_LEAD, is_active=False)
    UserFactory(username="no.email", role=Role.SAFEGUARDING_LEAD, email="")
    reported = at(2026, 3, 4, 14, 0)
    ConcernFactory(partnership=north, immediate_risk=True, reported_at=reported)
    sweep(reported + 61 * MINUTE)
    assert [m.to for m in mail.outbox] == [[dsl.email]]


def test_the_beat_schedule_runs_the_sweep_every_few_minutes(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["sweep-concern-alerts"]
    assert entry["task"] == "safeguarding.tasks.sweep_concern_alerts"
    assert entry["schedule"] <= 10 * 60

"""Milestone reminders: a week before due and once overdue, to the owner, once each, in fixed queries."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from tests.factories import UserFactory
from workplans.enums import MilestoneReminderKind, MilestoneStatus
from workplans.models import MilestoneReminder
from workplans.services import reminders
from workplans.services.reminders import send_reminder, sweep_milestone_reminders

from .plan_factories import milestone_in

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 10, 15)
DAY = datetime.timedelta(days=1)


class Clock:
    """Stands in for ``django.utils.timezone`` in the reminders module: today is ``day``."""

    def __init__(self, day):
        self.day = day

    def localdate(self):
        return self.day

    def now(self):
        return timezone.now()


@pytest.fixture
def sweep(django_capture_on_commit_callbacks, monkeypatch):
    """Run a sweep as beat would on ``today``: its email tasks run (eagerly) once its work commits."""

    def run(today=TODAY):
        monkeypatch.setattr(reminders, "timezone", Clock(today))  # the tasks' "today" too
        with django_capture_on_commit_callbacks(execute=True):
            return sweep_milestone_reminders()

    return run


def test_owner_is_reminded_a_week_before_and_when_overdue_once_each(north, sweep):
    owner = UserFactory(username="owner", first_name="Olu")
    milestone = milestone_in(north, owner=owner, due_on=TODAY + 7 * DAY, title="Fifteen Steps visit")

    assert len(sweep(TODAY - DAY)) == 0  # eight days out: not yet
    assert len(sweep()) == 1
    assert len(sweep()) == 0  # the same day again: nothing more
    assert len(sweep(TODAY + 3 * DAY)) == 0  # still due soon: reminded already
    assert [m.to for m in mail.outbox] == [[owner.email]]
    assert "Fifteen Steps visit" in mail.outbox[0].subject
    assert "Dear Olu" in mail.outbox[0].body

    assert len(sweep(TODAY + 8 * DAY)) == 1  # the day after it was due
    assert len(sweep(TODAY + 9 * DAY)) == 0
    assert "Overdue" in mail.outbox[1].subject
    kinds = set(MilestoneReminder.objects.filter(milestone=milestone).values_list("kind", flat=True))
    assert kinds == {MilestoneReminderKind.DUE_SOON, MilestoneReminderKind.OVERDUE}
    assert not MilestoneReminder.objects.filter(sent_at__isnull=True).exists()
    assert len(mail.outbox) == 2


@pytest.mark.parametrize(
    ("status", "owner_kwargs", "due_on"),
    [
        (MilestoneStatus.DONE, {}, TODAY + 2 * DAY),  # done: nothing to remind
        (MilestoneStatus.ON_TRACK, {"email": ""}, TODAY + 2 * DAY),  # no address
        (MilestoneStatus.ON_TRACK, {"is_active": False}, TODAY + 2 * DAY),  # left
        (MilestoneStatus.ON_TRACK, {}, TODAY - 90 * DAY),  # long overdue before reminders began
    ],
)
def test_who_is_not_reminded(north, sweep, status, owner_kwargs, due_on):
    owner = UserFactory(**owner_kwargs)
    milestone_in(north, owner=owner, status=status, due_on=due_on)
    assert sweep() == []
    assert mail.outbox == []


def test_a_milestone_without_a_login_owner_is_skipped(north, sweep):
    milestone_in(north, owner=None, owner_name="Jo (no login)", due_on=TODAY + DAY)
    assert sweep() == []


def test_a_sweep_that_missed_the_week_sends_only_the_overdue_reminder(north, sweep):
    milestone_in(north, due_on=TODAY - 2 * DAY)
    sweep()
    assert list(MilestoneReminder.objects.values_list("kind", flat=True)) == [MilestoneReminderKind.OVERDUE]


def test_a_moved_due_date_earns_fresh_reminders(north, sweep):
    milestone = milestone_in(north, due_on=TODAY + 3 * DAY)
    sweep()
    milestone.due_on = TODAY + 5 * DAY
    milestone.save()
    assert len(sweep()) == 1
    assert len(mail.outbox) == 2


def test_a_reminder_for_a_milestone_done_since_is_not_sent(north):
    milestone = milestone_in(north, due_on=TODAY + 3 * DAY)
    sweep_milestone_reminders(today=TODAY)  # tasks not run: on_commit never fires here
    reminder = MilestoneReminder.objects.get()
    milestone.status = MilestoneStatus.DONE
    milestone.save()
    assert send_reminder(reminder.pk, today=TODAY) is False
    assert mail.outbox == []
    reminder.refresh_from_db()
    assert reminder.sent_at is not None
    assert send_reminder(reminder.pk, today=TODAY) is False  # and it is not tried again


def test_sending_twice_sends_once(north):
    milestone_in(north, due_on=TODAY + 3 * DAY)
    sweep_milestone_reminders(today=TODAY)
    reminder = MilestoneReminder.objects.get()
    assert send_reminder(reminder.pk, today=TODAY) is True
    assert send_reminder(reminder.pk, today=TODAY) is False
    assert len(mail.outbox) == 1


def test_the_sweep_costs_a_fixed_number_of_queries(north, south, django_assert_num_queries):
    for partnership in (north, south):
        milestone_in(partnership, due_on=TODAY + DAY)
    with django_assert_num_queries(3):
        assert len(sweep_milestone_reminders(today=TODAY)) == 2
    MilestoneReminder.objects.all().delete()
    for _ in range(20):
        milestone_in(north, due_on=TODAY - DAY)
    with django_assert_num_queries(3):
        assert len(sweep_milestone_reminders(today=TODAY)) == 22


def test_the_beat_task_is_scheduled(settings):
    entries = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "workplans.tasks.sweep_milestone_reminders" in entries

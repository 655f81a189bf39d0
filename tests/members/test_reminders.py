"""Training and DBS reminders (30 days, 7 days, on lapsing), sent once, and the weekly digest."""

import datetime

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from members.enums import DBSLevel, DBSOutcome, MembershipRole, ReminderMilestone, Role
from members.models import ComplianceDigest, ComplianceReminder, TrainingRecord
from members.services.reminders import (
    _record_reminders,
    due_training,
    send_reminder,
    send_weekly_digest,
    sweep_reminders,
)
from members.tasks import send_compliance_reminder
from tests.factories import (
    CourseFactory,
    DBSCheckFactory,
    MembershipFactory,
    PersonFactory,
    RoleRequirementFactory,
    TrainingRecordFactory,
    UserFactory,
    lead_of,
)

DAY = datetime.timedelta(days=1)


@pytest.fixture
def today():
    # The reminder task checks the record is still due on the real day, so tests live in it.
    return timezone.localdate()


@pytest.fixture
def safeguarding(db):
    return CourseFactory(name="Safeguarding level 2", validity_months=12)


@pytest.fixture
def volunteers_need_safeguarding(safeguarding):
    return RoleRequirementFactory(role=MembershipRole.VOLUNTEER, courses=[safeguarding])


@pytest.fixture
def volunteer(north, today, volunteers_need_safeguarding):
    person = PersonFactory(first_name="Asha", last_name="Patel", email="asha@example.org")
    MembershipFactory(person=person, partnership=north, start_date=today - 400 * DAY)
    return person


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    """Run the sweep as beat would, with its email tasks run at commit (Celery is eager)."""

    def run(on):
        with django_capture_on_commit_callbacks(execute=True):
            return sweep_reminders(today=on)

    return run


def expiring(person, course, on: datetime.date) -> TrainingRecord:
    """A completion of ``course`` by ``person`` that stops counting on ``on``."""
    record = TrainingRecordFactory(person=person, course=course, completed_on=on - 365 * DAY)
    TrainingRecord.objects.filter(pk=record.pk).update(expires_on=on)  # exact, whatever the leap years
    record.refresh_from_db()
    return record


def mail_server_down(self, messages):
    raise ConnectionRefusedError("Connection refused")


def milestones(**filters):
    return sorted(ComplianceReminder.objects.filter(**filters).values_list("milestone", flat=True))


@pytest.mark.django_db
class TestMilestones:
    @pytest.mark.parametrize(
        ("days_left", "expected"),
        [
            (31, None),
            (30, ReminderMilestone.DAYS_30),
            (8, ReminderMilestone.DAYS_30),
            (7, ReminderMilestone.DAYS_7),
            (1, ReminderMilestone.DAYS_7),
            (0, ReminderMilestone.LAPSED),
            (-30, ReminderMilestone.LAPSED),
            (-31, None),  # lapsed long ago: the first run must not write to everyone
        ],
    )
    def test_the_milestone_follows_the_days_left(
        self, volunteer, safeguarding, today, sweep, days_left, expected
    ):
        record = expiring(volunteer, safeguarding, today + days_left * DAY)

        created = sweep(today)

        assert milestones(training_record=record) == ([expected] if expected else [])
        assert len(created) == (1 if expected else 0)

    def test_each_milestone_goes_once_and_a_missed_one_is_not_sent_late(
        self, volunteer, safeguarding, today, sweep
    ):
        expires = today + 30 * DAY
        record = expiring(volunteer, safeguarding, expires)

        for on in (expires - 30 * DAY, expires - 20 * DAY, expires - 5 * DAY, expires - 2 * DAY, expires):
            sweep(on)

        assert milestones(training_record=record) == sorted(
            [ReminderMilestone.DAYS_30, ReminderMilestone.DAYS_7, ReminderMilestone.LAPSED]
        )

    def test_a_sweep_that_missed_the_30_day_point_sends_only_the_7_day_reminder(
        self, volunteer, safeguarding, today, sweep
    ):
        record = expiring(volunteer, safeguarding, today + 6 * DAY)

        sweep(today)

        assert milestones(training_record=record) == [ReminderMilestone.DAYS_7]


@pytest.mark.django_db
class TestWhoIsReminded:
    def test_a_renewed_course_does_not_remind(self, volunteer, safeguarding, today, sweep):
        expiring(volunteer, safeguarding, today + 7 * DAY)
        TrainingRecordFactory(person=volunteer, course=safeguarding, completed_on=today - DAY)

        assert sweep(today) == []
        assert mail.outbox == []

    def test_a_course_the_role_does_not_need_does_not_remind(self, north, safeguarding, today, sweep):
        RoleRequirementFactory(role=MembershipRole.VOLUNTEER, courses=[safeguarding])
        admin = MembershipFactory(partnership=north, role=MembershipRole.ADMIN_SUPPORT).person
        expiring(admin, safeguarding, today + 7 * DAY)

        assert sweep(today) == []

    def test_a_past_member_is_not_reminded(
        self, north, safeguarding, volunteers_need_safeguarding, today, sweep
    ):
        past = MembershipFactory(partnership=north, start_date=today - 400 * DAY, end_date=today - DAY).person
        expiring(past, safeguarding, today + 7 * DAY)

        assert sweep(today) == []

    def test_a_course_needing_a_certificate_reminds_only_about_a_completion_with_one(
        self, volunteer, safeguarding, today, sweep
    ):
        safeguarding.certificate_required = True
        safeguarding.save()
        expiring(volunteer, safeguarding, today + 7 * DAY)  # no certificate: never counted

        assert sweep(today) == []

    def test_a_corrected_completion_date_earns_its_own_reminder(self, volunteer, safeguarding, today, sweep):
        record = expiring(volunteer, safeguarding, today + 20 * DAY)
        sweep(today)

        record.completed_on -= 15 * DAY  # entered wrongly: done a fortnight earlier
        record.save()
        sweep(today)

        assert record.expires_on < today + 7 * DAY
        assert milestones(training_record=record) == sorted(
            [ReminderMilestone.DAYS_30, ReminderMilestone.DAYS_7]
        )


@pytest.mark.django_db
class TestEmails:
    def test_the_person_and_the_lead_of_their_mnvp_are_told(
        self, volunteer, safeguarding, north_lead, south_lead, today, sweep
    ):
        expiring(volunteer, safeguarding, today + 7 * DAY)

        sweep(today)

        to_person, to_lead = sorted(mail.outbox, key=lambda m: m.to[0] != volunteer.email)
        assert to_person.to == ["asha@example.org"]
        assert to_person.cc == []
        assert "Safeguarding level 2 training" in to_person.body
        assert f"{(today + 7 * DAY).day} " in to_person.subject
        assert "in 7 days" in to_person.body
        assert to_lead.to == [north_lead.email]
        assert "Asha Patel" in to_lead.subject
        assert "Northshire MNVP" in to_lead.body
        assert all(south_lead.email not in message.recipients() for message in mail.outbox)

    def test_a_lapsed_training_email_says_it_no_longer_counts(self, volunteer, safeguarding, today, sweep):
        expiring(volunteer, safeguarding, today - 2 * DAY)

        sweep(today)

        (message,) = mail.outbox
        assert message.subject == "Your Safeguarding level 2 training has expired"
        assert "no longer counts" in message.body
        assert "send us your certificate" in message.body

    def test_an_inactive_lead_or_one_without_an_email_address_is_not_copied(
        self, volunteer, safeguarding, north, today, sweep
    ):
        lead_of(north, username="gone", is_active=False)
        lead_of(north, username="nomail", email="")
        expiring(volunteer, safeguarding, today + 7 * DAY)

        sweep(today)

        assert [message.to for message in mail.outbox] == [[volunteer.email]]

    def test_running_the_sweep_twice_sends_nothing_new(
        self, volunteer, safeguarding, north_lead, today, sweep
    ):
        expiring(volunteer, safeguarding, today + 7 * DAY)
        first = sweep(today)
        sent = len(mail.outbox)
        rows = ComplianceReminder.objects.count()

        second = sweep(today)

        assert len(first) == 1
        assert sent == 2
        assert second == []
        assert len(mail.outbox) == sent
        assert ComplianceReminder.objects.count() == rows
        assert ComplianceReminder.objects.get().sent_at is not None

    def test_a_reminder_sent_already_is_not_sent_again(self, volunteer, safeguarding, today, sweep):
        expiring(volunteer, safeguarding, today + 7 * DAY)
        (reminder_id,) = sweep(today)
        mail.outbox.clear()

        assert send_compliance_reminder.delay(reminder_id).get() is False
        assert mail.outbox == []

    def test_when_the_mail_server_fails_the_reminder_stays_unsent_for_the_retry(
        self, volunteer, safeguarding, today, monkeypatch, django_capture_on_commit_callbacks
    ):
        expiring(volunteer, safeguarding, today + 7 * DAY)
        with django_capture_on_commit_callbacks(execute=False):
            (reminder_id,) = sweep_reminders(today=today)
        monkeypatch.setattr(locmem.EmailBackend, "send_messages", mail_server_down)

        with pytest.raises(OSError, match="refused"):
            send_reminder(reminder_id, today=today)

        assert ComplianceReminder.objects.get().sent_at is None

    def test_an_unsent_reminder_is_sent_by_the_next_sweep(
        self, volunteer, safeguarding, today, sweep, django_capture_on_commit_callbacks
    ):
        expiring(volunteer, safeguarding, today + 7 * DAY)
        with django_capture_on_commit_callbacks(execute=False):  # the task was lost
            sweep_reminders(today=today)
        assert mail.outbox == []

        assert sweep(today) == []  # nothing new to record...
        assert len(mail.outbox) == 1  # ...but the lost email goes
        assert ComplianceReminder.objects.get().sent_at is not None

    def test_a_reminder_for_a_course_renewed_since_the_sweep_is_not_sent(
        self, volunteer, safeguarding, today, django_capture_on_commit_callbacks
    ):
        expiring(volunteer, safeguarding, today + 7 * DAY)
        with django_capture_on_commit_callbacks(execute=False):
            (reminder_id,) = sweep_reminders(today=today)
        TrainingRecordFactory(person=volunteer, course=safeguarding, completed_on=today)

        assert send_reminder(reminder_id, today=today) is False
        assert mail.outbox == []


@pytest.mark.django_db
class TestDBSReminders:
    @pytest.fixture
    def volunteers_need_dbs(self, volunteers_need_safeguarding):
        volunteers_need_safeguarding.dbs_level = DBSLevel.ENHANCED
        volunteers_need_safeguarding.save()

    def test_a_recheck_due_in_a_week_reminds_without_the_certificate_number(
        self, volunteer, volunteers_need_dbs, north_lead, today, sweep
    ):
        check = DBSCheckFactory(
            person=volunteer, certificate_number="001234567890", recheck_due_on=today + 7 * DAY
        )

        sweep(today)

        assert milestones(dbs_check=check) == [ReminderMilestone.DAYS_7]
        assert len(mail.outbox) == 2
        for message in mail.outbox:
            assert "Enhanced DBS check" in message.subject
            assert "001234567890" not in message.subject + message.body

    def test_a_lapsed_recheck_says_it_was_due(self, volunteer, volunteers_need_dbs, today, sweep):
        DBSCheckFactory(person=volunteer, recheck_due_on=today - DAY)

        sweep(today)

        (message,) = mail.outbox
        assert "recheck was due" in message.subject

    def test_a_newer_cleared_check_replaces_the_old_one(self, volunteer, volunteers_need_dbs, today, sweep):
        old = DBSCheckFactory(person=volunteer, issued_on=today - 1000 * DAY, recheck_due_on=today + 7 * DAY)
        DBSCheckFactory(
            person=volunteer, issued_on=today - 10 * DAY, recheck_due_on=None, update_service=True
        )

        assert sweep(today) == []
        assert milestones(dbs_check=old) == []

    def test_a_check_awaiting_a_decision_does_not_remind(self, volunteer, volunteers_need_dbs, today, sweep):
        DBSCheckFactory(person=volunteer, outcome=DBSOutcome.NEEDS_DECISION, recheck_due_on=today + 7 * DAY)

        assert sweep(today) == []

    def test_no_dbs_reminder_when_no_current_role_needs_a_check(self, volunteer, today, sweep):
        DBSCheckFactory(person=volunteer, recheck_due_on=today + 7 * DAY)

        assert sweep(today) == []


@pytest.mark.django_db
class TestWeeklyDigest:
    def test_goes_once_a_week_to_host_staff_only_and_names_the_lapsed(
        self, volunteer, safeguarding, host_staff, north_lead, today
    ):
        UserFactory(username="former", role=Role.HOST_STAFF, is_active=False)
        expiring(volunteer, safeguarding, today - 3 * DAY)
        monday = today - today.weekday() * DAY

        digest = send_weekly_digest(today=monday + 2 * DAY)
        again = send_weekly_digest(today=monday + 4 * DAY)

        assert digest.week_starting == monday
        assert digest.recipients == 1
        assert again is None
        (message,) = mail.outbox
        assert message.to == [host_staff.email]
        assert "Northshire MNVP" in message.body
        assert "1 member: 0 cleared, 0 due soon, 1 lapsed, 0 missing" in message.body
        assert "Asha Patel (lapsed): Safeguarding level 2: expired on" in message.body

    def test_when_the_mail_server_fails_the_week_is_not_marked_sent(
        self, volunteer, host_staff, today, monkeypatch
    ):
        monkeypatch.setattr(locmem.EmailBackend, "send_messages", mail_server_down)

        with pytest.raises(OSError, match="refused"):
            send_weekly_digest(today=today)

        assert not ComplianceDigest.objects.exists()

    def test_names_those_missing_training_and_goes_again_next_week(self, volunteer, host_staff, today):
        send_weekly_digest(today=today)
        send_weekly_digest(today=today + 7 * DAY)

        assert ComplianceDigest.objects.count() == 2
        assert len(mail.outbox) == 2
        assert "Asha Patel (missing): Safeguarding level 2: not completed" in mail.outbox[0].body


@pytest.mark.django_db
def test_the_sweep_asks_the_same_number_of_queries_for_3_or_30_reminders(
    north, safeguarding, volunteers_need_safeguarding, today, django_capture_on_commit_callbacks
):
    volunteers_need_safeguarding.dbs_level = DBSLevel.ENHANCED
    volunteers_need_safeguarding.save()

    def candidates(count):
        for _ in range(count):
            person = MembershipFactory(partnership=north, start_date=today - 400 * DAY).person
            expiring(person, safeguarding, today + 7 * DAY)
            TrainingRecordFactory(person=person, course=safeguarding, completed_on=today - 800 * DAY)  # older
            DBSCheckFactory(person=person, recheck_due_on=today + 20 * DAY)

    def queries_of_a_sweep():
        with django_capture_on_commit_callbacks(execute=False), CaptureQueriesContext(connection) as queries:
            created = sweep_reminders(today=today)
        return len(queries), len(created)

    candidates(3)
    few, created_few = queries_of_a_sweep()
    candidates(30)
    many, created_many = queries_of_a_sweep()

    assert (created_few, created_many) == (6, 60)
    assert few == many
    assert few <= 6


@pytest.mark.django_db
class TestRecording:
    """The sweep has the database copy the due rows into reminders (``INSERT ... SELECT``)."""

    def test_each_reminder_names_the_person_the_record_the_milestone_and_the_expiry(
        self, volunteer, safeguarding, volunteers_need_safeguarding, today, sweep
    ):
        volunteers_need_safeguarding.dbs_level = DBSLevel.ENHANCED
        volunteers_need_safeguarding.save()
        record = expiring(volunteer, safeguarding, today + 7 * DAY)
        check = DBSCheckFactory(person=volunteer, recheck_due_on=today + 20 * DAY)
        before = timezone.now()

        created = sweep(today)

        rows = ComplianceReminder.objects.filter(pk__in=created).order_by("pk")
        assert [
            (r.person_id, r.training_record_id, r.dbs_check_id, r.milestone, r.expires_on) for r in rows
        ] == [
            (volunteer.pk, record.pk, None, ReminderMilestone.DAYS_7, today + 7 * DAY),
            (volunteer.pk, None, check.pk, ReminderMilestone.DAYS_30, today + 20 * DAY),
        ]
        assert all(before <= r.created_at <= timezone.now() for r in rows)
        assert all(r.sent_at is not None for r in rows)  # each emailed by its task at commit

    def test_a_reminder_recorded_already_is_skipped_by_the_insert_not_an_error(
        self, volunteer, safeguarding, today
    ):
        # Two sweeps at once can both find a record unreminded; the unique constraint decides.
        record = expiring(volunteer, safeguarding, today + 7 * DAY)
        due = due_training(today)

        _record_reminders(due, "training_record_id", "expires_on", timezone.now())
        _record_reminders(due, "training_record_id", "expires_on", timezone.now())

        assert milestones(training_record=record) == [ReminderMilestone.DAYS_7]

    def test_more_reminders_than_one_insert_batch_are_recorded_and_enqueued_once_each(
        self, north, safeguarding, volunteers_need_safeguarding, today, django_capture_on_commit_callbacks
    ):
        # SQLite took about 140 rows per INSERT when the rows came through Python.
        for _ in range(150):
            person = MembershipFactory(partnership=north, start_date=today - 400 * DAY).person
            expiring(person, safeguarding, today + 20 * DAY)

        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            created = sweep_reminders(today=today)

        assert len(created) == 150 == len(callbacks)
        assert created == sorted(created)
        assert sweep_reminders(today=today) == []

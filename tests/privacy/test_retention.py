"""The retention job: what is past its time is anonymised or deleted, what is not stays, and
anonymised records keep what statistics need."""

import datetime

import pytest
from django.utils import timezone

from cms.models import AccessLogEntry
from members.enums import ApplicationStage
from members.models import Application, EqualityMonitoring, Person
from privacy.enums import RetentionAction
from privacy.models import RetentionPolicy, RetentionRun
from privacy.registry import RECORD_TYPES, get_record_type, tax_year_end_before
from privacy.services.retention import apply_policy, run_retention
from tests.factories import (
    ApplicationFactory,
    EqualityMonitoringFactory,
    MembershipFactory,
    PersonFactory,
)
from tests.workplans.feedback_factories import FeedbackItemFactory

from .factories import paid_claim, payment

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 30)


def ago(**kwargs) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(**kwargs)


def policy(key):
    return RetentionPolicy.objects.get(record_type=key)


def test_every_record_type_has_a_seeded_policy_with_an_allowed_action():
    seeded = {p.record_type: p for p in RetentionPolicy.objects.all()}
    for record in RECORD_TYPES:
        assert record.key in seeded, record.key
        assert seeded[record.key].action in record.actions, record.key
        assert seeded[record.key].months > 0


def test_declined_applications_past_their_time_lose_free_text_but_keep_stage_and_dates(north):
    old = ApplicationFactory(
        partnership=north,
        stage=ApplicationStage.DECLINED,
        decline_reason="Said unkind things about midwife Sarah",
        message="I had a traumatic birth at St Mary's",
        recruiter_notes="Lives with her mother",
        lived_experience=["neonatal"],
    )
    recent = ApplicationFactory(
        partnership=north, stage=ApplicationStage.WITHDRAWN, message="Moving away", recruiter_notes="x"
    )
    Application.objects.filter(pk=old.pk).update(stage_changed_at=ago(days=400))
    Application.objects.filter(pk=recent.pk).update(stage_changed_at=ago(days=200))

    count = apply_policy(get_record_type("closed_applications"), policy("closed_applications"), today=TODAY)

    assert count == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.message, old.recruiter_notes, old.lived_experience) == ("", "", [])
    assert "Sarah" not in old.decline_reason
    assert old.stage == ApplicationStage.DECLINED
    assert old.partnership == north
    assert recent.message == "Moving away"
    # Run again: nothing new to do.
    assert (
        apply_policy(get_record_type("closed_applications"), policy("closed_applications"), today=TODAY) == 0
    )


def test_people_who_left_long_ago_are_anonymised_keeping_district_and_memberships(north):
    leaver = PersonFactory(first_name="Amina", last_name="Khan", phone="07700 900123", postcode="NS1 2AB")
    Person.objects.filter(pk=leaver.pk).update(created_at=ago(days=2000))
    MembershipFactory(
        person=leaver,
        partnership=north,
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2023, 6, 30),
    )
    current = PersonFactory(first_name="Current")
    Person.objects.filter(pk=current.pk).update(created_at=ago(days=2000))
    MembershipFactory(person=current, partnership=north, start_date=datetime.date(2020, 1, 1))
    recent_leaver = PersonFactory(first_name="Recent")
    Person.objects.filter(pk=recent_leaver.pk).update(created_at=ago(days=2000))
    MembershipFactory(
        person=recent_leaver, partnership=north, start_date=datetime.date(2020, 1, 1), end_date=TODAY
    )

    count = apply_policy(get_record_type("leavers"), policy("leavers"), today=TODAY)

    assert count == 1
    leaver.refresh_from_db()
    assert leaver.first_name == "Erased person"
    assert "Khan" not in leaver.full_name
    assert leaver.phone == ""
    assert leaver.postcode == "NS1"
    assert leaver.email.endswith("@erased.invalid")
    assert leaver.memberships.get().partnership == north
    assert leaver.erasure.why == "retention"
    assert Person.objects.get(pk=current.pk).first_name == "Current"
    assert Person.objects.get(pk=recent_leaver.pk).first_name == "Recent"


def test_equality_answers_of_leavers_go_and_current_members_keep_theirs(north):
    leaver = PersonFactory()
    Person.objects.filter(pk=leaver.pk).update(created_at=ago(days=2000))
    MembershipFactory(
        person=leaver,
        partnership=north,
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2025, 1, 1),
    )
    EqualityMonitoringFactory(person=leaver, ethnicity="white_british", age_band="25_34")
    member = MembershipFactory(partnership=north).person
    EqualityMonitoringFactory(person=member, ethnicity="white_british")

    run = run_retention(today=TODAY)

    assert not EqualityMonitoring.objects.filter(person=leaver).exists()
    assert EqualityMonitoring.objects.filter(person=member).exists()
    assert run.counts["leavers_equality"]["count"] == 1


def test_anonymising_equality_keeps_only_the_age_band(north):
    leaver = PersonFactory()
    Person.objects.filter(pk=leaver.pk).update(created_at=ago(days=2000))
    EqualityMonitoringFactory(person=leaver, ethnicity="white_british", age_band="25_34", religion="none")
    RetentionPolicy.objects.filter(record_type="leavers_equality").update(action=RetentionAction.ANONYMISE)

    apply_policy(get_record_type("leavers_equality"), policy("leavers_equality"), today=TODAY)

    answers = EqualityMonitoring.objects.get(person=leaver)
    assert answers.age_band == "25_34"
    assert (answers.ethnicity, answers.religion) == ("", "")


def test_money_is_kept_six_years_after_the_end_of_its_tax_year(north, host_staff):
    person = MembershipFactory(partnership=north).person
    # Paid 5 April 2020: tax year 2019/20 ended that day; six years later is 5 April 2026.
    old_claim = paid_claim(person, north, datetime.date(2020, 4, 5))
    # Paid 6 April 2020: tax year 2020/21 ends 5 April 2021; kept until 5 April 2027.
    kept_claim = paid_claim(person, north, datetime.date(2020, 4, 6))
    old_payment = payment(person, north, host_staff, datetime.date(2019, 6, 1))
    kept_payment = payment(person, north, host_staff, datetime.date(2021, 6, 1))

    run_retention(today=TODAY)

    old_claim.refresh_from_db()
    kept_claim.refresh_from_db()
    old_payment.refresh_from_db()
    kept_payment.refresh_from_db()
    assert "Leeds" not in old_claim.purpose
    assert old_claim.payment_reference == ""
    assert old_claim.total == kept_claim.total  # amounts stay for the budget's history
    assert old_claim.claimant == person
    assert "Leeds" in kept_claim.purpose
    assert "Patel" not in old_payment.activity
    assert old_payment.amount == kept_payment.amount
    assert "Patel" in kept_payment.activity


def test_the_tax_year_end_before_a_day():
    assert tax_year_end_before(datetime.date(2026, 4, 6)) == datetime.date(2026, 4, 5)
    assert tax_year_end_before(datetime.date(2026, 4, 5)) == datetime.date(2025, 4, 5)


def test_feedback_loses_its_words_and_keeps_its_source_and_date(north):
    old = FeedbackItemFactory(
        partnership=north, received_on=datetime.date(2022, 1, 10), text="Midwife Jo was rude"
    )
    new = FeedbackItemFactory(partnership=north, received_on=datetime.date(2025, 1, 10), text="Lovely care")

    run_retention(today=TODAY)

    old.refresh_from_db()
    new.refresh_from_db()
    assert "Jo" not in old.text
    assert old.received_on == datetime.date(2022, 1, 10)
    assert new.text == "Lovely care"


def test_old_access_log_entries_are_deleted_by_the_job_only(host_staff, rf):
    from cms.access_log import record_access

    request = rf.get("/")
    request.user = host_staff
    old = record_access(request=request, action="view", obj=host_staff)
    recent = record_access(request=request, action="view", obj=host_staff)
    from django.db import connection

    # The access log refuses update(), so age the entry in SQL.
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AccessLogEntry._meta.db_table} SET at = %s WHERE id = %s",
            [timezone.now() - datetime.timedelta(days=3000), old.pk],
        )

    run_retention(today=timezone.localdate())

    assert not AccessLogEntry.objects.filter(pk=old.pk).exists()
    assert AccessLogEntry.objects.filter(pk=recent.pk).exists()


def test_an_inactive_policy_is_not_applied_and_every_run_is_recorded(north):
    old = FeedbackItemFactory(partnership=north, received_on=datetime.date(2020, 1, 10), text="Kept")
    RetentionPolicy.objects.filter(record_type="feedback_items").update(active=False)

    run = run_retention(today=TODAY)

    old.refresh_from_db()
    assert old.text == "Kept"
    assert RetentionRun.objects.filter(pk=run.pk, finished_at__isnull=False).exists()
    assert "feedback_items" not in run.counts


def test_the_job_works_in_batches_until_nothing_is_due(north):
    for day in range(5):
        FeedbackItemFactory(partnership=north, received_on=datetime.date(2020, 1, 1 + day), text="Old words")

    count = apply_policy(
        get_record_type("feedback_items"), policy("feedback_items"), today=TODAY, batch_size=2
    )

    assert count == 5


def test_the_beat_schedule_runs_the_retention_job():
    from django.conf import settings

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "privacy.tasks.apply_retention_policies" in tasks


def test_old_receipts_are_deleted_from_storage_and_the_items_stay(north, django_capture_on_commit_callbacks):
    from tests.workplans.money_factories import receipt
    from workplans.enums import ExpenseKind
    from workplans.models import ExpenseItem

    person = MembershipFactory(partnership=north).person
    claim = paid_claim(person, north, datetime.date(2019, 5, 1))
    item = ExpenseItem.objects.create(
        claim=claim,
        kind=ExpenseKind.FARES,
        spent_on=datetime.date(2019, 4, 20),
        description="Train",
        amount="12.40",
        receipt=receipt(),
    )
    storage, name = item.receipt.storage, item.receipt.name
    assert storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        run_retention(today=TODAY)

    item.refresh_from_db()
    assert item.receipt == ""
    assert str(item.amount) == "12.40"
    assert not storage.exists(name)


def test_closed_safeguarding_records_are_kept_for_decades_then_lose_their_narrative(north):
    from safeguarding.enums import ConcernStatus
    from safeguarding.models import Concern
    from tests.factories import ConcernFactory

    person = PersonFactory()
    old = ConcernFactory(
        partnership=north, allegation=True, subject_person=person, what_happened="He shouted"
    )
    recent = ConcernFactory(partnership=north, what_happened="She cried")
    Concern.objects.filter(pk=old.pk).update(
        status=ConcernStatus.CLOSED, closed_at=timezone.now() - datetime.timedelta(days=365 * 26)
    )
    Concern.objects.filter(pk=recent.pk).update(
        status=ConcernStatus.CLOSED, closed_at=timezone.now() - datetime.timedelta(days=365 * 20)
    )

    run_retention(today=timezone.localdate())

    old.refresh_from_db()
    recent.refresh_from_db()
    assert "shouted" not in old.what_happened
    assert old.who_described == ""
    assert old.subject_person == person  # the allegation still says whom it was about
    assert old.status == ConcernStatus.CLOSED
    assert recent.what_happened == "She cried"


def test_closed_cases_can_be_deleted_with_their_documents_when_the_host_chooses(north):
    from safeguarding.models import Case
    from tests.factories import CaseFactory

    case = CaseFactory(partnership=north)
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - datetime.timedelta(days=365 * 7))
    RetentionPolicy.objects.filter(record_type="grievance_cases").update(action=RetentionAction.DELETE)

    run = run_retention(today=timezone.localdate())

    assert not Case.objects.filter(pk=case.pk).exists()
    assert run.counts["grievance_cases"] == {
        "label": "Grievances and complaints",
        "action": "delete",
        "count": 1,
    }


def test_expired_sign_in_links_are_deleted(north):
    from volunteers.models import SignInLink

    person = PersonFactory()
    old = SignInLink.objects.create(
        person=person, token_hash="a" * 64, expires_at=timezone.now() - datetime.timedelta(days=60)
    )
    fresh = SignInLink.objects.create(
        person=person, token_hash="b" * 64, expires_at=timezone.now() + datetime.timedelta(minutes=30)
    )

    run_retention(today=timezone.localdate())

    assert not SignInLink.objects.filter(pk=old.pk).exists()
    assert SignInLink.objects.filter(pk=fresh.pk).exists()


def test_the_beat_task_runs_the_job_and_returns_how_many_records_it_handled(north):
    from privacy.tasks import apply_retention_policies

    FeedbackItemFactory(partnership=north, received_on=datetime.date(2010, 1, 1), text="Old words")

    assert apply_retention_policies.delay().get() == 1
    assert RetentionRun.objects.get().total == 1


def test_a_leaver_with_something_still_open_is_left_alone(north):
    from tests.factories import ConcernFactory

    leaver = PersonFactory(first_name="Open")
    Person.objects.filter(pk=leaver.pk).update(created_at=ago(days=2000))
    ConcernFactory(partnership=north, allegation=True, subject_person=leaver)

    apply_policy(get_record_type("leavers"), policy("leavers"), today=TODAY)

    assert Person.objects.get(pk=leaver.pk).first_name == "Open"

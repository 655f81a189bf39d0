"""Recording training and DBS checks: every write goes through here.

Each function is keyword-only, validates with ``full_clean`` and runs in a
transaction; where it records a decision it records who made it and when.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from cms.dates import add_months

from ..compliance_cache import forget_compliance
from ..enums import DBSDecision, DBSOutcome
from ..models import ComplianceSettings, Course, DBSCheck, Person, TrainingRecord, User

DBS_DETAILS_KEPT_MONTHS = 6


@transaction.atomic
def record_training(
    *,
    person: Person,
    course: Course,
    completed_on: datetime.date,
    acting_user: User | None,
    certificate=None,
    notes: str = "",
) -> TrainingRecord:
    """Record that ``person`` completed ``course``; the expiry follows from the course."""
    record = TrainingRecord(
        person=person,
        course=course,
        completed_on=completed_on,
        recorded_by=acting_user,
        notes=notes,
    )
    if certificate is not None:
        record.certificate = certificate
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def record_session(
    *,
    course: Course,
    completed_on: datetime.date,
    people,
    acting_user: User | None,
    notes: str = "",
) -> list[TrainingRecord]:
    """A trainer marks a whole session's attendees complete at once.

    Idempotent: someone already recorded for this course on this day is not recorded
    twice. Returns the records added.
    """
    probe = TrainingRecord(course=course, completed_on=completed_on)
    probe.clean()
    same_day = TrainingRecord.objects.filter(course=course, completed_on=completed_on, person__in=people)
    already = set(same_day.values_list("person_id", flat=True))
    expires_on = course.expiry_for(completed_on)
    records = [
        TrainingRecord(
            person=person,
            course=course,
            completed_on=completed_on,
            expires_on=expires_on,
            recorded_by=acting_user,
            notes=notes,
        )
        for person in people
        if person.pk not in already
    ]
    created = TrainingRecord.objects.bulk_create(records)
    forget_compliance()  # bulk_create sends no signals
    for record in created:  # the audit trail: each record's history says who added it
        log(record, "wagtail.create", user=acting_user)
    return created


def default_recheck_date(issued_on: datetime.date) -> datetime.date:
    return add_months(issued_on, ComplianceSettings.load().dbs_recheck_months)


@transaction.atomic
def record_dbs_check(*, check: DBSCheck, acting_user: User | None) -> DBSCheck:
    """Save a new or edited DBS check's metadata.

    A clear check is decided as it is recorded (by whoever records it); a check
    with information disclosed waits for :func:`decide_dbs_check`. The recheck date
    defaults from the issue date.
    """
    if check.recheck_due_on is None and check.issued_on:
        check.recheck_due_on = default_recheck_date(check.issued_on)
    if check.pk is None:
        check.recorded_by = acting_user
    if check.outcome == DBSOutcome.CLEAR:
        check.decision = ""
        if check.decided_at is None:
            check.decided_by, check.decided_at = acting_user, timezone.now()
    elif not check.decision:
        check.decided_by = check.decided_at = None
    check.full_clean()
    check.save()
    return check


@transaction.atomic
def decide_dbs_check(*, check: DBSCheck, decision: str, acting_user: User) -> DBSCheck:
    """Record the decision on a check that disclosed information: who decided, and when."""
    check.decision = DBSDecision(decision)
    check.decided_by = acting_user
    check.decided_at = timezone.now()
    check.full_clean()
    check.save(update_fields=["decision", "decided_by", "decided_at"])
    return check


def erase_old_dbs_details(now: datetime.datetime | None = None) -> int:
    """Blank certificate numbers six months after the decision; returns how many.

    DBS guidance: keep certificate information no longer than needed, normally no
    more than six months after the recruitment decision. The rest of the check
    (level, dates, outcome) stays, so compliance can still be shown.
    """
    now = now or timezone.now()
    cutoff = now - (now.date() - add_months(now.date(), -DBS_DETAILS_KEPT_MONTHS))
    return (
        DBSCheck.objects.filter(decided_at__lt=cutoff)
        .exclude(certificate_number="")
        .update(certificate_number="", details_erased_at=now)
    )

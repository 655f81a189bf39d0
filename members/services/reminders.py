"""Compliance reminders and the weekly digest: what is due is read from the database, each day.

A beat sweep (:func:`sweep_reminders`) finds every training completion and DBS check
that is about to stop counting, or has just stopped, for someone whose current role
needs it, and records one :class:`~members.models.ComplianceReminder` per record,
milestone and expiry date. The database's unique constraints on those rows are what
make the sweep idempotent: a second run (or two overlapping runs) finds the row and
sends nothing. Each new row is then emailed by its own task
(:func:`send_reminder`), which marks it sent.

The sweep works on 100,000 people and 500,000 records in a fixed number of queries:
every rule (latest completion, needed by a current role, not reminded yet) is an
``Exists`` subquery, and the milestone is a ``Case`` annotation, so nothing is asked
per row. See DESIGN.md, "Background work".
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.constants import OnConflict
from django.template.loader import render_to_string
from django.utils import timezone

from ..compliance import compliance_for
from ..enums import ComplianceState, DBSLevel, PartnershipRole, ReminderMilestone, Role
from ..models import (
    ComplianceDigest,
    ComplianceReminder,
    DBSCheck,
    Membership,
    PartnershipAccess,
    RoleRequirement,
    TrainingRecord,
    User,
)
from ..roles import group_name

DAY = datetime.timedelta(days=1)
FIRST_REMINDER_DAYS = 30  # ReminderMilestone.DAYS_30
LAST_REMINDER_DAYS = 7  # ReminderMilestone.DAYS_7
# A lapse is announced only while it is recent: when the feature first runs it must
# not write to everyone whose training ran out years ago.
LAPSED_REMINDER_DAYS = 30
# Unsent reminders this recent are enqueued again by the next sweep, in case their task
# was lost (a worker killed, a broker restarted). Sending is idempotent, so a task
# enqueued twice still sends once.
RESEND_UNSENT_WITHIN = datetime.timedelta(days=3)
# The digest names people needing attention, up to this many per MNVP; the compliance
# report has the rest.
DIGEST_NAMES_PER_MNVP = 50


# Candidates -----------------------------------------------------------------------------


def _milestone(date_field: str, today: datetime.date) -> Case:
    """The milestone due today for an expiry on ``date_field``: only the current one.

    A sweep that missed some days sends the 7-day reminder, never a stale 30-day one.
    The expiry date is the day a completion stops counting, so on that day it has lapsed.
    """
    return Case(
        When(**{f"{date_field}__lte": today}, then=Value(ReminderMilestone.LAPSED.value)),
        When(
            **{f"{date_field}__lte": today + LAST_REMINDER_DAYS * DAY},
            then=Value(ReminderMilestone.DAYS_7.value),
        ),
        default=Value(ReminderMilestone.DAYS_30.value),
        output_field=CharField(),
    )


def _window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    return today - LAPSED_REMINDER_DAYS * DAY, today + FIRST_REMINDER_DAYS * DAY


def _training_counts_q(prefix: str = "") -> Q:
    """A completion counts unless its course asks for a certificate and none was uploaded."""
    return ~Q(**{f"{prefix}course__certificate_required": True, f"{prefix}certificate": ""})


def due_training(today: datetime.date) -> QuerySet:
    """Training records about to stop counting (or just stopped), annotated with their milestone.

    Only the completion that keeps its holder cleared longest is reminded about (the
    same one :func:`members.compliance.compliance_for` counts): a renewed course, or
    one completed again, has a record that expires later (or never), so the old one is
    left alone. Only people whose current role needs the course are reminded.
    """
    superseded_by = TrainingRecord.objects.filter(
        _training_counts_q(),
        person=OuterRef("person"),
        course=OuterRef("course"),
    ).filter(
        Q(expires_on__isnull=True)
        | Q(expires_on__gt=OuterRef("expires_on"))
        | Q(expires_on=OuterRef("expires_on"), pk__gt=OuterRef("pk"))  # a duplicate: remind once
    )
    needed_by_current_role = Membership.objects.current(today).filter(
        person=OuterRef("person"),
        role__in=RoleRequirement.objects.filter(courses=OuterRef(OuterRef("course"))).values("role"),
    )
    return (
        TrainingRecord.objects.filter(_training_counts_q(), expires_on__range=_window(today))
        .filter(~Exists(superseded_by), Exists(needed_by_current_role))
        .annotate(milestone=_milestone("expires_on", today))
    )


def due_dbs_checks(today: datetime.date) -> QuerySet:
    """Cleared DBS checks whose recheck is near (or just passed), annotated with their milestone.

    Only each person's latest-issued cleared check counts: a newer one (even one on the
    update service, with no recheck date) replaces it. Only people whose current role
    needs a DBS check are reminded.
    """
    superseded_by = DBSCheck.objects.filter(DBSCheck.cleared_q(), person=OuterRef("person")).filter(
        Q(issued_on__gt=OuterRef("issued_on")) | Q(issued_on=OuterRef("issued_on"), pk__gt=OuterRef("pk"))
    )
    needed_by_current_role = Membership.objects.current(today).filter(
        person=OuterRef("person"),
        role__in=RoleRequirement.objects.exclude(dbs_level="").values("role"),
    )
    return (
        DBSCheck.objects.filter(DBSCheck.cleared_q(), recheck_due_on__range=_window(today))
        .filter(~Exists(superseded_by), Exists(needed_by_current_role))
        .annotate(milestone=_milestone("recheck_due_on", today))
    )


def _record_reminders(due: QuerySet, about: str, expires_on: str, created_at: datetime.datetime) -> None:
    """Insert one reminder per due row in one ``INSERT ... SELECT``: the database copies the rows.

    ``about`` is the reminder's column for the record (``training_record_id`` or
    ``dbs_check_id``) and ``expires_on`` the record's date that the reminder keeps. No row
    comes to Python and no model instance is built. The unique constraints have the final
    word: a reminder recorded already (by an earlier or a concurrent sweep) is skipped,
    as ``bulk_create(ignore_conflicts=True)`` would skip it, in the backend's own words
    for that (``INSERT OR IGNORE`` on SQLite, ``ON CONFLICT DO NOTHING`` on PostgreSQL).
    """
    columns = {
        "person_id": F("person_id"),
        about: F("pk"),
        "milestone": F("milestone"),
        "expires_on": F(expires_on),
        "created_at": Value(created_at, output_field=DateTimeField()),
    }
    # Aliases that no model field has; the compiled SELECT says in which order it gives them.
    rows = due.order_by().values(**{f"new_{column}": expression for column, expression in columns.items()})
    compiler = rows.query.get_compiler(connection=connection)
    select_sql, params = compiler.as_sql()
    selected = [alias.removeprefix("new_") for _expression, _sql, alias in compiler.select]
    assert sorted(selected) == sorted(columns), selected
    ops = connection.ops
    table = ComplianceReminder._meta.db_table
    sql = "{insert} {table} ({columns}) {select} {on_conflict}".format(
        insert=ops.insert_statement(on_conflict=OnConflict.IGNORE),
        table=ops.quote_name(table),
        columns=", ".join(ops.quote_name(column) for column in selected),
        select=select_sql,
        on_conflict=ops.on_conflict_suffix_sql([], OnConflict.IGNORE, update_fields=None, unique_fields=None),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def sweep_reminders(*, today: datetime.date | None = None) -> list[int]:
    """Record the reminders due today and enqueue one email for each; return the new rows' ids.

    Beat runs this daily. Three queries whatever the number of people or records: the
    database inserts the due training reminders and the due DBS reminders itself (one
    ``INSERT ... SELECT`` each, see :func:`_record_reminders`), and one query reads back
    the unsent ones. The unique constraints have the final word, so two sweeps running
    at once create each reminder once.
    """
    today = today or timezone.localdate()
    started = timezone.now()

    reminded_training = ComplianceReminder.objects.filter(
        training_record=OuterRef("pk"), milestone=OuterRef("milestone"), expires_on=OuterRef("expires_on")
    )
    reminded_dbs = ComplianceReminder.objects.filter(
        dbs_check=OuterRef("pk"), milestone=OuterRef("milestone"), expires_on=OuterRef("recheck_due_on")
    )
    training = due_training(today).filter(~Exists(reminded_training))
    dbs = due_dbs_checks(today).filter(~Exists(reminded_dbs))
    # Every new row is created at ``started``, so the read-back below tells them apart.
    with transaction.atomic():
        _record_reminders(training, "training_record_id", "expires_on", started)
        _record_reminders(dbs, "dbs_check_id", "recheck_due_on", started)

    # The inserts return no ids, so read back what is unsent: this sweep's rows, and any
    # recent ones whose task went missing.
    unsent = (
        ComplianceReminder.objects.filter(
            sent_at__isnull=True, created_at__gte=started - RESEND_UNSENT_WITHIN
        )
        .annotate(is_new=ExpressionWrapper(Q(created_at__gte=started), output_field=BooleanField()))
        .order_by("pk")
        .values_list("pk", "is_new")
    )
    created = []
    from ..tasks import send_compliance_reminder  # tasks import this module

    enqueue = send_compliance_reminder.delay_on_commit  # looked up once, not once per reminder
    for pk, is_new in unsent:
        if is_new:
            created.append(pk)
        enqueue(pk)
    return created


# Sending one reminder -------------------------------------------------------------------


@dataclass
class ReminderEmail:
    """What a reminder is about, in the words the emails use."""

    reminder: ComplianceReminder
    what: str  # "Safeguarding level 2 training", "Enhanced DBS check"
    is_dbs: bool
    today: datetime.date

    @property
    def days_left(self) -> int:
        return (self.reminder.expires_on - self.today).days

    @property
    def lapsed(self) -> bool:
        return self.reminder.milestone == ReminderMilestone.LAPSED

    def context(self, **extra) -> dict:
        return {
            "person": self.reminder.person,
            "what": self.what,
            "is_dbs": self.is_dbs,
            "lapsed": self.lapsed,
            "expires_on": self.reminder.expires_on,
            "days_left": self.days_left,
            **extra,
        }


def _about(reminder: ComplianceReminder, today: datetime.date) -> ReminderEmail:
    if reminder.dbs_check_id:
        # The level only: a DBS email never carries the certificate number.
        return ReminderEmail(reminder, f"{DBSLevel(reminder.dbs_check.level).label} DBS check", True, today)
    return ReminderEmail(reminder, f"{reminder.training_record.course.name} training", False, today)


def _still_due(reminder: ComplianceReminder, today: datetime.date) -> bool:
    """Whether the record is still the one to remind about, with the same expiry (one query).

    Between the sweep and the send (minutes, or days for a resent reminder) a course
    may have been renewed, a date corrected, or a membership ended.
    """
    if reminder.dbs_check_id:
        due = due_dbs_checks(today).filter(pk=reminder.dbs_check_id, recheck_due_on=reminder.expires_on)
    else:
        due = due_training(today).filter(pk=reminder.training_record_id, expires_on=reminder.expires_on)
    return due.exists()


def _leads_of(person_id: int, today: datetime.date) -> dict[User, list[str]]:
    """The active leads (with an email address) of the person's current MNVPs, and which MNVPs."""
    access = (
        PartnershipAccess.objects.filter(
            role=PartnershipRole.MNVP_LEAD,
            partnership__in=Membership.objects.current(today)
            .filter(person_id=person_id)
            .values("partnership"),
            user__is_active=True,
        )
        .exclude(user__email="")
        .select_related("user", "partnership")
        .order_by("partnership__name")
    )
    leads = defaultdict(list)
    for row in access:
        leads[row.user].append(row.partnership.name)
    return leads


def _subject(about: ReminderEmail, *, for_lead: bool) -> str:
    when = f"{about.reminder.expires_on.day} {about.reminder.expires_on:%B %Y}"
    who = f"{about.reminder.person.full_name}: " if for_lead else "Your "
    if about.is_dbs:
        return f"{who}{about.what}: recheck {'was due' if about.lapsed else 'due'} on {when}"
    if about.lapsed:
        return f"{who}{about.what} has expired"
    return f"{who}{about.what} expires on {when}"


def send_reminder(reminder_id: int, *, today: datetime.date | None = None) -> bool:
    """Email a reminder to the person and to the leads of their current MNVPs, once.

    Idempotent: the row is locked while it is sent and marked sent in the same
    transaction, so a task run twice (a retry, or a reminder enqueued by two sweeps)
    sends once. If the mail server fails, the transaction rolls back and the task's
    retry sends everything again.

    One message to the person and a separate one to each lead, rather than one message
    with the leads copied: each is written to its reader, and a lead sees only their
    own MNVP, not the person's other MNVPs or those MNVPs' leads' addresses.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        reminder = (
            ComplianceReminder.objects.select_for_update(of=("self",))
            .select_related("person", "training_record__course", "dbs_check")
            .filter(pk=reminder_id, sent_at__isnull=True)
            .first()
        )
        if reminder is None:  # sent already, or deleted with its record
            return False
        if not _still_due(reminder, today):
            return False
        about = _about(reminder, today)
        person = reminder.person
        messages = []
        if person.email:
            messages.append(
                EmailMessage(
                    subject=_subject(about, for_lead=False),
                    body=render_to_string("members/email/compliance_reminder.txt", about.context()),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[person.email],
                )
            )
        for lead, partnerships in _leads_of(person.pk, today).items():
            if lead.email.lower() == person.email:  # a lead reminded about their own record
                continue
            messages.append(
                EmailMessage(
                    subject=_subject(about, for_lead=True),
                    body=render_to_string(
                        "members/email/compliance_reminder_lead.txt",
                        about.context(lead=lead, partnerships=partnerships),
                    ),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[lead.email],
                )
            )
        if messages:
            get_connection().send_messages(messages)
        reminder.sent_at = timezone.now()
        reminder.save(update_fields=["sent_at"])
    return True


# The weekly digest ----------------------------------------------------------------------


@dataclass
class PartnershipSummary:
    """One MNVP's line in the digest: counts by state, and who needs attention."""

    name: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ComplianceState.values, 0))
    attention: list[tuple[str, str, list[str]]] = field(default_factory=list)  # (name, state, reasons)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def more(self) -> int:
        needing = self.counts[ComplianceState.LAPSED] + self.counts[ComplianceState.MISSING]
        return needing - len(self.attention)


def digest_summary(today: datetime.date) -> list[PartnershipSummary]:
    """Each MNVP's current members by compliance state, with the lapsed and missing named.

    Seven queries whatever the number of members (five of them in
    :func:`~members.compliance.compliance_for`).
    """
    current = Membership.objects.current(today)
    compliance = compliance_for(current, on=today)
    rows = current.order_by(
        "partnership__name", "person__last_name", "person__first_name", "person_id"
    ).values_list("partnership__name", "person_id", "person__first_name", "person__last_name")
    summaries: dict[str, PartnershipSummary] = {}
    seen = set()
    for partnership_name, person_id, first_name, last_name in rows:
        if (partnership_name, person_id) in seen:  # two roles in one MNVP: counted once
            continue
        seen.add((partnership_name, person_id))
        summary = summaries.setdefault(partnership_name, PartnershipSummary(partnership_name))
        person = compliance.get(person_id)
        state = person.state if person else ComplianceState.CLEARED
        summary.counts[state] += 1
        needs_attention = state in (ComplianceState.LAPSED, ComplianceState.MISSING)
        if needs_attention and len(summary.attention) < DIGEST_NAMES_PER_MNVP:
            full_name = f"{first_name} {last_name}".strip()
            summary.attention.append((full_name, ComplianceState(state).label, person.reasons))
    return list(summaries.values())


def monday_of(day: datetime.date) -> datetime.date:
    return day - day.weekday() * DAY


def send_weekly_digest(*, today: datetime.date | None = None) -> ComplianceDigest | None:
    """Email the week's compliance summary to every active host staff user, once per ISO week.

    The week's :class:`~members.models.ComplianceDigest` row is created first, in the
    same transaction as the sending: a second run that week meets the unique week and
    sends nothing, and a mail failure rolls the row back so a retry sends it. Returns
    the digest, or None when this week's has gone already.
    """
    today = today or timezone.localdate()
    week_starting = monday_of(today)
    with transaction.atomic():
        try:
            with transaction.atomic():
                digest = ComplianceDigest.objects.create(week_starting=week_starting)
        except IntegrityError:
            return None
        recipients = list(
            User.objects.filter(is_active=True, groups__name=group_name(Role.HOST_STAFF))
            .exclude(email="")
            .order_by("email")
            .values_list("email", flat=True)
            .distinct()
        )
        if recipients:
            body = render_to_string(
                "members/email/compliance_digest.txt",
                {"week_starting": week_starting, "today": today, "summaries": digest_summary(today)},
            )
            subject = f"Training and DBS compliance: week of {week_starting.day} {week_starting:%B %Y}"
            get_connection().send_messages(
                [
                    EmailMessage(
                        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[email]
                    )
                    for email in recipients
                ]
            )
        digest.recipients = len(recipients)
        digest.save(update_fields=["recipients"])
    return digest

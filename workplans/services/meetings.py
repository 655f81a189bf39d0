"""Writes to meetings and who attended them; attendance raises involvement payments.

Rules enforced here (issue 10, "Meetings and representation"):

* a meeting belongs to one MNVP; its committee is that MNVP's own or a host-level
  one (``partnership`` empty), never another MNVP's;
* only someone holding a current membership of the meeting's MNVP on the day may
  be recorded as attending;
* attending is what raises a PPV category C member's involvement payment, through
  :mod:`workplans.services.payments` (its gates and the rate in force apply), so it
  is never typed twice. One attendance holds at most one payment: changing the
  length corrects that payment, removing the attendance cancels it;
* a category C member whose benefits advice is not recorded yet is recorded as
  attending, and their payment waits: saving the attendance again once the advice
  is recorded raises it (once). Categories A and B are never paid.

Involvement payments are host work (:mod:`workplans.services.payments`): when a
lead records a category C member's attendance, the payment waits for host staff to
save the attendance again; a lead cannot change or remove an attendance whose
payment has been raised.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from members.enums import PPVCategory
from members.models import Membership, Person, User
from members.scoping import user_can

from ..enums import BudgetCategory, PaymentStatus
from ..models import (
    BenefitsAdviceRecord,
    BudgetLine,
    Committee,
    FeedbackTheme,
    Meeting,
    MeetingAttendance,
    Milestone,
)
from ..models.plans import financial_year_of
from . import payments as payment_services

ADD_MEETING = "workplans.add_meeting"
CHANGE_MEETING = "workplans.change_meeting"
DELETE_MEETING = "workplans.delete_meeting"
ADD_ATTENDANCE = "workplans.add_meetingattendance"
CHANGE_ATTENDANCE = "workplans.change_meetingattendance"


def _require(user, permission: str, meeting: Meeting) -> None:
    """The role's model permission, and the meeting's MNVP within what the user may change."""
    if not user.has_perm(permission) or not user_can(user, "change", meeting):
        raise PermissionDenied


# Meetings ---------------------------------------------------------------------------------


def _check_meeting(meeting: Meeting, milestones: Iterable[Milestone]) -> None:
    committee = meeting.committee
    if committee.partnership_id is not None and committee.partnership_id != meeting.partnership_id:
        raise ValidationError(
            {
                "committee": f"{committee} is another MNVP's committee: choose one of this MNVP's "
                "or a host one."
            }
        )
    if any(m.objective.workplan.partnership_id != meeting.partnership_id for m in milestones):
        raise ValidationError({"milestones": "Choose milestones of this MNVP's workplan."})
    if meeting.pk is None:
        return
    before = Meeting.objects.get(pk=meeting.pk)
    attendances = MeetingAttendance.objects.filter(meeting=meeting)
    if before.partnership_id != meeting.partnership_id and attendances.exists():
        raise ValidationError(
            {
                "partnership": "Its representatives are this MNVP's members: remove them before "
                "moving the meeting."
            }
        )
    if (before.held_on, before.committee_id) != (
        meeting.held_on,
        meeting.committee_id,
    ) and attendances.filter(payment__isnull=False).exclude(payment__status=PaymentStatus.CANCELLED).exists():
        raise ValidationError(
            "Involvement payments were raised for this meeting on its date and committee: remove the "
            "attendances (cancelling their payments) before changing either."
        )


@transaction.atomic
def save_meeting(
    *,
    meeting: Meeting,
    acting_user: User,
    milestones: Iterable[Milestone] | None = None,
    themes: Iterable[FeedbackTheme] | None = None,
) -> Meeting:
    """Save a new or edited meeting (from the admin form) with its milestones and themes.

    ``None`` for milestones or themes leaves them as they are.
    """
    if meeting.pk is not None:
        # The meeting as stored must be the user's to change, as well as the one they are saving.
        _require(acting_user, CHANGE_MEETING, Meeting.objects.get(pk=meeting.pk))
    _require(acting_user, CHANGE_MEETING if meeting.pk else ADD_MEETING, meeting)
    milestones = None if milestones is None else list(milestones)
    _check_meeting(meeting, milestones or [])
    if meeting.pk is None:
        meeting.created_by = acting_user
    # ``quorate`` may be unknown (None): the column allows it, though the field lacks blank=True.
    meeting.full_clean(exclude=["quorate"] if meeting.quorate is None else None)
    meeting.save()
    if milestones is not None:
        meeting.milestones.set(milestones)
    if themes is not None:
        meeting.themes.set(list(themes))
    return meeting


def record_meeting(
    *,
    committee: Committee,
    partnership,
    held_on: datetime.date,
    quorate: bool | None,
    raised: str = "",
    influenced: str = "",
    milestones: Iterable[Milestone] = (),
    themes: Iterable[FeedbackTheme] = (),
    acting_user: User,
) -> Meeting:
    """Record a meeting of ``committee`` at which ``partnership`` was (or should have been) represented.

    A lead records meetings of their own MNVP only; another MNVP's committee is refused.
    """
    meeting = Meeting(
        committee=committee,
        partnership=partnership,
        held_on=held_on,
        quorate=quorate,
        raised=raised,
        influenced=influenced,
    )
    return save_meeting(meeting=meeting, acting_user=acting_user, milestones=milestones, themes=themes)


@transaction.atomic
def delete_meeting(*, meeting: Meeting, acting_user: User) -> None:
    """Delete a meeting, cancelling the unpaid payments its attendances raised (refused if one is paid)."""
    _require(acting_user, DELETE_MEETING, meeting)
    for attendance in MeetingAttendance.objects.filter(meeting=meeting).select_related("payment"):
        _cancel_attendance_payment(attendance, acting_user)
    meeting.delete()


# Attendance -------------------------------------------------------------------------------


def eligible_representatives(meeting: Meeting):
    """People who may be recorded: a current membership of the meeting's MNVP on its day."""
    members = Membership.objects.current(meeting.held_on).filter(partnership=meeting.partnership_id)
    return Person.objects.filter(pk__in=members.values("person_id")).order_by("last_name", "first_name")


def payment_activity(meeting: Meeting) -> str:
    """What the payment says it was for: the committee and the date."""
    return f"{meeting.committee.name}, {meeting.held_on:%d %B %Y}"


def _involvement_budget_line(meeting: Meeting) -> BudgetLine | None:
    # Charged to the "LMNS meeting involvement" line of the year's workplan, where it has one.
    return (
        BudgetLine.objects.filter(
            workplan__partnership=meeting.partnership_id,
            workplan__year=financial_year_of(meeting.held_on),
            category=BudgetCategory.LMNS_INVOLVEMENT,
        )
        .order_by("description", "pk")
        .first()
    )


def _live(payment) -> bool:
    return payment is not None and payment.status != PaymentStatus.CANCELLED


def _raise_payment_if_due(attendance: MeetingAttendance, acting_user: User) -> None:
    """Raise the attendance's payment when every gate is passed; otherwise leave it waiting."""
    meeting, person = attendance.meeting, attendance.person
    if attendance.payment_id is not None:
        return  # one payment per attendance: a cancelled one stays cancelled
    if not payment_services.may_be_paid(person, meeting.partnership, meeting.held_on):
        return  # category A or B: expenses at most, never an involvement payment
    if not BenefitsAdviceRecord.objects.filter(person=person).exists():
        return  # waits for the advice; saving again afterwards raises it
    if not acting_user.has_perm(payment_services.ADD_PERMISSION):
        return  # a lead recorded it: host staff raise the payment by saving it again
    attendance.payment = payment_services.record_involvement_payment(
        person=person,
        partnership=meeting.partnership,
        activity=payment_activity(meeting),
        activity_on=meeting.held_on,
        length=attendance.length,
        acting_user=acting_user,
        budget_line=_involvement_budget_line(meeting),
    )
    attendance.save(update_fields=["payment"])


def _host_must_handle(payment, what: str) -> ValidationError:
    return ValidationError(
        f"An involvement payment (£{payment.amount}, {payment.get_status_display().lower()}) was raised "
        f"for this attendance: ask host staff to {what}."
    )


@transaction.atomic
def set_attendance(*, meeting: Meeting, person: Person, length: str, acting_user: User) -> MeetingAttendance:
    """Record that ``person`` represented the MNVP at ``meeting`` for ``length`` (or correct it).

    Recording the same person again edits their attendance: a changed length corrects
    its payment. A category C member's payment is raised once every gate is passed.
    """
    existing = (
        MeetingAttendance.objects.select_for_update(of=("self",))
        .select_related("payment")
        .filter(meeting=meeting, person=person)
        .first()
    )
    _require(acting_user, CHANGE_ATTENDANCE if existing else ADD_ATTENDANCE, meeting)
    if meeting.held_on > timezone.localdate():
        raise ValidationError("Record who attended once the meeting has taken place.")
    if not eligible_representatives(meeting).filter(pk=person.pk).exists():
        raise ValidationError(
            {
                "person": f"{person} held no membership of {meeting.partnership} on "
                f"{meeting.held_on:%d %B %Y}: only its members represent it."
            }
        )
    attendance = existing or MeetingAttendance(meeting=meeting, person=person)
    if existing and existing.length != length and _live(existing.payment):
        if not acting_user.has_perm(payment_services.CHANGE_PERMISSION):
            raise _host_must_handle(existing.payment, "change its length")
        attendance.payment = payment_services.correct_payment_length(
            payment=existing.payment, length=length, acting_user=acting_user
        )
    attendance.length = length
    attendance.full_clean()
    attendance.save()
    _raise_payment_if_due(attendance, acting_user)
    return attendance


def _cancel_attendance_payment(attendance: MeetingAttendance, acting_user: User) -> None:
    payment = attendance.payment
    if not _live(payment):
        return
    if payment.status == PaymentStatus.PAID:
        raise ValidationError(
            f"{attendance.person} has been paid £{payment.amount} for this meeting: the attendance stays."
        )
    if not acting_user.has_perm(payment_services.CHANGE_PERMISSION):
        raise _host_must_handle(payment, "remove it")
    payment_services.cancel_payment(payment=payment, acting_user=acting_user)


@transaction.atomic
def remove_attendance(*, attendance: MeetingAttendance, acting_user: User) -> None:
    """Remove an attendance recorded in error; its unpaid payment is cancelled, a paid one refuses."""
    _require(acting_user, CHANGE_ATTENDANCE, attendance.meeting)
    attendance = (
        MeetingAttendance.objects.select_for_update(of=("self",))
        .select_related("payment", "person")
        .get(pk=attendance.pk)
    )
    _cancel_attendance_payment(attendance, acting_user)
    attendance.delete()


# Payment state, for the meeting's page ----------------------------------------------------


@dataclass(frozen=True)
class AttendanceRow:
    attendance: MeetingAttendance
    state: str  # paid, approved, cancelled, waiting_advice, waiting_host, not_paid
    label: str


def attendance_rows(meeting: Meeting) -> list[AttendanceRow]:
    """Each attendance with what became of its payment. Three queries, whatever the count."""
    attendances = list(meeting.attendances.select_related("person", "payment").order_by("person__last_name"))
    people = [a.person_id for a in attendances]
    category_c = set(
        Membership.objects.current(meeting.held_on)
        .filter(partnership=meeting.partnership_id, person__in=people, ppv_category=PPVCategory.C)
        .values_list("person_id", flat=True)
    )
    advised = set(BenefitsAdviceRecord.objects.filter(person__in=people).values_list("person_id", flat=True))
    rows = []
    for attendance in attendances:
        payment = attendance.payment
        if payment is not None:
            state = payment.status
            label = f"£{payment.amount} {payment.get_status_display().lower()}"
        elif attendance.person_id not in category_c:
            state, label = "not_paid", "No involvement payment (not category C)"
        elif attendance.person_id not in advised:
            state, label = "waiting_advice", "Payment waiting for the benefits advice to be recorded"
        else:
            state, label = "waiting_host", "Payment waiting for host staff to approve (save the attendance)"
        rows.append(AttendanceRow(attendance, state, label))
    return rows

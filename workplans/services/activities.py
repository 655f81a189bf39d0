"""Writes to engagement activities: volunteers and hours, readiness, reach, themes, actions.

Each service is keyword-only, runs in one transaction, validates with ``full_clean``
and writes a Wagtail log entry beside the change (STYLE.md, points 4 and 5). Each
checks who may act, whatever view called it: the model permission of its role, and
the activity's MNVP within the user's scope (``PermissionDenied`` otherwise).

An activity moves through explicit states (:data:`ALLOWED_MOVES`): planned, then
ready to go ahead (only with a risk assessment approved and current on the day,
NHS England's MNVP guidance 2.6), then done, with a way to cancel from either.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from members.enums import EQUALITY_QUESTION_CHOICES, EqualityQuestion
from members.models import Membership, Person
from members.scoping import user_can

from ..enums import ActionStatus, ActivityStatus, Theme
from ..models import ActivityReach, ActivityVolunteer, EngagementActivity, YouSaidWeDid

try:  # the safeguarding app's own rule, where it is installed with this release
    from safeguarding.services.risk import activity_may_go_ahead
except ImportError:  # pragma: no cover - an older safeguarding app

    def activity_may_go_ahead(risk_assessment, on: datetime.date) -> tuple[bool, str]:
        if risk_assessment is None:
            return False, "It has no risk assessment."
        if risk_assessment.approved_at is None:
            return False, f"Its risk assessment “{risk_assessment.title}” has not been approved."
        if risk_assessment.review_on < on:
            return False, f"Its risk assessment “{risk_assessment.title}” lapses before the activity."
        return True, f"Its risk assessment “{risk_assessment.title}” is approved and current."


# Where an activity may go from each state. Done and cancelled are final.
ALLOWED_MOVES: dict[str, frozenset[str]] = {
    ActivityStatus.PLANNED: frozenset({ActivityStatus.READY, ActivityStatus.CANCELLED}),
    ActivityStatus.READY: frozenset({ActivityStatus.DONE, ActivityStatus.CANCELLED, ActivityStatus.PLANNED}),
    ActivityStatus.DONE: frozenset(),
    ActivityStatus.CANCELLED: frozenset(),
}

READY_LOG_ACTION = "workplans.activity_ready"
DONE_LOG_ACTION = "workplans.activity_done"
VOLUNTEER_LOG_ACTION = "workplans.activity_volunteer"
REACH_LOG_ACTION = "workplans.activity_reach"
MAX_HOURS = Decimal("24")


def _require(user, permission: str, activity_or_action) -> None:
    """The role's model permission, and the record's MNVP within what the user may change."""
    if not user.has_perm(permission) or not user_can(user, "change", activity_or_action):
        raise PermissionDenied


def _locked(activity: EngagementActivity) -> EngagementActivity:
    return EngagementActivity.objects.select_for_update().get(pk=activity.pk)


def _move(activity: EngagementActivity, to: str) -> None:
    if to not in ALLOWED_MOVES[activity.status]:
        raise ValidationError(
            f"An activity that is {activity.get_status_display().lower()} cannot become "
            f"{ActivityStatus(to).label.lower()}."
        )
    activity.status = to


# The activity itself ----------------------------------------------------------------------


@transaction.atomic
def save_activity(*, activity: EngagementActivity, acting_user) -> EngagementActivity:
    """Create or update an activity's details (its status moves only through the services below).

    A new activity starts planned. Its milestone and risk assessment must be its own
    MNVP's. A ready activity whose risk assessment no longer covers its day (moved to
    a later date, say, or given another assessment) goes back to planned.
    """
    is_new = activity.pk is None
    permission = "workplans.add_engagementactivity" if is_new else "workplans.change_engagementactivity"
    _require(acting_user, permission, activity)
    if is_new:
        activity.status = ActivityStatus.PLANNED
    else:
        stored = _locked(activity)
        if not user_can(acting_user, "change", stored):  # moved in from another MNVP's activity
            raise PermissionDenied
        activity.status = stored.status
    if (
        activity.milestone_id
        and activity.milestone.objective.workplan.partnership_id != activity.partnership_id
    ):
        raise ValidationError({"milestone": "Choose a milestone of this MNVP's workplan."})
    if activity.risk_assessment_id and activity.risk_assessment.partnership_id != activity.partnership_id:
        raise ValidationError({"risk_assessment": "Choose a risk assessment of this MNVP."})
    if activity.status == ActivityStatus.READY and not readiness(activity)[0]:
        activity.status = ActivityStatus.PLANNED
    activity.full_clean()
    activity.save()
    log(activity, "wagtail.create" if is_new else "wagtail.edit", user=acting_user)
    return activity


# Volunteers ------------------------------------------------------------------------------


def eligible_volunteers(activity: EngagementActivity):
    """People who may take part: a current membership of the activity's MNVP on its day."""
    members = Membership.objects.current(activity.held_on).filter(partnership=activity.partnership_id)
    return Person.objects.filter(pk__in=members.values("person_id")).order_by("last_name", "first_name")


@transaction.atomic
def record_activity_volunteer(
    *, activity: EngagementActivity, person: Person, hours: Decimal, acting_user
) -> ActivityVolunteer:
    """Record that ``person`` took part in ``activity`` (or will), giving ``hours``.

    Only someone with a current membership of the activity's MNVP on the day may be
    recorded. Recording the same person again corrects their hours rather than
    adding a second row.
    """
    _require(acting_user, "workplans.add_activityvolunteer", activity)
    activity = _locked(activity)
    if activity.status == ActivityStatus.CANCELLED:
        raise ValidationError("The activity was cancelled: nobody took part.")
    if not eligible_volunteers(activity).filter(pk=person.pk).exists():
        raise ValidationError(
            {"person": f"{person} has no current membership of {activity.partnership} on that day."}
        )
    hours = Decimal(hours)
    if hours > MAX_HOURS:
        raise ValidationError({"hours": "Give the hours of this one activity: at most 24."})
    volunteer = ActivityVolunteer.objects.filter(activity=activity, person=person).first()
    volunteer = volunteer or ActivityVolunteer(activity=activity, person=person)
    volunteer.hours = hours
    volunteer.full_clean()
    volunteer.save()
    log(activity, VOLUNTEER_LOG_ACTION, user=acting_user, data={"person": person.pk, "hours": str(hours)})
    return volunteer


@transaction.atomic
def remove_activity_volunteer(*, volunteer: ActivityVolunteer, acting_user) -> None:
    """Take a volunteer off an activity (recorded by mistake, or did not come)."""
    _require(acting_user, "workplans.change_activityvolunteer", volunteer.activity)
    activity = volunteer.activity
    volunteer.delete()
    log(activity, VOLUNTEER_LOG_ACTION, user=acting_user, data={"removed": True})


# Readiness and completion -----------------------------------------------------------------


def readiness(activity: EngagementActivity) -> tuple[bool, str]:
    """Whether ``activity`` may be marked ready, and why (or why not): its risk assessment on the day."""
    risk_assessment = activity.risk_assessment
    if risk_assessment is not None and risk_assessment.partnership_id != activity.partnership_id:
        return False, f"Its risk assessment “{risk_assessment.title}” belongs to another MNVP."
    return activity_may_go_ahead(risk_assessment, activity.held_on)


@transaction.atomic
def mark_activity_ready(*, activity: EngagementActivity, acting_user) -> EngagementActivity:
    """Mark a planned activity ready to go ahead.

    Refused, saying why, while its risk assessment is missing, not approved, or past
    its review date on the day of the activity.
    """
    _require(acting_user, "workplans.change_engagementactivity", activity)
    activity = _locked(activity)
    may_go_ahead, reason = readiness(activity)
    if not may_go_ahead:
        raise ValidationError(f"{activity.title} cannot be marked ready. {reason}")
    _move(activity, ActivityStatus.READY)
    activity.save(update_fields=["status"])
    log(activity, READY_LOG_ACTION, user=acting_user, data={"risk_assessment": activity.risk_assessment_id})
    return activity


@transaction.atomic
def mark_activity_done(
    *,
    activity: EngagementActivity,
    people_heard: int,
    themes: list[str],
    summary: str = "",
    acting_user,
) -> EngagementActivity:
    """Record that a ready activity took place: how many people were heard, and the themes heard.

    Not before its day: what was heard cannot be known in advance.
    """
    _require(acting_user, "workplans.change_engagementactivity", activity)
    activity = _locked(activity)
    if activity.held_on > timezone.localdate():
        raise ValidationError("The activity has not happened yet.")
    _move(activity, ActivityStatus.DONE)
    activity.people_heard = people_heard
    activity.themes = list(dict.fromkeys(themes))
    if summary:
        activity.summary = summary
    activity.full_clean()
    activity.save(update_fields=["status", "people_heard", "themes", "summary"])
    log(activity, DONE_LOG_ACTION, user=acting_user, data={"people_heard": people_heard})
    return activity


@transaction.atomic
def cancel_activity(*, activity: EngagementActivity, acting_user) -> EngagementActivity:
    """Cancel an activity that has not taken place."""
    _require(acting_user, "workplans.change_engagementactivity", activity)
    activity = _locked(activity)
    _move(activity, ActivityStatus.CANCELLED)
    activity.save(update_fields=["status"])
    log(activity, "wagtail.edit", user=acting_user, data={"status": ActivityStatus.CANCELLED})
    return activity


@transaction.atomic
def record_activity_themes(
    *, activity: EngagementActivity, themes: list[str], summary: str, acting_user
) -> EngagementActivity:
    """Set the themes heard at an activity and its summary (in aggregate: no names)."""
    _require(acting_user, "workplans.change_engagementactivity", activity)
    activity = _locked(activity)
    unknown = set(themes) - set(Theme.values)
    if unknown:
        raise ValidationError({"themes": f"Not a theme: {', '.join(sorted(unknown))}."})
    activity.themes = list(dict.fromkeys(themes))
    activity.summary = summary
    activity.full_clean()
    activity.save(update_fields=["themes", "summary"])
    log(activity, "wagtail.edit", user=acting_user)
    return activity


# Reach -------------------------------------------------------------------------------------


@transaction.atomic
def record_activity_reach(
    *, activity: EngagementActivity, question: str, counts: dict[str, int], acting_user
) -> list[ActivityReach]:
    """Replace the activity's reach for one equality question with ``counts`` (category: people).

    Counts only, never a person: categories are the answers of
    :data:`members.enums.EQUALITY_QUESTION_CHOICES`. A category with no count (or 0)
    is dropped. Once the number of people heard is known, the counts of a question
    cannot add up to more than it.
    """
    _require(acting_user, "workplans.add_activityreach", activity)
    activity = _locked(activity)
    if question not in EQUALITY_QUESTION_CHOICES:
        raise ValidationError({"question": f"Not an equality question: {question}."})
    answers = EQUALITY_QUESTION_CHOICES[question].values
    unknown = set(counts) - set(answers)
    if unknown:
        raise ValidationError(
            f"Not an answer to “{EqualityQuestion(question).label}”: {', '.join(sorted(unknown))}."
        )
    if any(count is not None and count < 0 for count in counts.values()):
        raise ValidationError("A count cannot be negative.")
    kept = {category: count for category, count in counts.items() if count}
    total = sum(kept.values())
    if activity.people_heard and total > activity.people_heard:
        raise ValidationError(
            f"These counts add up to {total}, more than the {activity.people_heard} people heard."
        )
    ActivityReach.objects.filter(activity=activity, question=question).delete()
    rows = [
        ActivityReach(activity=activity, question=question, category=category, count=count)
        for category, count in kept.items()
    ]
    for row in rows:
        row.full_clean(validate_unique=False)
    ActivityReach.objects.bulk_create(rows)
    log(activity, REACH_LOG_ACTION, user=acting_user, data={"question": question, "total": total})
    return rows


# You said, we did --------------------------------------------------------------------------


def _check_action(action: YouSaidWeDid) -> None:
    if action.activity_id and action.activity.partnership_id != action.partnership_id:
        raise ValidationError({"activity": "Choose an activity of the same MNVP."})
    if action.status == ActionStatus.DONE and not action.we_did.strip():
        raise ValidationError({"we_did": "Say what was done before marking the action done."})


@transaction.atomic
def save_action(*, action: YouSaidWeDid, acting_user) -> YouSaidWeDid:
    """Create or update a "you said, we did" action: what families said, who owns it, what was done.

    An action linked to an activity belongs to that activity's MNVP; done needs
    ``we_did`` (the database says so too). A new action records who wrote it.
    """
    is_new = action.pk is None
    permission = "workplans.add_yousaidwedid" if is_new else "workplans.change_yousaidwedid"
    _require(acting_user, permission, action)
    if not is_new:
        stored = YouSaidWeDid.objects.select_for_update().get(pk=action.pk)
        if not user_can(acting_user, "change", stored):  # moved in from another MNVP's action
            raise PermissionDenied
    else:
        action.created_by = acting_user
    _check_action(action)
    action.full_clean()
    action.save()
    log(action, "wagtail.create" if is_new else "wagtail.edit", user=acting_user)
    return action


@transaction.atomic
def set_action_status(*, action: YouSaidWeDid, status: str, we_did: str = "", acting_user) -> YouSaidWeDid:
    """Move an action to ``status``; marking it done needs what was done (``we_did``)."""
    _require(acting_user, "workplans.change_yousaidwedid", action)
    action = YouSaidWeDid.objects.select_for_update().get(pk=action.pk)
    action.status = ActionStatus(status)
    if we_did:
        action.we_did = we_did
    _check_action(action)
    action.full_clean()
    action.save(update_fields=["status", "we_did"])
    log(action, "wagtail.edit", user=acting_user, data={"status": status})
    return action

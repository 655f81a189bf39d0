"""Who is cleared to do outreach: each person's compliance, from their roles' requirements.

A person needs what every role of their current memberships needs: each required
course, completed and not expired (with its certificate, where the course asks for
one), and a cleared DBS check of at least the highest level any role asks for,
not past its recheck date. Each requirement is in one of four states, and the
person's state is the worst of them:

- **cleared**: held, and not expiring within ``due_soon_days``;
- **due soon**: held, but expiring within ``due_soon_days``;
- **lapsed**: was held, and has expired;
- **missing**: never held (or a DBS check still awaits a decision, or was found
  not suitable).

:func:`compliance_for` answers for any number of people in five queries, whatever
the number of people or records, so listings and reports can call it for a page or
for a whole host.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Max, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .enums import ComplianceState, DBSDecision, DBSLevel, DBSOutcome
from .models import ComplianceSettings, Course, DBSCheck, Membership, RoleRequirement, TrainingRecord

NEVER = datetime.date(9999, 12, 31)  # the expiry of a course that never expires
# DBSLevel.rank, looked up once: it rebuilds the list of levels on every call.
_DBS_RANK = {level: DBSLevel.rank(level) for level in DBSLevel.values}
DBS_DETAIL_PERMISSION = "members.view_dbscheck"


@dataclass(frozen=True)
class Requirement:
    """One thing a person needs, and where they stand on it."""

    kind: str  # "course" or "dbs"
    name: str
    state: ComplianceState
    expires_on: datetime.date | None = None
    reason: str = ""
    # What someone without the DBS role may read instead: that a check disclosed
    # something, or was found unsuitable, is itself confidential.
    general_reason: str = ""

    def reason_for(self, user) -> str:
        if self.general_reason and not user.has_perm(DBS_DETAIL_PERMISSION):
            return self.general_reason
        return self.reason


@dataclass
class PersonCompliance:
    person_id: int
    requirements: list[Requirement] = field(default_factory=list)

    @property
    def state(self) -> ComplianceState:
        return ComplianceState.worst(r.state for r in self.requirements)

    @property
    def reasons(self) -> list[str]:
        """Every reason in full: for host staff with the DBS role, emails to the person, tests."""
        return [r.reason for r in self.requirements if r.state != ComplianceState.CLEARED]

    def reasons_for(self, user) -> list[str]:
        """The reasons ``user`` may read (DBS details only with the DBS permission)."""
        return [r.reason_for(user) for r in self.requirements if r.state != ComplianceState.CLEARED]

    @property
    def next_expiry(self) -> datetime.date | None:
        """The soonest date on which something held stops counting (past dates included)."""
        dates = [r.expires_on for r in self.requirements if r.expires_on is not None]
        return min(dates, default=None)


@dataclass(frozen=True)
class RoleNeeds:
    course_ids: frozenset[int]
    dbs_level: str  # "" when no DBS check is needed


def requirements_by_role() -> dict[str, RoleNeeds]:
    """Every role's requirements (two queries; there are only a handful of roles)."""
    needs = {}
    for requirement in RoleRequirement.objects.prefetch_related("courses"):
        needs[requirement.role] = RoleNeeds(
            frozenset(course.pk for course in requirement.courses.all()), requirement.dbs_level
        )
    return needs


def _state_of(expires_on: datetime.date, today: datetime.date, due_soon_by: datetime.date) -> ComplianceState:
    # The expiry (or recheck) date is the first day it no longer counts, as the reminders say.
    if expires_on <= today:
        return ComplianceState.LAPSED
    if expires_on <= due_soon_by:
        return ComplianceState.DUE_SOON
    return ComplianceState.CLEARED


def _person_ids(people) -> QuerySet | list[int]:
    if isinstance(people, QuerySet):
        return people.values("pk") if people.model is not Membership else people.values("person_id")
    return list(people)


def compliance_for(people, *, on: datetime.date | None = None) -> dict[int, PersonCompliance]:
    """Each person's compliance on ``on`` (today by default), keyed by person id.

    ``people`` is a queryset of people (or of memberships), or a list of person ids.
    A person with no current membership needs nothing, so is cleared.
    """
    today = on or timezone.localdate()
    due_soon_by = today + datetime.timedelta(days=ComplianceSettings.load().due_soon_days)
    ids = _person_ids(people)
    needs = requirements_by_role()

    roles = defaultdict(set)
    memberships = Membership.objects.current(today).filter(person__in=ids)
    for person_id, role in memberships.values_list("person_id", "role"):
        roles[person_id].add(role)

    courses = {course.pk: course for course in Course.objects.filter(required_by__isnull=False).distinct()}
    best_training = _best_training(ids, courses)
    dbs = _dbs_by_person(ids)

    # At host scale (100,000 people) the Python here is most of the time, so what many
    # people share is worked out once: the needs of each combination of roles, and each
    # requirement (frozen, so one instance serves everyone with the same course and date).
    needs_of_roles: dict[frozenset, tuple[list[int], str]] = {}
    course_requirements: dict[tuple[int, datetime.date | None], Requirement] = {}
    dbs_requirements: dict[tuple, Requirement] = {}
    result = {}
    for person_id, person_roles in roles.items():
        key = frozenset(person_roles)
        if key not in needs_of_roles:
            needs_of_roles[key] = _needs_of(key, needs, courses)
        course_ids, level = needs_of_roles[key]
        compliance = PersonCompliance(person_id)
        for course_id in course_ids:
            best = best_training.get((person_id, course_id))
            requirement = course_requirements.get((course_id, best))
            if requirement is None:
                requirement = _course_requirement(courses[course_id], best, today, due_soon_by)
                course_requirements[(course_id, best)] = requirement
            compliance.requirements.append(requirement)
        if level:
            held = dbs.get(person_id, {})
            held_key = (
                level,
                frozenset(held.get("cleared", {}).items()),
                held.get("pending"),
                held.get("not_suitable"),
            )
            requirement = dbs_requirements.get(held_key)
            if requirement is None:
                requirement = dbs_requirements[held_key] = _dbs_requirement(level, held, today, due_soon_by)
            compliance.requirements.append(requirement)
        result[person_id] = compliance
    return result


def _needs_of(person_roles: frozenset, needs: dict[str, RoleNeeds], courses) -> tuple[list[int], str]:
    """The courses (by name) and the DBS level (``""``: none) that holding all of ``person_roles`` needs."""
    role_needs = [needs[role] for role in person_roles if role in needs]
    course_ids = sorted(set().union(*(n.course_ids for n in role_needs)), key=lambda pk: courses[pk].name)
    levels = [n.dbs_level for n in role_needs if n.dbs_level]
    return course_ids, max(levels, key=_DBS_RANK.__getitem__) if levels else ""


def _best_training(ids, courses) -> dict[tuple[int, int], datetime.date]:
    """Per (person, required course), the latest expiry of a completion that counts (one query)."""
    records = TrainingRecord.objects.filter(person__in=ids, course__in=list(courses))
    certificate_courses = [pk for pk, course in courses.items() if course.certificate_required]
    if certificate_courses:
        records = records.exclude(course__in=certificate_courses, certificate="")
    rows = records.values("person_id", "course_id").annotate(best=Max(Coalesce("expires_on", Value(NEVER))))
    return {
        (person_id, course_id): best
        for person_id, course_id, best in rows.values_list("person_id", "course_id", "best")
    }


def _dbs_by_person(ids) -> dict[int, dict]:
    """Per person: the latest recheck of a cleared check of each level, and what is pending (one query)."""
    found = defaultdict(lambda: {"cleared": {}, "pending": False, "not_suitable": False})
    rows = (
        DBSCheck.objects.filter(person__in=ids)
        .values("person_id", "level", "outcome", "decision")
        .annotate(best=Max(Coalesce("recheck_due_on", Value(NEVER))))
    )
    for row in rows:
        person = found[row["person_id"]]
        cleared = row["outcome"] == DBSOutcome.CLEAR or row["decision"] == DBSDecision.SUITABLE
        if cleared:
            current = person["cleared"].get(row["level"])
            person["cleared"][row["level"]] = max(current or row["best"], row["best"])
        elif row["decision"] == DBSDecision.NOT_SUITABLE:
            person["not_suitable"] = True
        else:
            person["pending"] = True
    return found


def _course_requirement(course, best, today, due_soon_by) -> Requirement:
    if best is None:
        extra = " (with its certificate)" if course.certificate_required else ""
        reason = f"{course.name}: not completed{extra}"
        return Requirement("course", course.name, ComplianceState.MISSING, reason=reason)
    expires_on = None if best == NEVER else best
    state = ComplianceState.CLEARED if expires_on is None else _state_of(expires_on, today, due_soon_by)
    return Requirement("course", course.name, state, expires_on, _reason(course.name, state, expires_on))


def _dbs_requirement(level, held, today, due_soon_by) -> Requirement:
    name = f"{DBSLevel(level).label} DBS check"
    good_enough = [
        due
        for held_level, due in held.get("cleared", {}).items()
        if _DBS_RANK[held_level] >= _DBS_RANK[level]
    ]
    if not good_enough:
        general = ""
        if held.get("pending"):
            reason, general = f"{name}: awaiting a decision on what was disclosed", f"{name}: not cleared yet"
        elif held.get("not_suitable"):
            reason, general = f"{name}: not cleared for this role", f"{name}: not cleared yet"
        else:
            reason = f"{name}: none recorded"
        return Requirement("dbs", name, ComplianceState.MISSING, reason=reason, general_reason=general)
    best = max(good_enough)
    expires_on = None if best == NEVER else best
    state = ComplianceState.CLEARED if expires_on is None else _state_of(expires_on, today, due_soon_by)
    return Requirement("dbs", name, state, expires_on, _reason(name, state, expires_on, dbs=True))


def _reason(name: str, state: ComplianceState, expires_on: datetime.date | None, dbs: bool = False) -> str:
    if state not in (ComplianceState.LAPSED, ComplianceState.DUE_SOON):
        return ""
    day = f"{expires_on.day} {expires_on:%b %Y}"
    if dbs:
        return f"{name}: recheck {'was due' if state == ComplianceState.LAPSED else 'due'} on {day}"
    return f"{name}: {'expired' if state == ComplianceState.LAPSED else 'expires'} on {day}"

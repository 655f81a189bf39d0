"""The compliance report: who is cleared, who lapses soon, and who is missing what, per MNVP.

A read-only selector, no view logic. Each row is one person in one MNVP (a person
holding two roles in an MNVP is one row there, with both roles). The state,
reasons and expiry dates come from :func:`members.compliance.compliance_for`,
which owns the rules: a person's compliance follows from all their current
roles, so a person in two MNVPs has the same state in both rows. Reasons are
those the user may read (:meth:`PersonCompliance.reasons_for`: what a DBS check
disclosed is for the DBS role only).

The MNVPs come through :func:`members.reports.visible_partnerships` (and so
:mod:`members.scoping`): a lead asking for another MNVP gets an empty report.
The query count does not depend on the number of people or records: the user's
MNVPs, one query of memberships (with the person and MNVP joined in), and the
fixed handful of :func:`compliance_for`. Without the state, lapsing and course
filters the rows do not depend on compliance, so the database pages them
(:class:`LazyRows`): the row count is one query, a page one grouped query and one
for its rows' roles, and only the page's people have their compliance worked out.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import Count, Min
from django.utils import timezone

from .compliance import compliance_for
from .compliance_cache import cached_counts
from .enums import ComplianceState, MembershipRole
from .models import Course, Membership
from .reports import visible_partnerships

LAPSES_WITHIN_CHOICES = (30, 60, 90)
REASON_SEPARATOR = "; "

_ROLE_LABELS = dict(MembershipRole.choices)
_ROLE_ORDER = {role: index for index, role in enumerate(MembershipRole.values)}


@dataclass(frozen=True, slots=True)
class ComplianceRow:
    """One person in one MNVP, with their compliance on the report's day."""

    person_id: int
    name: str
    email: str
    partnership_id: int
    mnvp: str
    roles: tuple[str, ...]  # role values, in the order of MembershipRole
    state: ComplianceState
    reasons: tuple[str, ...]
    next_expiry: datetime.date | None  # the soonest expiry on or after the report's day

    @property
    def role_labels(self) -> str:
        return ", ".join(_ROLE_LABELS.get(role, role) for role in self.roles)

    @property
    def state_label(self) -> str:
        return ComplianceState(self.state).label

    @property
    def reasons_text(self) -> str:
        return REASON_SEPARATOR.join(self.reasons)


@dataclass(frozen=True)
class StateCount:
    state: ComplianceState
    label: str
    count: int


@dataclass(frozen=True)
class ComplianceReport:
    """The rows the filters keep, and how many people are in each state.

    ``counts`` leave the state filter out (every other filter applies), so the
    summary stays whole when the table is narrowed to one state. Each person
    counts once there, even when a member of several MNVPs in the report.
    """

    on: datetime.date
    rows: list[ComplianceRow]
    counts: dict[str, int] = field(default_factory=dict)
    partnership_names: list[str] = field(default_factory=list)

    @property
    def summary(self) -> list[StateCount]:
        return [StateCount(state, state.label, self.counts.get(state, 0)) for state in ComplianceState]

    @property
    def people(self) -> int:
        return sum(self.counts.values())

    @property
    def largest_count(self) -> int:
        return max(self.counts.values(), default=0)


def _upcoming_expiry(compliance, today: datetime.date) -> datetime.date | None:
    dates = [
        r.expires_on for r in compliance.requirements if r.expires_on is not None and r.expires_on >= today
    ]
    return min(dates, default=None)


def compliance_report(
    user,
    *,
    partnership=None,
    state: str | None = None,
    lapses_within: int | None = None,
    role: str | None = None,
    course: Course | int | None = None,
    on: datetime.date | None = None,
) -> ComplianceReport:
    """Current members of the MNVPs ``user`` may see, with their compliance on ``on`` (today).

    Narrowed, where given, to:

    * ``partnership``: one MNVP (an instance or id; outside the user's scope: nothing);
    * ``state``: a :class:`ComplianceState` value;
    * ``lapses_within``: days; the person's next expiry (of training or a DBS check
      they hold) falls between ``on`` and ``on`` + that many days, both included;
    * ``role``: rows where the person holds that role in that MNVP;
    * ``course``: people missing that course (never completed, or without its
      required certificate), an instance or id.

    Rows are ordered by MNVP, then surname and first name.
    """
    today = on or timezone.localdate()
    # In the rows' order (ROW_ORDER), so a page knows which MNVPs' rows it holds (LazyRows).
    partnerships = list(visible_partnerships(user, partnership).only("pk", "name").order_by("name", "pk"))
    if not partnerships:
        return ComplianceReport(on=today, rows=[])

    in_scope = Membership.objects.current(today).filter(partnership__in=[p.pk for p in partnerships])
    memberships = in_scope
    if role:
        # A person's compliance needs all their roles, but only the holders of ``role`` are asked about.
        holders = _making_rows(in_scope, role).values("person_id")
        memberships = in_scope.filter(person__in=holders)
    course_name = _course_name(course)
    names = [p.name for p in partnerships]
    ids = [p.pk for p in partnerships]

    if course_name is None and not lapses_within and not state:
        # The rows do not depend on compliance here, so the database pages them and only the
        # page that is read has its compliance worked out (the whole host's takes seconds); the
        # counts cover every row and come from the day's cache (members.compliance_cache).
        counts = cached_counts(
            ids, role, today, lambda: _count_states(_making_rows(in_scope, role), memberships, today)
        )

        def build(chunk):
            people = memberships if len(chunk) > LAZY_CHUNK_LIMIT else [entry[0] for entry in chunk]
            return _rows(chunk, compliance_for(people, on=today), user, today)

        return ComplianceReport(
            on=today,
            rows=LazyRows(in_scope, role, build, ids),
            counts=counts,
            partnership_names=names,
        )

    entries = _entries(memberships, role)
    compliance = compliance_for(memberships, on=today)
    rows = []
    counted: dict[str, set[int]] = {s: set() for s in ComplianceState}
    latest = today + datetime.timedelta(days=lapses_within) if lapses_within else None
    cleared = ComplianceState.CLEARED
    for entry in entries:
        person = compliance.get(entry[0])
        requirements = person.requirements if person else []
        if course_name is not None and not any(
            r.kind == "course" and r.name == course_name and r.state == ComplianceState.MISSING
            for r in requirements
        ):
            continue
        next_expiry = _upcoming_expiry(person, today) if person else None
        if latest is not None and (next_expiry is None or next_expiry > latest):
            continue
        person_state = person.state if person else cleared
        counted[person_state].add(entry[0])
        if state and person_state != state:
            continue
        rows.append(_row(entry, person, user, today))
    return ComplianceReport(
        on=today,
        rows=rows,
        counts={s: len(people) for s, people in counted.items()},
        partnership_names=names,
    )


LAZY_CHUNK_LIMIT = 500  # more people than this: ask for them by subquery, not by a list of ids


class LazyRows(Sequence):
    """The report's rows, paged by the database, each row's compliance worked out only when it is read.

    ``len()`` is one count query and a page (a slice) a few more (its rows, their roles, then
    their compliance) whatever the report's size; iterating (an export) reads every row and
    works out everyone at once, in the same number of queries.

    ``memberships`` are the current memberships of the report's MNVPs, whatever the role;
    ``build`` turns entries (see :func:`_entries`) into rows; ``partnership_order`` is the
    MNVPs' ids in the rows' order (by name, then id).

    The count is taken per MNVP, so a page is asked of the MNVPs its rows fall in only: the
    database groups and sorts one MNVP's rows (a few thousand) rather than the whole host's.
    """

    def __init__(self, memberships, role: str | None, build, partnership_order):
        self._memberships = memberships
        self._row_memberships = _making_rows(memberships, role)
        self._role = role
        self._build = build
        self._partnership_order = list(partnership_order)
        self._rows_per_mnvp: dict[int, int] | None = None

    def __len__(self) -> int:
        return sum(self._per_mnvp().values())

    def _per_mnvp(self) -> dict[int, int]:
        """How many rows (people) each MNVP has: one grouped query, read once."""
        if self._rows_per_mnvp is None:
            self._rows_per_mnvp = dict(
                self._row_memberships.order_by()
                .values("partnership_id")
                .annotate(rows=Count("person_id", distinct=True))
                .values_list("partnership_id", "rows")
            )
        return self._rows_per_mnvp

    def _mnvps_between(self, start: int, stop: int | None) -> tuple[list[int], int]:
        """The MNVPs holding rows ``start`` to ``stop``, and how many rows come before the first."""
        per_mnvp = self._per_mnvp()
        chosen, before, seen = [], 0, 0
        for pk in self._partnership_order:
            rows = per_mnvp.get(pk, 0)
            if rows and seen + rows > start and (stop is None or seen < stop):
                if not chosen:
                    before = seen
                chosen.append(pk)
            seen += rows
        return chosen, before

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, step = index.start or 0, index.stop, index.step or 1
            if start < 0 or (stop is not None and stop < 0) or step != 1:
                return self._build(_entries(self._memberships, self._role)[index])
            if stop is not None and stop <= start:
                return []
            entries = self._page(start, stop)
            return self._build(entries) if entries else []
        if index < 0:
            index += len(self)
        entries = self._page(index, index + 1) if index >= 0 else []
        if not entries:
            raise IndexError("compliance report row index out of range")
        return self._build(entries)[0]

    def __iter__(self):
        return iter(self._build(_entries(self._memberships, self._role)))

    def __eq__(self, other):
        return list(self) == list(other) if isinstance(other, (list, tuple, Sequence)) else NotImplemented

    __hash__ = None

    def _grouped(self, partnership_ids):
        """One row per (person, MNVP): GROUP BY them, the names joined in for the order.

        Both forms are portable; each is several times faster than the other on its database.
        PostgreSQL walks the MNVPs by their name index and sorts one MNVP's rows at a time
        (incremental sort), so a page grouped from the joined rows costs milliseconds, while
        it plans the ``IN`` form as 100,000 lookups by id. SQLite cannot sort incrementally:
        grouping the bare memberships (one id for each row) and sorting only those halves
        its time, where grouping the joined rows sorts them all twice.
        """
        row_memberships = self._row_memberships.filter(partnership__in=partnership_ids)
        if connections[row_memberships.db].vendor == "postgresql":
            return row_memberships.values("person_id", "partnership_id").annotate(held=Count("pk"))
        firsts = (
            row_memberships.order_by()
            .values("person_id", "partnership_id")
            .annotate(first=Min("pk"))
            .values("first")
        )
        return Membership.objects.filter(pk__in=firsts)

    def _page(self, start: int, stop: int | None) -> list:
        """Rows ``start`` to ``stop`` as entries: one grouped query, and one for their roles."""
        partnership_ids, before = self._mnvps_between(start, stop)
        if not partnership_ids:
            return []
        rows = self._grouped(partnership_ids).order_by(*ROW_ORDER).values_list(*_ENTRY_FIELDS)
        page = list(rows[start - before : None if stop is None else stop - before])
        if not page:
            return []
        entries = {
            (person_id, partnership_id): [
                person_id,
                f"{first} {last}".strip(),
                email,
                partnership_id,
                mnvp,
                set(),
            ]
            for person_id, first, last, email, partnership_id, mnvp in page
        }
        # Every role each row's person holds in that MNVP, not only the one the rows were chosen by.
        held = self._memberships.order_by()
        if len(entries) <= LAZY_CHUNK_LIMIT:  # more: read them all rather than pass thousands of ids
            held = held.filter(
                person__in={key[0] for key in entries}, partnership__in={key[1] for key in entries}
            )
        for person_id, partnership_id, membership_role in held.values_list(
            "person_id", "partnership_id", "role"
        ):
            entry = entries.get((person_id, partnership_id))
            if entry is not None:
                entry[5].add(membership_role)
        return list(entries.values())


def _making_rows(memberships, role: str | None):
    """The memberships that make a row: a person holding ``role`` (any role without one) in an MNVP."""
    return memberships.filter(role=role) if role else memberships


ROW_ORDER = ("partnership__name", "partnership_id", "person__last_name", "person__first_name", "person_id")
_ENTRY_FIELDS = (
    "person_id",
    "person__first_name",
    "person__last_name",
    "person__email",
    "partnership_id",
    "partnership__name",
)


def _entries(memberships, role: str | None) -> list:
    """Every row, in order, as ``[person_id, name, email, partnership_id, mnvp, roles]``: one query."""
    rows_by_key: dict[tuple[int, int], list] = {}
    for person_id, first, last, email, partnership_id, mnvp, membership_role in memberships.order_by(
        *ROW_ORDER
    ).values_list(*_ENTRY_FIELDS, "role"):
        key = (person_id, partnership_id)
        found = rows_by_key.get(key)
        if found is None:
            rows_by_key[key] = [
                person_id,
                f"{first} {last}".strip(),
                email,
                partnership_id,
                mnvp,
                {membership_role},
            ]
        else:
            found[5].add(membership_role)
    return [entry for entry in rows_by_key.values() if not role or role in entry[5]]


def _row(entry, person, user, today) -> ComplianceRow:
    person_id, name, email, partnership_id, mnvp, roles = entry
    return ComplianceRow(
        person_id=person_id,
        name=name,
        email=email,
        partnership_id=partnership_id,
        mnvp=mnvp,
        roles=tuple(sorted(roles, key=lambda r: _ROLE_ORDER.get(r, len(_ROLE_ORDER)))),
        state=person.state if person else ComplianceState.CLEARED,
        reasons=tuple(person.reasons_for(user)) if person else (),
        next_expiry=_upcoming_expiry(person, today) if person else None,
    )


def _rows(entries, compliance, user, today) -> list[ComplianceRow]:
    return [_row(entry, compliance.get(entry[0]), user, today) for entry in entries]


def _count_states(row_memberships, memberships, today) -> dict[str, int]:
    """How many people with a row (each once, whatever their MNVPs) are in each state."""
    compliance = compliance_for(memberships, on=today)
    counts = dict.fromkeys(ComplianceState, 0)
    for person_id in set(row_memberships.order_by().values_list("person_id", flat=True)):
        person = compliance.get(person_id)
        counts[person.state if person else ComplianceState.CLEARED] += 1
    return counts


def _course_name(course) -> str | None:
    if course is None or course == "":
        return None
    if isinstance(course, Course):
        return course.name
    return Course.objects.filter(pk=course).values_list("name", flat=True).first() or ""


def compliance_counts(user, *, on: datetime.date | None = None) -> dict[str, int]:
    """How many people of the MNVPs ``user`` may see are in each compliance state.

    The same counts as :func:`compliance_report`'s summary without its filters (each
    person once, whatever their MNVPs), without building its rows: the dashboard's
    figures, each linking to the report narrowed to that state.
    """
    today = on or timezone.localdate()
    counts = dict.fromkeys(ComplianceState, 0)
    partnership_ids = list(visible_partnerships(user).values_list("pk", flat=True))
    if not partnership_ids:
        return counts
    memberships = Membership.objects.current(today).filter(partnership__in=partnership_ids)

    return dict(
        cached_counts(partnership_ids, None, today, lambda: _count_states(memberships, memberships, today))
    )

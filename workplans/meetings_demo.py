"""Demo committees and a year of meetings, with attendance that raises involvement payments.

Run after the members demo (partnerships, people, memberships, logins), the workplans
demo, ``seed_money()`` (budget lines, benefits advice for category C members) and
``seed_activities()``: ``seed_meetings()``. Meetings and attendance go through
:mod:`workplans.services.meetings`, so category C attendance raises its payment
there, as on the screens. A few LMNS board and governance meetings were not quorate
for want of a service user. Idempotent: an MNVP with meetings already is left alone.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from members.enums import PPVCategory, Role
from members.models import Membership, Partnership, User
from members.roles import group_name

from .enums import CommitteeKind, PaymentLength, Theme
from .models import Committee, Meeting, Milestone
from .models.plans import financial_year_of
from .services import meetings as services

LMNS_BOARD = "LMNS board"

# (name suffix, kind, service user needed for quorum, meetings a year, every how many weeks)
MNVP_COMMITTEES = [
    ("maternity and neonatal governance", CommitteeKind.TRUST_GOVERNANCE, True, 12, 4),
    ("safety champions", CommitteeKind.SAFETY_CHAMPIONS, False, 6, 8),
    ("perinatal mortality review", CommitteeKind.PERINATAL_MORTALITY, False, 12, 6),
]

RAISED = [
    (
        "Families told us partners are sent home at night on the postnatal ward.",
        "Overnight stays for partners piloted on the postnatal ward.",
    ),
    ("Triage phone line: long waits reported by families in the 15 Steps visit.", ""),
    (
        "Interpreters not booked for antenatal appointments.",
        "Interpreter booking added to the antenatal booking checklist.",
    ),
    ("Bereaved parents want a named contact after discharge.", "Named bereavement midwife contact agreed."),
    ("Neonatal parents asked for parking passes.", ""),
    ("", ""),
]


def _host_user() -> User | None:
    return (
        User.objects.filter(is_active=True, groups__name=group_name(Role.HOST_STAFF)).order_by("pk").first()
        or User.objects.filter(is_superuser=True).order_by("pk").first()
    )


def seed_committees() -> dict[int | None, list[Committee]]:
    """The host's LMNS board and each MNVP's trust committees (get or create by name)."""
    board, _ = Committee.objects.get_or_create(
        partnership=None,
        name=LMNS_BOARD,
        defaults={
            "kind": CommitteeKind.LMNS_BOARD,
            "organisation": "Local Maternity and Neonatal System",
            "service_user_needed_for_quorum": True,
            "expected_per_year": 6,
        },
    )
    committees: dict[int | None, list[Committee]] = {None: [board]}
    for partnership in Partnership.objects.order_by("name"):
        committees[partnership.pk] = [
            Committee.objects.get_or_create(
                partnership=partnership,
                name=f"{partnership.name}: {suffix}",
                defaults={
                    "kind": kind,
                    "organisation": "The local NHS trust",
                    "service_user_needed_for_quorum": needed,
                    "expected_per_year": per_year,
                },
            )[0]
            for suffix, kind, needed, per_year, _weeks in MNVP_COMMITTEES
        ]
    return committees


def _schedule(today: datetime.date) -> list[tuple[int, datetime.date]]:
    """(committee index, date) over the last year: index 0 is the LMNS board, then MNVP_COMMITTEES."""
    start = today - datetime.timedelta(days=364)
    plan = [(0, 8)] + [(i + 1, weeks) for i, (*_rest, weeks) in enumerate(MNVP_COMMITTEES)]
    dates = []
    for index, weeks in plan:
        day = start + datetime.timedelta(days=3 * index)  # committees meet on different days
        while day < today:
            dates.append((index, day))
            day += datetime.timedelta(weeks=weeks)
    return sorted(dates, key=lambda pair: pair[1])


@transaction.atomic
def seed_meetings(today: datetime.date | None = None) -> int:
    """Committees and a year of meetings with attendance for every MNVP; returns how many were seeded."""
    host = _host_user()
    if host is None:
        return 0
    today = today or timezone.localdate()
    committees = seed_committees()
    seeded = 0
    for partnership in Partnership.objects.order_by("name"):
        if Meeting.objects.filter(partnership=partnership).exists():
            continue
        _seed_partnership(partnership, committees[None] + committees[partnership.pk], host, today)
        seeded += 1
    return seeded


def _influence_milestone(partnership: Partnership, today: datetime.date) -> Milestone | None:
    return (
        Milestone.objects.filter(
            objective__workplan__partnership=partnership,
            objective__workplan__year=financial_year_of(today),
            objective__theme=Theme.INFLUENCE,
        )
        .order_by("pk")
        .first()
    )


def _seed_partnership(
    partnership: Partnership, committees: list[Committee], host: User, today: datetime.date
):
    milestone = _influence_milestone(partnership, today)
    for n, (index, held_on) in enumerate(_schedule(today)):
        committee = committees[index]
        # Every fifth meeting of a committee needing a service user: nobody could go, not quorate.
        missed = committee.service_user_needed_for_quorum and n % 5 == 3
        raised, influenced = ("", "") if missed else RAISED[n % len(RAISED)]
        meeting = services.record_meeting(
            committee=committee,
            partnership=partnership,
            held_on=held_on,
            quorate=False if missed else (True if n % 7 else None),
            raised=raised,
            influenced=influenced,
            milestones=[milestone] if milestone and influenced else [],
            themes=[],
            acting_user=host,
        )
        if not missed:
            _seed_attendance(meeting, host, n)


def _seed_attendance(meeting: Meeting, host: User, n: int) -> None:
    """One or two representatives; category C members first at the LMNS board (it pays)."""
    members = list(
        Membership.objects.current(meeting.held_on)
        .filter(partnership=meeting.partnership_id)
        .select_related("person")
        .order_by("person__last_name", "pk")
    )
    if not members:
        return
    paid = [m for m in members if m.ppv_category == PPVCategory.C]
    pool = paid if paid and meeting.committee.partnership_id is None else members
    chosen = {pool[n % len(pool)].person, members[(n * 3) % len(members)].person}
    for i, person in enumerate(sorted(chosen, key=lambda p: p.pk)[: 1 + n % 2]):
        length = (
            PaymentLength.FULL_DAY
            if meeting.committee.partnership_id is None and i == 0
            else PaymentLength.HALF_DAY
        )
        try:
            services.set_attendance(meeting=meeting, person=person, length=length, acting_user=host)
        except ValidationError:
            continue  # no rate in force that day, or the like: the demo leaves that attendance out

"""The representation report: per MNVP and across the host, for one financial year.

For each committee an MNVP is expected at (its own and the host-level ones): the
meetings recorded and attended against those expected (``expected_per_year``, and
pro rata to date in the current year); quorate meetings missed for want of a
service user (at a committee needing one for quorum: a meeting recorded as not
quorate, or one nobody from the MNVP attended); what the MNVP raised and the
decisions it influenced. Three queries, however many MNVPs, committees and meetings.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.utils import timezone

from members.models import Partnership
from members.scoping import scope_queryset

from .models import Committee, Meeting
from .models.plans import financial_year_bounds, financial_year_label


def missed_for_want_of_service_user(meeting: Meeting) -> bool:
    """At a committee needing a service user for quorum: not quorate, or nobody attended.

    ``meeting.attended`` is the annotated count of its attendances.
    """
    if not meeting.committee.service_user_needed_for_quorum:
        return False
    return meeting.quorate is False or meeting.attended == 0


@dataclass
class CommitteeLine:
    committee: Committee
    expected: int
    expected_to_date: int
    recorded: int = 0
    attended: int = 0
    missed: int = 0

    @property
    def name(self) -> str:
        return self.committee.name

    @property
    def host_level(self) -> bool:
        return self.committee.partnership_id is None

    @property
    def short(self) -> bool:
        return self.attended < self.expected_to_date


@dataclass
class MNVPRepresentation:
    partnership: Partnership
    lines: list[CommitteeLine] = field(default_factory=list)
    outcomes: list[Meeting] = field(default_factory=list)  # meetings where something was raised or influenced
    missed_meetings: list[Meeting] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.partnership.name

    @property
    def expected(self) -> int:
        return sum(line.expected for line in self.lines)

    @property
    def expected_to_date(self) -> int:
        return sum(line.expected_to_date for line in self.lines)

    @property
    def attended(self) -> int:
        return sum(line.attended for line in self.lines)

    @property
    def missed(self) -> int:
        return sum(line.missed for line in self.lines)

    @property
    def raised(self) -> int:
        return sum(1 for meeting in self.outcomes if meeting.raised.strip())

    @property
    def influenced(self) -> int:
        return sum(1 for meeting in self.outcomes if meeting.influenced.strip())

    @property
    def largest(self) -> int:
        return max([1, *(max(line.expected, line.attended) for line in self.lines)])


@dataclass
class RepresentationReport:
    year: int
    mnvps: list[MNVPRepresentation]

    @property
    def year_label(self) -> str:
        return financial_year_label(self.year)

    def _total(self, name: str) -> int:
        return sum(getattr(mnvp, name) for mnvp in self.mnvps)

    @property
    def expected(self) -> int:
        return self._total("expected")

    @property
    def expected_to_date(self) -> int:
        return self._total("expected_to_date")

    @property
    def attended(self) -> int:
        return self._total("attended")

    @property
    def missed(self) -> int:
        return self._total("missed")

    @property
    def raised(self) -> int:
        return self._total("raised")

    @property
    def influenced(self) -> int:
        return self._total("influenced")


def share_of_year_elapsed(year: int, today: datetime.date) -> Decimal:
    start, end = financial_year_bounds(year)
    if today < start:
        return Decimal(0)
    if today >= end:
        return Decimal(1)
    return Decimal((today - start).days + 1) / Decimal((end - start).days + 1)


def _pro_rata(expected: int, share: Decimal) -> int:
    return int((expected * share).to_integral_value(rounding=ROUND_HALF_UP))


def representation_report(
    user, *, year: int, partnership: Partnership | None = None, today: datetime.date | None = None
) -> RepresentationReport:
    """Representation in financial year ``year`` for the MNVPs ``user`` may see (or the one chosen)."""
    partnerships = scope_queryset(Partnership.objects.order_by("name"), user, "view")
    if partnership is not None:
        partnerships = partnerships.filter(pk=partnership.pk)
    partnerships = list(partnerships)
    ids = [p.pk for p in partnerships]
    start, end = financial_year_bounds(year)
    share = share_of_year_elapsed(year, today or timezone.localdate())

    meetings = list(
        scope_queryset(Meeting.objects.all(), user, "view")
        .filter(partnership__in=ids, held_on__range=(start, end))
        .select_related("committee")
        .annotate(attended=Count("attendances"))
        .order_by("held_on", "pk")
    )
    committees = list(
        Committee.objects.filter(Q(partnership__in=ids) | Q(partnership__isnull=True))
        .filter(Q(active=True) | Q(pk__in={m.committee_id for m in meetings}))
        .order_by("name", "pk")
    )

    report = RepresentationReport(year=year, mnvps=[])
    for mnvp in partnerships:
        mnvp_meetings = [m for m in meetings if m.partnership_id == mnvp.pk]
        used = {m.committee_id for m in mnvp_meetings}
        section = MNVPRepresentation(partnership=mnvp)
        lines = {}
        for committee in committees:
            if committee.partnership_id not in (None, mnvp.pk):
                continue
            if not committee.active and committee.pk not in used:
                continue
            lines[committee.pk] = CommitteeLine(
                committee=committee,
                expected=committee.expected_per_year,
                expected_to_date=_pro_rata(committee.expected_per_year, share),
            )
        for meeting in mnvp_meetings:
            line = lines[meeting.committee_id]
            line.recorded += 1
            line.attended += meeting.attended > 0
            if missed_for_want_of_service_user(meeting):
                line.missed += 1
                section.missed_meetings.append(meeting)
            if meeting.raised.strip() or meeting.influenced.strip():
                section.outcomes.append(meeting)
        section.lines = list(lines.values())
        report.mnvps.append(section)
    return report

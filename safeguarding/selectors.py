"""Read-only summaries of concerns and cases, always through :mod:`safeguarding.permissions`.

Whatever the caller, a concern or case the user may not see is never counted:
each selector starts from :func:`concerns_for` or :func:`cases_for`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from .enums import CaseStage
from .permissions import cases_for, concerns_for

# Open concerns by how long ago they were reported: (key, label, newest bound, oldest bound) in days.
CONCERN_AGES = (
    ("under_1_day", "Under 1 day", None, 1),
    ("1_to_7_days", "1 to 7 days", 1, 7),
    ("over_7_days", "Over 7 days", 7, None),
)
OPEN_CASE_STAGES = tuple(stage for stage in CaseStage if stage != CaseStage.CLOSED)


def concern_age_q(age: str, now: datetime.datetime | None = None) -> Q:
    """The concerns reported within the age band ``age`` (a key of :data:`CONCERN_AGES`)."""
    now = now or timezone.now()
    for key, _label, newer, older in CONCERN_AGES:
        if key == age:
            q = Q()
            if newer is not None:
                q &= Q(reported_at__lte=now - datetime.timedelta(days=newer))
            if older is not None:
                q &= Q(reported_at__gt=now - datetime.timedelta(days=older))
            return q
    raise ValueError(f"No concern age {age!r}")


@dataclass(frozen=True)
class ConcernAge:
    key: str
    label: str
    count: int
    unacknowledged: int


def open_concerns_by_age(user, now: datetime.datetime | None = None) -> list[ConcernAge]:
    """Open concerns ``user`` may see, per age band, with those not acknowledged yet (one query)."""
    now = now or timezone.now()
    unacknowledged = Q(acknowledged_at__isnull=True)
    aggregates = {}
    for key, _label, _newer, _older in CONCERN_AGES:
        aggregates[key] = Count("pk", filter=concern_age_q(key, now))
        aggregates[f"{key}__unacknowledged"] = Count("pk", filter=concern_age_q(key, now) & unacknowledged)
    counts = concerns_for(user).open().order_by().aggregate(**aggregates)
    return [
        ConcernAge(key, label, counts[key], counts[f"{key}__unacknowledged"])
        for key, label, _newer, _older in CONCERN_AGES
    ]


@dataclass(frozen=True)
class OpenCases:
    counts: dict[str, int]
    overdue: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def open_cases_by_stage(user, now: datetime.datetime | None = None) -> OpenCases:
    """Open cases ``user`` may see (never one they are the subject of), per stage, and the overdue."""
    from .viewsets.cases import overdue_q

    counts = dict.fromkeys(OPEN_CASE_STAGES, 0)
    overdue = 0
    rows = (
        cases_for(user)
        .exclude(stage=CaseStage.CLOSED)
        .order_by()
        .values("stage")
        .annotate(n=Count("pk"), late=Count("pk", filter=overdue_q(now)))
        .values_list("stage", "n", "late")
    )
    for stage, n, late in rows:
        counts[stage] = n
        overdue += late
    return OpenCases(counts=counts, overdue=overdue)

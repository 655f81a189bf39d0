"""Report selectors: the recruitment funnel and the equality monitoring report.

Read-only, no view logic. Every selector narrows what it reads through
:func:`members.scoping.scope_queryset`, so a report can never show an MNVP the user
may not see, whatever the caller passes in. Each runs a constant number of queries,
however many applications or people there are: counts are aggregated in the
database; so is each stay's length (a finished stay from the ``left_at`` kept on its
stage change), but SQL has no portable median, so the stays come back as one list of
whole microseconds per MNVP and stage and are summarised here.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import BigIntegerField, Case, Count, F, Q, Value, When
from django.db.models.functions import Greatest
from django.utils import timezone

from cms.db_functions import EpochMicroseconds, IntegerList, epoch_microseconds

from .enums import EQUALITY_QUESTION_CHOICES, ApplicationStage, EqualityQuestion
from .models import (
    Application,
    ApplicationStageChange,
    Membership,
    Partnership,
    Person,
    ReferencePopulation,
)
from .pipeline import CLOSED_STAGES, OPEN_STAGES
from .scoping import scope_queryset

PIPELINE_ORDER: tuple[str, ...] = (*OPEN_STAGES, *CLOSED_STAGES)
SUPPRESSION_THRESHOLD = 5
SUPPRESSED_TEXT = "fewer than 5"
NOT_ANSWERED = ""
NOT_ANSWERED_LABEL = "Not answered"
SECONDS_PER_DAY = 86_400


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def visible_partnerships(user, partnership=None):
    """The MNVPs ``user`` may see, narrowed to ``partnership`` (an instance or id) if given.

    A partnership outside the user's scope narrows to nothing: the caller gets an
    empty report, never another MNVP's figures.
    """
    partnerships = scope_queryset(Partnership.objects.all(), user, "view")
    if partnership is not None:
        partnerships = partnerships.filter(pk=getattr(partnership, "pk", partnership))
    return partnerships


# --- Recruitment funnel -------------------------------------------------------------


@dataclass(frozen=True)
class StageStat:
    """One stage of one funnel: how many are in it now, and how long applications stay in it."""

    stage: str
    label: str
    count: int
    reached: int
    median_days: float | None
    mean_days: float | None

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES


@dataclass(frozen=True)
class Funnel:
    """The funnel of one MNVP (``partnership`` set) or of all those in the report (``None``)."""

    name: str
    partnership: Partnership | None
    stages: list[StageStat]

    @property
    def total(self) -> int:
        return sum(stage.count for stage in self.stages)

    @property
    def open_count(self) -> int:
        return sum(stage.count for stage in self.stages if stage.is_open)

    @property
    def accepted(self) -> int:
        return sum(stage.count for stage in self.stages if stage.stage == ApplicationStage.ACCEPTED)

    @property
    def closed(self) -> int:
        return sum(stage.count for stage in self.stages if not stage.is_open)

    @property
    def conversion(self) -> Decimal | None:
        """Accepted as a percentage of all closed applications; ``None`` before any has closed."""
        return percent(self.accepted, self.closed)

    @property
    def largest_count(self) -> int:
        return max((stage.count for stage in self.stages), default=0)


@dataclass(frozen=True)
class FunnelReport:
    funnels: list[Funnel]
    total: Funnel
    since: date | None = None
    as_of: datetime | None = None  # the moment open applications' time in stage runs to

    @property
    def is_empty(self) -> bool:
        return not self.funnels


def _days(microseconds: str) -> list[float]:
    """Stays given as comma-separated whole microseconds (none negative), in days.

    Worked as ``timedelta.total_seconds() / 86400`` would (divided by a million, rounded,
    then by 86,400, rounded), so the figures are the same to the bit as from datetimes.
    Bound methods rather than a comprehension: tens of thousands of stays, no frames.
    """
    seconds = map((1_000_000.0).__rtruediv__, map(int, microseconds.split(",")))
    return list(map(float(SECONDS_PER_DAY).__rtruediv__, seconds))


def _summarise(durations: list[float]) -> tuple[float | None, float | None]:
    if not durations:
        return None, None
    return round(statistics.median(durations), 1), round(statistics.fmean(durations), 1)


def _current_stay(now: datetime):
    """An open application's stay so far in whole microseconds, never negative; NULL once closed."""
    now_us = Value(epoch_microseconds(now), output_field=BigIntegerField())
    stay = Greatest(now_us - EpochMicroseconds("stage_changed_at"), Value(0))
    return Case(When(stage__in=OPEN_STAGES, then=stay))


def _time_in_stage(changes, current) -> dict[int | None, dict[str, list[float]]]:
    """Every stay in days, per MNVP and stage and per stage across MNVPs (one query here).

    A stay is finished (from one stage change to the application's next, a note on the
    stage not counting as a change: the change's ``left_at``, kept by :mod:`members.stays`)
    or current (an open application's, from ``stage_changed_at`` to now); closed stages
    are final and have none. ``current`` holds (MNVP, stage, stays) rows, the stays as
    :func:`_current_stay` lists them (the caller reads them with its counts, in the same
    pass over the applications).

    The database works out each stay as whole microseconds (exact) and sends each
    MNVP's stays in a stage as one list of integers: no datetime crosses into Python.
    Medians are taken here, because SQL has no portable median.
    """
    durations: dict[int | None, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))

    def add(mnvp, stage, stays):
        days = _days(stays)
        durations[mnvp][stage] += days
        durations[None][stage] += days

    stay = Greatest(
        EpochMicroseconds("left_at") - EpochMicroseconds("changed_at"), Value(0)
    )  # never negative
    finished = (
        changes.filter(left_at__isnull=False, to_stage__in=OPEN_STAGES)
        .exclude(to_stage=F("from_stage"))  # a note on the stage, not a move: the stay goes on
        .order_by()
        .values_list("application__partnership_id", "to_stage")
        .annotate(stays=IntegerList(stay))
    )
    for mnvp, stage, stays in finished:
        add(mnvp, stage, stays)

    for mnvp, stage, stays in current:
        if stays:  # a closed stage has none
            add(mnvp, stage, stays)
    return durations


def _build_funnel(name, partnership, counts, reached, durations) -> Funnel:
    stages = []
    for stage in PIPELINE_ORDER:
        median, mean = _summarise(durations.get(stage, []))
        stages.append(
            StageStat(
                stage=stage,
                label=ApplicationStage(stage).label,
                count=counts.get(stage, 0),
                reached=reached.get(stage, 0),
                median_days=median,
                mean_days=mean,
            )
        )
    return Funnel(name=name, partnership=partnership, stages=stages)


def recruitment_funnel(
    user, partnership=None, since: date | datetime | None = None, now=None
) -> FunnelReport:
    """Applications per stage, per MNVP and in total, with time in stage and conversion.

    * ``count``: applications in the stage now.
    * ``reached``: applications that ever entered it (in it now, or into it by their
      stage history; every application reached "new").
    * time in stage (median and mean days): each finished stay is the time between one
      stage change and the next; each open application's current stay runs from
      ``stage_changed_at`` to ``now``. Closed stages are final, so they have no time.
    * conversion: accepted as a share of all closed (accepted, declined, withdrawn).

    ``since`` keeps applications submitted on or after that date. Four queries at most
    (the user's MNVPs, counts with current stays, reached counts, finished stays),
    whatever the number of applications.
    """
    now = now or timezone.now()
    partnerships = list(visible_partnerships(user, partnership).only("pk", "name"))
    partnership_ids = [p.pk for p in partnerships]
    applications = Application.objects.filter(partnership__in=partnership_ids)
    # The same applications' history, by a join: "application__in=applications" would have
    # the database list every application id first (most of the time on SQLite).
    changes = ApplicationStageChange.objects.filter(application__partnership__in=partnership_ids)
    if since is not None:
        if not isinstance(since, datetime):
            since = timezone.make_aware(datetime.combine(since, time.min))
        applications = applications.filter(submitted_at__gte=since)
        changes = changes.filter(application__submitted_at__gte=since)

    if not partnerships:
        return FunnelReport(funnels=[], total=_build_funnel("All MNVPs", None, {}, {}, {}), since=since)

    counts: dict[int | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    counted = list(
        applications.order_by()
        .values_list("partnership_id", "stage")
        .annotate(n=Count("pk"), stays=IntegerList(_current_stay(now)))
    )
    for partnership_id, stage, n, _stays in counted:
        counts[partnership_id][stage] += n
        counts[None][stage] += n

    reached: dict[int | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    reached_rows = (
        changes.exclude(to_stage=F("application__stage"))
        .order_by()
        .values("application__partnership_id", "to_stage")
        .annotate(n=Count("application", distinct=True))
    )
    for row in reached_rows:
        reached[row["application__partnership_id"]][row["to_stage"]] += row["n"]
        reached[None][row["to_stage"]] += row["n"]
    # Those in a stage now reached it, whether or not their history says so.
    for key, by_stage in counts.items():
        for stage, n in by_stage.items():
            reached[key][stage] += n
        reached[key][ApplicationStage.NEW] = sum(by_stage.values())

    durations = _time_in_stage(changes, [(mnvp, stage, stays) for mnvp, stage, _n, stays in counted])

    funnels = [_build_funnel(p.name, p, counts[p.pk], reached[p.pk], durations[p.pk]) for p in partnerships]
    total = _build_funnel(
        "All MNVPs" if len(funnels) > 1 else funnels[0].name,
        None,
        counts[None],
        reached[None],
        durations[None],
    )
    return FunnelReport(funnels=funnels, total=total, since=since, as_of=now)


# --- Equality monitoring ------------------------------------------------------------


@dataclass(frozen=True)
class CountCell:
    """One answer to one question. A suppressed cell keeps neither its count nor its percentage."""

    category: str
    label: str
    count: int | None
    percentage: Decimal | None

    @property
    def suppressed(self) -> bool:
        return self.count is None

    @property
    def display_count(self) -> str:
        return SUPPRESSED_TEXT if self.suppressed else str(self.count)


@dataclass(frozen=True)
class EqualityCell(CountCell):
    reference_percentage: Decimal | None


@dataclass(frozen=True)
class EqualityQuestionReport:
    question: str
    label: str
    cells: list[EqualityCell]
    reference_source: str = ""


@dataclass(frozen=True)
class EqualityReport:
    """Members' answers per question. ``total`` is ``None`` when under the threshold."""

    total: int | None
    questions: list[EqualityQuestionReport] = field(default_factory=list)
    partnership_names: list[str] = field(default_factory=list)

    @property
    def display_total(self) -> str:
        return SUPPRESSED_TEXT if self.total is None else str(self.total)


def suppress(counts: dict[str, int], threshold: int = SUPPRESSION_THRESHOLD) -> set[str]:
    """The keys of ``counts`` to hide so that no count under ``threshold`` can be known.

    Primary suppression hides every count under the threshold (zero included: a zero
    next to a known total helps to work out the others). Secondary suppression then
    hides the next smallest counts until at least two are hidden, because a single
    hidden count is the total minus the shown ones.
    """
    hidden = {key for key, count in counts.items() if count < threshold}
    if 0 < len(hidden) < 2:
        shown = sorted((count, key) for key, count in counts.items() if key not in hidden)
        if shown:
            hidden.add(shown[0][1])
    return hidden


def _reference_figures(partnership_ids: list[int], single: bool):
    """``{question: (source, {category: percentage})}``, one set of figures per question.

    For one MNVP, its own figures for a question replace the host-wide ones for that
    whole question (mixing two sources would not add up to 100%); for several MNVPs
    only host-wide figures apply.
    """
    rows = ReferencePopulation.objects.filter(
        Q(partnership__isnull=True) | Q(partnership__in=partnership_ids if single else [])
    ).values_list("partnership_id", "question", "category", "percentage", "source")
    own: dict[str, dict] = defaultdict(dict)
    host: dict[str, dict] = defaultdict(dict)
    sources: dict[tuple[bool, str], str] = {}
    for partnership_id, question, category, percentage, source in rows:
        target = host if partnership_id is None else own
        target[question][category] = percentage
        sources.setdefault((partnership_id is None, question), source)
    figures = {}
    for question in EqualityQuestion.values:
        if own.get(question):
            figures[question] = (sources.get((False, question), ""), own[question])
        elif host.get(question):
            figures[question] = (sources.get((True, question), ""), host[question])
    return figures


def equality_report(user, partnership=None, on: date | None = None) -> EqualityReport:
    """Current members' equality answers against the reference population, small numbers hidden.

    Counts people (once each, even when a member of several of the MNVPs in the
    report) with a current membership of the MNVPs ``user`` may see, narrowed to
    ``partnership`` if given. Percentages are of all those people; "Not answered"
    counts those who gave no answer to the question. Three queries.
    """
    partnerships = list(visible_partnerships(user, partnership).only("pk", "name"))
    ids = [p.pk for p in partnerships]
    members = Membership.objects.current(on).filter(partnership__in=ids).values("person_id")
    aggregates = {"total": Count("pk", distinct=True)}
    for question, enum in EQUALITY_QUESTION_CHOICES.items():
        for category in enum.values:
            aggregates[f"{question}__{category}"] = Count(
                "pk", filter=Q(**{f"equality_monitoring__{question}": category}), distinct=True
            )
    results = Person.objects.filter(pk__in=members).aggregate(**aggregates) if ids else {"total": 0}
    total = results["total"]
    figures = _reference_figures(ids, single=len(ids) == 1)

    questions = []
    for question, enum in EQUALITY_QUESTION_CHOICES.items():
        counts = {category: results.get(f"{question}__{category}", 0) for category in enum.values}
        counts[NOT_ANSWERED] = total - sum(counts.values())
        hidden = suppress(counts)
        source, reference = figures.get(question, ("", {}))
        labels = {**dict(enum.choices), NOT_ANSWERED: NOT_ANSWERED_LABEL}
        cells = [
            EqualityCell(
                category=category,
                label=str(labels[category]),
                count=None if category in hidden else count,
                percentage=None if category in hidden else percent(count, total),
                reference_percentage=reference.get(category),
            )
            for category, count in counts.items()
        ]
        questions.append(
            EqualityQuestionReport(
                question=question,
                label=EqualityQuestion(question).label,
                cells=cells,
                reference_source=source,
            )
        )
    return EqualityReport(
        total=total if total >= SUPPRESSION_THRESHOLD else None,
        questions=questions,
        partnership_names=[p.name for p in partnerships],
    )


# --- Open applications (the dashboard) -----------------------------------------------


@dataclass(frozen=True)
class OpenApplications:
    """Open applications per open stage (in pipeline order), and how many are overdue in their stage."""

    counts: dict[str, int]
    overdue: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def open_applications(user, now=None) -> OpenApplications:
    """The open applications of the MNVPs ``user`` may see, per stage, and the overdue (two queries)."""
    from .models import RecruitmentSettings

    days = RecruitmentSettings.load().stage_overdue_days
    applications = scope_queryset(Application.objects.open(), user, "view")
    overdue_q = Application.objects.all()._overdue_q(days, now)
    counts = dict.fromkeys(OPEN_STAGES, 0)
    overdue = 0
    for stage, n, late in (
        applications.order_by()
        .values("stage")
        .annotate(n=Count("pk"), late=Count("pk", filter=overdue_q))
        .values_list("stage", "n", "late")
    ):
        counts[stage] = n
        overdue += late
    return OpenApplications(counts=counts, overdue=overdue)

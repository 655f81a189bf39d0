"""Who an MNVP's activities reached, in aggregate, beside its local birthing population.

Counts come from :class:`~workplans.models.ActivityReach` (a count per equality
category, never a person) and are compared with the
:class:`~workplans.models.BirthingPopulation` figures the host enters. Small numbers
are hidden with the equality report's own rule (:func:`members.reports.suppress`:
under 5, and a second count where one alone could be worked out from the total),
so a count or percentage that could point at a family never reaches a page or a PDF.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from members.enums import EQUALITY_QUESTION_CHOICES, EqualityQuestion
from members.reports import SUPPRESSED_TEXT, SUPPRESSION_THRESHOLD, CountCell, percent, suppress

from .models import ActivityReach, BirthingPopulation


@dataclass(frozen=True)
class ReachCell(CountCell):
    population_percentage: Decimal | None


@dataclass(frozen=True)
class ReachQuestion:
    question: str
    label: str
    total: int | None  # None when under the threshold
    cells: list[ReachCell]
    population_source: str = ""

    @property
    def display_total(self) -> str:
        return SUPPRESSED_TEXT if self.total is None else str(self.total)


@dataclass(frozen=True)
class Reach:
    questions: list[ReachQuestion] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.questions


def birthing_population(partnership_id: int) -> dict[str, tuple[str, dict[str, Decimal]]]:
    """``{question: (source, {category: percentage})}`` for one MNVP (one query)."""
    figures: dict[str, tuple[str, dict[str, Decimal]]] = {}
    rows = BirthingPopulation.objects.filter(partnership=partnership_id).values_list(
        "question", "category", "percentage", "source"
    )
    for question, category, percentage, source in rows:
        _source, by_category = figures.setdefault(question, (source, {}))
        by_category[category] = percentage
    return figures


def build_reach(counts: dict[str, dict[str, int]], partnership_id: int) -> Reach:
    """The reach report from ``{question: {category: count}}``, beside the MNVP's birthing population.

    A question appears when anything was counted for it. Its categories are those
    counted or with a population figure; percentages are of everyone counted for
    that question. One query (the population figures).
    """
    population = birthing_population(partnership_id)
    questions = []
    for question, enum in EQUALITY_QUESTION_CHOICES.items():
        counted = {category: n for category, n in counts.get(question, {}).items() if n}
        if not counted:
            continue
        source, figures = population.get(question, ("", {}))
        shown = {category: counted.get(category, 0) for category in enum.values if category in counted}
        shown.update({category: counted.get(category, 0) for category in figures if category in enum.values})
        ordered = {category: shown[category] for category in enum.values if category in shown}
        total = sum(counted.values())
        hidden = suppress(ordered)
        labels = dict(enum.choices)
        cells = [
            ReachCell(
                category=category,
                label=str(labels[category]),
                count=None if category in hidden else count,
                percentage=None if category in hidden else percent(count, total),
                population_percentage=figures.get(category),
            )
            for category, count in ordered.items()
        ]
        questions.append(
            ReachQuestion(
                question=question,
                label=EqualityQuestion(question).label,
                total=total if total >= SUPPRESSION_THRESHOLD else None,
                cells=cells,
                population_source=source,
            )
        )
    return Reach(questions=questions)


def reach_counts(activities) -> dict[str, dict[str, int]]:
    """``{question: {category: count}}`` summed over ``activities`` (a queryset; one query)."""
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    rows = (
        ActivityReach.objects.filter(activity__in=activities)
        .order_by()
        .values("question", "category")
        .annotate(n=Sum("count"))
    )
    for row in rows:
        counts[row["question"]][row["category"]] = row["n"]
    return counts


def activity_reach(activity) -> Reach:
    """One activity's reach beside its MNVP's birthing population (two queries)."""
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for question, category, count in ActivityReach.objects.filter(activity=activity).values_list(
        "question", "category", "count"
    ):
        counts[question][category] = count
    return build_reach(counts, activity.partnership_id)

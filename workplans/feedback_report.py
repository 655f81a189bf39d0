"""Theme analysis: how often each theme came up, per MNVP per financial quarter.

Financial quarters run April to June (Q1), July to September (Q2), October to
December (Q3) and January to March (Q4); the year ``2025/26`` starts in April 2025.
A financial quarter is a calendar quarter under another name, so the database
groups by ``TruncQuarter`` and the counts take one query whatever the rows.

A parent theme's count is of the items tagged with it or any of its children, each
item once. Counts under five are hidden with :func:`members.reports.suppress`
(primary and secondary suppression within each MNVP's row of quarters), so a
small group of families cannot be picked out. Every count shown links to the items
behind it: the feedback listing filtered by theme, MNVP and quarter, which is
scoped like any listing (a lead sees only their own MNVP's items).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count
from django.db.models.functions import Coalesce, TruncQuarter
from django.urls import reverse
from django.utils import timezone

from members.reports import SUPPRESSED_TEXT, suppress, visible_partnerships

from .models import FeedbackItem, FeedbackTheme

QUARTERS_SHOWN = 4
TOP_THEMES = 5
FEEDBACK_LISTING = "feedback_items:index"


@dataclass(frozen=True, order=True)
class Quarter:
    """A financial quarter: ``year`` is the year its financial year starts, ``number`` 1 to 4."""

    year: int
    number: int

    @classmethod
    def of(cls, day: datetime.date) -> Quarter:
        if day.month >= 4:
            return cls(day.year, (day.month - 4) // 3 + 1)
        return cls(day.year - 1, 4)

    @classmethod
    def parse(cls, key: str) -> Quarter | None:
        """``"2025-1"`` (as in a URL) or None when it is not a quarter."""
        year, _, number = (key or "").partition("-")
        if not (year.isdigit() and number in ("1", "2", "3", "4")) or not 2000 <= int(year) <= 2100:
            return None
        return cls(int(year), int(number))

    @property
    def key(self) -> str:
        return f"{self.year}-{self.number}"

    @property
    def label(self) -> str:
        return f"{self.year}/{(self.year + 1) % 100:02d} Q{self.number}"

    @property
    def start(self) -> datetime.date:
        month = 3 * self.number + 1
        return datetime.date(self.year + (month > 12), (month - 1) % 12 + 1, 1)

    @property
    def end(self) -> datetime.date:
        return self.next().start - datetime.timedelta(days=1)

    def next(self) -> Quarter:
        return Quarter(self.year + (self.number == 4), self.number % 4 + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - (self.number == 1), (self.number - 2) % 4 + 1)


def last_quarters(count: int = QUARTERS_SHOWN, on: datetime.date | None = None) -> list[Quarter]:
    """The ``count`` quarters ending with the current one, oldest first."""
    quarters = [Quarter.of(on or timezone.localdate())]
    while len(quarters) < count:
        quarters.insert(0, quarters[0].previous())
    return quarters


def financial_year_quarters(year: int) -> list[Quarter]:
    return [Quarter(year, number) for number in (1, 2, 3, 4)]


def quarter_choices(on: datetime.date | None = None, years: int = 4) -> list[tuple[str, str]]:
    """Quarters of the last few financial years, newest first, for a filter."""
    quarter = Quarter.of(on or timezone.localdate())
    choices = []
    for _ in range(years * 4):
        choices.append((quarter.key, quarter.label))
        quarter = quarter.previous()
    return choices


@dataclass(frozen=True)
class ThemeCell:
    quarter: Quarter
    count: int | None  # None: suppressed
    url: str = ""

    @property
    def suppressed(self) -> bool:
        return self.count is None

    @property
    def display_count(self) -> str:
        return SUPPRESSED_TEXT if self.suppressed else str(self.count)


@dataclass(frozen=True)
class ThemeRow:
    theme: FeedbackTheme
    is_parent: bool
    cells: list[ThemeCell]
    total: ThemeCell


@dataclass(frozen=True)
class PartnershipThemes:
    partnership: object
    rows: list[ThemeRow]


@dataclass(frozen=True)
class ThemeTrend:
    """One top theme's counts over the quarters, across the MNVPs in the report."""

    theme: FeedbackTheme
    cells: list[ThemeCell]
    largest: int


@dataclass
class ThemeReport:
    quarters: list[Quarter]
    partnerships: list[PartnershipThemes] = field(default_factory=list)
    trends: list[ThemeTrend] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.partnerships

    @property
    def period(self) -> str:
        return f"{self.quarters[0].label} to {self.quarters[-1].label}"


def listing_url(theme, partnership=None, quarter: Quarter | None = None, quarters=()) -> str:
    """The feedback listing narrowed to the items behind one count (one quarter, or a run of them)."""
    params = {"theme": theme.pk}
    if partnership is not None:
        params["partnership"] = partnership.pk
    if quarter is not None:
        params["quarter"] = quarter.key
    elif quarters:
        params["received_from"] = quarters[0].start.isoformat()
        params["received_to"] = quarters[-1].end.isoformat()
    return f"{reverse(FEEDBACK_LISTING)}?{urlencode(params)}"


def _cells(counts: dict[Quarter, int], quarters, make_url) -> tuple[list[ThemeCell], ThemeCell]:
    by_key = {quarter.key: counts.get(quarter, 0) for quarter in quarters}
    hidden = suppress(by_key)
    cells = [
        ThemeCell(q, None if q.key in hidden else by_key[q.key], "" if q.key in hidden else make_url(q))
        for q in quarters
    ]
    total = sum(by_key.values())
    total_hidden = total < 5
    return cells, ThemeCell(
        quarters[-1], None if total_hidden else total, "" if total_hidden else make_url(None)
    )


def theme_report(user, partnership=None, quarters: list[Quarter] | None = None) -> ThemeReport:
    """Counts of themes per MNVP per quarter for the MNVPs ``user`` may see (four queries).

    Rows are the active themes, each parent followed by its children; a parent counts
    the items tagged with it or a child, once each.
    """
    quarters = quarters or last_quarters()
    partnerships = list(visible_partnerships(user, partnership).only("pk", "name").order_by("name"))
    report = ThemeReport(quarters=quarters)
    if not partnerships:
        return report
    ids = [p.pk for p in partnerships]
    themes = list(FeedbackTheme.objects.filter(active=True).select_related("parent"))
    links = FeedbackItem.themes.through.objects.filter(
        feedbackitem__partnership__in=ids,
        feedbackitem__received_on__gte=quarters[0].start,
        feedbackitem__received_on__lte=quarters[-1].end,
    ).annotate(quarter=TruncQuarter("feedbackitem__received_on"))
    own: dict[tuple[int, int], dict[Quarter, int]] = defaultdict(dict)
    for theme_id, partnership_id, start, count in links.values_list(
        "feedbacktheme_id", "feedbackitem__partnership_id", "quarter"
    ).annotate(count=Count("feedbackitem_id", distinct=True)):
        own[(theme_id, partnership_id)][Quarter.of(start)] = count
    rolled: dict[tuple[int, int], dict[Quarter, int]] = defaultdict(dict)
    for root_id, partnership_id, start, count in (
        links.annotate(root=Coalesce("feedbacktheme__parent_id", "feedbacktheme_id"))
        .values_list("root", "feedbackitem__partnership_id", "quarter")
        .annotate(count=Count("feedbackitem_id", distinct=True))
    ):
        rolled[(root_id, partnership_id)][Quarter.of(start)] = count
    # And across the MNVPs, for the trend chart: each item once per parent theme.
    across: dict[int, dict[Quarter, int]] = defaultdict(dict)
    for root_id, start, count in (
        links.annotate(root=Coalesce("feedbacktheme__parent_id", "feedbacktheme_id"))
        .values_list("root", "quarter")
        .annotate(count=Count("feedbackitem_id", distinct=True))
    ):
        across[root_id][Quarter.of(start)] = count

    ordered = _ordered(themes)
    for p in partnerships:
        rows = []
        for theme, is_parent in ordered:
            counts = (rolled if is_parent else own).get((theme.pk, p.pk), {})
            if not counts and not is_parent:
                continue  # children nobody mentioned are left out; parents stay as the frame
            cells, total = _cells(
                counts, quarters, lambda q, theme=theme, p=p: listing_url(theme, p, q, quarters)
            )
            rows.append(ThemeRow(theme, is_parent, cells, total))
        report.partnerships.append(PartnershipThemes(p, rows))

    single = partnerships[0] if len(partnerships) == 1 else None
    parents = {theme.pk: theme for theme, is_parent in ordered if is_parent}
    top = sorted(
        (pk for pk in across if pk in parents), key=lambda pk: (-sum(across[pk].values()), parents[pk].name)
    )[:TOP_THEMES]
    for pk in top:
        cells, _ = _cells(across[pk], quarters, lambda q, theme=parents[pk]: listing_url(theme, single, q))
        largest = max((cell.count or 0 for cell in cells), default=0)
        report.trends.append(ThemeTrend(parents[pk], cells, largest))
    return report


def _ordered(themes: list[FeedbackTheme]) -> list[tuple[FeedbackTheme, bool]]:
    """Each top-level theme followed by its children, by name."""
    children = defaultdict(list)
    for theme in themes:
        if theme.parent_id:
            children[theme.parent_id].append(theme)
    ordered = []
    for parent in sorted((t for t in themes if not t.parent_id), key=lambda t: t.name.casefold()):
        ordered.append((parent, True))
        ordered.extend(
            (child, False) for child in sorted(children[parent.pk], key=lambda t: t.name.casefold())
        )
    return ordered

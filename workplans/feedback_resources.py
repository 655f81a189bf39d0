"""Spreadsheet import of feedback: survey free-text comments (for example the CQC Maternity
Survey's published comments for a trust), one comment a row.

It runs through the members import flow (:mod:`members.services.imports`): every row
checked first, a preview of every problem by row and column, then an all-or-nothing
import in Celery. Registered from :meth:`workplans.apps.WorkplansConfig.ready`.

Each new item is tagged with the themes the host's keyword rules suggest
(:func:`workplans.services.feedback.suggest_themes`), so an imported survey shows
in the theme report at once; staff review the tags afterwards.
"""

from __future__ import annotations

from django.utils import timezone

from members import spreadsheet_cells as cells
from members.models import Partnership
from members.resources import CheckedRow, Column, SpreadsheetResource, flag_repeats, in_chunks

from .enums import FeedbackSource, Sentiment, ServiceArea
from .models import FeedbackItem, FeedbackTheme
from .services.feedback import keyword_themes, suggest_themes

MAX_COMMENT = 10_000

FEEDBACK_COLUMNS = (
    Column(
        "mnvp",
        "MNVP",
        lambda value: cells.text(value, max_length=200),
        required=True,
        aliases=("partnership", "mnvp_name"),
    ),
    Column(
        "received_on",
        "Received on",
        cells.date,
        required=True,
        aliases=("date", "received", "date_received"),
    ),
    Column(
        "source",
        "Source",
        lambda value: cells.choice(value, FeedbackSource),
        required=True,
        aliases=("from",),
    ),
    Column(
        "service_area",
        "Service area",
        lambda value: cells.choice(value, ServiceArea),
        required=True,
        aliases=("area", "service"),
    ),
    Column("sentiment", "Sentiment", lambda value: cells.choice(value, Sentiment)),
    Column(
        "text",
        "Comment",
        lambda value: cells.text(value, max_length=MAX_COMMENT),
        required=True,
        aliases=("comments", "feedback", "free_text", "what_was_said", "text"),
    ),
)


class FeedbackItemResource(SpreadsheetResource):
    """Feedback items for the MNVPs the user may change; always new items, never updates.

    A comment already on record for the same MNVP and day, or earlier in the file,
    is refused rather than added twice. The text is encrypted, so that comparison is
    made in Python over the items of the file's MNVPs and days.
    """

    columns = FEEDBACK_COLUMNS
    update_fields = ()

    class Meta(SpreadsheetResource.Meta):
        model = FeedbackItem
        fields = ("received_on", "source", "service_area", "sentiment", "text")

    def __init__(self, *, user, on_progress=None):
        super().__init__(user=user, on_progress=on_progress)
        self.themes: list[FeedbackTheme] = []

    def partnerships_by_name(self) -> dict:
        found = {}
        for partnership in Partnership.objects.for_user(self.user, "change"):
            found[partnership.name.casefold()] = partnership
            found[partnership.slug.casefold()] = partnership
        return found

    def check_rows(self, dataset) -> dict[int, CheckedRow]:
        partnerships = self.partnerships_by_name()
        today = timezone.localdate()
        rows = {}
        for number, raw in enumerate(dataset.dict, 1):
            row = rows[number] = self.read_cells(raw)
            name = row.values.pop("mnvp", None)
            if name is not None:
                partnership = partnerships.get(name.casefold())
                if partnership is None:
                    row.add_error("mnvp", f"“{name}” is not an MNVP you may import into.")
                else:
                    row.values["partnership"] = partnership
            received_on = row.values.get("received_on")
            if received_on and received_on > today:
                row.add_error("received_on", "Feedback cannot be received in the future.")
            row.values["created_by"] = self.user
        flag_repeats(
            rows, self.item_key, "Row {} already has this comment for this MNVP on this day.", column="text"
        )
        self.flag_already_recorded(rows)
        self.themes = keyword_themes()
        return rows

    @staticmethod
    def item_key(row):
        values = row.values
        if not all(values.get(name) for name in ("partnership", "received_on", "text")):
            return None
        return values["partnership"].pk, values["received_on"], " ".join(values["text"].split()).casefold()

    def flag_already_recorded(self, rows) -> None:
        keys = {number: self.item_key(row) for number, row in rows.items()}
        wanted = {key for key in keys.values() if key}
        if not wanted:
            return
        partnership_ids = {key[0] for key in wanted}
        dates = sorted({key[1] for key in wanted})
        held = set()
        for chunk in in_chunks(dates):
            for item in FeedbackItem.objects.filter(
                partnership__in=partnership_ids, received_on__in=chunk
            ).only("partnership_id", "received_on", "text"):
                held.add((item.partnership_id, item.received_on, " ".join(item.text.split()).casefold()))
        for number, key in keys.items():
            if key in held:
                rows[number].add_error("text", "This comment is already recorded for this MNVP on this day.")

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """Save the batch, then tag each new item with its suggested themes (one insert a batch)."""
        instances = list(self.create_instances)
        super().bulk_create(using_transactions, dry_run, raise_errors, batch_size=batch_size, result=result)
        if not self.themes or not instances or instances[0].pk is None:
            return
        through = FeedbackItem.themes.through
        links = [
            through(feedbackitem_id=item.pk, feedbacktheme_id=theme.pk)
            for item in instances
            for theme in suggest_themes(item.text, self.themes)
        ]
        try:
            through.objects.bulk_create(links, batch_size=1000)
        except Exception as error:
            self.handle_import_error(result, error, raise_errors)
        self.counts["themes_suggested"] += len(links)

"""Feedback from families and its thematic analysis: recording, suggested themes, tagging.

Writes are keyword-only services that check who may act whatever view called them
(the role's model permission, and the item's MNVP within what the user may change:
``PermissionDenied`` otherwise), validate with ``full_clean`` and log beside the
change. :func:`suggest_themes` is a pure function of the text and the host's keyword
rules, so the admin's suggestions, the import and the demo all agree.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from functools import lru_cache

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from members.scoping import user_can

from ..enums import FeedbackSource
from ..models import FeedbackItem, FeedbackTheme

TAGGED_LOG_ACTION = "workplans.feedback_tagged"


@lru_cache(maxsize=512)
def _keyword_pattern(keyword: str) -> re.Pattern:
    # Whole words or phrases: "bed" must not match "bedside"; spaces in a phrase match any run of them.
    words = [re.escape(word) for word in keyword.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def suggest_themes(text: str, themes: Iterable[FeedbackTheme]) -> list[FeedbackTheme]:
    """The active themes one of whose keywords (a word or phrase) appears in ``text``.

    Case-insensitive, whole words only. Keeps the order of ``themes``. Pure: it reads
    only its arguments, so callers load the themes once for many texts.
    """
    if not text:
        return []
    folded = text.casefold()
    return [
        theme
        for theme in themes
        if theme.active and any(_keyword_pattern(keyword).search(folded) for keyword in theme.keyword_list)
    ]


def keyword_themes() -> list[FeedbackTheme]:
    """The active themes that carry keywords: what :func:`suggest_themes` needs (one query)."""
    return list(FeedbackTheme.objects.filter(active=True).exclude(keywords="").select_related("parent"))


def _require(user, permission: str, item: FeedbackItem) -> None:
    if not user.has_perm(permission) or not user_can(user, "change", item):
        raise PermissionDenied


@transaction.atomic
def record_feedback(
    *,
    partnership,
    received_on: datetime.date,
    source: str,
    service_area: str,
    text: str,
    sentiment: str = "",
    activity=None,
    themes: Iterable[FeedbackTheme] = (),
    acting_user,
) -> FeedbackItem:
    """Record what a family said for an MNVP the user may change (a lead: only their own)."""
    item = FeedbackItem(
        partnership=partnership,
        received_on=received_on,
        source=source,
        service_area=service_area,
        sentiment=sentiment,
        text=text,
        activity=activity,
        created_by=acting_user,
    )
    _require(acting_user, "workplans.add_feedbackitem", item)
    if activity is not None and activity.partnership_id != partnership.pk:
        raise ValidationError({"activity": "Choose an activity of the same MNVP."})
    item.full_clean()
    item.save()
    themes = list(themes)
    if themes:
        item.themes.set(themes)
    log(instance=item, action="wagtail.create", user=acting_user)
    return item


@transaction.atomic
def record_public_feedback(*, partnership, service_area: str, text: str, sentiment: str = "") -> FeedbackItem:
    """Record what a family told an MNVP through its public feedback form.

    Nobody is signed in, so there is no permission to check: the form on the MNVP's
    public page decides the MNVP. The item is dated today, comes from
    :attr:`FeedbackSource.PUBLIC_FORM`, and carries the themes its words suggest, as an
    import does; its text is encrypted like any other. All or nothing.
    """
    item = FeedbackItem(
        partnership=partnership,
        received_on=timezone.localdate(),
        source=FeedbackSource.PUBLIC_FORM,
        service_area=service_area,
        sentiment=sentiment,
        text=text.strip(),
    )
    item.full_clean()
    item.save()
    themes = suggest_themes(item.text, keyword_themes())
    if themes:
        item.themes.set(themes)
    log(instance=item, action="wagtail.create", user=None)
    return item


@transaction.atomic
def save_feedback(*, item: FeedbackItem, acting_user) -> FeedbackItem:
    """Save an item from the admin's form (new or changed), within the user's MNVPs."""
    creating = item.pk is None
    _require(acting_user, f"workplans.{'add' if creating else 'change'}_feedbackitem", item)
    if creating:
        item.created_by = acting_user
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def tag_feedback(
    *, item: FeedbackItem, themes: Iterable[FeedbackTheme], acting_user, replace: bool = True
) -> FeedbackItem:
    """Set the item's themes (or, with ``replace=False``, add to them) and log the change."""
    _require(acting_user, "workplans.change_feedbackitem", item)
    themes = list(themes)
    inactive = [theme for theme in themes if not theme.active]
    if inactive:
        raise ValidationError(f"“{inactive[0]}” is no longer in use: choose another theme.")
    before = set(item.themes.values_list("pk", flat=True))
    if replace:
        item.themes.set(themes)
    else:
        item.themes.add(*themes)
    after = set(item.themes.values_list("pk", flat=True))
    if after != before:
        log(
            instance=item,
            action=TAGGED_LOG_ACTION,
            user=acting_user,
            data={"added": sorted(after - before), "removed": sorted(before - after)},
        )
    return item


def suggestions_for(item: FeedbackItem, themes: Iterable[FeedbackTheme] | None = None) -> list[FeedbackTheme]:
    """The item's suggested themes that it does not carry yet."""
    have = {theme.pk for theme in item.themes.all()}
    pool = keyword_themes() if themes is None else themes
    return [theme for theme in suggest_themes(item.text, pool) if theme.pk not in have]

"""When each stay in a recruitment stage ended, kept on the stage change that began it.

A stay runs from one stage change of an application to its next (a note on the stage,
a change to the same stage, does not end it). The recruitment funnel's time in stage
reads each finished stay from ``ApplicationStageChange.left_at`` instead of pairing
every change with the next over all history (a window function, most of the report's
time at host scale). ``left_at`` is kept here, in one place:

* every save of a stage change (``create`` included: moves, staff entries, the demo)
  works its application's stays out again, through the signal :func:`connect` connects;
* bulk writes, which send no signals, call :func:`record_stays` with what they wrote
  (the bench data). A sign-up's bulk insert needs none: it writes a new application's
  first change, which has no next, or a note, which ends no stay.

Changes at the same moment are taken in id order, so the first of them is a stay of
no time, as the report always counted them.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.signals import post_save


def next_move(changes):
    """The time of each change's next move of the same application (a subquery over ``changes``' model)."""
    later = (
        changes.filter(application_id=OuterRef("application_id"))
        .exclude(to_stage=F("from_stage"))
        .filter(
            Q(changed_at__gt=OuterRef("changed_at"))
            | Q(changed_at=OuterRef("changed_at"), pk__gt=OuterRef("pk"))
        )
        .order_by("changed_at", "pk")
        .values("changed_at")[:1]
    )
    return Subquery(later)


def update_stays(changes) -> int:
    """Set ``left_at`` on every move in ``changes`` (a queryset) from its application's history: one query.

    Migration 0010 filled existing history with a frozen copy of the same query.
    """
    everything = changes.model._base_manager.all()
    return changes.exclude(to_stage=F("from_stage")).update(left_at=next_move(everything))


def record_stays(application_ids: Iterable[int] | None = None) -> int:
    """Work out again the stays of these applications (all of them if ``None``): one query."""
    from .funnel_cache import forget_funnels
    from .models import ApplicationStageChange

    changes = ApplicationStageChange._base_manager.all()
    if application_ids is not None:
        changes = changes.filter(application_id__in=list(application_ids))
    updated = update_stays(changes)
    forget_funnels()  # the funnels kept were worked out from the stays before
    return updated


def _saved(sender, instance, raw=False, **kwargs) -> None:
    if raw:  # loading fixtures
        return
    record_stays([instance.application_id])


def connect() -> None:
    """Keep ``left_at`` on every save of a stage change (once, at start)."""
    from .models import ApplicationStageChange

    post_save.connect(_saved, sender=ApplicationStageChange, dispatch_uid="members-stays-save")

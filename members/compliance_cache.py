"""How many people are in each compliance state: worked out once a day, until something changes.

The summary of the compliance report (and the dashboard's figures) needs every
current member's compliance, which for a whole host (100,000 people) takes about
two seconds. So the counts are cached per day, per set of MNVPs and role filter,
under a version token. The token is replaced (so every cached count is dropped)
whenever what compliance follows from changes:

* a save or delete of a training record, DBS check, membership, course, role
  requirement (or its courses) or the compliance settings, through the signals
  connected by :func:`connect` (at once, and again when the transaction commits, so a
  reader who counted the old data in between cannot keep it);
* bulk writes, which send no signals, call :func:`forget_compliance` themselves
  (spreadsheet imports, recording a training session).

The day is part of the key, so anything that changes compliance without a write
(time passing) is counted afresh the next day. Rows of the report are never cached:
each page works out its own people's compliance live.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

from django.db.models.signals import m2m_changed, post_delete, post_save

from cms.versioned_cache import VersionedCache

COUNTS_TIMEOUT = 26 * 60 * 60  # a day, and the key names the day anyway
counts_cache = VersionedCache("members:compliance", COUNTS_TIMEOUT)


def forget_compliance() -> None:
    """Drop every cached count: call after a write that sends no signals (bulk inserts, updates)."""
    counts_cache.forget()


def cached_counts(
    partnership_ids: Iterable[int], role: str | None, on: datetime.date, compute: Callable[[], dict]
) -> dict:
    """The counts for these MNVPs, role filter and day: from the cache, or ``compute()`` and kept."""
    ids = ",".join(str(pk) for pk in sorted(partnership_ids))
    return counts_cache.get_or_compute(f"counts:{on.isoformat()}:{role or '-'}:{ids}", compute)


def connect() -> None:
    """Drop the cached counts on every save or delete of what compliance follows from (once, at start)."""
    from .models import ComplianceSettings, Course, DBSCheck, Membership, RoleRequirement, TrainingRecord

    models = (TrainingRecord, DBSCheck, Membership, Course, RoleRequirement, ComplianceSettings)
    counts_cache.connect(
        [
            *((signal, model) for model in models for signal in (post_save, post_delete)),
            (m2m_changed, RoleRequirement.courses.through),
        ]
    )

"""The recruitment funnel, worked out at most once an hour until an application moves.

Across a whole host (50,000 applications, 200,000 stage changes) the funnel takes most
of a second to work out; host staff reading it again, or paging between filters, see
the same figures. :func:`cached_recruitment_funnel` keeps each result (per set of MNVPs
and ``since``) for the hour it was worked out in, and drops every kept result when an
application or its history is saved or an application deleted (signals; bulk writes of
history call :func:`forget_funnels`, as :func:`members.stays.record_stays` does). The
time in stage of open applications is as at the moment it was worked out
(``FunnelReport.as_of``, shown on the page), so at most an hour old.
"""

from __future__ import annotations

from datetime import date

from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from cms.versioned_cache import VersionedCache

from .reports import FunnelReport, recruitment_funnel, visible_partnerships

funnel_cache = VersionedCache("members:funnel", 60 * 60)


def forget_funnels() -> None:
    funnel_cache.forget()


def cached_recruitment_funnel(user, *, partnership=None, since: date | None = None) -> FunnelReport:
    """:func:`members.reports.recruitment_funnel` for ``user``, from the cache when this hour has it."""
    now = timezone.now()
    ids = ",".join(
        str(pk) for pk in sorted(visible_partnerships(user, partnership).values_list("pk", flat=True))
    )
    key = f"{now:%Y-%m-%dT%H}:{since.isoformat() if since else '-'}:{ids}"
    return funnel_cache.get_or_compute(
        key, lambda: recruitment_funnel(user, partnership=partnership, since=since, now=now)
    )


def connect() -> None:
    """Drop the kept funnels on every save of an application or a stage change, and on deleting one."""
    from .models import Application, ApplicationStageChange

    # Not post_delete of stage changes: they go with their application (whose delete is
    # heard), and a receiver would stop Django deleting them in one statement.
    funnel_cache.connect(
        [(post_save, Application), (post_delete, Application), (post_save, ApplicationStageChange)]
    )

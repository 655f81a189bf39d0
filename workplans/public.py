"""What the public site may show of an MNVP's engagement: public events and "you said, we did"."""

from __future__ import annotations

import datetime

from django.utils import timezone

from .enums import ActionStatus, ActivityStatus
from .models import EngagementActivity, YouSaidWeDid

#: The fields of an activity that families may see; nothing else is loaded.
PUBLIC_EVENT_FIELDS = ("title", "held_on", "starts_at", "place", "public_description")

PUBLIC_ACTION_STATUSES = (ActionStatus.DONE, ActionStatus.IN_PROGRESS)


def public_actions(partnership, limit: int = 12):
    """The MNVP's actions marked public and done or in progress, done first, newest first (one query).

    Only ``you_said``, ``we_did`` and the status reach the page: never the owner's
    name, the activity, or who wrote it.
    """
    return list(
        YouSaidWeDid.objects.filter(partnership=partnership, public=True, status__in=PUBLIC_ACTION_STATUSES)
        .order_by("status", "-pk")  # "done" sorts before "in_progress"
        .only("you_said", "we_did", "status", "theme")[:limit]
    )


def _upcoming_public_events(*, today: datetime.date | None = None):
    """Engagement activities marked public and not cancelled, from today on, soonest first.

    Which events families may see, in one place: each public listing narrows this.
    Soonest first: by date, then time (an event without a time comes first on its day).
    """
    return (
        EngagementActivity.objects.filter(is_public=True, held_on__gte=today or timezone.localdate())
        .exclude(status=ActivityStatus.CANCELLED)
        .order_by("held_on", "starts_at", "pk")
    )


def public_events(partnership, *, today: datetime.date | None = None, limit: int | None = None):
    """The MNVP's engagement activities marked public and not cancelled, from today on (one query).

    Soonest first (by date, then time; an event without a time comes first on its day).
    Only :data:`PUBLIC_EVENT_FIELDS` are loaded: never the summary, the volunteers or the
    risk assessment.
    """
    events = _upcoming_public_events(today=today).filter(partnership=partnership).only(*PUBLIC_EVENT_FIELDS)
    return list(events if limit is None else events[:limit])


def public_events_of(partnership_ids, *, limit: int, today: datetime.date | None = None):
    """The next public events across the given MNVPs, soonest first (one query).

    For the home page's "Coming up": the caller passes the MNVPs whose public page is
    live, so an MNVP without one shows nothing. Loads :data:`PUBLIC_EVENT_FIELDS` and the
    MNVP's id (to find its page), nothing else.
    """
    events = (
        _upcoming_public_events(today=today)
        .filter(partnership_id__in=list(partnership_ids))
        .only(*PUBLIC_EVENT_FIELDS, "partnership")
    )
    return list(events[:limit])

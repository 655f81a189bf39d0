"""What the public site may show of an MNVP's engagement: "you said, we did" marked public."""

from __future__ import annotations

from .enums import ActionStatus
from .models import YouSaidWeDid

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

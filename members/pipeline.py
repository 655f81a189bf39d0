"""The recruitment pipeline's state machine: the one place that says which moves are allowed."""

from datetime import timedelta

from django.utils import timezone

from .enums import ApplicationStage as S

OPEN_STAGES = (S.NEW, S.CONTACTED, S.CONVERSATION, S.REFERENCES, S.CHECKS, S.INDUCTION)
CLOSED_STAGES = (S.ACCEPTED, S.DECLINED, S.WITHDRAWN)

# Forward moves; references and checks may be skipped where the role needs neither.
# Declining or withdrawing is possible from any open stage; closed stages are final.
FORWARD: dict[str, tuple[str, ...]] = {
    S.NEW: (S.CONTACTED,),
    S.CONTACTED: (S.CONVERSATION,),
    S.CONVERSATION: (S.REFERENCES, S.CHECKS, S.INDUCTION),
    S.REFERENCES: (S.CHECKS, S.INDUCTION),
    S.CHECKS: (S.INDUCTION,),
    S.INDUCTION: (S.ACCEPTED,),
}


def allowed_moves(stage: str) -> tuple[str, ...]:
    if stage in CLOSED_STAGES:
        return ()
    return (*FORWARD.get(stage, ()), S.DECLINED, S.WITHDRAWN)


def can_move(from_stage: str, to_stage: str) -> bool:
    return to_stage in allowed_moves(from_stage)


def is_open(stage: str) -> bool:
    return stage in OPEN_STAGES


def overdue_since(now=None, *, days: int):
    """Applications whose stage last changed before this moment are overdue."""
    return (now or timezone.now()) - timedelta(days=days)

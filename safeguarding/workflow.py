"""The steps of a safeguarding concern: which status allows which step, and where it leads.

The one place that says so. Services (:mod:`safeguarding.services.concerns`) call
:func:`check_step` before acting; views ask :func:`allowed_steps` which buttons to
show. Nothing else decides it.

    received --acknowledge--> acknowledged --triage--> triaged --escalate--> escalated
                                   |                      |                     |
                                   +------escalate--------+                     |
                                                          +------close----------+--> closed
    closed --reopen--> triaged (or escalated, if it was escalated before)

A concern is acknowledged before anything else is done with it (one click), so the
acknowledgement deadline is stopped by an explicit act, not by a side effect.
Escalating straight after acknowledging is allowed: with immediate risk the police
come first and the categories later.
"""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import ValidationError

from .enums import ConcernKind, ConcernStatus

S = ConcernStatus

OPEN = frozenset({S.ACKNOWLEDGED, S.TRIAGED, S.ESCALATED})

# Which status each status may move to.
ALLOWED_MOVES: dict[str, frozenset[str]] = {
    S.RECEIVED: frozenset({S.ACKNOWLEDGED}),
    S.ACKNOWLEDGED: frozenset({S.TRIAGED, S.ESCALATED}),
    S.TRIAGED: frozenset({S.ESCALATED, S.CLOSED}),
    S.ESCALATED: frozenset({S.CLOSED}),
    S.CLOSED: frozenset({S.TRIAGED, S.ESCALATED}),
}


class Step(StrEnum):
    ACKNOWLEDGE = "acknowledge"
    TRIAGE = "triage"
    ADD_ENTRY = "add_entry"
    ESCALATE = "escalate"
    LADO_REFERRAL = "lado_referral"
    DEBRIEF = "debrief"
    OUTCOME = "outcome"
    CLOSE = "close"
    REOPEN = "reopen"


# The statuses in which each step may be taken.
STEP_FROM: dict[Step, frozenset[str]] = {
    Step.ACKNOWLEDGE: frozenset({S.RECEIVED}),
    Step.TRIAGE: OPEN,
    Step.ADD_ENTRY: OPEN,
    Step.ESCALATE: OPEN,
    Step.LADO_REFERRAL: OPEN,
    Step.DEBRIEF: OPEN,
    Step.OUTCOME: frozenset({S.TRIAGED, S.ESCALATED}),
    Step.CLOSE: frozenset({S.TRIAGED, S.ESCALATED}),
    Step.REOPEN: frozenset({S.CLOSED}),
}

REFUSALS: dict[Step, str] = {
    Step.ACKNOWLEDGE: "This concern has been acknowledged already.",
    Step.TRIAGE: "Only an open, acknowledged concern can be triaged.",
    Step.ADD_ENTRY: "Chronology entries are added to an open, acknowledged concern.",
    Step.ESCALATE: "Only an open, acknowledged concern can be escalated.",
    Step.LADO_REFERRAL: "A LADO referral is recorded on an open, acknowledged allegation.",
    Step.DEBRIEF: "A debrief is recorded on an open, acknowledged concern.",
    Step.OUTCOME: "An outcome is recorded once the concern has been triaged, and before it is closed.",
    Step.CLOSE: "Only a triaged or escalated concern can be closed.",
    Step.REOPEN: "Only a closed concern can be reopened.",
}


def next_status(concern, step: Step) -> str:
    """The status ``concern`` has after ``step`` (its own where the step does not move it)."""
    current = concern.status
    if step == Step.ACKNOWLEDGE:
        return S.ACKNOWLEDGED
    if step == Step.TRIAGE and current == S.ACKNOWLEDGED:
        return S.TRIAGED
    if step in (Step.ESCALATE, Step.LADO_REFERRAL):
        return S.ESCALATED
    if step == Step.CLOSE:
        return S.CLOSED
    if step == Step.REOPEN:
        return S.ESCALATED if concern.escalations.exists() else S.TRIAGED
    return current


def step_refusal(concern, step: Step) -> str | None:
    """Why ``step`` may not be taken on ``concern`` now, or None when it may."""
    if concern.status not in STEP_FROM[step]:
        return REFUSALS[step]
    if step == Step.LADO_REFERRAL:
        if concern.kind != ConcernKind.ALLEGATION:
            return "A LADO referral is recorded for an allegation against a volunteer or lead."
        if concern.lado_referred_at is not None:
            return "The LADO referral has been recorded already."
    if step == Step.CLOSE and not concern.outcome:
        return "Record the outcome before closing the concern."
    target = next_status(concern, step)
    if target != concern.status and target not in ALLOWED_MOVES[concern.status]:
        return REFUSALS[step]  # the tables above disagree: refuse rather than guess
    return None


def check_step(concern, step: Step) -> str:
    """Raise a ValidationError unless ``step`` is allowed now; return the status it leads to."""
    refusal = step_refusal(concern, step)
    if refusal:
        raise ValidationError(refusal, code=f"{step}_not_allowed")
    return next_status(concern, step)


def allowed_steps(concern) -> list[Step]:
    return [step for step in Step if step_refusal(concern, step) is None]

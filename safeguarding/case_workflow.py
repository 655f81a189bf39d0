"""The stages of a grievance or complaint: which step each stage allows, and where it leads.

The one place that says so. Services (:mod:`safeguarding.services.cases`) call
:func:`check_step` before acting; views ask :func:`allowed_steps` which buttons to
show.

    received --acknowledge--> acknowledged --start_investigation--> investigating
    investigating --record_outcome--> outcome --lodge_appeal--> appeal --decide_appeal--> closed
    outcome --close--> closed
    received / acknowledged / investigating --close (withdrawn)--> closed

Closing at ``outcome`` means no appeal came (or the person said none will); closing
earlier means the case was withdrawn. An appeal is decided once, and that closes it.
"""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import ValidationError

from .enums import CaseStage

S = CaseStage


class CaseStep(StrEnum):
    ACKNOWLEDGE = "acknowledge"
    START_INVESTIGATION = "start_investigation"
    RECORD_OUTCOME = "record_outcome"
    LODGE_APPEAL = "lodge_appeal"
    DECIDE_APPEAL = "decide_appeal"
    CLOSE = "close"


STEP_LABELS: dict[str, str] = {
    CaseStep.ACKNOWLEDGE: "Acknowledge",
    CaseStep.START_INVESTIGATION: "Start the investigation",
    CaseStep.RECORD_OUTCOME: "Record the outcome",
    CaseStep.LODGE_APPEAL: "Record an appeal",
    CaseStep.DECIDE_APPEAL: "Decide the appeal",
    CaseStep.CLOSE: "Close",
}

# (stage, step) -> the stage the step leads to.
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.RECEIVED, CaseStep.ACKNOWLEDGE): S.ACKNOWLEDGED,
    (S.ACKNOWLEDGED, CaseStep.START_INVESTIGATION): S.INVESTIGATING,
    (S.INVESTIGATING, CaseStep.RECORD_OUTCOME): S.OUTCOME,
    (S.OUTCOME, CaseStep.LODGE_APPEAL): S.APPEAL,
    (S.APPEAL, CaseStep.DECIDE_APPEAL): S.CLOSED,
    (S.OUTCOME, CaseStep.CLOSE): S.CLOSED,
    (S.RECEIVED, CaseStep.CLOSE): S.CLOSED,
    (S.ACKNOWLEDGED, CaseStep.CLOSE): S.CLOSED,
    (S.INVESTIGATING, CaseStep.CLOSE): S.CLOSED,
}

# Before an outcome, closing a case means it was withdrawn.
WITHDRAWAL_STAGES = frozenset({S.RECEIVED, S.ACKNOWLEDGED, S.INVESTIGATING})
OPEN_STAGES = frozenset(s for s in S.values if s != S.CLOSED)


def allowed_steps(stage: str) -> list[str]:
    return [step for (from_stage, step) in TRANSITIONS if from_stage == stage]


def next_stage(stage: str, step: str) -> str | None:
    return TRANSITIONS.get((stage, step))


def check_step(stage: str, step: str) -> str:
    """The stage ``step`` leads to from ``stage``, or a ValidationError saying why not."""
    to_stage = next_stage(stage, step)
    if to_stage is None:
        label = STEP_LABELS[CaseStep(step)].lower()
        allowed = ", ".join(STEP_LABELS[s].lower() for s in allowed_steps(stage)) or "nothing"
        raise ValidationError(
            f"“{label}” is not possible while the case is {S(stage).label.lower()}; possible now: {allowed}.",
            code="invalid_step",
        )
    return to_stage

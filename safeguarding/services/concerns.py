"""Every change to a safeguarding concern: one keyword-only function per step.

Each runs in a transaction, checks the step against :mod:`safeguarding.workflow`,
and writes, in that same transaction, its :class:`~cms.models.AccessLogEntry`
(create or change) and, where the step belongs in the case's story, a chronology
line (:class:`~safeguarding.models.ConcernEntry`). Nothing else writes a concern, so
nothing changes one without a trace (STYLE.md: zulip's "one action, one audit row").

Access log details and chronology lines written here name the step, the
categories, who it went to and reference numbers; never the narrative.
"""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from cms.models import AccessLogEntry
from members.models import Partnership, Person
from members.scoping import scope_queryset

from ..enums import ConcernAbout, ConcernCategory, ConcernKind, EscalatedTo
from ..models import Concern, ConcernEntry, Escalation
from ..workflow import Step, check_step

REPORT_PERMISSION = "safeguarding.add_concern"
CHANGE_PERMISSION = "safeguarding.change_concern"


# Who may report, and for which MNVP --------------------------------------------------


def partnerships_for_reporter(user) -> QuerySet:
    """The MNVPs ``user`` may report a concern for.

    Those they may see (a lead: their own; host staff and DSLs: every one). Someone
    who may report but belongs to no MNVP (a case handler, a volunteer with a login
    but no MNVP role) may pick any active MNVP: their names are public, and a
    report must never be blocked for want of a permission.
    """
    if not (user.is_active and user.has_perm(REPORT_PERMISSION)):
        return Partnership.objects.none()
    scoped = scope_queryset(Partnership.objects.exclude(status="closed"), user, "view")
    if scoped.exists():
        return scoped
    return Partnership.objects.active()


def subjects_for_reporter(user) -> QuerySet:
    """The people an allegation by ``user`` may name: those of the MNVPs they may see."""
    return scope_queryset(Person.objects.all(), user, "view")


# Audit ----------------------------------------------------------------------------------


def _log(concern: Concern, *, user, action: str, detail: str) -> AccessLogEntry:
    """The access log row of a change (the request's IP is added by views, for reads)."""
    return AccessLogEntry.objects.create(
        user=user,
        action=action,
        content_type=ContentType.objects.get_for_model(Concern),
        object_id=str(concern.pk),
        object_repr=str(concern)[:200],
        detail=detail[:300],
    )


def _entry(concern: Concern, *, user, text: str, at: datetime.datetime | None = None) -> ConcernEntry:
    return ConcernEntry.objects.create(concern=concern, by=user, text=text, at=at or timezone.now())


def _locked(concern: Concern) -> Concern:
    """The concern re-read under a row lock, so two DSLs acting at once take turns."""
    return Concern.objects.select_for_update().get(pk=concern.pk)


def _require(user, permission: str) -> None:
    if not (user.is_active and user.has_perm(permission)):
        raise ValidationError("You do not have permission to do this.", code="permission_denied")


def _refresh(target: Concern, source: Concern) -> Concern:
    """Copy the saved state back onto the caller's object, so it is not stale."""
    for field in Concern._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
        if field.is_relation and field.is_cached(target):
            field.delete_cached_value(target)
    return target


def _save(concern: Concern, fields: list[str]) -> None:
    concern.full_clean()
    concern.save(update_fields=fields)


# Reporting --------------------------------------------------------------------------------


@transaction.atomic
def report_concern(
    *,
    reporter,
    partnership: Partnership,
    about: str,
    what_happened: str,
    immediate_risk: bool,
    kind: str = ConcernKind.CONCERN,
    who_described: str = "",
    where: str = "",
    when: str = "",
    activity: str = "",
    linked_activity=None,
    action_taken: str = "",
    subject_person: Person | None = None,
) -> Concern:
    """Record a concern reported by ``reporter``; only what they know is required.

    Any user with ``safeguarding.add_concern`` may report, for an MNVP from
    :func:`partnerships_for_reporter`. An allegation names the volunteer or lead it is
    about (one the reporter may see). Writes the concern, its first chronology line
    and an access log row (create).
    """
    _require(reporter, REPORT_PERMISSION)
    errors = {}
    if not partnerships_for_reporter(reporter).filter(pk=partnership.pk).exists():
        errors["partnership"] = "Choose one of your MNVPs."
    if about not in ConcernAbout.values:
        errors["about"] = "Say who or what the concern is about."
    if not (what_happened or "").strip():
        errors["what_happened"] = "Say what was said or seen, in your own words."
    if kind not in ConcernKind.values:
        errors["kind"] = "Choose whether this is a concern or an allegation."
    elif kind == ConcernKind.ALLEGATION:
        if subject_person is None:
            errors["subject_person"] = "Say which volunteer or lead the allegation is about."
        elif not subjects_for_reporter(reporter).filter(pk=subject_person.pk).exists():
            errors["subject_person"] = "Choose a volunteer or lead of your MNVP."
    elif subject_person is not None:
        errors["subject_person"] = "Only an allegation names a volunteer or lead."
    if linked_activity is not None and linked_activity.partnership_id != partnership.pk:
        errors["linked_activity"] = "Choose an activity of the MNVP you were working with."
    if errors:
        raise ValidationError(errors)

    concern = Concern(
        kind=kind,
        partnership=partnership,
        reported_by=reporter,
        reported_at=timezone.now(),
        about=about,
        who_described=who_described.strip(),
        where=where.strip(),
        when=when.strip(),
        activity=activity.strip(),
        linked_activity=linked_activity,
        what_happened=what_happened.strip(),
        immediate_risk=bool(immediate_risk),
        action_taken=action_taken.strip(),
        subject_person=subject_person,
    )
    concern.full_clean()
    concern.save()
    risk = " with immediate risk" if concern.immediate_risk else ""
    _entry(concern, user=reporter, at=concern.reported_at, text=f"Reported{risk}.")
    _log(concern, user=reporter, action=AccessLogEntry.Action.CREATE, detail=f"reported{risk}")
    return concern


# The DSLs' steps ------------------------------------------------------------------------


@transaction.atomic
def acknowledge_concern(*, concern: Concern, acting_user, note: str = "") -> Concern:
    """Say the concern has been seen by a DSL: stops the acknowledgement clock."""
    _require(acting_user, CHANGE_PERMISSION)
    locked = _locked(concern)
    locked.status = check_step(locked, Step.ACKNOWLEDGE)
    locked.acknowledged_at = timezone.now()
    locked.acknowledged_by = acting_user
    _save(locked, ["status", "acknowledged_at", "acknowledged_by"])
    _entry(locked, user=acting_user, text=_with_note("Acknowledged.", note))
    _log(locked, user=acting_user, action=AccessLogEntry.Action.CHANGE, detail="acknowledged")
    return _refresh(concern, locked)


@transaction.atomic
def triage_concern(*, concern: Concern, acting_user, categories: list[str], note: str = "") -> Concern:
    """Categorise the concern (again, if need be); the first triage moves it on to triaged."""
    _require(acting_user, CHANGE_PERMISSION)
    locked = _locked(concern)
    status = check_step(locked, Step.TRIAGE)
    chosen = [c for c in ConcernCategory.values if c in set(categories or [])]
    if not chosen or len(chosen) != len(set(categories)):
        raise ValidationError({"categories": "Choose at least one category from the list."})
    locked.status = status
    locked.categories = chosen
    _save(locked, ["status", "categories"])
    labels = ", ".join(ConcernCategory(c).label for c in chosen)
    _entry(locked, user=acting_user, text=_with_note(f"Triaged: {labels}.", note))
    _log(
        locked, user=acting_user, action=AccessLogEntry.Action.CHANGE, detail=f"triaged: {', '.join(chosen)}"
    )
    return _refresh(concern, locked)


@transaction.atomic
def add_chronology_entry(
    *, concern: Concern, acting_user, text: str, at: datetime.datetime | None = None
) -> ConcernEntry:
    """A note in the concern's chronology (a call, a visit, a decision), dated when it happened."""
    _require(acting_user, CHANGE_PERMISSION)
    locked = _locked(concern)
    check_step(locked, Step.ADD_ENTRY)
    if not (text or "").strip():
        raise ValidationError({"text": "Write what happened."})
    if at is not None and at > timezone.now():
        raise ValidationError({"at": "An entry records what has happened: choose a time that has passed."})
    entry = _entry(locked, user=acting_user, text=text.strip(), at=at)
    _log(locked, user=acting_user, action=AccessLogEntry.Action.CHANGE, detail="chronology entry added")
    return entry


@transaction.atomic
def record_escalation(
    *,
    concern: Concern,
    acting_user,
    to: str,
    contact: str = "",
    reference: str = "",
    at: datetime.datetime | None = None,
    notes: str = "",
) -> Escalation:
    """Record that the concern was passed on: to whom, who was spoken to, when, their reference."""
    _require(acting_user, CHANGE_PERMISSION)
    locked = _locked(concern)
    status = check_step(locked, Step.ESCALATE)
    return _escalate(locked, concern, acting_user, status, to, contact, reference, at, notes)


def _escalate(locked, concern, acting_user, status, to, contact, reference, at, notes) -> Escalation:
    if to not in EscalatedTo.values:
        raise ValidationError({"to": "Choose who it was escalated to."})
    at = at or timezone.now()
    if at > timezone.now():
        raise ValidationError({"at": "Record an escalation once it has been made."})
    escalation = Escalation(
        concern=locked,
        to=to,
        contact=contact.strip(),
        reference=reference.strip(),
        at=at,
        by=acting_user,
        notes=notes.strip(),
    )
    escalation.full_clean()
    escalation.save()
    locked.status = status
    _save(locked, ["status"])
    line = f"Escalated to {escalation.get_to_display()}"
    if escalation.contact:
        line += f" ({escalation.contact})"
    if escalation.reference:
        line += f", reference {escalation.reference}"
    _entry(locked, user=acting_user, at=at, text=line + ".")
    detail = f"escalated to {to}" + (f", ref {escalation.reference}" if escalation.reference else "")
    _log(locked, user=acting_user, action=AccessLogEntry.Action.CHANGE, detail=detail)
    _refresh(concern, locked)
    return escalation


@transaction.atomic
def record_lado_referral(
    *,
    concern: Concern,
    acting_user,
    reference: str,
    contact: str = "",
    at: datetime.datetime | None = None,
    notes: str = "",
) -> Escalation:
    """Record the referral of an allegation to the local authority designated officer (once).

    Kept on the allegation (``lado_referred_at``, ``lado_reference``) and as an
    escalation to the LADO, so the escalation list tells the whole story.
    """
    _require(acting_user, CHANGE_PERMISSION)
    locked = _locked(concern)
    status = check_step(locked, Step.LADO_REFERRAL)
    if not (reference or "").strip():
        raise ValidationError({"reference": "Enter the LADO's reference (ask for one if none was given)."})
    at = at or timezone.now()
    escalation = _escalate(
        locked, concern, acting_user, status, EscalatedTo.LADO, contact, reference, at, notes
    )
    locked.lado_referred_at = at
    locked.lado_reference = reference.strip()
    _save(locked, ["lado_referred_at", "lado_reference"])
    _refresh(concern, locked)
    return escalation


@transaction.atomic
def offer_debrief(*, concern: Concern, acting_user, notes: str = "") -> Concern:
    """Record that the reporter was offered a debrief (and, if they like, how it went)."""
    _require(acting_user, CHANGE_PERMISSION)
    locked = _locked(concern)
    check_step(locked, Step.DEBRIEF)
    locked.debrief_offered = True
    if notes.strip():
        locked.debrief_notes = "\n\n".join(filter(None, [locked.debrief_notes, notes.strip()]))
    _save(locked, ["debrief_offered", "debrief_notes"])
    _entry(locked, user=acting_user, text="Debrief offered to the reporter.")
    _log(locked, user=acting_user, action=AccessLogEntry.Action.CHANGE, detail="debrief offered")
    return _refresh(concern, locked)


@transaction.atomic
def record_outcome(*, concern: Concern, acting_user, outcome: str) -> Concern:
    """Record (or correct, before closing) what came of the concern."""
    _require(acting_user, CHANGE_PERMISSION)
    locked = _locked(concern)
    check_step(locked, Step.OUTCOME)
    if not (outcome or "").strip():
        raise ValidationError({"outcome": "Write the outcome."})
    changed = bool(locked.outcome)
    locked.outcome = outcome.strip()
    _save(locked, ["outcome"])
    _entry(locked, user=acting_user, text="Outcome corrected." if changed else "Outcome recorded.")
    _log(locked, user=acting_user, action=AccessLogEntry.Action.CHANGE, detail="outcome recorded")
    return _refresh(concern, locked)


@transaction.atomic
def close_concern(*, concern: Concern, acting_user, note: str = "") -> Concern:
    """Close a concern whose outcome is recorded."""
    _require(acting_user, CHANGE_PERMISSION)
    locked = _locked(concern)
    locked.status = check_step(locked, Step.CLOSE)
    locked.closed_at = timezone.now()
    locked.closed_by = acting_user
    _save(locked, ["status", "closed_at", "closed_by"])
    _entry(locked, user=acting_user, text=_with_note("Closed.", note))
    _log(locked, user=acting_user, action=AccessLogEntry.Action.CHANGE, detail="closed")
    return _refresh(concern, locked)


@transaction.atomic
def reopen_concern(*, concern: Concern, acting_user, reason: str) -> Concern:
    """Open a closed concern again (new information, say), with the reason in the chronology."""
    _require(acting_user, CHANGE_PERMISSION)
    locked = _locked(concern)
    status = check_step(locked, Step.REOPEN)
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why the concern is reopened."})
    locked.status = status
    locked.closed_at = None
    locked.closed_by = None
    _save(locked, ["status", "closed_at", "closed_by"])
    _entry(locked, user=acting_user, text=f"Reopened: {reason.strip()}")
    _log(locked, user=acting_user, action=AccessLogEntry.Action.CHANGE, detail="reopened")
    return _refresh(concern, locked)


def _with_note(line: str, note: str) -> str:
    note = (note or "").strip()
    return f"{line}\n{note}" if note else line

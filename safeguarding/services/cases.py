"""Grievance and complaint writes: open, assign, move through the stages, attach, read.

Every function here is the one way to do its action, and writes its audit rows in
the same transaction (STYLE.md, "zulip"): a :class:`CaseStageChange` for each move
(who, when, note) and an :class:`~cms.models.AccessLogEntry` for every change and
for every read the views report (inspect, document download). Which moves are
allowed is said by :mod:`safeguarding.case_workflow`; who may act by
:mod:`safeguarding.permissions`. Refusals are ``ValidationError`` (a wrong move or
missing reasons) or ``PermissionDenied`` (the user may not act on this case).
"""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Length
from django.utils import timezone
from wagtail.log_actions import log

from cms.dates import working_deadline
from cms.models import AccessLogEntry
from cms.uploads import UploadRule
from members.models import User

from ..case_workflow import WITHDRAWAL_STAGES, CaseStep, check_step
from ..enums import CaseOutcome, CaseStage
from ..models import Case, CaseDocument, CaseSettings, CaseStageChange
from ..models.cases import DOCUMENT_EXTENSIONS, DOCUMENT_MAX_BYTES
from ..permissions import grant_case_access, revoke_case_access, user_can_case

REFERENCE_PREFIX = "GC"
ADMIN_ACCESS = "wagtailadmin.access_admin"

# Extension, size and content (the first bytes, not just the name): cms/uploads.py.
DOCUMENT_UPLOADS = UploadRule("document", tuple(DOCUMENT_EXTENSIONS), DOCUMENT_MAX_BYTES)


# Audit ---------------------------------------------------------------------------------


def _audit(case: Case, *, user, action: str, detail: str = "", ip_address: str | None = None):
    """One access-log row for ``case``; never the narrative, only what was done."""
    return AccessLogEntry.objects.create(
        user=user,
        action=action,
        content_type=ContentType.objects.get_for_model(Case),
        object_id=str(case.pk),
        object_repr=str(case)[:200],
        detail=detail[:300],
        ip_address=ip_address or None,
    )


def _require(user, action: str, case: Case) -> None:
    if not user_can_case(user, action, case):
        raise PermissionDenied


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def _local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def _day(moment: datetime.datetime) -> str:
    day = timezone.localtime(moment)
    return f"{day.day} {day:%B %Y}"


# Opening and editing -------------------------------------------------------------------


def _next_reference(year: int) -> str:
    prefix = f"{REFERENCE_PREFIX}-{year}-"
    last = (
        Case.objects.filter(reference__startswith=prefix)
        .order_by(Length("reference").desc(), "-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:04d}"


def subject_login(case: Case) -> User | None:
    """The admin login of a complaint's subject, matched by email when not given.

    People and logins are not linked in this product, so a subject who also holds a
    login (a lead, say) is found by their one active login with the same address.
    """
    if case.subject_user_id or case.subject_person is None or not case.subject_person.email:
        return case.subject_user
    matches = list(User.objects.filter(email__iexact=case.subject_person.email, is_active=True)[:2])
    return matches[0] if len(matches) == 1 else None


def _is_subject(case: Case, user) -> bool:
    if case.subject_user_id and case.subject_user_id == user.pk:
        return True
    person = case.subject_person
    return bool(person and person.email and user.email and person.email.lower() == user.email.lower())


def open_case(*, case: Case, acting_user, ip_address: str | None = None) -> Case:
    """Record a new grievance or complaint as received, with its reference and first deadline.

    The reference is ``GC-<year>-<number>``, numbered per year; two cases opened at
    once each get their own (the unique column decides, and the loser takes the next).
    The acknowledgement is due ``CaseSettings.acknowledge_working_days`` working days
    after it was received.
    """
    if not acting_user.has_perm("safeguarding.add_case"):
        raise PermissionDenied
    now = timezone.now()
    case.received_at = case.received_at or now
    if case.received_at > now:
        raise ValidationError({"received_at": "A case cannot be received in the future."})
    case.subject_user = subject_login(case)
    if case.subject_user_id == acting_user.pk or _is_subject(case, acting_user):
        raise ValidationError(
            "You are the subject of this complaint: another grievance manager must record it."
        )
    limits = CaseSettings.load()
    case.stage = CaseStage.RECEIVED
    case.stage_due_at = working_deadline(case.received_at, limits.acknowledge_working_days)
    year = timezone.localdate(now).year
    for _attempt in range(5):
        case.pk = None
        case.reference = _next_reference(year)
        case.full_clean()
        try:
            with transaction.atomic():
                case.save()
                CaseStageChange.objects.create(
                    case=case, from_stage="", to_stage=CaseStage.RECEIVED, at=now, by=acting_user
                )
                _audit(case, user=acting_user, action=AccessLogEntry.Action.CREATE, ip_address=ip_address)
        except IntegrityError:
            if Case.objects.filter(reference=case.reference).exists():
                continue  # another case took this number in the meantime
            raise
        return case
    raise ValidationError("Could not number the case; please try again.")


EDITABLE_FIELDS = (
    "received_at",
    "raised_by_name",
    "raised_by_contact",
    "raised_by_person",
    "subject_person",
    "subject_user",
    "summary",
)


@transaction.atomic
def update_case(*, case: Case, acting_user, changed: list[str], ip_address: str | None = None) -> Case:
    """Save corrected details of a case (who raised it, whom it is about, the summary).

    ``case`` carries the new values (a form's unsaved instance); ``changed`` names them.
    The stage and deadlines are not edited here: only the stage steps move them.
    """
    _require(acting_user, "change", case)
    unknown = set(changed) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(f"These details are not edited here: {', '.join(sorted(unknown))}.")
    if "subject_person" in changed and "subject_user" not in changed:
        case.subject_user = subject_login(case)
    if case.handler_id and _is_subject(case, case.handler):
        raise ValidationError(
            {"subject_person": "This is the case's handler: assign another handler before naming them."}
        )
    case.full_clean()
    case.save(update_fields=[*changed, "subject_user"])
    _audit(
        case,
        user=acting_user,
        action=AccessLogEntry.Action.CHANGE,
        detail=f"edited: {', '.join(changed) or 'nothing'}",
        ip_address=ip_address,
    )
    return case


# Assigning a handler -------------------------------------------------------------------


def assign_handler(*, case: Case, handler, acting_user, ip_address: str | None = None) -> Case:
    """Make ``handler`` the case's handler: they (and no longer the previous one) may see it.

    Access is a django-guardian object permission on this case only. Refused for the
    subject of the complaint (by login or by email), an inactive user, someone without
    admin access, and a closed case.
    """
    if not (acting_user.has_perm("safeguarding.assign_case") and user_can_case(acting_user, "view", case)):
        raise PermissionDenied
    with transaction.atomic():
        locked = _locked(case)
        if locked.stage == CaseStage.CLOSED:
            raise ValidationError("The case is closed: it needs no handler now.")
        if _is_subject(locked, handler):
            raise ValidationError(
                {
                    "handler": f"{handler.get_full_name() or handler} is the subject of this complaint "
                    "and can never handle or see it."
                }
            )
        if not handler.is_active or not handler.has_perm(ADMIN_ACCESS):
            raise ValidationError({"handler": "Choose someone with an active admin login."})
        if locked.handler_id == handler.pk:
            raise ValidationError(
                {"handler": f"{handler.get_full_name() or handler} handles this case already."}
            )
        previous = locked.handler
        if previous is not None:
            revoke_case_access(locked, previous)
        locked.handler = handler
        locked.full_clean()
        locked.save(update_fields=["handler"])
        grant_case_access(locked, handler)
        was = f" (was {previous.get_username()})" if previous else ""
        _audit(
            locked,
            user=acting_user,
            action=AccessLogEntry.Action.CHANGE,
            detail=f"handler assigned: {handler.get_username()}{was}",
            ip_address=ip_address,
        )
        log(
            instance=locked,
            action="safeguarding.case_assigned",
            user=acting_user,
            data={"handler": str(handler.get_full_name() or handler), "previous": previous and str(previous)},
        )
    case.handler = handler
    return case


# Moving through the stages -------------------------------------------------------------


def _move(
    case: Case,
    *,
    step: str,
    acting_user,
    note: str,
    now: datetime.datetime,
    due_at: datetime.datetime | None,
    ip_address: str | None,
    check=None,
    **updates,
) -> Case:
    """Take ``step`` on the locked case: new stage and deadline, stage history, audit."""
    _require(acting_user, "change", case)
    with transaction.atomic():
        locked = _locked(case)
        to_stage = check_step(locked.stage, step)
        if check is not None:
            updates = {**updates, **(check(locked) or {})}
        from_stage = locked.stage
        for name, value in updates.items():
            setattr(locked, name, value)
        locked.stage = to_stage
        locked.stage_due_at = due_at(locked) if callable(due_at) else due_at
        if to_stage == CaseStage.CLOSED:
            locked.closed_at = now
        locked.full_clean()
        locked.save()
        CaseStageChange.objects.create(
            case=locked, from_stage=from_stage, to_stage=to_stage, at=now, by=acting_user, note=note
        )
        _audit(
            locked,
            user=acting_user,
            action=AccessLogEntry.Action.CHANGE,
            detail=f"stage: {from_stage} → {to_stage}",
            ip_address=ip_address,
        )
        log(
            instance=locked,
            action="safeguarding.case_moved",
            user=acting_user,
            data={"from": from_stage, "to": to_stage},
        )
    case.refresh_from_db()
    return case


def _required(text: str, field: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: message})
    return text


def acknowledge(*, case: Case, acting_user, note: str = "", ip_address: str | None = None) -> Case:
    """Acknowledge receipt: the outcome is now due within the investigation limit (working days)."""
    now = timezone.now()
    days = CaseSettings.load().investigate_working_days
    return _move(
        case,
        step=CaseStep.ACKNOWLEDGE,
        acting_user=acting_user,
        note=note,
        now=now,
        due_at=working_deadline(now, days),
        ip_address=ip_address,
    )


def start_investigation(*, case: Case, acting_user, note: str = "", ip_address: str | None = None) -> Case:
    """Start investigating; the outcome stays due when it was (counted from acknowledging)."""
    return _move(
        case,
        step=CaseStep.START_INVESTIGATION,
        acting_user=acting_user,
        note=note,
        now=timezone.now(),
        due_at=lambda locked: locked.stage_due_at,
        ip_address=ip_address,
    )


def record_outcome(
    *, case: Case, outcome: str, reasons: str, acting_user, note: str = "", ip_address: str | None = None
) -> Case:
    """Record the outcome with its reasons; an appeal may then be lodged within the appeal window."""
    if outcome not in CaseOutcome.values or outcome == CaseOutcome.WITHDRAWN:
        raise ValidationError(
            {"outcome": "Choose upheld, partly upheld or not upheld (a withdrawal is closed)."}
        )
    reasons = _required(reasons, "reasons", "Give the reasons for the outcome.")
    now = timezone.now()
    days = CaseSettings.load().appeal_window_working_days
    return _move(
        case,
        step=CaseStep.RECORD_OUTCOME,
        acting_user=acting_user,
        note=note,
        now=now,
        due_at=working_deadline(now, days),
        ip_address=ip_address,
        outcome=outcome,
        outcome_reasons=reasons,
        outcome_at=now,
    )


def lodge_appeal(
    *,
    case: Case,
    reasons: str,
    acting_user,
    lodged_at: datetime.datetime | None = None,
    note: str = "",
    ip_address: str | None = None,
) -> Case:
    """Record an appeal against the outcome, if it came within the appeal window.

    The window ends ``CaseSettings.appeal_window_working_days`` working days after the
    outcome (the stage's due date); an appeal received any time on that last day counts.
    The decision is then due within the appeal-decision limit of its arrival.
    """
    reasons = _required(reasons, "reasons", "Give the grounds of the appeal.")
    now = timezone.now()
    lodged_at = lodged_at or now
    if lodged_at > now:
        raise ValidationError({"lodged_at": "An appeal cannot be received in the future."})

    def within_window(locked: Case) -> None:
        if locked.outcome_at and lodged_at < locked.outcome_at:
            raise ValidationError({"lodged_at": "An appeal cannot arrive before the outcome it appeals."})
        if locked.stage_due_at and _local_day(lodged_at) > _local_day(locked.stage_due_at):
            raise ValidationError(
                {
                    "lodged_at": f"The appeal window closed on {_day(locked.stage_due_at)}: "
                    "this appeal is out of time."
                }
            )

    days = CaseSettings.load().appeal_decision_working_days
    return _move(
        case,
        step=CaseStep.LODGE_APPEAL,
        acting_user=acting_user,
        note=note or f"Appeal received on {_day(lodged_at)}.",
        now=now,
        due_at=working_deadline(lodged_at, days),
        ip_address=ip_address,
        check=within_window,
        appeal_reasons=reasons,
    )


def decide_appeal(
    *, case: Case, outcome: str, reasons: str, acting_user, note: str = "", ip_address: str | None = None
) -> Case:
    """Record the appeal's outcome with reasons; that closes the case."""
    if outcome not in CaseOutcome.values:
        raise ValidationError({"outcome": "Choose the appeal's outcome."})
    reasons = _required(reasons, "reasons", "Give the reasons for the appeal decision.")
    return _move(
        case,
        step=CaseStep.DECIDE_APPEAL,
        acting_user=acting_user,
        note=note,
        now=timezone.now(),
        due_at=None,
        ip_address=ip_address,
        appeal_outcome=outcome,
        appeal_outcome_reasons=reasons,
    )


def close(*, case: Case, acting_user, note: str = "", ip_address: str | None = None) -> Case:
    """Close a case: after its outcome (no appeal came), or before it as withdrawn.

    Closing while the appeal window is still open, or withdrawing a case, needs a note
    saying why; a withdrawal records ``withdrawn`` as the outcome with that note as reasons.
    """
    now = timezone.now()
    note = (note or "").strip()

    def closing(locked: Case) -> dict:
        if locked.stage in WITHDRAWAL_STAGES:
            reasons = _required(note, "note", "Say why the case is withdrawn.")
            return {"outcome": CaseOutcome.WITHDRAWN, "outcome_reasons": reasons, "outcome_at": now}
        window_open = locked.stage_due_at and _local_day(now) <= _local_day(locked.stage_due_at)
        if locked.stage == CaseStage.OUTCOME and window_open and not note:
            raise ValidationError(
                {
                    "note": f"An appeal may be lodged until {_day(locked.stage_due_at)}: "
                    "say why the case is closed now (for example, they said they will not appeal)."
                }
            )
        return {}

    return _move(
        case,
        step=CaseStep.CLOSE,
        acting_user=acting_user,
        note=note,
        now=now,
        due_at=None,
        ip_address=ip_address,
        check=closing,
    )


# Documents and reads -------------------------------------------------------------------


def _check_document_content(upload) -> None:
    DOCUMENT_UPLOADS.check(upload, "file")


def attach_document(
    *, case: Case, title: str, file, acting_user, ip_address: str | None = None
) -> CaseDocument:
    """Attach a document: its type (extension and contents) and size checked, stored privately."""
    _require(acting_user, "change", case)
    document = CaseDocument(case=case, title=(title or "").strip(), file=file, uploaded_by=acting_user)
    document.full_clean()  # extension and size (the model's validators), title
    _check_document_content(file)
    with transaction.atomic():
        document.save()
        _audit(
            case,
            user=acting_user,
            action=AccessLogEntry.Action.CHANGE,
            detail=f"document #{document.pk} attached",
            ip_address=ip_address,
        )
    return document


def record_case_view(*, case: Case, acting_user, ip_address: str | None = None) -> None:
    """Log that ``acting_user`` read the case (its narrative, history and documents list)."""
    _require(acting_user, "view", case)
    _audit(case, user=acting_user, action=AccessLogEntry.Action.VIEW, ip_address=ip_address)


def record_case_listing(*, acting_user, rows: int, searched: bool, ip_address: str | None = None) -> None:
    """Log a look at the case listing: how many rows, never the search words or the cases."""
    AccessLogEntry.objects.create(
        user=acting_user,
        action=AccessLogEntry.Action.SEARCH if searched else AccessLogEntry.Action.VIEW,
        content_type=ContentType.objects.get_for_model(Case),
        detail=f"{'search' if searched else 'listing'}: {rows} cases",
        ip_address=ip_address or None,
    )


def record_document_download(*, document: CaseDocument, acting_user, ip_address: str | None = None) -> None:
    """Log a download of a case document (the view serves it only after this)."""
    _require(acting_user, "view", document.case)
    _audit(
        document.case,
        user=acting_user,
        action=AccessLogEntry.Action.DOWNLOAD,
        detail=f"document #{document.pk}",
        ip_address=ip_address,
    )

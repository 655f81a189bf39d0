"""Erasure of a person: everything personal goes, the records that must be kept stay, linked
to a pseudonym ("Erased person 7F3K").

Kept, because the law or the host's duties need them: expense claims and their items
(HMRC), involvement payments, meeting attendance and activity hours (statistics and
payments), memberships (role and dates), and safeguarding concerns and cases, which the
DSL and the grievance role decide about. Removed: name, contact details, access and
language needs, equality answers, DBS checks, training certificates, application free
text and notes of the benefits advice.
"""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import CharField, Q, Value
from django.utils import timezone

from members.fields import postcode_district
from members.models import Application, Person

from ..enums import ErasureReason, RequestKind, RequestStatus
from ..models import DataRequest, Erasure

PSEUDONYM_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read aloud safely
PSEUDONYM_PREFIX = "Erased person"


def new_pseudonym() -> str:
    code = "".join(secrets.choice(PSEUDONYM_ALPHABET) for _ in range(4))
    return f"{PSEUDONYM_PREFIX} {code}"


def erasure_blockers(person: Person) -> list[str]:
    """What must be settled before ``person`` can be erased, in words host staff can act on."""
    from members.pipeline import OPEN_STAGES
    from safeguarding.enums import ConcernStatus
    from safeguarding.models import Case, Concern
    from workplans.enums import ClaimStatus, PaymentStatus
    from workplans.models import ExpenseClaim, InvolvementPayment

    blockers = []
    if Erasure.objects.filter(person=person).exists():
        blockers.append("This person has already been erased.")
        return blockers
    today = timezone.localdate()
    for membership in person.memberships.current(today).select_related("partnership"):
        blockers.append(
            f"They are a current {membership.get_role_display().lower()} of {membership.partnership}: "
            "end the membership first."
        )
    for application in person.applications.filter(stage__in=OPEN_STAGES).select_related("partnership"):
        blockers.append(
            f"Their application to {application.partnership} is open: withdraw or decline it first."
        )
    for claim in ExpenseClaim.objects.filter(
        claimant=person, status__in=[ClaimStatus.SUBMITTED, ClaimStatus.APPROVED]
    ):
        blockers.append(
            f"Expense claim #{claim.pk} is {claim.get_status_display().lower()}: pay or reject it first."
        )
    for payment in InvolvementPayment.objects.filter(person=person, status=PaymentStatus.APPROVED):
        blockers.append(
            f"Involvement payment #{payment.pk} is approved but not paid: pay or cancel it first."
        )
    open_concerns = Concern.objects.filter(subject_person=person).exclude(status=ConcernStatus.CLOSED)
    if open_concerns.exists():
        blockers.append(
            "An open safeguarding allegation names them: "
            "the designated safeguarding lead must close it first."
        )
    open_cases = Case.objects.filter(closed_at__isnull=True).filter(
        Q(subject_person=person) | Q(raised_by_person=person)
    )
    if open_cases.exists():
        blockers.append("An open grievance or complaint involves them: it must be closed first.")
    return blockers


def new_pseudonyms(count: int) -> list[str]:
    """``count`` pseudonyms used by nobody yet (and not twice among themselves)."""
    chosen: set[str] = set()
    while len(chosen) < count:
        candidates = {new_pseudonym() for _ in range(count - len(chosen))} - chosen
        taken = set(Erasure.objects.filter(pseudonym__in=candidates).values_list("pseudonym", flat=True))
        chosen |= candidates - taken
    return sorted(chosen)


def pseudonymise_people(people, *, why: str, by=None, reason: str = "", data_request=None) -> list[Erasure]:
    """Replace everything personal about each of ``people`` with a pseudonym; keep what must be kept.

    Statistics keep the postcode district, memberships with their MNVP, role and dates,
    and every date and amount; equality answers, DBS checks, certificates, application
    free text, benefits-advice notes, reminders and sign-in links go. Set-based, so the
    retention job pays a few queries per batch plus one update per person. Runs inside
    the caller's transaction; returns the :class:`Erasure` rows.
    """
    from members.models import (
        ApplicationStageChange,
        ComplianceReminder,
        DBSCheck,
        EqualityMonitoring,
        TrainingRecord,
    )
    from workplans.models import BenefitsAdviceRecord

    from ..registry import _delete_files

    people = list(people)
    ids = [person.pk for person in people]
    removed = {}
    training = TrainingRecord.objects.filter(person__in=ids)
    _delete_files(training, "certificate")
    removed["training certificates removed"] = training.exclude(certificate="").update(certificate="")
    training.update(notes="")
    removed["DBS checks deleted"] = DBSCheck.objects.filter(person__in=ids).delete()[0]
    removed["equality answers deleted"] = EqualityMonitoring.objects.filter(person__in=ids).delete()[0]
    applications = Application.objects.filter(person__in=ids)
    ApplicationStageChange.objects.filter(application__in=applications).update(note="")
    applications.filter(stage="declined").update(decline_reason="Removed when the person was erased.")
    removed["applications cleared"] = applications.update(message="", recruiter_notes="", lived_experience=[])
    BenefitsAdviceRecord.objects.filter(person__in=ids).update(note="")
    ComplianceReminder.objects.filter(person__in=ids).delete()
    removed["sign-in links deleted"] = _delete_sign_in_links(ids)

    now = timezone.now()
    erasures = []
    for person, pseudonym in zip(people, new_pseudonyms(len(people)), strict=True):
        code = pseudonym.rsplit(" ", 1)[1]
        Person.objects.filter(pk=person.pk).update(
            first_name=PSEUDONYM_PREFIX,
            last_name=code,
            email=f"erased-{code.lower()}-{person.pk}@erased.invalid",
            phone="",
            # The district alone is not a full postcode, so it bypasses PostcodeField's normalising.
            postcode=Value(postcode_district(person.postcode), output_field=CharField()),
            access_needs="",
            language_needs="",
            contact_consent=False,
            contact_consent_changed_at=now,
        )
        erasures.append(
            Erasure(
                person=person,
                pseudonym=pseudonym,
                why=why,
                reason=reason,
                erased_by=by,
                data_request=data_request,
                erased_at=now,
                summary={"removed": removed} if len(people) == 1 else {},
            )
        )
    return Erasure.objects.bulk_create(erasures)


def pseudonymise_person(person: Person, *, why: str, by=None, reason: str = "", data_request=None) -> Erasure:
    """One person (see :func:`pseudonymise_people`), with what was kept in the erasure's summary."""
    [erasure] = pseudonymise_people([person], why=why, by=by, reason=reason, data_request=data_request)
    erasure.summary["kept"] = {
        "memberships": person.memberships.count(),
        "expense claims": person.expense_claims.count(),
        "involvement payments": person.involvement_payments.count(),
        "activity roles": person.activity_roles.count(),
        "meetings attended": person.meeting_attendances.count(),
    }
    Erasure.objects.filter(pk=erasure.pk).update(summary=erasure.summary)
    person.refresh_from_db()
    return erasure


def _delete_sign_in_links(person_ids) -> int:
    from django.apps import apps

    try:
        SignInLink = apps.get_model("volunteers", "SignInLink")
    except LookupError:
        return 0
    return SignInLink.objects.filter(person__in=person_ids).delete()[0]


def erase_person(person: Person, by, reason: str, *, data_request: DataRequest | None = None) -> Erasure:
    """Erase ``person`` on request, all in one transaction, or refuse saying what blocks it.

    An open erasure request of theirs (or ``data_request``) is marked done by it.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the person is being erased (for example, their request)."})
    try:
        with transaction.atomic():
            locked = Person.objects.select_for_update().get(pk=person.pk)
            blockers = erasure_blockers(locked)
            if blockers:
                raise ValidationError(blockers)
            if data_request is None:
                data_request = DataRequest.objects.filter(
                    person=locked, kind=RequestKind.ERASURE, status=RequestStatus.OPEN
                ).first()
            erasure = pseudonymise_person(
                locked, why=ErasureReason.REQUEST, by=by, reason=reason, data_request=data_request
            )
            if data_request is not None and data_request.status == RequestStatus.OPEN:
                DataRequest.objects.filter(pk=data_request.pk).update(
                    status=RequestStatus.DONE,
                    handled_by=by,
                    handled_at=timezone.now(),
                    outcome_note=f"Erased as {erasure.pseudonym}.",
                )
    except IntegrityError:
        raise ValidationError("This person was erased by someone else a moment ago.") from None
    return erasure

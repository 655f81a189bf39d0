"""Recruitment writes: public sign-up, pipeline moves, accepting into membership."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.log_actions import log

from ..enums import ApplicationSource, ApplicationStage
from ..models import (
    Application,
    ApplicationStageChange,
    EqualityMonitoring,
    Membership,
    Partnership,
    Person,
    PrivacyConsent,
    RecruitmentSettings,
    User,
)
from ..pipeline import allowed_moves, can_move

EQUALITY_FIELDS = (
    "ethnicity",
    "age_band",
    "disability",
    "sexual_orientation",
    "gender_identity_same_as_sex",
    "religion",
)
CONTACT_FIELDS = ("first_name", "last_name", "phone", "postcode", "access_needs", "language_needs")


@dataclass(frozen=True)
class Signup:
    """What the public sign-up form collected, already validated by the form."""

    first_name: str
    last_name: str
    email: str
    postcode: str
    partnerships: list[Partnership]
    phone: str = ""
    lived_experience: list[str] = field(default_factory=list)
    involvement: list[str] = field(default_factory=list)
    availability: list[str] = field(default_factory=list)
    access_needs: str = ""
    language_needs: str = ""
    heard_about: str = ""
    message: str = ""
    contact_consent: bool = False
    equality: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SignupResult:
    person: Person
    applications: list[Application]
    new_person: bool


def submit_signup(*, signup: Signup, now: datetime.datetime | None = None) -> SignupResult:
    """Record a public sign-up: one person per email, an open application per chosen MNVP.

    The same email again updates that person (never a second one). Where they
    already have an open application to an MNVP, that application takes the new
    answers and notes the repeat sign-up in its history, rather than opening a
    duplicate beside it. The confirmation email is sent after commit.
    """
    if not signup.partnerships:
        raise ValidationError({"partnerships": "Choose at least one MNVP."})
    now = now or timezone.now()
    try:
        result = _submit_signup(signup, now)
    except IntegrityError:
        # Two sign-ups with one new email at once: the other created the person
        # first. Run again, now as an update of that person.
        result = _submit_signup(signup, now)

    from ..tasks import send_signup_confirmation

    send_signup_confirmation.delay_on_commit(result.person.pk, [a.pk for a in result.applications])
    return result


@transaction.atomic
def _submit_signup(signup: Signup, now) -> SignupResult:
    person = Person.objects.select_for_update().with_email(signup.email).first()
    new_person = person is None
    if new_person:
        person = Person(email=signup.email)
    for name in CONTACT_FIELDS:
        value = getattr(signup, name)
        if value or new_person:
            setattr(person, name, value)
    if signup.contact_consent != person.contact_consent or new_person:
        person.contact_consent = signup.contact_consent
        person.contact_consent_changed_at = now
    # The email was looked up just above, so its uniqueness is known without asking again; the
    # database constraint still stands behind it (submit_signup retries on IntegrityError).
    person.full_clean(validate_constraints=False)
    person.save()

    settings = RecruitmentSettings.load()
    PrivacyConsent.objects.create(
        person=person, notice_version=settings.privacy_notice_version, given_at=now, source="public sign-up"
    )
    answers = {k: v for k, v in signup.equality.items() if k in EQUALITY_FIELDS and v}
    if answers:
        EqualityMonitoring.objects.update_or_create(person=person, defaults=answers)

    applications = _open_or_refresh_applications(person, signup, now, new_person=new_person)
    return SignupResult(person=person, applications=applications, new_person=new_person)


def _open_or_refresh_applications(person, signup: Signup, now, *, new_person: bool) -> list[Application]:
    """One open application per chosen MNVP: the open one refreshed, or a new one, in a fixed number of
    queries per MNVP (the open ones read at once, the history written at once).

    Validation skips what is already known here: the person was just saved and the MNVPs came from the
    form's own list (so no look-up of either), and no open application exists where one is opened (read
    just above, under the person's lock). The database constraints stay behind both.
    """
    from wagtail.models import ReferenceIndex
    from wagtail.signal_handlers import disable_reference_index_auto_update  # imports models: not at load

    answers = {
        "lived_experience": signup.lived_experience,
        "involvement": signup.involvement,
        "availability": signup.availability,
        "heard_about": signup.heard_about,
        "message": signup.message,
    }
    known = {"exclude": ("person", "partnership"), "validate_unique": False, "validate_constraints": False}
    open_ones = {}
    if not new_person:
        chosen = Application.objects.open().filter(person=person, partnership__in=signup.partnerships)
        open_ones = {a.partnership_id: a for a in chosen.order_by("pk")}
    applications, history = [], []
    with disable_reference_index_auto_update():
        for partnership in signup.partnerships:
            application = open_ones.get(partnership.pk)
            if application:
                application.partnership = partnership  # the same row, already read: not read again
                # Person and MNVP are unchanged, so the reference index has nothing to update.
                for name, value in answers.items():
                    setattr(application, name, value)
                application.full_clean(**known)
                application.save(update_fields=[*answers])
                history.append(
                    ApplicationStageChange(
                        application=application,
                        from_stage=application.stage,
                        to_stage=application.stage,
                        changed_at=now,
                        note="Signed up again through the website; answers updated.",
                    )
                )
            else:
                application = Application(
                    person=person,
                    partnership=partnership,
                    source=ApplicationSource.PUBLIC_SIGNUP,
                    submitted_at=now,
                    stage_changed_at=now,
                    **answers,
                )
                application.full_clean(**known)
                application.save()
                # What Wagtail's save signal would do, without reading the new row back first.
                if ReferenceIndex.is_indexed(Application):
                    ReferenceIndex.create_or_update_for_object(application)
                history.append(
                    ApplicationStageChange(
                        application=application,
                        from_stage="",
                        to_stage=ApplicationStage.NEW,
                        changed_at=now,
                        note="Signed up",
                    )
                )
            applications.append(application)
    ApplicationStageChange.objects.bulk_create(history)
    return applications


@transaction.atomic
def move_application(
    *,
    application: Application,
    to_stage: str,
    acting_user: User,
    note: str = "",
    decline_reason: str = "",
    now: datetime.datetime | None = None,
) -> Application:
    """Move an application one step along the pipeline, recording who, when and why.

    Accepting goes through :func:`accept_application`, which also creates the membership.
    """
    application = Application.objects.select_for_update().get(pk=application.pk)
    if to_stage == ApplicationStage.ACCEPTED:
        raise ValidationError("Accept an application with its role and PPV category, not as a plain move.")
    _check_move(application, to_stage)
    if to_stage == ApplicationStage.DECLINED:
        if not decline_reason.strip():
            raise ValidationError({"decline_reason": "Give a reason when declining an application."})
        application.decline_reason = decline_reason.strip()
    return _record_move(application, to_stage, acting_user, note or decline_reason, now)


@transaction.atomic
def accept_application(
    *,
    application: Application,
    role: str,
    ppv_category: str,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    acting_user: User,
    note: str = "",
    now: datetime.datetime | None = None,
) -> Membership:
    """Accept an application: the person becomes a member of its MNVP in ``role``."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    _check_move(application, ApplicationStage.ACCEPTED)
    membership = Membership(
        person=application.person,
        partnership=application.partnership,
        role=role,
        ppv_category=ppv_category,
        start_date=start_date,
        end_date=end_date,
        application=application,
    )
    membership.full_clean()
    membership.save()
    log(membership, "wagtail.create", user=acting_user)
    _record_move(application, ApplicationStage.ACCEPTED, acting_user, note, now)
    return membership


def _check_move(application: Application, to_stage: str) -> None:
    if not can_move(application.stage, to_stage):
        allowed = ", ".join(ApplicationStage(s).label for s in allowed_moves(application.stage)) or "none"
        raise ValidationError(
            f"An application at “{application.get_stage_display()}” cannot move to "
            f"“{ApplicationStage(to_stage).label}”. Allowed: {allowed}."
        )


def _record_move(application, to_stage, acting_user, note, now) -> Application:
    now = now or timezone.now()
    from_stage = application.stage
    application.stage = to_stage
    application.stage_changed_at = now
    application.full_clean()
    application.save()
    ApplicationStageChange.objects.create(
        application=application,
        from_stage=from_stage,
        to_stage=to_stage,
        changed_by=acting_user,
        changed_at=now,
        note=note,
    )
    log(
        application,
        "members.application_moved",
        user=acting_user,
        data={"from": from_stage, "to": to_stage},
    )
    return application


@transaction.atomic
def open_application(*, application: Application, acting_user: User, now=None) -> Application:
    """Save a new application entered by staff, with its first stage recorded."""
    now = now or timezone.now()
    application.stage = ApplicationStage.NEW
    application.source = ApplicationSource.ADMIN
    application.submitted_at = application.stage_changed_at = now
    application.full_clean()
    application.save()
    ApplicationStageChange.objects.create(
        application=application,
        from_stage="",
        to_stage=ApplicationStage.NEW,
        changed_by=acting_user,
        changed_at=now,
        note="Entered by staff",
    )
    log(application, "wagtail.create", user=acting_user)
    return application

"""Every type of record that holds personal data, in one place: its model, which rows are past
their time, and what anonymising it means.

A record type is past its time ``months`` calendar months after the moment named in
``measured_from``; :class:`privacy.models.RetentionPolicy` holds the months and the
action host staff chose. The system check (:mod:`privacy.checks`) fails for a model
holding personal data that is neither covered here nor exempted with a reason.

Anonymised records keep what statistics need (MNVP, dates, amounts, categories, the
postcode district, the age band) and lose names, contact details and free text.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from cms.dates import add_months

from .enums import RetentionAction

ANONYMISE = RetentionAction.ANONYMISE
DELETE = RetentionAction.DELETE
REMOVED = "Removed at the end of its retention period."


@dataclass(frozen=True)
class RecordType:
    key: str
    label: str
    model_label: str
    measured_from: str
    default_months: int
    default_action: str
    reason: str
    due: Callable[[datetime.date], QuerySet]
    anonymise: Callable[[QuerySet], None] | None = None
    delete: Callable[[QuerySet], None] | None = None
    covers: tuple[str, ...] = field(default=())

    @property
    def model(self):
        try:
            return apps.get_model(self.model_label)
        except LookupError:
            return None

    @property
    def actions(self) -> tuple[str, ...]:
        return tuple(a for a in (ANONYMISE, DELETE) if a != ANONYMISE or self.anonymise is not None)

    @property
    def installed(self) -> bool:
        return self.model is not None


def start_of(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of ``day``, local time (for comparing with timestamps)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def tax_year_end_before(day: datetime.date) -> datetime.date:
    """The last 5 April (the end of a UK tax year) strictly before ``day``."""
    this_year = datetime.date(day.year, 4, 5)
    return this_year if day > this_year else datetime.date(day.year - 1, 4, 5)


def _model(label):
    return apps.get_model(label)


def _not_anonymised(queryset: QuerySet) -> QuerySet:
    from django.contrib.contenttypes.models import ContentType

    from .models import AnonymisedRecord

    content_type = ContentType.objects.get_for_model(queryset.model)
    done = AnonymisedRecord.objects.filter(content_type=content_type).values("object_id")
    return queryset.exclude(pk__in=done)


def mark_anonymised(queryset: QuerySet) -> None:
    from django.contrib.contenttypes.models import ContentType

    from .models import AnonymisedRecord

    content_type = ContentType.objects.get_for_model(queryset.model)
    AnonymisedRecord.objects.bulk_create(
        [
            AnonymisedRecord(content_type=content_type, object_id=pk)
            for pk in queryset.values_list("pk", flat=True)
        ],
        ignore_conflicts=True,
    )


def _delete_files(queryset: QuerySet, field_name: str) -> None:
    """Delete the stored files once the transaction commits (a rollback keeps them)."""
    from django.db import transaction

    for instance in queryset.exclude(**{field_name: ""}).only("pk", field_name):
        stored = getattr(instance, field_name)
        storage, name = stored.storage, stored.name
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))


# --- People who have left -------------------------------------------------------------------


def left_before(cutoff: datetime.date) -> QuerySet:
    """People with no involvement since ``cutoff``: no membership running on or after it,
    no application open or moved since it, and not added since it. Erased people excluded."""
    Person = _model("members.Person")
    Membership = _model("members.Membership")
    Application = _model("members.Application")
    from members.pipeline import OPEN_STAGES

    recent_membership = Membership.objects.filter(person=OuterRef("pk")).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=cutoff)
    )
    recent_application = Application.objects.filter(person=OuterRef("pk")).filter(
        Q(stage__in=OPEN_STAGES) | Q(stage_changed_at__gte=start_of(cutoff))
    )
    return (
        Person.objects.filter(created_at__lt=start_of(cutoff), erasure__isnull=True)
        .exclude(Exists(recent_membership))
        .exclude(Exists(recent_application))
        .exclude(unsettled_q())
    )


def unsettled_q() -> Q:
    """People with something still open about them: a claim or payment not yet paid, or an
    open safeguarding allegation or case. Retention leaves them alone until it is settled
    (erasure on request refuses, saying which: :func:`privacy.services.erasure.erasure_blockers`)."""
    from safeguarding.enums import ConcernStatus
    from workplans.enums import ClaimStatus, PaymentStatus

    claims = _model("workplans.ExpenseClaim").objects.filter(
        claimant=OuterRef("pk"), status__in=[ClaimStatus.SUBMITTED, ClaimStatus.APPROVED]
    )
    payments = _model("workplans.InvolvementPayment").objects.filter(
        person=OuterRef("pk"), status=PaymentStatus.APPROVED
    )
    concerns = (
        _model("safeguarding.Concern")
        .objects.filter(subject_person=OuterRef("pk"))
        .exclude(status=ConcernStatus.CLOSED)
    )
    cases = (
        _model("safeguarding.Case")
        .objects.filter(closed_at__isnull=True)
        .filter(Q(subject_person=OuterRef("pk")) | Q(raised_by_person=OuterRef("pk")))
    )
    return Q(Exists(claims)) | Q(Exists(payments)) | Q(Exists(concerns)) | Q(Exists(cases))


def _anonymise_people(queryset: QuerySet) -> None:
    from .enums import ErasureReason
    from .services.erasure import pseudonymise_people

    pseudonymise_people(queryset, why=ErasureReason.RETENTION, reason="Retention period ended.")


# --- Applications -----------------------------------------------------------------------------


def _closed_applications(cutoff):
    from members.enums import ApplicationStage

    Application = _model("members.Application")
    closed = Application.objects.filter(
        stage__in=[ApplicationStage.DECLINED, ApplicationStage.WITHDRAWN],
        stage_changed_at__lt=start_of(cutoff),
    )
    return _not_anonymised(closed)


def anonymise_applications(queryset: QuerySet) -> None:
    from members.enums import ApplicationStage

    ApplicationStageChange = _model("members.ApplicationStageChange")
    ApplicationStageChange.objects.filter(application__in=queryset).update(note="")
    queryset.filter(stage=ApplicationStage.DECLINED).update(decline_reason=REMOVED)
    queryset.update(message="", recruiter_notes="", lived_experience=[])
    mark_anonymised(queryset)


# --- Equality monitoring, training and DBS of leavers -----------------------------------------


def _leavers_equality(cutoff):
    EqualityMonitoring = _model("members.EqualityMonitoring")
    return _not_anonymised(EqualityMonitoring.objects.filter(person__in=left_before(cutoff).values("pk")))


def anonymise_equality(queryset: QuerySet) -> None:
    # The age band is what statistics of former members need; the special-category answers go.
    queryset.update(
        ethnicity="", disability="", sexual_orientation="", gender_identity_same_as_sex="", religion=""
    )
    mark_anonymised(queryset)


def _leavers_training(cutoff):
    TrainingRecord = _model("members.TrainingRecord")
    return _not_anonymised(TrainingRecord.objects.filter(person__in=left_before(cutoff).values("pk")))


def anonymise_training(queryset: QuerySet) -> None:
    _delete_files(queryset, "certificate")
    queryset.update(certificate="", notes="")
    mark_anonymised(queryset)


def delete_with_files(label: str, link: str, field_name: str) -> Callable[[QuerySet], None]:
    """A delete that also removes the stored files of ``label`` rows linked through ``link``
    (``"pk"``: the rows' own files)."""

    def delete(queryset: QuerySet) -> None:
        _delete_files(_model(label).objects.filter(**{f"{link}__in": queryset.values("pk")}), field_name)
        queryset.delete()

    return delete


def _leavers_dbs(cutoff):
    # Certificate numbers go six months after the decision already
    # (members.services.training.erase_old_dbs_details, daily): not repeated here.
    DBSCheck = _model("members.DBSCheck")
    return DBSCheck.objects.filter(person__in=left_before(cutoff).values("pk"))


def _old_reminders(cutoff):
    return _model("members.ComplianceReminder").objects.filter(created_at__lt=start_of(cutoff))


# --- Money: HMRC wants six years after the end of the tax year ---------------------------------


def _paid_or_closed_by_tax_year(cutoff, paid_field: str, closed_q: Q, closed_at_field: str) -> Q:
    end = tax_year_end_before(cutoff)
    return Q(**{f"{paid_field}__lte": end}) | (
        closed_q & Q(**{f"{closed_at_field}__lt": start_of(end + datetime.timedelta(days=1))})
    )


def _old_receipts(cutoff):
    from workplans.enums import ClaimStatus

    ExpenseItem = _model("workplans.ExpenseItem")
    when = _paid_or_closed_by_tax_year(
        cutoff, "claim__paid_on", Q(claim__status=ClaimStatus.REJECTED), "claim__decided_at"
    )
    return ExpenseItem.objects.exclude(receipt="").filter(when)


def delete_receipts(queryset: QuerySet) -> None:
    """The receipt files go; the items stay as the claim's accounts."""
    _delete_files(queryset, "receipt")
    queryset.update(receipt="")


def _old_claims(cutoff):
    from workplans.enums import ClaimStatus

    ExpenseClaim = _model("workplans.ExpenseClaim")
    when = _paid_or_closed_by_tax_year(cutoff, "paid_on", Q(status=ClaimStatus.REJECTED), "decided_at")
    return _not_anonymised(ExpenseClaim.objects.filter(when))


def anonymise_claims(queryset: QuerySet) -> None:
    from workplans.enums import ClaimStatus

    ExpenseItem = _model("workplans.ExpenseItem")
    items = ExpenseItem.objects.filter(claim__in=queryset)
    _delete_files(items, "receipt")
    items.update(description="", receipt="")
    queryset.filter(status=ClaimStatus.REJECTED).update(rejection_reason=REMOVED)
    queryset.update(purpose=REMOVED, payment_reference="")
    mark_anonymised(queryset)


def _old_payments(cutoff):
    from workplans.enums import PaymentStatus

    InvolvementPayment = _model("workplans.InvolvementPayment")
    end = tax_year_end_before(cutoff)
    when = Q(paid_on__lte=end) | Q(status=PaymentStatus.CANCELLED, activity_on__lte=end)
    return _not_anonymised(InvolvementPayment.objects.filter(when))


def anonymise_payments(queryset: QuerySet) -> None:
    queryset.update(activity=REMOVED, payment_reference="")
    mark_anonymised(queryset)


# --- Safeguarding and cases: kept long, counted from closure -----------------------------------


def _closed_concerns(cutoff):
    Concern = _model("safeguarding.Concern")
    return _not_anonymised(Concern.objects.filter(closed_at__lt=start_of(cutoff)))


def anonymise_concerns(queryset: QuerySet) -> None:
    _model("safeguarding.ConcernEntry").objects.filter(concern__in=queryset).delete()
    _model("safeguarding.Escalation").objects.filter(concern__in=queryset).update(contact="", notes="")
    queryset.update(
        who_described="",
        what_happened=REMOVED,
        action_taken="",
        debrief_notes="",
        outcome="",
        where="",
        when="",
    )
    mark_anonymised(queryset)


def _closed_cases(cutoff):
    Case = _model("safeguarding.Case")
    return _not_anonymised(Case.objects.filter(closed_at__lt=start_of(cutoff)))


def anonymise_cases(queryset: QuerySet) -> None:
    from safeguarding.enums import CaseKind

    documents = _model("safeguarding.CaseDocument").objects.filter(case__in=queryset)
    _delete_files(documents, "file")
    documents.delete()
    _model("safeguarding.CaseStageChange").objects.filter(case__in=queryset).update(note="")
    queryset.exclude(kind=CaseKind.COMPLAINT_AGAINST).update(subject_person=None)
    queryset.update(
        raised_by_name="Anonymised",
        raised_by_contact="",
        raised_by_person=None,
        summary=REMOVED,
        outcome_reasons="",
        appeal_reasons="",
        appeal_outcome_reasons="",
    )
    mark_anonymised(queryset)


# --- Everything else ---------------------------------------------------------------------------


def _old_feedback(cutoff):
    FeedbackItem = _model("workplans.FeedbackItem")
    return _not_anonymised(FeedbackItem.objects.filter(received_on__lt=cutoff))


def anonymise_feedback(queryset: QuerySet) -> None:
    # Themes, source, sentiment, service area and date stay: the Themes report counts them.
    queryset.update(text=REMOVED)
    mark_anonymised(queryset)


def _old_access_log(cutoff):
    return _model("cms.AccessLogEntry").objects.filter(at__lt=start_of(cutoff))


def delete_access_log(queryset: QuerySet) -> None:
    # The access log refuses deletion everywhere else; this rule is the one sanctioned way.
    models.QuerySet.delete(queryset)


def _closed_requests(cutoff):
    from .enums import RequestStatus

    DataRequest = _model("privacy.DataRequest")
    return DataRequest.objects.exclude(status=RequestStatus.OPEN).filter(handled_at__lt=start_of(cutoff))


RECORD_TYPES: tuple[RecordType, ...] = (
    RecordType(
        key="closed_applications",
        label="Declined and withdrawn applications",
        model_label="members.Application",
        measured_from="when the application was declined or withdrawn",
        default_months=12,
        default_action=ANONYMISE,
        reason="Long enough to answer a question about the decision; the funnel keeps the counts.",
        due=_closed_applications,
        anonymise=anonymise_applications,
        covers=("members.ApplicationStageChange",),
    ),
    RecordType(
        key="leavers",
        label="People who have left",
        model_label="members.Person",
        measured_from="the end of their last membership or application",
        default_months=24,
        default_action=ANONYMISE,
        reason="Two years lets a returning volunteer pick up again; payments and safeguarding records "
        "must stay, so the person is anonymised (a pseudonym), never deleted.",
        due=left_before,
        anonymise=_anonymise_people,
    ),
    RecordType(
        key="leavers_equality",
        label="Equality monitoring of people who have left",
        model_label="members.EqualityMonitoring",
        measured_from="the end of their last membership or application",
        default_months=3,
        default_action=DELETE,
        reason="Special-category data, used only for reports on current members.",
        due=_leavers_equality,
        anonymise=anonymise_equality,
    ),
    RecordType(
        key="leavers_training",
        label="Training records of people who have left",
        model_label="members.TrainingRecord",
        measured_from="the end of their last membership or application",
        default_months=24,
        default_action=ANONYMISE,
        reason="Certificates are needed while someone may come back; the completion dates stay.",
        due=_leavers_training,
        anonymise=anonymise_training,
        delete=delete_with_files("members.TrainingRecord", "pk", "certificate"),
    ),
    RecordType(
        key="leavers_dbs",
        label="DBS check metadata of people who have left",
        model_label="members.DBSCheck",
        measured_from="the end of their last membership or application (certificate numbers already "
        "go six months after the decision)",
        default_months=12,
        default_action=DELETE,
        reason="DBS code of practice: no longer than needed. Certificate numbers are erased six months "
        "after the decision by their own daily job.",
        due=_leavers_dbs,
    ),
    RecordType(
        key="compliance_reminders",
        label="Compliance reminders sent",
        model_label="members.ComplianceReminder",
        measured_from="when the reminder was recorded",
        default_months=24,
        default_action=DELETE,
        reason="Only needed to avoid sending a reminder twice.",
        due=_old_reminders,
    ),
    RecordType(
        key="expense_evidence",
        label="Expense receipts",
        model_label="workplans.ExpenseItem",
        measured_from="the end of the tax year (5 April) in which the claim was paid or rejected",
        default_months=72,
        default_action=DELETE,
        reason="HMRC: keep records for six years after the end of the tax year they relate to.",
        due=_old_receipts,
        delete=delete_receipts,
    ),
    RecordType(
        key="expense_claims",
        label="Expense claims",
        model_label="workplans.ExpenseClaim",
        measured_from="the end of the tax year (5 April) in which the claim was paid or rejected",
        default_months=72,
        default_action=ANONYMISE,
        reason="HMRC: six years after the tax year; the amounts stay for the budget's history.",
        due=_old_claims,
        anonymise=anonymise_claims,
        delete=delete_with_files("workplans.ExpenseItem", "claim", "receipt"),
        covers=("workplans.UnpaidClaimAlert",),
    ),
    RecordType(
        key="involvement_payments",
        label="Involvement payments",
        model_label="workplans.InvolvementPayment",
        measured_from="the end of the tax year (5 April) in which the payment was made or cancelled",
        default_months=72,
        default_action=ANONYMISE,
        reason="Earnings: HMRC wants six years after the tax year; the amounts stay for the budget.",
        due=_old_payments,
        anonymise=anonymise_payments,
    ),
    RecordType(
        key="safeguarding_concerns",
        label="Safeguarding concerns and allegations",
        model_label="safeguarding.Concern",
        measured_from="when the concern was closed",
        default_months=300,
        default_action=ANONYMISE,
        reason="Records about children are kept until the child would be 25 (or 25 years when the age "
        "is unknown), and allegations at least 10 years; the DSL may lengthen it.",
        due=_closed_concerns,
        anonymise=anonymise_concerns,
        covers=("safeguarding.ConcernEntry", "safeguarding.Escalation", "safeguarding.ConcernAlert"),
    ),
    RecordType(
        key="grievance_cases",
        label="Grievances and complaints",
        model_label="safeguarding.Case",
        measured_from="when the case was closed",
        default_months=72,
        default_action=ANONYMISE,
        reason="Six years after closure: the limitation period for a claim.",
        due=_closed_cases,
        anonymise=anonymise_cases,
        delete=delete_with_files("safeguarding.CaseDocument", "case", "file"),
        covers=("safeguarding.CaseStageChange", "safeguarding.CaseDocument", "safeguarding.CaseAlert"),
    ),
    RecordType(
        key="feedback_items",
        label="Feedback from families",
        model_label="workplans.FeedbackItem",
        measured_from="when the feedback was received",
        default_months=36,
        default_action=ANONYMISE,
        reason="Three years covers a workplan cycle and its annual reports; themes keep the counts.",
        due=_old_feedback,
        anonymise=anonymise_feedback,
    ),
    RecordType(
        key="import_files",
        label="Spreadsheet imports",
        model_label="members.ImportJob",
        measured_from="when the file was uploaded (the daily purge already drops them after a week)",
        default_months=1,
        default_action=DELETE,
        reason="The uploaded file holds personal data and is only needed until it is imported.",
        due=lambda cutoff: _model("members.ImportJob").objects.filter(created_at__lt=start_of(cutoff)),
    ),
    RecordType(
        key="access_log",
        label="Access log entries",
        model_label="cms.AccessLogEntry",
        measured_from="when the record was read",
        default_months=72,
        default_action=DELETE,
        reason="Six years: long enough to answer a complaint or claim about who saw a record.",
        due=_old_access_log,
        delete=delete_access_log,
    ),
    RecordType(
        key="sign_in_links",
        label="Volunteer sign-in links",
        model_label="volunteers.SignInLink",
        measured_from="when the link expired",
        default_months=1,
        default_action=DELETE,
        reason="A used or expired link is useless; a month helps answer a sign-in problem.",
        due=lambda cutoff: _model("volunteers.SignInLink").objects.filter(expires_at__lt=start_of(cutoff)),
    ),
    RecordType(
        key="data_requests",
        label="Data requests answered",
        model_label="privacy.DataRequest",
        measured_from="when the request was answered or refused",
        default_months=72,
        default_action=DELETE,
        reason="Six years: evidence of how a request was handled if the ICO asks.",
        due=_closed_requests,
    ),
)

# Models holding personal data that no retention rule acts on, and why.
EXEMPT: dict[str, str] = {
    "members.User": "Admin logins: managed by a superuser, disabled when someone leaves.",
    "members.Partnership": "An MNVP's public contact address, not a person's.",
    "members.PrivacyConsent": "Proof of the lawful basis; holds no contact data and follows its person.",
    "members.Membership": "Role and dates only (statistics); its person is anonymised when they leave.",
    "workplans.ActivityVolunteer": "Hours on an activity (statistics); its person is anonymised.",
    "workplans.MeetingAttendance": "Attendance behind a payment; its person is anonymised.",
    "workplans.BenefitsAdviceRecord": "Proof that advice was given before paying; its note is cleared "
    "when its person is anonymised.",
    "workplans.MilestoneUpdate": "Workplan evidence, not about a person.",
    "safeguarding.SupportOrganisation": "Organisations' public contact details.",
    "privacy.Erasure": "The record that a person was erased: a pseudonym only.",
    "privacy.PrivacySettings": "The host's privacy contact address, not a volunteer's.",
    "home.SiteContact": "The host's public contact details in the site footer.",
    "home.FormPage": "A form page's settings: the host's own addresses to email answers from and to.",
}


def get_record_type(key: str) -> RecordType | None:
    return next((record for record in RECORD_TYPES if record.key == key), None)


def installed_record_types() -> list[RecordType]:
    return [record for record in RECORD_TYPES if record.installed]


def due_rows(record: RecordType, months: int, today: datetime.date | None = None) -> QuerySet:
    """The rows of ``record`` past their time when kept ``months`` calendar months."""
    today = today or timezone.localdate()
    return record.due(add_months(today, -months))


def covered_models() -> set[str]:
    """Labels of every model a record type acts on or covers."""
    labels = set()
    for record in RECORD_TYPES:
        labels.add(record.model_label)
        labels.update(record.covers)
    return labels

"""Grievances and complaints: cases seen only by their handler and the grievance role.

Access is per case (django-guardian object permissions for the assigned handler);
the subject of a complaint never sees it, whatever else they hold. See
:mod:`safeguarding.permissions`. Narratives are encrypted at rest.
"""

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from cms.encryption import EncryptedTextField
from members.models import Partnership, Person
from members.models.training import private_storage

from ..enums import CaseAlertKind, CaseKind, CaseOutcome, CaseStage

DOCUMENT_EXTENSIONS = ["pdf", "docx", "odt", "txt", "jpg", "jpeg", "png", "eml", "msg"]
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


def validate_document_size(upload) -> None:
    from django.core.exceptions import ValidationError

    if upload.size > DOCUMENT_MAX_BYTES:
        raise ValidationError(f"The document is {upload.size / 2**20:.1f} MB; upload one of 10 MB or less.")


@register_setting(icon="time")
class CaseSettings(BaseGenericSetting):
    """Working-day limits for each stage of a grievance or complaint."""

    acknowledge_working_days = models.PositiveSmallIntegerField(default=5)
    investigate_working_days = models.PositiveSmallIntegerField(
        "reach an outcome within (working days of acknowledging)", default=20
    )
    appeal_window_working_days = models.PositiveSmallIntegerField(
        "appeals accepted within (working days of the outcome)", default=10
    )
    appeal_decision_working_days = models.PositiveSmallIntegerField(
        "decide an appeal within (working days)", default=20
    )
    warn_working_days_before = models.PositiveSmallIntegerField(
        "warn the handler this many working days before a deadline", default=2
    )

    class Meta:
        verbose_name = "grievance and complaint settings"


class Case(models.Model):
    partnership_scope_path = "partnership"

    kind = models.CharField(max_length=20, choices=CaseKind.choices)
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="cases")
    reference = models.CharField(max_length=20, unique=True, editable=False)
    received_at = models.DateTimeField(default=timezone.now)
    raised_by_name = models.CharField("raised by", max_length=200, help_text="Name as given.")
    raised_by_contact = models.CharField("their contact details", max_length=200, blank=True)
    raised_by_person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    subject_person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="For a complaint against a lead or member: who it is about.",
    )
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The subject's admin login, if they have one: it can never open this case.",
    )
    summary = EncryptedTextField("what it is about")
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    stage = models.CharField(max_length=20, choices=CaseStage.choices, default=CaseStage.RECEIVED)
    stage_due_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=CaseOutcome.choices, blank=True)
    outcome_reasons = EncryptedTextField(blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)
    appeal_reasons = EncryptedTextField(blank=True)
    appeal_outcome = models.CharField(max_length=20, choices=CaseOutcome.choices, blank=True)
    appeal_outcome_reasons = EncryptedTextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = "grievance or complaint"
        verbose_name_plural = "grievances and complaints"
        permissions = [
            ("assign_case", "Can assign a handler to a grievance or complaint"),
            ("export_case", "Can export grievances and complaints (logged)"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=CaseKind.COMPLAINT_AGAINST) | Q(subject_person__isnull=False),
                name="complaint_against_names_its_subject",
                violation_error_message="A complaint against a lead or member must say who it is about.",
            ),
            models.CheckConstraint(
                condition=Q(handler__isnull=True)
                | Q(subject_user__isnull=True)
                | ~Q(handler=models.F("subject_user")),
                name="case_handler_is_not_its_subject",
                violation_error_message="The subject of a complaint cannot handle it.",
            ),
        ]
        indexes = [models.Index(fields=["stage", "stage_due_at"], name="case_stage_due_idx")]

    def __str__(self):
        kind = self.get_kind_display().split(" ")[0].lower()
        return f"{self.reference or 'New case'} ({kind}, {self.partnership})"


class CaseStageChange(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=20, choices=CaseStage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=CaseStage.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = "case stage change"

    def __str__(self):
        return f"{self.case}: {self.get_from_stage_display() or 'new'} → {self.get_to_stage_display()}"


class CaseDocument(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=200)
    file = models.FileField(
        upload_to="cases/%Y/%m/",
        storage=private_storage,
        validators=[FileExtensionValidator(DOCUMENT_EXTENSIONS), validate_document_size],
        help_text="PDF, Word, OpenDocument, text, email or image; up to 10 MB.",
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = "case document"

    def __str__(self):
        return self.title


class CaseAlert(models.Model):
    """A deadline warning or breach, sent once per case, stage and deadline."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="alerts")
    stage = models.CharField(max_length=20, choices=CaseStage.choices)
    kind = models.CharField(max_length=20, choices=CaseAlertKind.choices)
    due_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "case alert"
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["case", "stage", "kind", "due_at"], name="case_alert_once"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.case}"

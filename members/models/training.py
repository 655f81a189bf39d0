"""Training and DBS checks: the catalogue, what each role needs, and what each person holds.

Compliance (who is cleared for outreach) is worked out from these in
:mod:`members.compliance`; reminders before anything lapses in
:mod:`members.services.reminders`.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from cms.dates import add_months
from cms.uploads import UploadRule

from ..enums import DBSDecision, DBSLevel, DBSOutcome, MembershipRole
from .partnerships import ScopedQuerySet, User
from .people import Person

CERTIFICATE_EXTENSIONS = ["pdf", "jpg", "jpeg", "png"]
CERTIFICATE_MAX_BYTES = 5 * 1024 * 1024


# The one check of a certificate's type, size and content (cms/uploads.py).
CERTIFICATE_UPLOADS = UploadRule("certificate", tuple(CERTIFICATE_EXTENSIONS), CERTIFICATE_MAX_BYTES)


def private_storage():
    return storages["private"]


def validate_certificate_size(upload) -> None:
    if upload.size > CERTIFICATE_MAX_BYTES:
        raise ValidationError(
            f"The certificate is {upload.size / 2**20:.1f} MB; upload one of 5 MB or less (a photo or PDF).",
            code="file_too_large",
        )


@register_setting(icon="tick-inverse")
class ComplianceSettings(BaseGenericSetting):
    """Host-wide compliance settings, edited under Settings in the admin."""

    due_soon_days = models.PositiveSmallIntegerField(
        default=30, help_text="Training or a DBS check expiring within this many days counts as due soon."
    )
    dbs_recheck_months = models.PositiveSmallIntegerField(
        default=36, help_text="How long after its issue a DBS check is rechecked (unless a date is given)."
    )

    class Meta:
        verbose_name = "compliance settings"


class Course(models.Model):
    """A course in the training catalogue."""

    name = models.CharField(max_length=150)
    provider = models.CharField(max_length=150, blank=True)
    description = models.TextField(blank=True)
    validity_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="How long a completion counts. Leave empty if it never expires."
    )
    certificate_required = models.BooleanField(
        default=False, help_text="A completion counts only with its certificate uploaded."
    )
    active = models.BooleanField(default=True, help_text="Inactive courses are kept for the records.")

    class Meta:
        ordering = ["name"]
        verbose_name = "course"
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="course_name_ci_unique",
                violation_error_message="A course with this name exists.",
            ),
        ]

    def __str__(self):
        return self.name

    def expiry_for(self, completed_on: datetime.date) -> datetime.date | None:
        """The day a completion on ``completed_on`` stops counting (None: never)."""
        if self.validity_months is None or completed_on is None:
            return None
        return add_months(completed_on, self.validity_months)


class RoleRequirement(models.Model):
    """What a membership role needs before its holder may do outreach or meet families."""

    role = models.CharField(max_length=30, choices=MembershipRole.choices, unique=True)
    courses = models.ManyToManyField(Course, blank=True, related_name="required_by")
    dbs_level = models.CharField(
        "DBS check needed",
        max_length=20,
        choices=DBSLevel.choices,
        blank=True,
        help_text="Leave empty if the role needs no DBS check.",
    )

    class Meta:
        ordering = ["role"]
        verbose_name = "role requirement"

    def __str__(self):
        return f"What a {self.get_role_display().lower()} needs"


class TrainingRecord(models.Model):
    """One person's completion of one course."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="training_records")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="records")
    completed_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True, editable=False)
    certificate = models.FileField(
        upload_to="certificates/%Y/%m/",
        storage=private_storage,
        blank=True,
        validators=[FileExtensionValidator(CERTIFICATE_EXTENSIONS), validate_certificate_size],
        help_text="PDF, JPG or PNG, up to 5 MB.",
    )
    notes = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-completed_on", "-pk"]
        verbose_name = "training record"
        permissions = [
            ("import_trainingrecord", "Can import training records from a spreadsheet"),
            ("export_trainingrecord", "Can export training records to a spreadsheet"),
            ("view_compliance_report", "Can view the compliance report of their MNVPs"),
        ]
        indexes = [
            models.Index(fields=["person", "course"], name="training_person_course_idx"),
            models.Index(fields=["expires_on"], name="training_expires_idx"),
            # The listing's order, walked by its pages (cms.pagination) instead of sorting every row.
            models.Index(fields=["completed_on", "id"], name="training_completed_idx"),
        ]

    def __str__(self):
        return f"{self.course} completed by {self.person} on {self.completed_on:%d %b %Y}"

    def save(self, *args, **kwargs):
        # Derived, not a side effect: the expiry always follows the course's rule.
        self.expires_on = self.course.expiry_for(self.completed_on)
        super().save(*args, **kwargs)

    def clean(self):
        if self.completed_on and self.completed_on > datetime.date.today():
            raise ValidationError({"completed_on": "A course cannot be completed in the future."})
        CERTIFICATE_UPLOADS.check_new_file(self.certificate, "certificate")

    @classmethod
    def partnership_scope_q(cls, partnership_ids) -> Q:
        return Person.partnership_scope_q(partnership_ids, "person")


class DBSCheck(models.Model):
    """A DBS check's metadata. Never the disclosure itself: there is no field for it.

    The certificate number is confidential (a permission of its own, and every view
    of it is logged) and is erased six months after the decision.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="dbs_checks")
    level = models.CharField(max_length=20, choices=DBSLevel.choices)
    certificate_number = models.CharField(max_length=20, blank=True)
    issued_on = models.DateField()
    outcome = models.CharField(max_length=20, choices=DBSOutcome.choices)
    decision = models.CharField(
        max_length=20,
        choices=DBSDecision.choices,
        blank=True,
        help_text="Needed when information was disclosed; a clear check needs none.",
    )
    decided_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    update_service = models.BooleanField("subscribed to the DBS update service", default=False)
    recheck_due_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    details_erased_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = "DBS check"
        permissions = [
            ("view_dbs_certificate_number", "Can see DBS certificate numbers (each view is logged)"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision="") | Q(outcome=DBSOutcome.NEEDS_DECISION),
                name="dbs_decision_only_when_needed",
                violation_error_message="Only a check with information disclosed takes a decision.",
            ),
        ]
        indexes = [models.Index(fields=["recheck_due_on"], name="dbs_recheck_idx")]

    def __str__(self):
        return f"{self.get_level_display()} DBS check for {self.person}, issued {self.issued_on:%d %b %Y}"

    @property
    def cleared(self) -> bool:
        return self.outcome == DBSOutcome.CLEAR or self.decision == DBSDecision.SUITABLE

    @classmethod
    def cleared_q(cls) -> Q:
        return Q(outcome=DBSOutcome.CLEAR) | Q(decision=DBSDecision.SUITABLE)

    @classmethod
    def partnership_scope_q(cls, partnership_ids) -> Q:
        return Person.partnership_scope_q(partnership_ids, "person")

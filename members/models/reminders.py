"""A record of every compliance reminder: what it was about, and when it went.

One row per (record, milestone, expiry date), enforced by the database, is what
makes the reminder sweep idempotent: a second run finds the row and sends nothing.
A corrected expiry date is a new date, so it earns its own reminders.
"""

from django.db import models
from django.db.models import Q

from ..enums import ReminderMilestone
from .people import Person
from .training import DBSCheck, TrainingRecord


class ComplianceReminder(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="compliance_reminders")
    training_record = models.ForeignKey(
        TrainingRecord, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    dbs_check = models.ForeignKey(
        DBSCheck, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    milestone = models.CharField(max_length=10, choices=ReminderMilestone.choices)
    expires_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "compliance reminder"
        default_permissions = ("view",)
        constraints = [
            models.CheckConstraint(
                condition=Q(training_record__isnull=False, dbs_check__isnull=True)
                | Q(training_record__isnull=True, dbs_check__isnull=False),
                name="reminder_about_one_record",
            ),
            models.UniqueConstraint(
                fields=["training_record", "milestone", "expires_on"],
                condition=Q(training_record__isnull=False),
                name="reminder_once_per_training_expiry",
            ),
            models.UniqueConstraint(
                fields=["dbs_check", "milestone", "expires_on"],
                condition=Q(dbs_check__isnull=False),
                name="reminder_once_per_dbs_expiry",
            ),
        ]

    def __str__(self):
        about = self.training_record or self.dbs_check
        return f"{self.get_milestone_display()}: {about}"

    @classmethod
    def partnership_scope_q(cls, partnership_ids) -> Q:
        return Person.partnership_scope_q(partnership_ids, "person")


class ComplianceDigest(models.Model):
    """The weekly digest to host staff: one row per week, so it goes once."""

    week_starting = models.DateField(unique=True)
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-week_starting"]
        verbose_name = "compliance digest"
        default_permissions = ()

    def __str__(self):
        return f"Compliance digest for the week of {self.week_starting:%d %b %Y}"

"""Safeguarding concerns and allegations: reported by anyone with a login, handled by DSLs.

The narrative fields are encrypted at rest (:class:`cms.encryption.EncryptedTextField`).
Nothing here forces identity the reporter may not have: a concern about a family met
on outreach may carry only a first name, a ward or a description.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from cms.encryption import EncryptedTextField
from members.fields import ChoicesListField
from members.models import Partnership, Person, ScopedQuerySet

from ..enums import ConcernAbout, ConcernAlertKind, ConcernCategory, ConcernKind, ConcernStatus, EscalatedTo


@register_setting(icon="warning")
class ConcernSettings(BaseGenericSetting):
    """How fast a concern must be acknowledged before the DSLs are alerted."""

    immediate_risk_ack_minutes = models.PositiveSmallIntegerField(
        "acknowledge a concern with immediate risk within (minutes)", default=60
    )
    ack_working_days = models.PositiveSmallIntegerField(
        "acknowledge any concern within (working days)", default=1
    )

    class Meta:
        verbose_name = "safeguarding settings"


class ConcernQuerySet(ScopedQuerySet):
    def open(self):
        return self.exclude(status=ConcernStatus.CLOSED)

    def unacknowledged(self):
        return self.filter(acknowledged_at__isnull=True)

    def reported_by(self, user):
        """What a reporter may follow: their own reports (status only, see the view)."""
        return self.filter(reported_by=user) if user.is_authenticated else self.none()


class Concern(models.Model):
    partnership_scope_path = "partnership"

    kind = models.CharField(max_length=20, choices=ConcernKind.choices, default=ConcernKind.CONCERN)
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="concerns")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(default=timezone.now)
    about = models.CharField("who or what it is about", max_length=20, choices=ConcernAbout.choices)
    who_described = EncryptedTextField(
        "who it is about, as far as you know",
        blank=True,
        help_text="A first name, a ward, a description: whatever you have. Leave empty if you don't know.",
    )
    where = models.CharField("where it came up", max_length=200, blank=True)
    when = models.CharField(
        "when it came up", max_length=100, blank=True, help_text="A date, or roughly when."
    )
    activity = models.CharField(
        "engagement activity", max_length=200, blank=True, help_text="The activity it came up at, if any."
    )
    # By name, so safeguarding does not import workplans (which imports safeguarding).
    linked_activity = models.ForeignKey(
        "workplans.EngagementActivity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="engagement activity on record",
    )
    what_happened = EncryptedTextField(
        "what was said or seen", help_text="In the words used, as far as you can."
    )
    immediate_risk = models.BooleanField("is anyone at immediate risk?", default=False)
    action_taken = EncryptedTextField("what you did at once", blank=True)
    debrief_offered = models.BooleanField("debrief offered to the reporter", default=False)
    debrief_notes = EncryptedTextField(blank=True)
    # Allegations against a volunteer or lead (never handled as a grievance).
    subject_person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="For an allegation: the volunteer or lead it is about.",
    )
    lado_referred_at = models.DateTimeField("referred to the LADO at", null=True, blank=True)
    lado_reference = models.CharField("LADO reference", max_length=100, blank=True)
    # The DSLs' work.
    status = models.CharField(max_length=20, choices=ConcernStatus.choices, default=ConcernStatus.RECEIVED)
    categories = ChoicesListField(item_choices=ConcernCategory.choices)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = EncryptedTextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ConcernQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_at", "-pk"]
        verbose_name = "safeguarding concern"
        permissions = [("export_concern", "Can export safeguarding concerns (logged)")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=ConcernKind.CONCERN) | Q(subject_person__isnull=False),
                name="allegation_names_its_subject",
                violation_error_message="An allegation must say which volunteer or lead it is about.",
            ),
            models.CheckConstraint(
                condition=~Q(status=ConcernStatus.CLOSED) | Q(closed_at__isnull=False),
                name="closed_concern_has_closed_at",
            ),
        ]
        indexes = [models.Index(fields=["status", "reported_at"], name="concern_status_idx")]

    def __str__(self):
        # Never the narrative: this string lands in logs, messages and the access log.
        return f"{self.get_kind_display()} #{self.pk} ({self.partnership})"


class ConcernEntry(models.Model):
    """The chronology: every note, in order, by whom. Encrypted."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="entries")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = EncryptedTextField()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = "chronology entry"

    def __str__(self):
        return f"Entry on {self.concern} at {self.at:%d %b %Y %H:%M}"


class Escalation(models.Model):
    """Who the concern was passed to, by whom, when, with their reference."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="escalations")
    to = models.CharField(max_length=20, choices=EscalatedTo.choices)
    contact = models.CharField("who was contacted", max_length=200, blank=True)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(max_length=100, blank=True)
    notes = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = "escalation"

    def __str__(self):
        return f"{self.concern} escalated to {self.get_to_display()}"


class ConcernAlert(models.Model):
    """An alert to the DSLs about a concern not acknowledged in time: sent once per kind."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=30, choices=ConcernAlertKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "concern alert"
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["concern", "kind"], name="concern_alert_once_per_kind"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.concern}"

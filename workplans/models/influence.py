"""Strategic influence and what families said: committees, meetings, feedback and themes,
and leadership arrangements of the MNVP leads."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cms.encryption import EncryptedTextField
from members.models import Membership, Partnership, Person, ScopedQuerySet

from ..enums import (
    CommitteeKind,
    FeedbackSource,
    IR35Determination,
    PaymentLength,
    RemunerationRoute,
    Sentiment,
    ServiceArea,
)
from .activities import EngagementActivity
from .money import InvolvementPayment, money_field
from .plans import Milestone


class Committee(models.Model):
    """A board or committee where MNVP voice is expected."""

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="committees",
        help_text="Leave empty for a host-level committee (for example the LMNS board).",
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=CommitteeKind.choices)
    organisation = models.CharField(
        max_length=200, blank=True, help_text="The trust, LMNS or ICB that runs it."
    )
    service_user_needed_for_quorum = models.BooleanField(default=False)
    expected_per_year = models.PositiveSmallIntegerField(
        default=12, validators=[MaxValueValidator(366)], help_text="How many meetings a year."
    )
    active = models.BooleanField(default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "committee"

    def __str__(self):
        return self.name

    @classmethod
    def partnership_scope_q(cls, ids) -> Q:
        # A host-level committee is every MNVP's business.
        return Q(partnership__in=ids) | Q(partnership__isnull=True)


class Meeting(models.Model):
    """A meeting of a committee at which an MNVP was (or should have been) represented."""

    partnership_scope_path = "partnership"

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="meetings")
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField()
    quorate = models.BooleanField(
        null=True, blank=True, help_text="Was the meeting quorate? Leave unknown if not known."
    )
    raised = models.TextField("what the MNVP raised", blank=True)
    influenced = models.TextField("decisions the MNVP influenced", blank=True)
    milestones = models.ManyToManyField(Milestone, blank=True, related_name="meetings")
    themes = models.ManyToManyField("workplans.FeedbackTheme", blank=True, related_name="meetings")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = "meeting"

    def __str__(self):
        return f"{self.committee} on {self.held_on:%d %b %Y}"


class MeetingAttendance(models.Model):
    """A representative at a meeting; for category C members it raises the involvement payment."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="meeting_attendances")
    length = models.CharField(max_length=10, choices=PaymentLength.choices)
    payment = models.OneToOneField(
        InvolvementPayment, on_delete=models.SET_NULL, null=True, blank=True, related_name="attendance"
    )

    class Meta:
        ordering = ["meeting", "person__last_name"]
        verbose_name = "meeting attendance"
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_once_per_meeting"),
        ]

    def __str__(self):
        return f"{self.person} at {self.meeting}"


class FeedbackTheme(models.Model):
    """The host's theme framework: a hierarchy of themes."""

    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    name = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    keywords = models.TextField(
        blank=True, help_text="One word or phrase per line: feedback containing one is suggested this theme."
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["parent__name", "name"]
        verbose_name = "feedback theme"
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="theme_name_unique_under_parent"),
        ]

    def __str__(self):
        return f"{self.parent.name}: {self.name}" if self.parent_id else self.name

    @property
    def keyword_list(self) -> list[str]:
        return [line.strip().casefold() for line in self.keywords.splitlines() if line.strip()]


class FeedbackItem(models.Model):
    """Something a family said, from any source. The text is encrypted like other personal data."""

    partnership_scope_path = "partnership"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="feedback")
    received_on = models.DateField(default=timezone.localdate)
    source = models.CharField(max_length=20, choices=FeedbackSource.choices)
    service_area = models.CharField(max_length=20, choices=ServiceArea.choices)
    sentiment = models.CharField(max_length=10, choices=Sentiment.choices, blank=True)
    text = EncryptedTextField("what was said")
    activity = models.ForeignKey(
        EngagementActivity, on_delete=models.SET_NULL, null=True, blank=True, related_name="feedback"
    )
    themes = models.ManyToManyField(FeedbackTheme, blank=True, related_name="items")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = "feedback item"
        permissions = [
            ("import_feedbackitem", "Can import feedback from a spreadsheet"),
            ("export_feedbackitem", "Can export feedback to a spreadsheet"),
        ]
        indexes = [models.Index(fields=["partnership", "received_on"], name="feedback_mnvp_date_idx")]

    def __str__(self):
        return f"Feedback #{self.pk} ({self.get_source_display()}, {self.received_on:%d %b %Y})"


class LeadArrangement(models.Model):
    """How an MNVP lead role is filled and paid; the IR35 determination where not employed."""

    membership = models.OneToOneField(Membership, on_delete=models.CASCADE, related_name="lead_arrangement")
    role_description = models.TextField(blank=True)
    remuneration_route = models.CharField(max_length=20, choices=RemunerationRoute.choices)
    ir35_determination = models.CharField(
        "off-payroll (IR35) determination", max_length=10, choices=IR35Determination.choices, blank=True
    )
    ir35_determined_on = models.DateField("determined on", null=True, blank=True)
    hours_per_month = models.DecimalField(
        max_digits=5, decimal_places=1, validators=[MinValueValidator(0)], help_text="Time agreed per month."
    )
    annual_remuneration = money_field("annual remuneration agreed")

    class Meta:
        ordering = ["membership__partnership__name"]
        verbose_name = "lead arrangement"
        constraints = [
            models.CheckConstraint(
                condition=Q(remuneration_route=RemunerationRoute.EMPLOYED)
                | (~Q(ir35_determination="") & Q(ir35_determined_on__isnull=False)),
                name="non_employed_lead_has_ir35_determination",
                violation_error_message="A lead not employed needs an IR35 determination and its date.",
            ),
        ]

    def __str__(self):
        return f"Arrangement for {self.membership}"

    @classmethod
    def partnership_scope_q(cls, ids) -> Q:
        return Q(membership__partnership__in=ids)

    def determination_is_stale(self, on: datetime.date | None = None) -> bool:
        if self.remuneration_route == RemunerationRoute.EMPLOYED or self.ir35_determined_on is None:
            return False
        return (on or timezone.localdate()) - self.ir35_determined_on > datetime.timedelta(days=365)


class IR35Reminder(models.Model):
    """A reminder that a determination is over a year old: once per determination date."""

    arrangement = models.ForeignKey(LeadArrangement, on_delete=models.CASCADE, related_name="reminders")
    determined_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "IR35 reminder"
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["arrangement", "determined_on"], name="ir35_reminder_once"),
        ]

    def __str__(self):
        return f"IR35 review due: {self.arrangement}"

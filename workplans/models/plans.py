"""Annual workplans: objectives under themes, milestones, progress updates, sign-off."""

import datetime

from django.conf import settings
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from members.models import Partnership, ScopedQuerySet
from members.models.training import private_storage

from ..enums import MilestoneReminderKind, MilestoneStatus, SignOffStage, Theme

ATTACHMENT_EXTENSIONS = ["pdf", "docx", "odt", "xlsx", "ods", "pptx", "txt", "jpg", "jpeg", "png"]


def financial_year_of(day: datetime.date) -> int:
    """The financial year (1 April to 31 March) a day falls in, by its starting year."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year_label(start_year: int) -> str:
    return f"{start_year}/{str(start_year + 1)[-2:]}"


def financial_year_bounds(start_year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(start_year, 4, 1), datetime.date(start_year + 1, 3, 31)


class Workplan(models.Model):
    partnership_scope_path = "partnership"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="workplans")
    year = models.PositiveSmallIntegerField(
        "financial year starting", validators=[MinValueValidator(2020)], help_text="2026 for 2026/27."
    )
    strategy = models.TextField(blank=True)
    funding_agreed = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    stage = models.CharField(max_length=20, choices=SignOffStage.choices, default=SignOffStage.DRAFT)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["partnership__name", "-year"]
        verbose_name = "workplan"
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "year"],
                name="one_workplan_per_mnvp_and_year",
                violation_error_message="This MNVP already has a workplan for that year.",
            ),
        ]

    def __str__(self):
        return f"{self.partnership} workplan {financial_year_label(self.year)}"

    @property
    def year_label(self) -> str:
        return financial_year_label(self.year)


class WorkplanSignOff(models.Model):
    """Each sign-off stage reached: by whom, when, and the funding agreed at that point."""

    workplan = models.ForeignKey(Workplan, on_delete=models.CASCADE, related_name="sign_offs")
    stage = models.CharField(max_length=20, choices=SignOffStage.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    on_behalf_of = models.CharField(max_length=200, blank=True, help_text="For example, the ICB's lead.")
    at = models.DateTimeField(default=timezone.now)
    funding_agreed = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = "workplan sign-off"

    def __str__(self):
        return f"{self.workplan}: {self.get_stage_display()}"

    @classmethod
    def partnership_scope_q(cls, ids) -> Q:
        return Q(workplan__partnership__in=ids)


class Objective(models.Model):
    workplan = models.ForeignKey(Workplan, on_delete=models.CASCADE, related_name="objectives")
    theme = models.CharField(max_length=20, choices=Theme.choices)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["workplan", "sort_order", "pk"]
        verbose_name = "objective"

    def __str__(self):
        return self.title

    @classmethod
    def partnership_scope_q(cls, ids) -> Q:
        return Q(workplan__partnership__in=ids)


class MilestoneQuerySet(ScopedQuerySet):
    def open(self):
        return self.exclude(status=MilestoneStatus.DONE)

    def overdue(self, on: datetime.date | None = None):
        return self.open().filter(due_on__lt=on or timezone.localdate())


class Milestone(models.Model):
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    owner_name = models.CharField(max_length=200, blank=True, help_text="If the owner has no login.")
    due_on = models.DateField()
    status = models.CharField(
        max_length=20, choices=MilestoneStatus.choices, default=MilestoneStatus.NOT_STARTED
    )
    evidence = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = "milestone"
        indexes = [models.Index(fields=["status", "due_on"], name="milestone_status_due_idx")]

    def __str__(self):
        return self.title

    @classmethod
    def partnership_scope_q(cls, ids) -> Q:
        return Q(objective__workplan__partnership__in=ids)


class MilestoneUpdate(models.Model):
    """A lead's progress update: kept as history, never edited."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="updates")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=20, choices=MilestoneStatus.choices)
    note = models.TextField()
    attachment = models.FileField(
        upload_to="milestones/%Y/%m/",
        storage=private_storage,
        blank=True,
        validators=[FileExtensionValidator(ATTACHMENT_EXTENSIONS)],
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "milestone update"

    def __str__(self):
        return f"{self.milestone}: {self.get_status_display()} ({self.at:%d %b %Y})"

    @classmethod
    def partnership_scope_q(cls, ids) -> Q:
        return Q(milestone__objective__workplan__partnership__in=ids)


class MilestoneReminder(models.Model):
    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=MilestoneReminderKind.choices)
    due_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "milestone reminder"
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["milestone", "kind", "due_on"], name="milestone_reminder_once"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.milestone}"

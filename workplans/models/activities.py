"""Engagement activities: who took part, how many were heard, and what changed."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from members.fields import ChoicesListField
from members.models import Partnership, Person, ScopedQuerySet
from safeguarding.models import RiskAssessment

from ..enums import ActionStatus, ActivityKind, ActivityStatus, Theme
from .plans import Milestone


class EngagementActivity(models.Model):
    partnership_scope_path = "partnership"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="activities")
    kind = models.CharField(max_length=20, choices=ActivityKind.choices)
    title = models.CharField(max_length=200)
    held_on = models.DateField()
    place = models.CharField(max_length=200, blank=True)
    milestone = models.ForeignKey(
        Milestone, on_delete=models.SET_NULL, null=True, blank=True, related_name="activities"
    )
    risk_assessment = models.ForeignKey(
        RiskAssessment, on_delete=models.PROTECT, null=True, blank=True, related_name="activities"
    )
    status = models.CharField(max_length=20, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED)
    people_heard = models.PositiveIntegerField(default=0)
    themes = ChoicesListField(item_choices=Theme.choices)
    summary = models.TextField(blank=True, help_text="What was heard, in aggregate: no names.")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = "engagement activity"
        verbose_name_plural = "engagement activities"

    def __str__(self):
        return f"{self.title} ({self.held_on:%d %b %Y})"


class ActivityVolunteer(models.Model):
    activity = models.ForeignKey(EngagementActivity, on_delete=models.CASCADE, related_name="volunteers")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="activity_roles")
    hours = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(0)]
    )

    class Meta:
        ordering = ["activity", "person__last_name"]
        verbose_name = "volunteer on an activity"
        constraints = [
            models.UniqueConstraint(fields=["activity", "person"], name="volunteer_once_per_activity"),
        ]

    def __str__(self):
        return f"{self.person} at {self.activity}"


class ActivityReach(models.Model):
    """Aggregate demographic reach of an activity: a count per category, never a person."""

    activity = models.ForeignKey(EngagementActivity, on_delete=models.CASCADE, related_name="reach")
    question = models.CharField(max_length=40)
    category = models.CharField(max_length=40)
    count = models.PositiveIntegerField()

    class Meta:
        ordering = ["activity", "question", "category"]
        verbose_name = "activity reach"
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "question", "category"], name="reach_once_per_category"
            ),
        ]

    def __str__(self):
        return f"{self.activity}: {self.category} {self.count}"


class YouSaidWeDid(models.Model):
    """What families said, and what changed because they spoke."""

    partnership_scope_path = "partnership"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="actions")
    activity = models.ForeignKey(
        EngagementActivity, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    theme = models.CharField(max_length=20, choices=Theme.choices, blank=True)
    you_said = models.TextField()
    we_did = models.TextField(blank=True)
    owner = models.CharField(
        max_length=200, blank=True, help_text="Who owns the action (for example, the trust)."
    )
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    public = models.BooleanField(default=False, help_text="Show on the MNVP's public page.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-pk"]
        verbose_name = "you said, we did"
        verbose_name_plural = "you said, we did"
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ActionStatus.DONE) | ~Q(we_did=""),
                name="done_action_says_what_was_done",
                violation_error_message="Say what was done before marking the action done.",
            ),
        ]

    def __str__(self):
        return self.you_said[:80]

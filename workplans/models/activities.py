"""Engagement activities: who took part, how many were heard, and what changed."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from members.enums import EQUALITY_CATEGORY_GROUPED_CHOICES, EQUALITY_QUESTION_CHOICES, EqualityQuestion
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
    is_public = models.BooleanField(
        "show on the public MNVP page",
        default=False,
        help_text="Families see the title, date, time, place and public description; nothing else.",
    )
    starts_at = models.TimeField(null=True, blank=True)
    public_description = models.TextField(
        blank=True, help_text="What families should know before coming: no names or case details."
    )
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
    feedback_theme = models.ForeignKey(
        "workplans.FeedbackTheme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        help_text="The feedback theme this answers.",
    )
    trust_response = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True)
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


class BirthingPopulation(models.Model):
    """The share of an MNVP's local birthing population in one equality category.

    What an activity's reach is compared with (NHS England's guidance, 2.10: outreach
    should reflect "the size and demographics of the local birthing population").
    Not the equality report's reference population, which describes the whole area:
    the host enters these from the trust's or the LMNS's booking data.
    """

    partnership_scope_path = "partnership"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="birthing_population", verbose_name="MNVP"
    )
    question = models.CharField(max_length=40, choices=EqualityQuestion.choices)
    category = models.CharField(
        max_length=40,
        choices=EQUALITY_CATEGORY_GROUPED_CHOICES,
        help_text="One of the answers to the question above (the groups name the questions).",
    )
    percentage = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text="Share of those giving birth locally in this category, 0 to 100.",
    )
    source = models.CharField(
        max_length=200, blank=True, help_text="For example, 'Northshire Hospitals bookings 2025/26'."
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["partnership__name", "question", "category"]
        verbose_name = "birthing population figure"
        verbose_name_plural = "birthing population figures"
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "question", "category"],
                name="birthingpopulation_one_per_mnvp_question_category",
                violation_error_message="There is already a figure for this MNVP, question and category.",
            ),
            models.CheckConstraint(
                condition=Q(percentage__gte=0) & Q(percentage__lte=100),
                name="birthingpopulation_percentage_0_to_100",
                violation_error_message="A percentage lies between 0 and 100.",
            ),
        ]

    def __str__(self):
        return f"{self.partnership}: {self.get_question_display()}, {self.category_label} {self.percentage}%"

    @property
    def category_label(self) -> str:
        """The category's label within its own question (values such as "other" repeat)."""
        enum = EQUALITY_QUESTION_CHOICES.get(self.question)
        return str(dict(enum.choices).get(self.category, self.category)) if enum else self.category

    def clean(self):
        super().clean()
        enum = EQUALITY_QUESTION_CHOICES.get(self.question)
        if enum is not None and self.category and self.category not in enum.values:
            raise ValidationError(
                {"category": f"'{self.category}' is not an answer to “{self.get_question_display()}”."}
            )

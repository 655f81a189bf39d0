"""The signposting directory families are pointed to, and risk assessments of activities and venues."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from members.fields import ChoicesListField
from members.models import Partnership

from ..enums import SupportArea, SupportTopic


class SupportOrganisationQuerySet(models.QuerySet):
    def public(self):
        return self.filter(active=True)


class SupportOrganisation(models.Model):
    """A local or national organisation volunteers can point families to. Public."""

    name = models.CharField(max_length=200)
    helps_with = ChoicesListField(item_choices=SupportTopic.choices)
    description = models.TextField(blank=True, help_text="What they offer, in a sentence or two.")
    area = models.CharField(max_length=20, choices=SupportArea.choices, default=SupportArea.NATIONAL)
    area_name = models.CharField(max_length=150, blank=True, help_text="For example, Northshire.")
    partnerships = models.ManyToManyField(
        Partnership, blank=True, related_name="support_organisations", help_text="MNVPs whose area it serves."
    )
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    active = models.BooleanField(default=True)

    objects = SupportOrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "support organisation"

    def __str__(self):
        return self.name


class RiskAssessmentQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None):
        """Approved and not past review: what an activity needs before it may go ahead."""
        on = on or datetime.date.today()
        return self.filter(approved_at__isnull=False, review_on__gte=on)


class RiskAssessment(models.Model):
    partnership_scope_path = "partnership"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="risk_assessments")
    title = models.CharField(max_length=200, help_text="The activity or venue assessed.")
    venue = models.CharField(max_length=200, blank=True)
    activity = models.CharField(max_length=200, blank=True)
    hazards = models.TextField()
    controls = models.TextField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    review_on = models.DateField(help_text="Review on or before this date; after it the assessment lapses.")

    objects = RiskAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["review_on", "title"]
        verbose_name = "risk assessment"
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_at__isnull=True) | Q(approved_by__isnull=False),
                name="approved_risk_assessment_says_by_whom",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.partnership})"

    def is_current(self, on: datetime.date | None = None) -> bool:
        on = on or datetime.date.today()
        return self.approved_at is not None and self.review_on >= on

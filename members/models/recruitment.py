"""Recruitment applications, their stage history, and memberships of an MNVP."""

from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from ..enums import (
    ApplicationSource,
    ApplicationStage,
    Availability,
    HeardAbout,
    Involvement,
    LivedExperience,
    MembershipRole,
    PPVCategory,
)
from ..fields import ChoicesListField
from ..pipeline import CLOSED_STAGES, OPEN_STAGES, overdue_since
from .partnerships import Partnership, ScopedQuerySet, User
from .people import Person


@register_setting(icon="group")
class RecruitmentSettings(BaseGenericSetting):
    """Host-wide recruitment settings, edited under Settings in the admin."""

    stage_overdue_days = models.PositiveSmallIntegerField(
        default=14,
        help_text="An open application that sits in one stage longer than this is flagged overdue.",
    )
    privacy_notice_version = models.CharField(
        max_length=40, default="2026-04", help_text="Recorded with every sign-up's consent."
    )
    privacy_notice_url = models.CharField(max_length=300, blank=True, help_text="Link to the privacy notice.")

    class Meta:
        verbose_name = "recruitment settings"


class ApplicationQuerySet(ScopedQuerySet):
    def open(self):
        return self.filter(stage__in=OPEN_STAGES)

    def overdue(self, days: int, now=None):
        return self.filter(self._overdue_q(days, now))

    def with_overdue_flag(self, days: int, now=None):
        """Annotate ``overdue``: open and in its stage longer than ``days``."""
        return self.annotate(
            overdue=Case(When(self._overdue_q(days, now), then=Value(True)), default=Value(False))
        )

    @staticmethod
    def _overdue_q(days, now):
        return Q(stage__in=OPEN_STAGES, stage_changed_at__lt=overdue_since(now, days=days))


class Application(models.Model):
    """Someone asking to volunteer with one MNVP, moving through the recruitment stages."""

    partnership_scope_path = "partnership"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="applications")
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="applications")
    stage = models.CharField(max_length=20, choices=ApplicationStage.choices, default=ApplicationStage.NEW)
    stage_changed_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(
        max_length=10, choices=ApplicationSource.choices, default=ApplicationSource.ADMIN
    )
    lived_experience = ChoicesListField(
        item_choices=LivedExperience.choices, help_text="Optional and sensitive."
    )
    involvement = ChoicesListField("how they would like to take part", item_choices=Involvement.choices)
    availability = ChoicesListField(item_choices=Availability.choices)
    heard_about = models.CharField(max_length=20, choices=HeardAbout.choices, blank=True)
    message = models.TextField("anything else they told us", blank=True)
    decline_reason = models.TextField(blank=True)
    recruiter_notes = models.TextField(blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = "application"
        permissions = [("export_application", "Can export applications to a spreadsheet")]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "partnership"],
                condition=Q(stage__in=OPEN_STAGES),
                name="application_one_open_per_person_and_mnvp",
                violation_error_message="This person already has an open application to this MNVP.",
            ),
            models.CheckConstraint(
                condition=~Q(stage="declined") | ~Q(decline_reason=""),
                name="application_declined_has_reason",
                violation_error_message="Give a reason when declining an application.",
            ),
        ]
        indexes = [
            models.Index(
                fields=["partnership", "stage", "stage_changed_at"], name="application_pipeline_idx"
            ),
            # The listing's order, walked by its pages (cms.pagination) instead of sorting every row.
            models.Index(fields=["submitted_at", "id"], name="application_submitted_idx"),
        ]

    def __str__(self):
        return f"{self.person} → {self.partnership}"

    @property
    def is_open(self) -> bool:
        return self.stage not in CLOSED_STAGES


class ApplicationStageChange(models.Model):
    """One move of an application: who moved it, when, from where to where, and why."""

    partnership_scope_path = "application__partnership"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=20, choices=ApplicationStage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=ApplicationStage.choices)
    changed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)
    # When the application next moved (its stay in ``to_stage`` ended): kept by members.stays, so the
    # funnel's time in stage reads each finished stay from its own row. Null on the latest move and on
    # notes (a change to the same stage, which does not end a stay).
    left_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = "application stage change"

    def __str__(self):
        return f"{self.get_from_stage_display() or 'Start'} → {self.get_to_stage_display()}"


class MembershipQuerySet(ScopedQuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(start_date__lte=on).filter(Q(end_date__isnull=True) | Q(end_date__gte=on))


class Membership(models.Model):
    """A person's role in one MNVP, with their PPV financial-support category and dates."""

    partnership_scope_path = "partnership"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=30, choices=MembershipRole.choices, default=MembershipRole.VOLUNTEER)
    ppv_category = models.CharField(
        "PPV category", max_length=1, choices=PPVCategory.choices, default=PPVCategory.B
    )
    start_date = models.DateField(default=timezone.localdate)
    end_date = models.DateField(null=True, blank=True)
    application = models.OneToOneField(
        Application, on_delete=models.SET_NULL, null=True, blank=True, related_name="membership"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["partnership__name", "person__last_name", "person__first_name"]
        verbose_name = "membership"
        permissions = [
            ("import_membership", "Can import memberships from a spreadsheet"),
            ("export_membership", "Can export memberships to a spreadsheet"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="membership_ends_after_it_starts",
                violation_error_message="The end date cannot be before the start date.",
            ),
            models.UniqueConstraint(
                fields=["person", "partnership", "role"],
                condition=Q(end_date__isnull=True),
                name="membership_one_open_role_per_mnvp",
                violation_error_message="This person already holds this role in this MNVP.",
            ),
        ]
        indexes = [
            # Covers the compliance report's row count and page (current memberships of the
            # user's MNVPs grouped by person): SQLite reads the index alone, not the table.
            models.Index(
                fields=["partnership", "person", "role", "start_date", "end_date"],
                name="membership_scope_idx",
            )
        ]

    def __str__(self):
        return f"{self.person}, {self.get_role_display()} of {self.partnership}"

"""What privacy law asks of the host: requests from people about their data, how long each
kind of record is kept, what the retention job did, and who has been erased."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from cms.dates import add_months
from members.models import Person, ScopedQuerySet

from .enums import ErasureReason, RequestKind, RequestStatus, RetentionAction


@register_setting(icon="lock")
class PrivacySettings(BaseGenericSetting):
    """Who hears about data requests (the host's privacy contact or data protection officer)."""

    contact_email = models.EmailField(
        "privacy contact email",
        blank=True,
        help_text="New data requests are emailed here. Leave empty to email every host staff login.",
    )

    class Meta:
        verbose_name = "privacy settings"


class DataRequestQuerySet(ScopedQuerySet):
    def open(self):
        return self.filter(status=RequestStatus.OPEN)

    def overdue(self, on=None):
        return self.open().filter(due_by__lt=on or timezone.localdate())


class DataRequest(models.Model):
    """A person's request under UK GDPR: a copy of their data, erasure or correction.

    Due one calendar month after it was received (Article 12(3)); the month is
    counted with :func:`cms.dates.add_months`, so 31 January is due on 28 February.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="data_requests")
    kind = models.CharField(max_length=20, choices=RequestKind.choices)
    note = models.TextField(blank=True, help_text="What they asked for, in their words if possible.")
    requested_at = models.DateTimeField(default=timezone.now)
    due_by = models.DateField(editable=False)
    status = models.CharField(max_length=20, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    outcome_note = models.TextField(blank=True, help_text="What was done, or why it was refused.")

    objects = DataRequestQuerySet.as_manager()

    class Meta:
        ordering = ["due_by", "pk"]
        verbose_name = "data request"
        permissions = [
            ("export_subject_access", "Can export everything held on a person (subject access; logged)"),
            ("erase_person", "Can erase a person on request (logged)"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind"],
                condition=Q(status=RequestStatus.OPEN),
                name="datarequest_one_open_per_person_and_kind",
                violation_error_message="This person already has an open request of this kind.",
            ),
            models.CheckConstraint(
                condition=Q(status=RequestStatus.OPEN) | Q(handled_at__isnull=False),
                name="datarequest_closed_has_handled_at",
                violation_error_message="Say when the request was handled.",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_by"], name="datarequest_status_due_idx")]

    def __str__(self):
        return f"{self.get_kind_display().split(' (')[0]} request #{self.pk} by {self.person}"

    def save(self, *args, **kwargs):
        # Derived, like a training record's expiry: always one calendar month after receipt.
        self.due_by = due_by_for(self.requested_at)
        super().save(*args, **kwargs)

    @property
    def is_overdue(self) -> bool:
        return self.status == RequestStatus.OPEN and self.due_by < timezone.localdate()

    @classmethod
    def partnership_scope_q(cls, partnership_ids) -> Q:
        return Q(person__in=Person.objects.filter(Person.partnership_scope_q(partnership_ids)))


def due_by_for(requested_at: datetime.datetime) -> datetime.date:
    """The day a request received at ``requested_at`` must be answered by."""
    return add_months(timezone.localdate(requested_at), 1)


class RetentionPolicy(models.Model):
    """How long one type of record is kept, and what happens to it then.

    The record types, what their time is measured from and what "anonymise" means for
    each are code (:mod:`privacy.registry`); host staff set the months, the action and
    whether the policy is applied at all.
    """

    record_type = models.CharField(max_length=50, unique=True, editable=False)
    months = models.PositiveSmallIntegerField(help_text="Kept this many calendar months, then acted on.")
    action = models.CharField(max_length=20, choices=RetentionAction.choices)
    active = models.BooleanField(default=True, help_text="Applied by the daily retention job.")
    reason = models.TextField(blank=True, help_text="Why this period: the law, guidance or need behind it.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["record_type"]
        verbose_name = "retention policy"
        verbose_name_plural = "retention policies"

    def __str__(self):
        return f"{self.label}: {self.months} months, then {self.get_action_display().split(' (')[0].lower()}"

    @property
    def record(self):
        from .registry import get_record_type

        return get_record_type(self.record_type)

    @property
    def label(self) -> str:
        record = self.record
        return record.label if record else self.record_type


class RetentionRun(models.Model):
    """What one run of the retention job did: counts per record type. Never edited."""

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict, help_text="{record type: {action, count}}")
    total = models.PositiveIntegerField(default=0)
    errors = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = "retention run"
        default_permissions = ("view",)

    def __str__(self):
        return f"Retention run of {timezone.localtime(self.started_at):%d %b %Y %H:%M}: {self.total} records"


class AnonymisedRecord(models.Model):
    """That a record was anonymised by the retention job, so it is not picked up again."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.BigIntegerField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "anonymised record"
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="anonymised_record_once"),
        ]

    def __str__(self):
        return f"{self.content_type} #{self.object_id} anonymised"


class Erasure(models.Model):
    """That a person was erased (anonymised): the pseudonym kept records still point to."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="erasure")
    pseudonym = models.CharField(max_length=40, unique=True)
    why = models.CharField(max_length=20, choices=ErasureReason.choices)
    reason = models.TextField(blank=True)
    erased_at = models.DateTimeField(default=timezone.now)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    data_request = models.ForeignKey(
        DataRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    summary = models.JSONField(default=dict, help_text="What was erased and what was kept, by record type.")

    class Meta:
        ordering = ["-erased_at"]
        verbose_name = "erasure"
        default_permissions = ()

    def __str__(self):
        return f"{self.pseudonym}, erased {timezone.localtime(self.erased_at):%d %b %Y}"

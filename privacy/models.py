"""What privacy law asks of the host: requests from people about their data, how long each
kind of record is kept, what the retention job did, and who has been erased."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from cms.dates import add_months
from members.models import Person, ScopedQuerySet

from .enums import RequestKind, RequestStatus


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

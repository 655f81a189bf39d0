"""Host-wide records that every app leans on: bank holidays and the access log."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models


class BankHoliday(models.Model):
    """A day that is not a working day (England and Wales), besides Saturdays and Sundays.

    Data, not code: the host adds next year's from gov.uk/bank-holidays in the admin.
    Working-day deadlines (cms/dates.py) read them.
    """

    date = models.DateField(unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["date"]
        verbose_name = "bank holiday"

    def __str__(self):
        return f"{self.name} ({self.date:%d %b %Y})"


class AccessLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The access log cannot be changed.")

    def delete(self):
        raise PermissionError("The access log cannot be deleted from here.")


class AccessLogEntry(models.Model):
    """One read, change, export or download of a confidential record. Append-only.

    Written by :func:`cms.access_log.record_access` in the same request as the access;
    nothing in the product updates or deletes a row (the model and its queryset refuse).
    """

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        CHANGE = "change", "Changed"
        CREATE = "create", "Created"
        EXPORT = "export", "Exported"
        DOWNLOAD = "download", "Downloaded"
        SEARCH = "search", "Searched"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="access_log_entries"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64, blank=True, help_text="Empty for a listing or an export.")
    object_repr = models.CharField(max_length=200, blank=True)
    detail = models.CharField(max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "access log entry"
        verbose_name_plural = "access log"
        default_permissions = ("view",)
        indexes = [models.Index(fields=["content_type", "object_id"], name="access_log_object_idx")]

    def __str__(self):
        return f"{self.user} {self.get_action_display().lower()} {self.object_repr or self.content_type}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The access log cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The access log cannot be deleted from here.")


class FailedTaskQuerySet(models.QuerySet):
    def unresolved(self):
        return self.filter(resolved=False)


class FailedTask(models.Model):
    """A background task that failed for good, after its retries: visible, never silent.

    Written by :class:`cms.tasks.ReliableTask` when a task gives up. Holds no personal
    data: the arguments are summarised (ids and counts, never text).
    """

    task_name = models.CharField(max_length=200, db_index=True)
    task_id = models.CharField(max_length=64, blank=True)
    arguments = models.CharField(max_length=500, blank=True, help_text="Ids and counts only, never text.")
    exception_type = models.CharField(max_length=200)
    exception_message = models.CharField(max_length=500, blank=True)
    retries = models.PositiveSmallIntegerField(default=0)
    failed_at = models.DateTimeField(auto_now_add=True, db_index=True)
    resolved = models.BooleanField(default=False, db_index=True)

    objects = FailedTaskQuerySet.as_manager()

    class Meta:
        ordering = ["-failed_at", "-pk"]
        verbose_name = "failed background task"
        verbose_name_plural = "failed background tasks"
        default_permissions = ("view", "change")

    def __str__(self):
        return f"{self.task_name} failed ({self.exception_type})"

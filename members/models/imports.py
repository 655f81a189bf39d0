"""Spreadsheet imports: one record per uploaded file, from check to import.

The file is kept only until it is imported or abandoned (a beat task purges old
jobs), because it holds personal data. Progress while a task runs lives in the cache
(see :mod:`members.services.imports`): an all-or-nothing import runs in one
transaction, so nothing it writes to the database is visible until it ends.
"""

from django.db import models

from ..enums import ImportKind, ImportStatus
from .partnerships import User


class ImportJobQuerySet(models.QuerySet):
    def for_user(self, user):
        """An import belongs to whoever uploaded it; nobody else sees its rows."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(created_by=user)


class ImportJob(models.Model):
    kind = models.CharField(max_length=20, choices=ImportKind.choices)
    status = models.CharField(max_length=20, choices=ImportStatus.choices, default=ImportStatus.UPLOADED)
    created_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="import_jobs")
    created_at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(max_length=255)
    file_format = models.CharField(max_length=10)
    content = models.BinaryField(help_text="The uploaded file, erased once imported.")
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(
        default=0, help_text="Rows checked or imported so far by the step that is running or last ran."
    )
    step_started_at = models.DateTimeField(
        null=True, blank=True, help_text="When the check or import that is running (or last ran) began."
    )
    errors = models.JSONField(
        default=list, blank=True, help_text="[{row, field, message}]; row 0 is the file."
    )
    ignored_columns = models.JSONField(default=list, blank=True)
    summary = models.JSONField(default=dict, blank=True, help_text="Counts of new and updated records.")
    checked_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True, help_text="How long the import itself took.")

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "spreadsheet import"
        default_permissions = ()

    def __str__(self):
        return f"{self.get_kind_display()} from {self.file_name}"

    @property
    def is_running(self) -> bool:
        return self.status in (ImportStatus.UPLOADED, ImportStatus.CHECKING, ImportStatus.IMPORTING)

    @property
    def can_confirm(self) -> bool:
        return self.status == ImportStatus.CHECKED and not self.errors

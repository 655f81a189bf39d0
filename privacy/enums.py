"""Choices for data requests, retention policies and their runs."""

from django.db import models


class RequestKind(models.TextChoices):
    ACCESS = "access", "Access (a copy of their data)"
    ERASURE = "erasure", "Erasure"
    CORRECTION = "correction", "Correction"


class RequestStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    REFUSED = "refused", "Refused"


class RetentionAction(models.TextChoices):
    ANONYMISE = "anonymise", "Anonymise (keep the statistics)"
    DELETE = "delete", "Delete"


class ErasureReason(models.TextChoices):
    REQUEST = "request", "Erasure on request"
    RETENTION = "retention", "Retention period ended"

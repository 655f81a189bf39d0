"""The retention job: apply each record type's policy, in batches, and record what was done."""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from ..enums import RetentionAction
from ..models import RetentionPolicy, RetentionRun
from ..registry import RecordType, due_rows, installed_record_types

logger = logging.getLogger(__name__)

BATCH_SIZE = 500


def policies() -> dict[str, RetentionPolicy]:
    """Every installed record type's policy; one missing (a new type) is created with its defaults."""
    existing = {policy.record_type: policy for policy in RetentionPolicy.objects.all()}
    for record in installed_record_types():
        if record.key not in existing:
            existing[record.key] = RetentionPolicy.objects.create(
                record_type=record.key,
                months=record.default_months,
                action=record.default_action,
                reason=record.reason,
            )
    return existing


def apply_policy(
    record: RecordType,
    policy: RetentionPolicy,
    *,
    today: datetime.date | None = None,
    batch_size: int = BATCH_SIZE,
) -> int:
    """Anonymise or delete the rows of ``record`` past their time; returns how many.

    Each batch is its own transaction, so a long run holds no lock for long and a
    failure keeps what earlier batches did. A batch's rows drop out of the due
    queryset once handled (deleted, or marked anonymised), so the loop ends.
    """
    action = policy.action if policy.action in record.actions else record.default_action
    done, previous = 0, set()
    while True:
        with transaction.atomic():
            due = due_rows(record, policy.months, today)
            pks = list(due.order_by("pk").values_list("pk", flat=True)[:batch_size])
            if not pks:
                break
            if previous.intersection(pks):
                raise RuntimeError(f"{record.label}: handled rows are still due; stopping, not looping.")
            previous = set(pks)
            batch = record.model._default_manager.filter(pk__in=pks)
            if action == RetentionAction.ANONYMISE:
                record.anonymise(batch)
            elif record.delete is not None:
                record.delete(batch)
            else:
                batch.delete()
            done += len(pks)
        if len(pks) < batch_size:
            break
    return done


def run_retention(*, today: datetime.date | None = None, batch_size: int = BATCH_SIZE) -> RetentionRun:
    """Apply every active policy and record the counts per record type in a :class:`RetentionRun`.

    One record type failing is written to the run's errors and the others still run.
    """
    run = RetentionRun.objects.create()
    counts, errors = {}, []
    current = policies()
    for record in installed_record_types():
        policy = current[record.key]
        if not policy.active:
            continue
        try:
            count = apply_policy(record, policy, today=today, batch_size=batch_size)
        except Exception as error:  # one type's failure must not stop the others
            logger.exception("Retention of %s failed", record.key)
            errors.append(f"{record.label}: {error.__class__.__name__}: {error}")
            continue
        if count:
            counts[record.key] = {"label": record.label, "action": policy.action, "count": count}
    RetentionRun.objects.filter(pk=run.pk).update(
        finished_at=timezone.now(),
        counts=counts,
        total=sum(item["count"] for item in counts.values()),
        errors="\n".join(errors),
    )
    run.refresh_from_db()
    return run

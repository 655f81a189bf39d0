"""Spreadsheet imports of people and memberships: upload, check, confirm, import.

1. :func:`start_import` keeps the uploaded file as an :class:`~members.models.ImportJob`
   and queues the check.
2. :func:`check_import` (a Celery task's body) reads the file and rehearses the whole
   import in a transaction that is rolled back: the preview lists every row's
   problems with its row number and column, and counts what would be added or changed.
3. :func:`confirm_import` queues the import of a file that checked clean.
4. :func:`run_import` imports it in one transaction: everything, or (on any error)
   nothing, with the reason recorded.

Large files never hold a request open: checking and importing run in Celery, and
the job page follows their progress (kept in the cache, because an all-or-nothing
import's own writes are invisible to other connections until it commits).
"""

from __future__ import annotations

import datetime
import io
import logging
import time
from pathlib import PurePath

import tablib
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cms.uploads import UploadRule

from ..compliance_cache import forget_compliance
from ..enums import ImportKind, ImportStatus
from ..models import ImportJob, Membership, Person, TrainingRecord
from ..permissions import user_may_import
from ..resources import MembershipResource, PersonResource, TrainingRecordResource
from ..scoping import ALL, permitted_partnership_ids

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
FORMATS = ("csv", "xlsx")
IMPORT_UPLOADS = UploadRule("spreadsheet", FORMATS, MAX_UPLOAD_BYTES)
KEEP_JOBS_DAYS = 7

RESOURCES = {
    ImportKind.PEOPLE: PersonResource,
    ImportKind.MEMBERSHIPS: MembershipResource,
    ImportKind.TRAINING: TrainingRecordResource,
}
MODELS = {ImportKind.PEOPLE: Person, ImportKind.MEMBERSHIPS: Membership, ImportKind.TRAINING: TrainingRecord}


def register_import(kind: str, resource_class, model) -> None:
    """Let an app that builds on ``members`` offer its own import through this flow.

    ``members`` must not import the apps above it (DESIGN.md), so they register
    their resource here, from their ``AppConfig.ready()`` (which Celery workers run
    too). The resource builds on :class:`members.resources.SpreadsheetResource`; the
    model declares an ``import_<model>`` permission (see :func:`user_may_import`).
    """
    kind = ImportKind(kind)
    RESOURCES[kind] = resource_class
    MODELS[kind] = model


class FileProblem(ValueError):
    """The file as a whole cannot be read; ``str()`` says what to do about it."""


def may_import(user, kind: str) -> bool:
    return user_may_import(user, MODELS[ImportKind(kind)])


def file_format(file_name: str) -> str:
    suffix = PurePath(file_name or "").suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise FileProblem(
            "Upload a .csv or .xlsx file (a spreadsheet saved as CSV UTF-8, or an Excel workbook)."
        )
    return suffix


def start_import(*, user, kind: str, uploaded_file) -> ImportJob:
    """Keep the file and queue its check. Refuses a user without the import permission."""
    if not may_import(user, kind):
        raise PermissionDenied
    fmt = file_format(uploaded_file.name)
    # Size and content (cms/uploads.py). A CSV's text is read by the check (read_dataset),
    # whose message says how to save a file as UTF-8 from Excel.
    problem = IMPORT_UPLOADS.problem(uploaded_file, content=fmt != "csv")
    if problem:
        raise FileProblem(problem)
    job = ImportJob.objects.create(
        kind=kind,
        created_by=user,
        file_name=PurePath(uploaded_file.name).name[:255],
        file_format=fmt,
        content=uploaded_file.read(),
    )
    from ..tasks import check_import_job

    check_import_job.delay_on_commit(job.pk)
    return job


def read_dataset(content: bytes, fmt: str) -> tablib.Dataset:
    """The file's rows with headings; a :class:`FileProblem` saying why when it can't be read."""
    if fmt == "csv":
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise FileProblem(
                "The file is not UTF-8 text, so names with accents would come out wrong. "
                "In Excel, save it as “CSV UTF-8 (comma delimited)”, or upload the .xlsx workbook."
            ) from None
        if "\x00" in text:
            raise FileProblem("This does not look like a CSV file. Upload a .csv or .xlsx file.")
        loader, source = "csv", text
    else:
        loader, source = "xlsx", io.BytesIO(content)
    try:
        dataset = tablib.Dataset().load(source, format=loader)
    except Exception as error:  # tablib and openpyxl raise many kinds for a damaged file
        logger.info("Unreadable import file: %s", error)
        raise FileProblem(
            f"The file could not be read as {fmt.upper()}. Is it damaged, or another format?"
        ) from None
    if not dataset.headers or all(cell in (None, "") for cell in dataset.headers):
        raise FileProblem("The file is empty: its first row should hold the column headings.")
    if len(dataset) == 0:
        raise FileProblem("The file has headings but no rows to import.")
    if len(dataset) > MAX_ROWS:
        raise FileProblem(f"The file has {len(dataset):,} rows; import at most {MAX_ROWS:,} at a time.")
    return dataset


def prepare(job: ImportJob, resource_class) -> tablib.Dataset:
    """Read the job's file and rename its headings; refuse it if required columns are missing."""
    dataset = read_dataset(bytes(job.content), job.file_format)
    headings, missing, ignored = resource_class.match_headers(dataset.headers)
    if missing:
        raise FileProblem(
            f"The file has no {', '.join(missing)} column. The first row must hold the headings; "
            f"the columns it can have are listed on the upload page."
        )
    if len(set(headings)) != len(headings):
        raise FileProblem("Two columns have the same heading. Keep one of them.")
    dataset.headers = headings
    job.ignored_columns = ignored
    job.total_rows = len(dataset)
    return dataset


def file_error(message: str) -> dict:
    return {"row": 0, "field": "", "message": message}


def progress_key(job_id: int) -> str:
    return f"members:import:{job_id}:rows"


def progress(job: ImportJob) -> int:
    """Rows done so far by the running check or import (or by the last one, once it ended)."""
    if not job.is_running:
        return job.processed_rows
    return max(cache.get(progress_key(job.pk), 0), job.processed_rows)


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def result_message(job: ImportJob) -> str:
    """One sentence on where the job is: what a person reads on the page and hears from the status."""
    summary, problems = job.summary or {}, len(job.errors or [])
    added, updated = summary.get("new", 0), summary.get("updated", 0)
    people = f", and {_plural(summary['people_added'], 'new person')}" if summary.get("people_added") else ""
    people = people.replace("new persons", "new people")
    if job.is_running:
        step = "Importing" if job.status == ImportStatus.IMPORTING else "Checking"
        total = f"{job.total_rows:,}" if job.total_rows else "?"
        return f"{step}: {progress(job):,} of {total} rows done."
    if job.status == ImportStatus.IMPORTED:
        return f"Imported {_plural(job.total_rows, 'row')}: {added:,} added, {updated:,} updated{people}."
    if job.status == ImportStatus.FAILED:
        return f"Nothing was imported: {_plural(problems, 'problem')} to put right in the file."
    if job.status == ImportStatus.INVALID:
        return (
            f"The file cannot be imported yet, and nothing has been changed: "
            f"{_plural(problems, 'problem')} to put right in the file."
        )
    return (
        f"All {_plural(job.total_rows, 'row')} checked: the import will add {added:,} "
        f"and update {updated:,}{people}. Confirm it on this page."
    )


def job_status(job: ImportJob) -> dict:
    """What the job page's script shows while it waits: the rows done and, at the end, the result."""
    return {
        "status": job.status,
        "status_label": job.get_status_display(),
        "running": job.is_running,
        "processed_rows": progress(job),
        "total_rows": job.total_rows,
        "problems": len(job.errors or []),
        "can_confirm": job.can_confirm,
        "message": result_message(job),
    }


def _problems(result) -> list[dict]:
    """Every error of a django-import-export result as ``{row, field, message}``.

    ``row`` is the row number as the spreadsheet shows it (headings are row 1);
    0 for a problem with the file or the import as a whole.
    """
    problems = []
    for error in result.base_errors:
        problems.append(file_error(_error_message(error.error)))
    for number, errors in result.row_errors():
        for error in errors:
            problems.append({"row": number + 1, "field": "", "message": _error_message(error.error)})
    for invalid in result.invalid_rows:
        for field_name, messages in invalid.error_dict.items():
            for message in messages:
                problems.append({"row": invalid.number + 1, "field": field_name, "message": str(message)})
    return sorted(problems, key=lambda problem: (problem["row"], problem["field"]))


def _error_message(error) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(error.messages)
    logger.warning("Import error: %r", error)
    return "The database refused this, so nothing was imported. Please tell the host's data team."


def _run(job: ImportJob, *, dry_run: bool) -> tuple[dict, list[dict]]:
    """Read the file and run the resource over it: (summary, problems).

    A problem with the file as a whole, or a permission lost since the upload, is
    reported as a problem of row 0, like any other.
    """
    try:
        if not may_import(job.created_by, job.kind):
            raise FileProblem("You no longer have permission to import this.")
        resource_class = RESOURCES[ImportKind(job.kind)]
        dataset = prepare(job, resource_class)
    except FileProblem as problem:
        return {}, [file_error(str(problem))]
    # Saved now, outside the import's transaction, so the job page can show "n of total" meanwhile.
    ImportJob.objects.filter(pk=job.pk).update(total_rows=job.total_rows)
    key = progress_key(job.pk)
    cache.set(key, 0, timeout=60 * 60)
    # Every resource_class.progress_every rows. The count goes to the cache, not the job's row: the
    # import runs in one transaction, so its own writes stay invisible to the status page until it ends.
    resource = resource_class(user=job.created_by, on_progress=lambda rows: cache.set(key, rows, 60 * 60))
    result = resource.import_data(
        dataset, dry_run=dry_run, use_transactions=True, rollback_on_validation_errors=True
    )
    cache.set(key, len(dataset), timeout=60 * 60)
    job.processed_rows = len(dataset)
    summary = {
        "new": result.totals.get("new", 0),
        "updated": result.totals.get("update", 0),
    }
    # How many people were new says which emails we already held: only for those who see everyone.
    if resource.counts.get("people_added") and permitted_partnership_ids(job.created_by, "change") is ALL:
        summary["people_added"] = resource.counts["people_added"]
    return summary, _problems(result)


def _claim(job_id: int, from_status: str, to_status: str) -> ImportJob | None:
    """Move a job on only if it is still where we expect it: a job runs once."""
    claimed = ImportJob.objects.filter(pk=job_id, status=from_status).update(
        status=to_status, processed_rows=0, step_started_at=timezone.now()
    )
    if not claimed:
        return None
    return ImportJob.objects.select_related("created_by").get(pk=job_id)


def check_import(job_id: int) -> ImportJob | None:
    """Rehearse the import and record every problem; nothing is kept."""
    job = _claim(job_id, ImportStatus.UPLOADED, ImportStatus.CHECKING)
    if job is None:
        return None
    job.summary, job.errors = _run(job, dry_run=True)
    job.status = ImportStatus.INVALID if job.errors else ImportStatus.CHECKED
    job.checked_at = timezone.now()
    job.save()
    return job


def confirm_import(*, job: ImportJob, user) -> ImportJob:
    """Queue the import of a file that checked clean. Only its uploader may confirm it."""
    if job.created_by_id != user.pk or not may_import(user, job.kind):
        raise PermissionDenied
    if not job.can_confirm:
        raise ValidationError("Only a file that was checked without errors can be imported.")
    claimed = _claim(job.pk, ImportStatus.CHECKED, ImportStatus.IMPORTING)
    if claimed is None:
        raise ValidationError("This file is already being imported.")
    from ..tasks import run_import_job

    run_import_job.delay_on_commit(job.pk)
    return claimed


def run_import(job_id: int) -> ImportJob | None:
    """Import a confirmed file in one transaction: all of it, or none of it.

    The data may have changed since the check, so every row is checked again; any
    problem rolls everything back and is recorded for the uploader to read.
    """
    jobs = ImportJob.objects.select_related("created_by")
    job = jobs.filter(pk=job_id, status=ImportStatus.IMPORTING).first()
    if job is None:
        return None
    started = time.perf_counter()
    try:
        job.summary, job.errors = _run(job, dry_run=False)
    except Exception:
        logger.exception("Import %s failed", job_id)
        job.summary = {}
        job.errors = [file_error("The import stopped unexpectedly; nothing was imported.")]
    job.seconds = time.perf_counter() - started
    job.finished_at = timezone.now()
    if job.errors:
        job.status = ImportStatus.FAILED
    else:
        job.status = ImportStatus.IMPORTED
        job.content = b""  # personal data: not kept once it is where it belongs
        forget_compliance()  # imported in bulk, without signals: the counts follow the new rows
    job.save()
    return job


def purge_old_imports(now=None) -> int:
    """Delete import jobs (and the files they hold) older than a week."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=KEEP_JOBS_DAYS)
    deleted, _ = ImportJob.objects.filter(created_at__lt=cutoff).delete()
    return deleted

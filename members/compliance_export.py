"""Compliance report exports (CSV, XLSX) made in the background, for host-wide reports that take seconds.

A job is a cache entry keyed by a random id: who asked (only they may see or download
it), the format, the query string of the report's filters, and how far it has got.
The file goes to the private storage under ``compliance-exports/`` and is deleted
when downloaded or, at the latest, by the daily purge a day after it was made. No
model, no migration: a job lost from the cache is simply gone (404), and asked again.
"""

from __future__ import annotations

import datetime
import io
import secrets

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.http import HttpRequest, QueryDict
from django.urls import reverse
from django.utils import timezone

FORMATS = ("csv", "xlsx")
JOB_LIFETIME = datetime.timedelta(hours=24)
FOLDER = "compliance-exports"
PROGRESS_EVERY = 500  # rows between progress updates in the cache


def _key(job_id: str) -> str:
    return f"compliance-export:{job_id}"


def _save(job_id: str, job: dict) -> None:
    cache.set(_key(job_id), job, int(JOB_LIFETIME.total_seconds()))


def start_export(user, query: str, export_format: str) -> str:
    """Queue an export of the report as ``user`` sees it with ``query``'s filters; returns the job id."""
    from .tasks import make_compliance_export

    if export_format not in FORMATS:
        raise ValueError(f"Unknown export format {export_format!r}")
    job_id = secrets.token_urlsafe(24)
    _save(
        job_id,
        {
            "owner": user.pk,
            "format": export_format,
            "query": query,
            "status": "queued",
            "done": 0,
            "total": 0,
        },
    )
    make_compliance_export.delay(job_id)
    return job_id


def job_for(user, job_id: str) -> dict | None:
    """The job if ``user`` asked for it; None for anyone else, or once it has gone."""
    job = cache.get(_key(job_id))
    if job is None or not user.is_authenticated or job["owner"] != user.pk:
        return None
    return job


def _report_view(user, query: str):
    from .compliance_report_views import ComplianceReportView

    request = HttpRequest()
    request.method, request.path = "GET", reverse("compliance_report:index")
    request.GET = QueryDict(query)
    request.user = user
    view = ComplianceReportView()
    view.setup(request)
    return view


def export_content(user, query: str, export_format: str, progress=None) -> bytes:
    """The file the report's own export gives ``user`` for ``query``, made the same way."""
    view = _report_view(user, query)
    rows = view.get_filtered_queryset()
    total = len(rows)

    def counted():
        for done, row in enumerate(rows, start=1):
            if progress and done % PROGRESS_EVERY == 0:
                progress(done, total)
            yield row

    if export_format == "csv":
        content = b"".join(view.stream_csv(counted()))
    else:
        output = io.BytesIO()
        view.write_xlsx(counted(), output)
        content = output.getvalue()
    if progress:
        progress(total, total)
    return content


def run_export(job_id: str) -> str | None:
    """Make the job's file; returns its storage name (None when the job has gone)."""
    from django.contrib.auth import get_user_model

    job = cache.get(_key(job_id))
    if job is None:
        return None
    user = get_user_model().objects.get(pk=job["owner"])

    def progress(done, total):
        _save(job_id, {**job, "status": "running", "done": done, "total": total})

    progress(0, 0)
    try:
        content = export_content(user, job["query"], job["format"], progress)
    except Exception:
        _save(job_id, {**job, "status": "failed"})
        raise
    name = storages["private"].save(f"{FOLDER}/{job_id}.{job['format']}", ContentFile(content))
    latest = cache.get(_key(job_id)) or job
    _save(job_id, {**latest, "status": "done", "file": name, "done": latest.get("total", 0)})
    return name


def take_file(job_id: str, job: dict) -> bytes:
    """The finished file's bytes; the file is deleted as it is handed over (one download)."""
    storage = storages["private"]
    with storage.open(job["file"], "rb") as handle:
        content = handle.read()
    storage.delete(job["file"])
    _save(job_id, {**job, "status": "downloaded", "file": None})
    return content


def purge_old_exports(*, now: datetime.datetime | None = None) -> int:
    """Delete export files made over a day ago (never downloaded); returns how many."""
    storage = storages["private"]
    now = now or timezone.now()
    try:
        _, names = storage.listdir(FOLDER)
    except FileNotFoundError:
        return 0
    deleted = 0
    for name in names:
        path = f"{FOLDER}/{name}"
        if now - storage.get_modified_time(path) > JOB_LIFETIME:
            storage.delete(path)
            deleted += 1
    return deleted

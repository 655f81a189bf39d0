"""Background exports of the compliance report: start one, follow it, download it (its asker only).

Anyone else who has the job's address gets 404, as for a job that does not exist.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import compliance_export
from .compliance_report_views import COMPLIANCE_PERMISSION

CONTENT_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class ExportJobMixin:
    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(COMPLIANCE_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_job(self):
        job = compliance_export.job_for(self.request.user, self.kwargs["job_id"])
        if job is None:
            raise Http404
        return job


class StartExportView(ExportJobMixin, View):
    def get(self, request, export_format):
        if export_format not in compliance_export.FORMATS:
            raise Http404
        query = request.GET.copy()
        query.pop("export", None)
        query.pop("p", None)
        job_id = compliance_export.start_export(request.user, query.urlencode(), export_format)
        return redirect("compliance_report:export_job", job_id=job_id)


def job_message(job) -> str:
    if job["status"] == "failed":
        return "The export failed. Ask for it again; if it fails again, tell the host's administrator."
    if job["status"] in ("done", "downloaded"):
        return "The file is ready."
    if job["total"]:
        return f"{job['done']:,} of {job['total']:,} rows written."
    return "Waiting to start."


def is_running(job) -> bool:
    return job["status"] in ("queued", "running")


class ExportJobView(ExportJobMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "members/admin/reports/compliance_export_job.html"
    page_title = "Compliance export"
    header_icon = "download"

    def get_context_data(self, **kwargs):
        job = self.get_job()
        job_id = self.kwargs["job_id"]
        return super().get_context_data(
            job=job,
            running=is_running(job),
            message=job_message(job),
            status_url=reverse("compliance_report:export_status", args=[job_id]),
            download_url=reverse("compliance_report:export_download", args=[job_id]),
            report_url=reverse("compliance_report:index") + (f"?{job['query']}" if job["query"] else ""),
            **kwargs,
        )

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("compliance_report:index"), "label": "Compliance"},
            {"url": "", "label": "Export"},
        ]


class ExportStatusView(ExportJobMixin, View):
    """The job's progress as JSON, in the shape members/js/import_progress.js reads."""

    def get(self, request, job_id):
        job = self.get_job()
        return JsonResponse(
            {
                "running": is_running(job),
                "status": job["status"],
                "processed_rows": job["done"],
                "total_rows": job["total"],
                "message": job_message(job),
            }
        )


class ExportDownloadView(ExportJobMixin, View):
    def get(self, request, job_id):
        job = self.get_job()
        if job["status"] != "done":
            raise Http404
        try:
            content = compliance_export.take_file(job_id, job)
        except FileNotFoundError:  # purged meanwhile
            raise Http404 from None
        response = HttpResponse(content, content_type=CONTENT_TYPES[job["format"]])
        response["Content-Disposition"] = f'attachment; filename="compliance.{job["format"]}"'
        return response

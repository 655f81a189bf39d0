"""Admin screens of a spreadsheet import: upload, then a page that follows the job.

The job page shows progress while Celery checks or imports the file, then the
preview: every problem by row and column, or what the import will add and change,
with the button that confirms it. A job belongs to its uploader; anyone else gets 404.
All decisions are in :mod:`members.services.imports`.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView, View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .admin_forms import ImportUploadForm
from .enums import ImportKind
from .models import ImportJob
from .services.imports import (
    MAX_ROWS,
    RESOURCES,
    FileProblem,
    confirm_import,
    job_status,
    may_import,
    progress,
    result_message,
    start_import,
)

SHOWN_PROBLEMS = 500


class ImportViewMixin(WagtailAdminTemplateMixin):
    """Shared by both screens: the kind of import comes from the viewset's URLs."""

    kind: str = ""
    url_namespace: str = ""
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        if not may_import(request.user, self.kind):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Import {ImportKind(self.kind).label.lower()}"

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse(f"{self.url_namespace}:index"), "label": ImportKind(self.kind).label},
            {"url": "", "label": self.get_page_title()},
        ]


class ImportUploadView(ImportViewMixin, FormView):
    template_name = "members/admin/import_upload.html"
    form_class = ImportUploadForm

    def get_context_data(self, **kwargs):
        resource_class = RESOURCES[ImportKind(self.kind)]
        return super().get_context_data(columns=resource_class.columns, max_rows=MAX_ROWS, **kwargs)

    def form_valid(self, form):
        try:
            job = start_import(
                user=self.request.user, kind=self.kind, uploaded_file=form.cleaned_data["file"]
            )
        except FileProblem as problem:
            form.add_error("file", str(problem))
            return self.form_invalid(form)
        return redirect(f"{self.url_namespace}:import_job", pk=job.pk)


class OwnJobMixin:
    """The job of the URL, if the user uploaded it and it is of this screen's kind; 404 otherwise."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        jobs = ImportJob.objects.for_user(request.user)
        self.job = get_object_or_404(jobs, pk=kwargs["pk"], kind=self.kind)


class ImportJobView(OwnJobMixin, ImportViewMixin, TemplateView):
    template_name = "members/admin/import_job.html"

    def get_page_subtitle(self):
        return self.job.file_name

    def get_context_data(self, **kwargs):
        job = self.job
        headings = {column.name: column.heading for column in RESOURCES[ImportKind(self.kind)].columns}
        headings["partnership"] = headings.get("mnvp", "MNVP")
        return super().get_context_data(
            job=job,
            rows_done=progress(job) if job.is_running else job.total_rows,
            message=result_message(job),
            status_url=reverse(f"{self.url_namespace}:import_status", args=[job.pk]),
            problems=[
                {**problem, "column": headings.get(problem["field"], problem["field"])}
                for problem in job.errors[:SHOWN_PROBLEMS]
            ],
            more_problems=max(len(job.errors) - SHOWN_PROBLEMS, 0),
            index_url=reverse(f"{self.url_namespace}:index"),
            upload_url=reverse(f"{self.url_namespace}:import"),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        try:
            confirm_import(job=self.job, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(f"{self.url_namespace}:import_job", pk=self.job.pk)


class ImportStatusView(OwnJobMixin, ImportViewMixin, View):
    """The job's progress as JSON, for the job page's script to poll (``members/js/import_progress.js``)."""

    def get(self, request, *args, **kwargs):
        return JsonResponse(job_status(self.job))  # the admin marks every response never_cache

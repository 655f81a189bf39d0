"""The annual report of an MNVP for a financial year, on screen and as PDFs, and its evidence pack.

Who may see it: whoever may view workplans (host staff, MNVP leads, ICB
commissioners), for the MNVPs in their scope. Another MNVP answers 404, as if it
did not exist; someone without the permission gets Wagtail's usual refusal.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from members.models import Partnership

from .annual_report import annual_report, evidence_pack
from .annual_report_pdf import annual_report_pdf, evidence_pack_pdf
from .models import EngagementActivity, Workplan
from .models.plans import financial_year_label, financial_year_of

ANNUAL_REPORT_PERMISSION = "workplans.view_workplan"
EARLIEST_YEAR = 2020


class MNVPYearAccessMixin:
    """A document of one MNVP for one financial year (``pk`` and ``year`` in the URL).

    The model permission first, then the MNVP through the user's scope (404 outside
    it), and a year the product can speak of (404 otherwise).
    """

    permission = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def partnership(self) -> Partnership:
        return get_object_or_404(
            Partnership.objects.for_user(self.request.user, "view"), pk=self.kwargs["pk"]
        )

    @cached_property
    def year(self) -> int:
        year = self.kwargs["year"]
        if not EARLIEST_YEAR <= year <= financial_year_of(timezone.localdate()) + 1:
            raise Http404
        return year


class AnnualReportAccessMixin(MNVPYearAccessMixin):
    permission = ANNUAL_REPORT_PERMISSION


class AnnualReportIndexView(AnnualReportAccessMixin, WagtailAdminTemplateMixin, TemplateView):
    """The user's MNVPs, each with the years it has a report for."""

    template_name = "workplans/admin/annual_report_index.html"
    page_title = "Annual reports"
    header_icon = "doc-full"

    def get_context_data(self, **kwargs):
        partnerships = list(Partnership.objects.for_user(self.request.user, "view").order_by("name"))
        ids = [p.pk for p in partnerships]
        current = financial_year_of(timezone.localdate())
        years: dict[int, set[int]] = {p.pk: {current} for p in partnerships}
        for partnership_id, year in Workplan.objects.filter(partnership__in=ids).values_list(
            "partnership", "year"
        ):
            years[partnership_id].add(year)
        activity_days = EngagementActivity.objects.filter(partnership__in=ids).values_list(
            "partnership", "held_on"
        )
        for partnership_id, held_on in activity_days.order_by().distinct():
            years[partnership_id].add(financial_year_of(held_on))
        rows = [
            (
                partnership,
                [
                    (
                        financial_year_label(year),
                        reverse("annual_reports:report", args=[partnership.pk, year]),
                    )
                    for year in sorted(years[partnership.pk], reverse=True)
                    if year >= EARLIEST_YEAR
                ],
            )
            for partnership in partnerships
        ]
        return super().get_context_data(rows=rows, **kwargs)


class AnnualReportView(AnnualReportAccessMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "workplans/admin/annual_report.html"
    header_icon = "doc-full"

    def get_page_title(self):
        return f"Annual report {financial_year_label(self.year)}"

    def get_page_subtitle(self):
        return self.partnership.name

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("annual_reports:index"), "label": "Annual reports"},
            {"url": "", "label": f"{self.partnership.name} {financial_year_label(self.year)}"},
        ]

    def get_context_data(self, **kwargs):
        report = annual_report(user=self.request.user, partnership=self.partnership, year=self.year)
        largest_kind = max((line.people_heard for line in report.by_kind), default=0)
        return super().get_context_data(
            report=report,
            largest_kind=largest_kind,
            pdf_url=reverse("annual_reports:pdf", args=[self.partnership.pk, self.year]),
            evidence_url=reverse("annual_reports:evidence_pdf", args=[self.partnership.pk, self.year]),
            previous_url=reverse("annual_reports:report", args=[self.partnership.pk, self.year - 1])
            if self.year > EARLIEST_YEAR
            else "",
            **kwargs,
        )


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # A report of one MNVP's work: never kept by a shared cache.
    response["Cache-Control"] = "private, no-store"
    return response


class AnnualReportPDFView(AnnualReportAccessMixin, View):
    def get(self, request, *args, **kwargs):
        report = annual_report(user=request.user, partnership=self.partnership, year=self.year)
        filename = f"{self.partnership.slug}-annual-report-{self.year}-{str(self.year + 1)[-2:]}.pdf"
        return _pdf_response(annual_report_pdf(report), filename)


class EvidencePackPDFView(AnnualReportAccessMixin, View):
    def get(self, request, *args, **kwargs):
        evidence = evidence_pack(user=request.user, partnership=self.partnership, year=self.year)
        label = financial_year_label(self.year)
        filename = f"{self.partnership.slug}-mis-evidence-{self.year}-{str(self.year + 1)[-2:]}.pdf"
        return _pdf_response(evidence_pack_pdf(evidence, self.partnership.name, label), filename)

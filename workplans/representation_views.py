"""Reports → Representation: meetings attended against expected, missed quoracy, outcomes."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils import timezone
from django.utils.functional import cached_property

from members.admin_views import FormulaSafeExportMixin
from members.report_views import MNVPReportView, ReportPartnershipFilterSet

from .models.plans import financial_year_label, financial_year_of
from .representation import representation_report

REPRESENTATION_PERMISSION = "workplans.view_meeting"


class RepresentationFilterSet(ReportPartnershipFilterSet):
    year = django_filters.NumberFilter(
        label="Financial year starting",
        method="keep_all",
        widget=forms.NumberInput(attrs={"min": 2020, "max": 2100}),
        help_text="2026 for 2026/27. Empty: the current financial year.",
    )


class RepresentationReportView(FormulaSafeExportMixin, MNVPReportView):
    """Per MNVP (in the user's scope) and across the host, one financial year."""

    page_title = "Representation"
    header_icon = "group"
    template_name = "workplans/admin/reports/representation.html"
    results_template_name = "workplans/admin/reports/representation_results.html"
    index_url_name = "workplans_representation:index"
    index_results_url_name = "workplans_representation:results"
    filterset_class = RepresentationFilterSet
    permission_name = REPRESENTATION_PERMISSION
    export_filename = "representation"
    list_export = [
        "mnvp",
        "year",
        "committee",
        "expected",
        "expected_to_date",
        "recorded",
        "attended",
        "missed",
    ]
    export_headings = {
        "mnvp": "MNVP",
        "year": "Financial year",
        "committee": "Committee",
        "expected": "Expected in the year",
        "expected_to_date": "Expected to date",
        "recorded": "Meetings recorded",
        "attended": "Meetings attended",
        "missed": "Quorate meetings missed for want of a service user",
    }

    @cached_property
    def year(self) -> int:
        # The filter gives a Decimal; a year out of any sensible range falls back to this one.
        year = self.filter_value("year")
        if year is None or not 2000 <= year <= 2100:
            return financial_year_of(timezone.localdate())
        return int(year)

    def build_report(self):
        return representation_report(
            self.request.user, year=self.year, partnership=self.filter_value("partnership")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(year_label=financial_year_label(self.year), **kwargs)

    def export_rows(self):
        label = financial_year_label(self.year)
        return [
            {
                "mnvp": mnvp.name,
                "year": label,
                "committee": line.name,
                "expected": line.expected,
                "expected_to_date": line.expected_to_date,
                "recorded": line.recorded,
                "attended": line.attended,
                "missed": line.missed,
            }
            for mnvp in self.report.mnvps
            for line in mnvp.lines
        ]

"""The "Workplan progress" report: milestones by status and RAG per MNVP, overdue items, recent updates.

Built like the members reports (:mod:`members.report_views`): the MNVP filter offers
only the user's MNVPs, a choice outside them shows nothing, and the selector reads
the user's scope anyway. Host staff see every MNVP, a lead their own, an ICB
commissioner those they commission (read only: nothing here changes anything).
"""

from __future__ import annotations

import django_filters
from django.utils import timezone

from members.admin_views import FormulaSafeExportMixin
from members.report_views import MNVPReportView, ReportPartnershipFilterSet

from .models.plans import financial_year_label, financial_year_of
from .progress import workplan_progress

PROGRESS_PERMISSION = "workplans.view_milestone"


def year_choices():
    """This financial year first (the report's default, shown as chosen), then next year, then past ones."""
    current = financial_year_of(timezone.localdate())
    years = [current, current + 1, *range(current - 1, current - 5, -1)]
    return [(year, financial_year_label(year)) for year in years]


class ProgressFilterSet(ReportPartnershipFilterSet):
    # No empty choice: the report is always of one year, this one unless another is chosen.
    year = django_filters.ChoiceFilter(
        label="Financial year", choices=year_choices, method="keep_all", empty_label=None
    )


class WorkplanProgressView(FormulaSafeExportMixin, MNVPReportView):
    page_title = "Workplan progress"
    header_icon = "list-ul"
    template_name = "workplans/admin/reports/progress.html"
    results_template_name = "workplans/admin/reports/progress_results.html"
    index_url_name = "workplan_progress:index"
    index_results_url_name = "workplan_progress:results"
    filterset_class = ProgressFilterSet
    permission_name = PROGRESS_PERMISSION
    export_filename = "workplan-progress"
    list_export = ["mnvp", "year", "measure", "value", "count"]
    export_headings = {
        "mnvp": "MNVP",
        "year": "Year",
        "measure": "Measure",
        "value": "Value",
        "count": "Milestones",
    }

    def build_report(self):
        today = timezone.localdate()
        return workplan_progress(
            self.request.user,
            year=int(self.filter_value("year") or financial_year_of(today)),
            today=today,
            partnership=self.filter_value("partnership"),
        )

    def export_rows(self):
        report = self.report
        rows = []
        for mnvp in report.mnvps:
            for measure, tallies in (("Status", mnvp.status_tallies), ("RAG", mnvp.rag_tallies)):
                rows += [
                    {
                        "mnvp": mnvp.name,
                        "year": report.year_label,
                        "measure": measure,
                        "value": tally.label,
                        "count": tally.count,
                    }
                    for tally in tallies
                ]
            rows.append(
                {
                    "mnvp": mnvp.name,
                    "year": report.year_label,
                    "measure": "Overdue",
                    "value": "",
                    "count": mnvp.overdue,
                }
            )
        return rows

"""The compliance report screen: who lapses soon and who is missing what, with its exports.

Built like the other reports (:mod:`members.report_views`): the MNVP filter offers
only the user's MNVPs, a choice outside them shows the refusal and no rows, and
the selector (:func:`members.compliance_report.compliance_report`) narrows to the
user's scope whatever it is asked. Unlike the aggregate reports, this one lists
rows, so the table is paginated and the CSV and XLSX exports hold every row the
filters keep, with formula-like cells neutralised.
"""

from __future__ import annotations

import django_filters
from django.urls import reverse
from django.utils.functional import cached_property

from .admin_views import FormulaSafeExportMixin
from .compliance_report import LAPSES_WITHIN_CHOICES, compliance_report
from .enums import ComplianceState, MembershipRole
from .models import Course
from .report_views import MNVPReportView, ReportPartnershipFilterSet

COMPLIANCE_PERMISSION = "members.view_compliance_report"


def required_courses(request):
    return Course.objects.filter(required_by__isnull=False).distinct()


class ComplianceFilterSet(ReportPartnershipFilterSet):
    # Labels given: the filterset's model (Partnership) has no such fields to name them ("[invalid name]").
    state = django_filters.ChoiceFilter(label="State", choices=ComplianceState.choices, method="keep_all")
    lapses_within = django_filters.ChoiceFilter(
        label="Lapses within",
        choices=[(str(days), f"the next {days} days") for days in LAPSES_WITHIN_CHOICES],
        empty_label="Any time",
        method="keep_all",
    )
    role = django_filters.ChoiceFilter(label="Role", choices=MembershipRole.choices, method="keep_all")
    course = django_filters.ModelChoiceFilter(
        label="Missing course", queryset=required_courses, empty_label="Any course", method="keep_all"
    )


class ComplianceReportView(FormulaSafeExportMixin, MNVPReportView):
    """Current members of the user's MNVPs with their compliance: counts per state and a table."""

    page_title = "Compliance"
    header_icon = "tick-inverse"
    template_name = "members/admin/reports/compliance.html"
    results_template_name = "members/admin/reports/compliance_results.html"
    index_url_name = "compliance_report:index"
    index_results_url_name = "compliance_report:results"
    filterset_class = ComplianceFilterSet
    permission_name = COMPLIANCE_PERMISSION
    paginate_by = 50
    export_filename = "compliance"
    list_export = ["name", "email", "mnvp", "role_labels", "state_label", "reasons_text", "next_expiry"]
    export_headings = {
        "name": "Name",
        "email": "Email",
        "mnvp": "MNVP",
        "role_labels": "Roles",
        "state_label": "State",
        "reasons_text": "Reasons",
        "next_expiry": "Next expiry",
    }

    @cached_property
    def choices_valid(self) -> bool:
        """Only a refused MNVP refuses the report; another bad value (a crafted URL) is ignored."""
        return (
            self.filters is None or self.filters.is_valid() or "partnership" not in self.filters.form.errors
        )

    def build_report(self):
        value = self.filter_value
        return compliance_report(
            self.request.user,
            partnership=value("partnership"),
            state=value("state") or None,
            lapses_within=int(value("lapses_within") or 0) or None,
            role=value("role") or None,
            course=value("course"),
        )

    def export_rows(self):
        return self.report.rows

    def get_export_url(self, format):
        """The Download buttons start a background export (members.compliance_export)."""
        params = self.request.GET.copy()
        params.pop("export", None)
        params.pop("p", None)
        url = reverse("compliance_report:export_start", args=[format])
        return f"{url}?{params.urlencode()}" if params else url

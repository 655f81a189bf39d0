"""Admin report screens: the recruitment funnel and equality monitoring.

Both build on Wagtail's ``ReportView`` (a filtered listing with spreadsheet export,
https://docs.wagtail.org/en/stable/extending/adding_reports.html) but render a
report object from :mod:`members.reports` rather than a page of rows. The MNVP
filter offers only the user's MNVPs; a choice outside them makes the filter invalid
and the report shows nothing, and the selectors narrow to the user's scope anyway.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import PermissionDenied
from django.utils.functional import cached_property
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.reports import ReportView

from cms.forms import DateInput

from .admin_views import FormulaSafeExportMixin
from .filters import partnerships_for_request
from .funnel_cache import cached_recruitment_funnel
from .models import Partnership
from .reports import equality_report

FUNNEL_PERMISSION = "members.view_application"
EQUALITY_PERMISSION = "members.view_equality_report"


class ReportPartnershipFilterSet(WagtailFilterSet):
    partnership = django_filters.ModelChoiceFilter(
        label="MNVP",
        queryset=partnerships_for_request,
        empty_label="All my MNVPs",
        method="keep_all",
    )

    class Meta:
        # django-filter needs a model; the report reads the cleaned choices, not a filtered queryset.
        model = Partnership
        fields = []

    def keep_all(self, queryset, name, value):
        # The report reads the cleaned choice itself; nothing to filter here.
        return queryset


class FunnelFilterSet(ReportPartnershipFilterSet):
    since = django_filters.DateFilter(label="Submitted on or after", method="keep_all", widget=DateInput())


class MNVPReportView(ReportView):
    """A report of aggregates for the MNVPs the user may see, behind one model permission."""

    permission_name: str = ""
    paginate_by = None
    filterset_class = ReportPartnershipFilterSet

    def dispatch(self, request, *args, **kwargs):
        # Wagtail's admin URL decorator turns PermissionDenied into its usual redirect.
        if not request.user.has_perm(self.permission_name):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def choices_valid(self) -> bool:
        """False when the query string asks for something the filter refuses (another MNVP)."""
        return self.filters is None or self.filters.is_valid()

    def filter_value(self, name):
        if not self.filters or not self.choices_valid:
            return None
        return self.filters.form.cleaned_data.get(name)

    def build_report(self):
        raise NotImplementedError

    @cached_property
    def report(self):
        return self.build_report() if self.choices_valid else None

    def export_rows(self) -> list[dict]:
        return []

    def get_filtered_queryset(self):
        return self.export_rows() if self.report is not None else []

    def get_context_data(self, **kwargs):
        return super().get_context_data(report=self.report, choices_valid=self.choices_valid, **kwargs)


class RecruitmentFunnelView(FormulaSafeExportMixin, MNVPReportView):
    """Applications per stage for each MNVP and in total, as bars and as a table."""

    page_title = "Recruitment funnel"
    header_icon = "user"
    template_name = "members/admin/reports/recruitment_funnel.html"
    results_template_name = "members/admin/reports/recruitment_funnel_results.html"
    index_url_name = "members_reports:recruitment_funnel"
    index_results_url_name = "members_reports:recruitment_funnel_results"
    filterset_class = FunnelFilterSet
    permission_name = FUNNEL_PERMISSION
    export_filename = "recruitment-funnel"
    list_export = ["mnvp", "stage", "count", "reached", "median_days", "mean_days"]
    export_headings = {
        "mnvp": "MNVP",
        "stage": "Stage",
        "count": "In stage now",
        "reached": "Reached stage",
        "median_days": "Median days in stage",
        "mean_days": "Mean days in stage",
    }

    def build_report(self):
        return cached_recruitment_funnel(
            self.request.user, partnership=self.filter_value("partnership"), since=self.filter_value("since")
        )

    def export_rows(self):
        report = self.report
        funnels = [*report.funnels, report.total] if len(report.funnels) > 1 else report.funnels
        return [
            {
                "mnvp": funnel.name,
                "stage": stage.label,
                "count": stage.count,
                "reached": stage.reached,
                "median_days": stage.median_days,
                "mean_days": stage.mean_days,
            }
            for funnel in funnels
            for stage in funnel.stages
        ]


class EqualityReportView(MNVPReportView):
    """Current members' equality answers beside the reference population, small numbers hidden."""

    page_title = "Equality monitoring"
    header_icon = "group"
    template_name = "members/admin/reports/equality.html"
    results_template_name = "members/admin/reports/equality_results.html"
    index_url_name = "members_reports:equality"
    index_results_url_name = "members_reports:equality_results"
    permission_name = EQUALITY_PERMISSION
    list_export = []  # aggregates of special-category data: read on screen, not downloaded

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.is_export = False

    @property
    def show_export_buttons(self):
        return False

    def build_report(self):
        return equality_report(self.request.user, partnership=self.filter_value("partnership"))

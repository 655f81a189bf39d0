"""Feedback screens beyond the generic ones: the item's page with its suggested themes and
tagging, and the theme analysis report.

Tagging goes through :func:`workplans.services.feedback.tag_feedback`; an item outside
the user's MNVPs answers 404, one they may see but not change 403.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from wagtail.admin import messages

from members.admin_views import FormulaSafeExportMixin, ScopedInspectView
from members.report_views import MNVPReportView, ReportPartnershipFilterSet
from members.scoping import user_can

from .feedback_report import financial_year_quarters, last_quarters, theme_report
from .models import FeedbackItem, FeedbackTheme
from .services.feedback import keyword_themes, suggestions_for, tag_feedback

THEME_REPORT_PERMISSION = "workplans.view_feedbackitem"


class FeedbackInspectView(ScopedInspectView):
    template_name = "workplans/admin/feedback_inspect.html"

    def get_fields(self):
        return ["partnership", "received_on", "source", "service_area", "sentiment", "activity", "created_by"]

    def get_context_data(self, **kwargs):
        item, user = self.object, self.request.user
        may_tag = user.has_perm("workplans.change_feedbackitem") and user_can(user, "change", item)
        themes = list(FeedbackTheme.objects.filter(active=True).select_related("parent"))
        tagged = {theme.pk for theme in item.themes.all()}
        return super().get_context_data(
            item=item,
            item_themes=list(item.themes.select_related("parent")),
            suggested=suggestions_for(item, [t for t in themes if t.keywords]) if may_tag else [],
            all_themes=sorted(themes, key=str),
            tagged=tagged,
            may_tag=may_tag,
            tag_url=reverse("feedback_items:tag", args=[item.pk]),
            **kwargs,
        )


class TagForm(forms.Form):
    accept = forms.ModelChoiceField(queryset=FeedbackTheme.objects.filter(active=True), required=False)
    accept_all = forms.BooleanField(required=False)
    themes = forms.ModelMultipleChoiceField(
        queryset=FeedbackTheme.objects.filter(active=True), required=False
    )


class TagFeedbackView(View):
    """POST: accept one suggested theme, all of them, or set the item's themes by hand."""

    http_method_names = ["post"]

    def post(self, request, pk):
        user = request.user
        item = get_object_or_404(FeedbackItem.objects.for_user(user, "view"), pk=pk)
        if not (user.has_perm("workplans.change_feedbackitem") and user_can(user, "change", item)):
            raise PermissionDenied
        form = TagForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose themes that are in use.")
            return redirect("feedback_items:inspect", pk=item.pk)
        try:
            if form.cleaned_data["accept"]:
                tag_feedback(item=item, themes=[form.cleaned_data["accept"]], acting_user=user, replace=False)
                messages.success(request, f"Tagged “{form.cleaned_data['accept']}”.")
            elif form.cleaned_data["accept_all"]:
                suggested = suggestions_for(item, keyword_themes())
                tag_feedback(item=item, themes=suggested, acting_user=user, replace=False)
                messages.success(request, f"Accepted {len(suggested)} suggested themes.")
            else:
                tag_feedback(item=item, themes=form.cleaned_data["themes"], acting_user=user)
                messages.success(request, "Themes saved.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("feedback_items:inspect", pk=item.pk)


def year_choices():
    current = last_quarters(1)[0].year
    return [(str(year), f"{year}/{(year + 1) % 100:02d}") for year in range(current, current - 5, -1)]


class ThemeReportFilterSet(ReportPartnershipFilterSet):
    year = django_filters.ChoiceFilter(
        label="Financial year",
        choices=year_choices,
        empty_label="The last four quarters",
        method="keep_all",
    )


class ThemeReportView(FormulaSafeExportMixin, MNVPReportView):
    """Counts of themes per MNVP per quarter, small numbers hidden, each count a link to its items."""

    page_title = "Themes"
    header_icon = "tag"
    template_name = "workplans/admin/reports/themes.html"
    results_template_name = "workplans/admin/reports/themes_results.html"
    index_url_name = "theme_report:index"
    index_results_url_name = "theme_report:results"
    filterset_class = ThemeReportFilterSet
    permission_name = THEME_REPORT_PERMISSION
    export_filename = "feedback-themes"
    list_export = ["mnvp", "theme", "quarter", "count"]
    export_headings = {"mnvp": "MNVP", "theme": "Theme", "quarter": "Quarter", "count": "Items"}

    def build_report(self):
        year = self.filter_value("year")
        quarters = financial_year_quarters(int(year)) if year else None
        return theme_report(
            self.request.user, partnership=self.filter_value("partnership"), quarters=quarters
        )

    def export_rows(self):
        # Suppressed counts go out as "fewer than 5", as on screen.
        return [
            {
                "mnvp": block.partnership.name,
                "theme": str(row.theme),
                "quarter": cell.quarter.label,
                "count": cell.display_count,
            }
            for block in self.report.partnerships
            for row in block.rows
            for cell in row.cells
        ]

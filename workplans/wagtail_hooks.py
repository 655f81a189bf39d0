"""Admin registration for workplans: policies first, then the viewsets, reports and log actions.

One "Workplans" menu group (:class:`WorkplansViewSetGroup`); each area adds its
viewsets to its ``items``.
"""

from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup

from members.permissions import register_scoped_policy

from .models import Milestone, MilestoneUpdate, Objective, Workplan, WorkplanSignOff

# Policies first: Wagtail refuses a custom policy once a viewset has made a fallback.
for model in (Workplan, WorkplanSignOff, Objective, Milestone, MilestoneUpdate):
    register_scoped_policy(model)

from .viewsets.plans import MilestoneViewSet, ObjectiveViewSet, WorkplanViewSet  # noqa: E402


class WorkplansViewSetGroup(ViewSetGroup):
    menu_label = "Workplans"
    menu_icon = "list-ul"
    menu_order = 300
    # Viewsets registered on their own (activities, below) join this menu through this hook.
    submenu_hook = "register_workplans_menu_item"
    items = (
        WorkplanViewSet("workplans"),
        ObjectiveViewSet("objectives"),
        MilestoneViewSet("milestones"),
    )


@hooks.register("register_admin_viewset")
def register_workplans_viewsets():
    return WorkplansViewSetGroup()


@hooks.register("insert_global_admin_css")
def workplans_css():
    # Status and RAG tags appear in listings as well as on the workplan's own pages.
    return format_html('<link rel="stylesheet" href="{}">', static("workplans/workplans.css"))


# --- Workplan progress report, under Reports ---


@hooks.register("register_admin_urls")
def register_progress_report_urls():
    from django.urls import include, path

    from .progress_views import WorkplanProgressView

    urls = [
        path("", WorkplanProgressView.as_view(), name="index"),
        path("results/", WorkplanProgressView.as_view(results_only=True), name="results"),
    ]
    return [path("workplan-progress/", include((urls, "workplan_progress"), namespace="workplan_progress"))]


@hooks.register("register_reports_menu_item")
def register_progress_report_menu_item():
    from members.wagtail_hooks import PermissionMenuItem

    from .progress_views import PROGRESS_PERMISSION

    return PermissionMenuItem(
        "Workplan progress",
        reverse("workplan_progress:index"),
        name="workplan-progress",
        icon_name="list-ul",
        order=200,
        permission=PROGRESS_PERMISSION,
    )


@hooks.register("register_log_actions")
def register_workplan_log_actions(actions):
    """Sign-off stages, copies to a new year, and milestone updates, in each record's history."""
    from wagtail.log_actions import LogFormatter

    from .enums import MilestoneStatus, SignOffStage

    @actions.register_action("workplans.signed_off")
    class SignedOff(LogFormatter):
        label = "Sign off workplan"

        def format_message(self, log_entry):
            data = log_entry.data or {}
            stage = dict(SignOffStage.choices).get(data.get("to"), "?")
            funding = data.get("funding_agreed")
            return f"{stage}" + (f", funding agreed £{funding}" if funding else "")

    @actions.register_action("workplans.copied")
    class Copied(LogFormatter):
        label = "Copy workplan to a new year"

        def format_message(self, log_entry):
            return f"Started as a copy of the {(log_entry.data or {}).get('from_year', '?')} workplan"

    @actions.register_action("workplans.milestone_updated")
    class MilestoneUpdated(LogFormatter):
        label = "Post milestone update"

        def format_message(self, log_entry):
            data = log_entry.data or {}
            statuses = dict(MilestoneStatus.choices)
            return (
                f"Update posted: {statuses.get(data.get('from'), '?')} to {statuses.get(data.get('to'), '?')}"
            )


# --- Money: budgets, expense claims, involvement payments, rates, benefits advice ---

from .models import BudgetLine, ExpenseClaim, InvolvementPayment  # noqa: E402

for model in (BudgetLine, ExpenseClaim, InvolvementPayment):
    register_scoped_policy(model)


@hooks.register("register_admin_viewset")
def register_money_viewsets():
    # A menu group of its own: the finance team's daily work, beside the workplans.
    from .viewsets.money import MoneyViewSetGroup

    return MoneyViewSetGroup()


@hooks.register("register_admin_urls")
def register_money_report_urls():
    from django.urls import include, path

    from .money_views import BudgetReportView, TaxYearTotalsView

    urls = [
        path("budget/", BudgetReportView.as_view(), name="budget"),
        path("budget/results/", BudgetReportView.as_view(results_only=True), name="budget_results"),
        path("tax-year/", TaxYearTotalsView.as_view(), name="tax_year"),
        path("tax-year/results/", TaxYearTotalsView.as_view(results_only=True), name="tax_year_results"),
    ]
    return [path("money-reports/", include((urls, "workplans_money"), namespace="workplans_money"))]


@hooks.register("register_reports_menu_item")
def register_budget_report_menu_item():
    from members.wagtail_hooks import PermissionMenuItem

    from .money_views import BUDGET_PERMISSION

    return PermissionMenuItem(
        "Budget: planned and actual",
        reverse("workplans_money:budget"),
        name="budget",
        icon_name="pick",
        order=210,
        permission=BUDGET_PERMISSION,
    )


# --- Engagement activities, "you said, we did", birthing population; annual reports ---

from .models import BirthingPopulation, EngagementActivity, YouSaidWeDid  # noqa: E402

for model in (EngagementActivity, YouSaidWeDid, BirthingPopulation):
    register_scoped_policy(model)


@hooks.register("register_admin_viewset")
def register_activity_viewsets():
    # In the Workplans menu through its submenu hook (their menu_hook).
    from .viewsets.activities import (
        birthing_population_viewset,
        engagement_activity_viewset,
        you_said_we_did_viewset,
    )

    return [engagement_activity_viewset, you_said_we_did_viewset, birthing_population_viewset]


@hooks.register("register_admin_urls")
def register_annual_report_urls():
    from django.urls import include, path

    from .annual_report_views import (
        AnnualReportIndexView,
        AnnualReportPDFView,
        AnnualReportView,
        EvidencePackPDFView,
    )

    urls = [
        path("", AnnualReportIndexView.as_view(), name="index"),
        path("<int:pk>/<int:year>/", AnnualReportView.as_view(), name="report"),
        path("<int:pk>/<int:year>/pdf/", AnnualReportPDFView.as_view(), name="pdf"),
        path("<int:pk>/<int:year>/evidence-pack/", EvidencePackPDFView.as_view(), name="evidence_pdf"),
    ]
    return [path("annual-reports/", include((urls, "annual_reports"), namespace="annual_reports"))]


@hooks.register("register_reports_menu_item")
def register_annual_report_menu_item():
    from members.wagtail_hooks import PermissionMenuItem

    from .annual_report_views import ANNUAL_REPORT_PERMISSION

    return PermissionMenuItem(
        "Annual reports",
        reverse("annual_reports:index"),
        name="annual-reports",
        icon_name="doc-full",
        order=220,
        permission=ANNUAL_REPORT_PERMISSION,
    )


@hooks.register("register_log_actions")
def register_activity_log_actions(actions):
    """An activity marked ready or done, its volunteers and its reach, in its history."""
    from wagtail.log_actions import LogFormatter

    from .services.activities import DONE_LOG_ACTION, REACH_LOG_ACTION, READY_LOG_ACTION, VOLUNTEER_LOG_ACTION

    @actions.register_action(READY_LOG_ACTION)
    class ActivityReady(LogFormatter):
        label = "Mark activity ready"
        message = "Marked ready to go ahead (risk assessment current on the day)"

    @actions.register_action(DONE_LOG_ACTION)
    class ActivityDone(LogFormatter):
        label = "Mark activity done"

        def format_message(self, log_entry):
            return f"Took place: {(log_entry.data or {}).get('people_heard', '?')} people heard"

    @actions.register_action(VOLUNTEER_LOG_ACTION)
    class ActivityVolunteerRecorded(LogFormatter):
        label = "Record activity volunteer"

        def format_message(self, log_entry):
            data = log_entry.data or {}
            if data.get("removed"):
                return "Removed a volunteer"
            return f"Recorded a volunteer: {data.get('hours')} hours"

    @actions.register_action(REACH_LOG_ACTION)
    class ActivityReachRecorded(LogFormatter):
        label = "Record activity reach"

        def format_message(self, log_entry):
            data = log_entry.data or {}
            return f"Recorded reach ({data.get('question', '?')}): {data.get('total', '?')} counted"


# --- Feedback and thematic analysis: items, the theme framework, the Themes report ---

from .models import FeedbackItem  # noqa: E402

register_scoped_policy(FeedbackItem)


@hooks.register("register_admin_viewset")
def register_feedback_viewsets():
    # In the Workplans menu through its submenu hook (their menu_hook).
    from .viewsets.feedback import feedback_item_viewset, feedback_theme_viewset

    return [feedback_item_viewset, feedback_theme_viewset]


@hooks.register("register_admin_urls")
def register_theme_report_urls():
    from django.urls import include, path

    from .feedback_views import ThemeReportView

    urls = [
        path("", ThemeReportView.as_view(), name="index"),
        path("results/", ThemeReportView.as_view(results_only=True), name="results"),
    ]
    return [path("theme-report/", include((urls, "theme_report"), namespace="theme_report"))]


@hooks.register("register_reports_menu_item")
def register_theme_report_menu_item():
    from members.wagtail_hooks import PermissionMenuItem

    from .feedback_views import THEME_REPORT_PERMISSION

    return PermissionMenuItem(
        "Themes",
        reverse("theme_report:index"),
        name="theme-report",
        icon_name="tag",
        order=250,
        permission=THEME_REPORT_PERMISSION,
    )


@hooks.register("register_log_actions")
def register_feedback_log_actions(actions):
    from wagtail.log_actions import LogFormatter

    from .services.feedback import TAGGED_LOG_ACTION

    @actions.register_action(TAGGED_LOG_ACTION)
    class FeedbackTagged(LogFormatter):
        label = "Tag feedback"

        def format_message(self, log_entry):
            data = log_entry.data or {}
            added, removed = len(data.get("added", [])), len(data.get("removed", []))
            return f"Themes changed: {added} added, {removed} removed"


# --- Meetings and representation: committees, meetings and who attended, the report ---

from .models import Committee, Meeting  # noqa: E402

for model in (Committee, Meeting):
    register_scoped_policy(model)


@hooks.register("register_admin_viewset")
def register_meeting_viewsets():
    # In the Workplans menu through its submenu hook (their menu_hook).
    from .viewsets.meetings import committee_viewset, meeting_viewset

    return [committee_viewset, meeting_viewset]


@hooks.register("register_admin_urls")
def register_representation_report_urls():
    from django.urls import include, path

    from .representation_views import RepresentationReportView

    urls = [
        path("", RepresentationReportView.as_view(), name="index"),
        path("results/", RepresentationReportView.as_view(results_only=True), name="results"),
    ]
    return [
        path(
            "representation/",
            include((urls, "workplans_representation"), namespace="workplans_representation"),
        )
    ]


@hooks.register("register_reports_menu_item")
def register_representation_report_menu_item():
    from members.wagtail_hooks import PermissionMenuItem

    from .representation_views import REPRESENTATION_PERMISSION

    return PermissionMenuItem(
        "Representation",
        reverse("workplans_representation:index"),
        name="representation",
        icon_name="group",
        order=230,
        permission=REPRESENTATION_PERMISSION,
    )


# --- Leadership and funding: lead arrangements (IR35), funding requests for the ICB ---

from .models import LeadArrangement  # noqa: E402

register_scoped_policy(LeadArrangement)


@hooks.register("register_admin_viewset")
def register_leadership_viewsets():
    # In the Workplans menu through its submenu hook (its menu_hook); host staff only by permission.
    from .viewsets.leadership import LeadArrangementViewSet

    return LeadArrangementViewSet("lead_arrangements")


@hooks.register("register_admin_urls")
def register_funding_request_urls():
    from django.urls import include, path

    from .leadership_views import (
        FundingRequestIndexView,
        FundingRequestPDFView,
        FundingRequestView,
        FundingRequestXLSXView,
    )

    urls = [
        path("", FundingRequestIndexView.as_view(), name="index"),
        path("<int:pk>/<int:year>/", FundingRequestView.as_view(), name="request"),
        path("<int:pk>/<int:year>/pdf/", FundingRequestPDFView.as_view(), name="pdf"),
        path("<int:pk>/<int:year>/xlsx/", FundingRequestXLSXView.as_view(), name="xlsx"),
    ]
    return [path("funding-requests/", include((urls, "funding_requests"), namespace="funding_requests"))]


@hooks.register("register_reports_menu_item")
def register_funding_request_menu_item():
    from members.wagtail_hooks import PermissionMenuItem

    from .leadership_views import FUNDING_PERMISSION

    return PermissionMenuItem(
        "Funding requests",
        reverse("funding_requests:index"),
        name="funding-requests",
        icon_name="pick",
        order=240,
        permission=FUNDING_PERMISSION,
    )

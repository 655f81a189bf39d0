from django.urls import reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .models import (
    Application,
    ComplianceReminder,
    DBSCheck,
    Membership,
    Partnership,
    PartnershipAccess,
    Person,
    ReferencePopulation,
    TrainingRecord,
)
from .permissions import PartnershipPermissionPolicy, register_scoped_policy

# Policies first: Wagtail refuses a custom policy once a viewset has made a fallback.
register_scoped_policy(Partnership, PartnershipPermissionPolicy)
for model in (PartnershipAccess, Person, Application, Membership):
    register_scoped_policy(model)
register_scoped_policy(ReferencePopulation)
for model in (TrainingRecord, DBSCheck, ComplianceReminder):
    register_scoped_policy(model)

from .viewsets import (  # noqa: E402
    MNVPsViewSetGroup,
    PeopleViewSetGroup,
    TrainingViewSetGroup,
    partnership_chooser_viewset,
    person_chooser_viewset,
)


@hooks.register("register_admin_viewset")
def register_members_viewsets():
    return [
        PeopleViewSetGroup(),
        TrainingViewSetGroup(),
        MNVPsViewSetGroup(),
        partnership_chooser_viewset,
        person_chooser_viewset,
    ]


@hooks.register("register_log_actions")
def register_recruitment_log_actions(actions):
    from wagtail.log_actions import LogFormatter

    from .enums import ApplicationStage

    @actions.register_action("members.application_moved")
    class ApplicationMoved(LogFormatter):
        label = "Move application"

        def format_message(self, log_entry):
            data = log_entry.data or {}
            stages = dict(ApplicationStage.choices)
            return f"Moved from {stages.get(data.get('from'), '?')} to {stages.get(data.get('to'), '?')}"


@hooks.register("register_log_actions")
def register_dbs_log_actions(actions):
    """A DBS decision, and each sight of a certificate number (never the number itself)."""
    from wagtail.log_actions import LogFormatter

    from .enums import DBSDecision

    @actions.register_action("members.dbs_decided")
    class DBSDecided(LogFormatter):
        label = "Record DBS decision"

        def format_message(self, log_entry):
            decision = (log_entry.data or {}).get("decision")
            return f"Decided: {dict(DBSDecision.choices).get(decision, '?')}"

    @actions.register_action("members.dbs_number_viewed")
    class DBSNumberViewed(LogFormatter):
        label = "View DBS certificate number"
        message = "Viewed the certificate number"


# --- Reports (recruitment funnel, equality monitoring) and their reference figures ---


@hooks.register("register_admin_viewset")
def register_reporting_viewsets():
    from .viewsets.reporting import reference_population_viewset

    return reference_population_viewset


@hooks.register("register_admin_urls")
def register_report_urls():
    from django.urls import include, path

    from .report_views import EqualityReportView, RecruitmentFunnelView

    urls = [
        path("funnel/", RecruitmentFunnelView.as_view(), name="recruitment_funnel"),
        path(
            "funnel/results/",
            RecruitmentFunnelView.as_view(results_only=True),
            name="recruitment_funnel_results",
        ),
        path("equality/", EqualityReportView.as_view(), name="equality"),
        path("equality/results/", EqualityReportView.as_view(results_only=True), name="equality_results"),
    ]
    return [path("mnvp-reports/", include((urls, "members_reports"), namespace="members_reports"))]


class PermissionMenuItem(MenuItem):
    """A menu item shown only to users holding ``permission``."""

    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_reports_menu_item")
def register_funnel_report_menu_item():
    from .report_views import FUNNEL_PERMISSION

    return PermissionMenuItem(
        "Recruitment funnel",
        reverse("members_reports:recruitment_funnel"),
        name="recruitment-funnel",
        icon_name="user",
        order=100,
        permission=FUNNEL_PERMISSION,
    )


@hooks.register("register_reports_menu_item")
def register_equality_report_menu_item():
    from .report_views import EQUALITY_PERMISSION

    return PermissionMenuItem(
        "Equality monitoring",
        reverse("members_reports:equality"),
        name="equality-monitoring",
        icon_name="group",
        order=110,
        permission=EQUALITY_PERMISSION,
    )


# --- Compliance report (training and DBS), under Reports ---


@hooks.register("register_admin_urls")
def register_compliance_report_urls():
    from django.urls import include, path

    from . import compliance_export_views as exports
    from .compliance_report_views import ComplianceReportView

    # A namespace of its own: Django reverses only one of two includes sharing a namespace.
    urls = [
        path("", ComplianceReportView.as_view(), name="index"),
        path("results/", ComplianceReportView.as_view(results_only=True), name="results"),
        path("export/<str:export_format>/", exports.StartExportView.as_view(), name="export_start"),
        path("exports/<str:job_id>/", exports.ExportJobView.as_view(), name="export_job"),
        path("exports/<str:job_id>/status/", exports.ExportStatusView.as_view(), name="export_status"),
        path("exports/<str:job_id>/download/", exports.ExportDownloadView.as_view(), name="export_download"),
    ]
    return [
        path("mnvp-reports/compliance/", include((urls, "compliance_report"), namespace="compliance_report"))
    ]


@hooks.register("register_reports_menu_item")
def register_compliance_report_menu_item():
    from .compliance_report_views import COMPLIANCE_PERMISSION

    return PermissionMenuItem(
        "Compliance",
        reverse("compliance_report:index"),
        name="compliance",
        icon_name="tick-inverse",
        order=120,
        permission=COMPLIANCE_PERMISSION,
    )

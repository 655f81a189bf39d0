"""Safeguarding admin: permission policies first, then the viewsets (Wagtail refuses a policy
registered after a viewset has made its fallback)."""

from wagtail import hooks

from members.permissions import register_scoped_policy

from .models import RiskAssessment
from .risk_policy import RiskAssessmentPermissionPolicy

register_scoped_policy(RiskAssessment, RiskAssessmentPermissionPolicy)

from .viewsets import SafeguardingViewSetGroup  # noqa: E402


@hooks.register("register_admin_viewset")
def register_safeguarding_viewsets():
    return SafeguardingViewSetGroup()


@hooks.register("register_log_actions")
def register_risk_assessment_log_actions(actions):
    from wagtail.log_actions import LogFormatter

    from .services.risk import APPROVAL_CLEARED_LOG_ACTION, APPROVED_LOG_ACTION

    @actions.register_action(APPROVED_LOG_ACTION)
    class RiskAssessmentApproved(LogFormatter):
        label = "Approve risk assessment"
        message = "Approved"

    @actions.register_action(APPROVAL_CLEARED_LOG_ACTION)
    class RiskAssessmentApprovalCleared(LogFormatter):
        label = "Withdraw risk assessment approval"
        message = "Approval withdrawn: its hazards or controls changed"

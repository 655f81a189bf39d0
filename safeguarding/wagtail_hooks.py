"""Safeguarding admin: permission policies first, then the viewsets (Wagtail refuses a policy
registered after a viewset has made its fallback)."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from members.permissions import register_scoped_policy

from .models import RiskAssessment
from .risk_policy import RiskAssessmentPermissionPolicy

register_scoped_policy(RiskAssessment, RiskAssessmentPermissionPolicy)

# Safeguarding concerns: DSLs only, whatever Wagtail's "any permission" default would allow.
from .concern_policy import ConcernPermissionPolicy  # noqa: E402
from .models import Concern  # noqa: E402

register_permission_policy(Concern, ConcernPermissionPolicy(Concern))

# Grievances and complaints: per case (handler, grievance role), never the subject.
from .case_policy import CasePermissionPolicy  # noqa: E402
from .models import Case  # noqa: E402

register_permission_policy(Case, CasePermissionPolicy(Case))

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


# --- Grievances and complaints -------------------------------------------------------


@hooks.register("register_admin_viewset")
def register_case_viewset():
    from .viewsets.cases import case_viewset

    return case_viewset


@hooks.register("register_log_actions")
def register_case_log_actions(actions):
    """Stage moves and handler changes in a case's history (never its narrative)."""
    from wagtail.log_actions import LogFormatter

    from .enums import CaseStage

    @actions.register_action("safeguarding.case_moved")
    class CaseMoved(LogFormatter):
        label = "Move case to another stage"

        def format_message(self, log_entry):
            data = log_entry.data or {}
            stages = dict(CaseStage.choices)
            return f"Moved from {stages.get(data.get('from'), '?')} to {stages.get(data.get('to'), '?')}"

    @actions.register_action("safeguarding.case_assigned")
    class CaseAssigned(LogFormatter):
        label = "Assign case handler"

        def format_message(self, log_entry):
            data = log_entry.data or {}
            previous = f" (was {data['previous']})" if data.get("previous") else ""
            return f"Handler: {data.get('handler', '?')}{previous}"

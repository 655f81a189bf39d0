"""Admin screens of the safeguarding app, gathered in one "Safeguarding" menu.

A ViewSetGroup can be registered only once: add new safeguarding viewsets to
``SafeguardingViewSetGroup.items`` here rather than making a second group.
"""

from wagtail.admin.viewsets.base import ViewSetGroup

from .concerns import ConcernViewSet, ReportConcernViewSet
from .directory import SupportOrganisationViewSet
from .risk import RiskAssessmentViewSet


class SafeguardingViewSetGroup(ViewSetGroup):
    menu_label = "Safeguarding"
    menu_icon = "warning"
    menu_order = 300
    items = (
        ReportConcernViewSet("concern_reports"),
        ConcernViewSet("concerns"),
        RiskAssessmentViewSet("risk_assessments"),
        SupportOrganisationViewSet("support_organisations"),
    )


__all__ = ["SafeguardingViewSetGroup"]

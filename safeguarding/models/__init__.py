from .cases import Case, CaseAlert, CaseDocument, CaseSettings, CaseStageChange
from .concerns import Concern, ConcernAlert, ConcernEntry, ConcernSettings, Escalation
from .directory import RiskAssessment, SupportOrganisation

__all__ = [
    "Case",
    "CaseAlert",
    "CaseDocument",
    "CaseSettings",
    "CaseStageChange",
    "Concern",
    "ConcernAlert",
    "ConcernEntry",
    "ConcernSettings",
    "Escalation",
    "RiskAssessment",
    "SupportOrganisation",
]

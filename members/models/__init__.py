from .partnerships import Partnership, PartnershipAccess, ScopedQuerySet, ServedUnit, User
from .people import EqualityMonitoring, Person, PrivacyConsent
from .recruitment import Application, ApplicationStageChange, Membership, RecruitmentSettings

__all__ = [
    "Application",
    "ApplicationStageChange",
    "EqualityMonitoring",
    "Membership",
    "Partnership",
    "PartnershipAccess",
    "Person",
    "PrivacyConsent",
    "RecruitmentSettings",
    "ScopedQuerySet",
    "ServedUnit",
    "User",
]

from .imports import ImportJob
from .partnerships import Partnership, PartnershipAccess, ScopedQuerySet, ServedUnit, User
from .people import EqualityMonitoring, Person, PrivacyConsent
from .recruitment import Application, ApplicationStageChange, Membership, RecruitmentSettings
from .reporting import ReferencePopulation

__all__ = [
    "Application",
    "ApplicationStageChange",
    "EqualityMonitoring",
    "ImportJob",
    "Membership",
    "Partnership",
    "PartnershipAccess",
    "Person",
    "PrivacyConsent",
    "RecruitmentSettings",
    "ReferencePopulation",
    "ScopedQuerySet",
    "ServedUnit",
    "User",
]

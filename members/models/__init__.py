from .imports import ImportJob
from .partnerships import Partnership, PartnershipAccess, ScopedQuerySet, ServedUnit, User
from .people import EqualityMonitoring, Person, PrivacyConsent
from .recruitment import Application, ApplicationStageChange, Membership, RecruitmentSettings
from .reminders import ComplianceDigest, ComplianceReminder
from .reporting import ReferencePopulation
from .training import ComplianceSettings, Course, DBSCheck, RoleRequirement, TrainingRecord

__all__ = [
    "Application",
    "ApplicationStageChange",
    "ComplianceDigest",
    "ComplianceReminder",
    "ComplianceSettings",
    "Course",
    "DBSCheck",
    "EqualityMonitoring",
    "ImportJob",
    "Membership",
    "Partnership",
    "PartnershipAccess",
    "Person",
    "PrivacyConsent",
    "RecruitmentSettings",
    "ReferencePopulation",
    "RoleRequirement",
    "ScopedQuerySet",
    "ServedUnit",
    "TrainingRecord",
    "User",
]

from .activities import ActivityReach, ActivityVolunteer, BirthingPopulation, EngagementActivity, YouSaidWeDid
from .money import (
    BenefitsAdviceRecord,
    BudgetLine,
    ExpenseClaim,
    ExpenseItem,
    FinanceSettings,
    InvolvementPayment,
    InvolvementRate,
    MileageRate,
    UnpaidClaimAlert,
)
from .plans import Milestone, MilestoneReminder, MilestoneUpdate, Objective, Workplan, WorkplanSignOff

__all__ = [
    "ActivityReach",
    "ActivityVolunteer",
    "BenefitsAdviceRecord",
    "BirthingPopulation",
    "BudgetLine",
    "EngagementActivity",
    "ExpenseClaim",
    "ExpenseItem",
    "FinanceSettings",
    "InvolvementPayment",
    "InvolvementRate",
    "MileageRate",
    "Milestone",
    "MilestoneReminder",
    "MilestoneUpdate",
    "Objective",
    "UnpaidClaimAlert",
    "Workplan",
    "WorkplanSignOff",
    "YouSaidWeDid",
]

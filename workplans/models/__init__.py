from .activities import ActivityReach, ActivityVolunteer, EngagementActivity, YouSaidWeDid
from .money import (
    BenefitsAdviceRecord,
    BudgetLine,
    ExpenseClaim,
    ExpenseItem,
    InvolvementPayment,
    InvolvementRate,
    MileageRate,
)
from .plans import Milestone, MilestoneReminder, MilestoneUpdate, Objective, Workplan, WorkplanSignOff

__all__ = [
    "ActivityReach",
    "ActivityVolunteer",
    "BenefitsAdviceRecord",
    "BudgetLine",
    "EngagementActivity",
    "ExpenseClaim",
    "ExpenseItem",
    "InvolvementPayment",
    "InvolvementRate",
    "MileageRate",
    "Milestone",
    "MilestoneReminder",
    "MilestoneUpdate",
    "Objective",
    "Workplan",
    "WorkplanSignOff",
    "YouSaidWeDid",
]

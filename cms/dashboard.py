"""The Wagtail admin home page: one panel per concern, each shown only to the roles it is for.

Every panel counts through the selectors of the app it belongs to, which narrow to
what the user may see (:mod:`members.scoping`, :mod:`safeguarding.permissions`), and
each number links to the listing behind it with that listing's own filters, so
following the link shows the counted rows. Host-wide panels (recruitment,
compliance, claims waiting) are for those who see every MNVP; a lead's panels
(milestones to update, claims to approve, members lapsing) count only the MNVPs
they work on. Each panel runs a fixed handful of queries, whatever the number of rows.

Panels are laces components, as Wagtail's own are:
https://docs.wagtail.org/en/stable/reference/hooks.html#construct-homepage-panels
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.components import Component

from members.compliance_report import compliance_counts
from members.enums import ApplicationStage, ComplianceState
from members.reports import open_applications
from members.scoping import ALL, permitted_partnership_ids
from safeguarding.enums import CaseStage
from safeguarding.selectors import open_cases_by_stage, open_concerns_by_age
from workplans.enums import ClaimStatus
from workplans.models.plans import financial_year_label, financial_year_of
from workplans.progress import Rag, milestone_rag_counts, milestones_to_update
from workplans.services.claims import APPROVE_PERMISSION, PAY_PERMISSION, claims_waiting

TO_UPDATE_WITHIN = 30


def listing_url(name: str, **params) -> str:
    query = urlencode({key: value for key, value in params.items() if value not in (None, "")})
    url = reverse(name)
    return f"{url}?{query}" if query else url


@dataclass(frozen=True)
class Figure:
    """One number on a panel, the list it links to, and (for a bar) its colour class."""

    label: str
    count: int
    url: str
    bar: str = ""  # an extra class on the bar, colouring it
    flag_label: str = ""  # a second, highlighted number beside it
    flag_count: int = 0
    flag_url: str = ""
    note: str = ""


class DashboardPanel(Component):
    """A panel of bars (``figures``) and plain figures (``facts``), every number a link."""

    template_name = "cms/dashboard/panel.html"
    name = ""
    heading = ""
    intro = ""

    class Media:
        css = {"all": ["members/reports.css", "workplans/workplans.css"]}

    def __init__(self, figures=(), facts=(), intro: str = ""):
        self.figures = list(figures)
        self.facts = list(facts)
        self.intro = intro or self.intro

    def get_context_data(self, parent_context=None):
        return {
            "panel_id": f"dashboard-{self.name}",
            "heading": self.heading,
            "intro": self.intro,
            "figures": self.figures,
            "facts": self.facts,
            "largest": max((figure.count for figure in self.figures), default=0),
        }


class RecruitmentPanel(DashboardPanel):
    name, heading, order = "recruitment", "Recruitment", 10


class CompliancePanel(DashboardPanel):
    name, heading, order = "compliance", "Compliance", 20


class WorkplanRagPanel(DashboardPanel):
    name, heading, order = "workplan-rag", "Workplan milestones", 30


class ClaimsWaitingPanel(DashboardPanel):
    name, heading, order = "claims-waiting", "Expense claims waiting", 40


class MilestonesToUpdatePanel(DashboardPanel):
    name, heading, order = "milestones-to-update", "Milestones to update", 10


class ClaimsToApprovePanel(DashboardPanel):
    name, heading, order = "claims-to-approve", "Claims to approve", 20


class MembersLapsingPanel(DashboardPanel):
    name, heading, order = "members-lapsing", "Members lapsing", 25


class ConcernsPanel(DashboardPanel):
    name, heading, order = "concerns", "Open safeguarding concerns", 5


class CasesPanel(DashboardPanel):
    name, heading, order = "cases", "Open grievances and complaints", 6


class FailedTasksPanel(DashboardPanel):
    name, heading, order = "failed-tasks", "Background tasks that failed", 7


# --- Building the panels for one user ----------------------------------------------------


def failed_tasks_panel() -> FailedTasksPanel:
    """Emails and sweeps that gave up after their retries (cms.tasks.ReliableTask), not yet resolved."""
    from .models import FailedTask

    count = FailedTask.objects.unresolved().count()
    facts = [Figure("failed and not resolved", count, listing_url("failed_tasks:index", resolved="false"))]
    return FailedTasksPanel(facts=facts, intro="Each one is an email or job that did not happen.")


def _single_partnership(ids) -> int | None:
    """The one MNVP to name in a lead's links (the listings are scoped anyway)."""
    return next(iter(ids)) if ids and ids is not ALL and len(ids) == 1 else None


def recruitment_panel(user, now) -> RecruitmentPanel:
    summary = open_applications(user, now=now)
    figures = [
        Figure(ApplicationStage(stage).label, count, listing_url("applications:index", stage=stage))
        for stage, count in summary.counts.items()
    ]
    facts = [
        Figure("overdue in their stage", summary.overdue, listing_url("applications:index", overdue="true"))
    ]
    return RecruitmentPanel(figures, facts, intro=f"{summary.total} open applications, by stage.")


def compliance_panel(user, today, partnership=None, panel_class=CompliancePanel, states=None):
    counts = compliance_counts(user, on=today)
    states = states or list(ComplianceState)
    figures = [
        Figure(
            ComplianceState(state).label,
            counts.get(state, 0),
            listing_url("compliance_report:index", partnership=partnership, state=state),
            bar=f"mnvp-bar--{state}",
        )
        for state in states
    ]
    return panel_class(figures, intro="Current members, each counted once.")


def rag_panel(user, today) -> WorkplanRagPanel:
    year = financial_year_of(today)
    counts = milestone_rag_counts(user, year=year, today=today)
    figures = [
        Figure(
            label,
            counts[value],
            listing_url("milestones:index", year=year, rag=value),
            bar=f"wp-bar--{value}",
        )
        for value, label in Rag.choices
    ]
    return WorkplanRagPanel(
        figures, intro=f"Milestones of the {financial_year_label(year)} workplans by RAG."
    )


def claims_waiting_panel(user, today) -> ClaimsWaitingPanel:
    waiting = claims_waiting(user, today=today)
    labels = {ClaimStatus.SUBMITTED: "Awaiting approval", ClaimStatus.APPROVED: "Approved, awaiting payment"}
    figures = []
    for status, label in labels.items():
        found = waiting[status]
        note = f"oldest waiting {found['oldest_days']} days" if found["oldest_days"] is not None else ""
        figures.append(
            Figure(label, found["count"], listing_url("expense_claims:index", status=status), note=note)
        )
    return ClaimsWaitingPanel(figures)


def milestones_to_update_panel(user, today, partnership) -> MilestonesToUpdatePanel:
    found = milestones_to_update(user, today=today, within=TO_UPDATE_WITHIN)
    figures = [
        Figure(
            "Overdue",
            found.overdue,
            listing_url("milestones:index", partnership=partnership, overdue="true"),
            bar="wp-bar--red",
        ),
        Figure(
            f"Due in the next {TO_UPDATE_WITHIN} days",
            found.due_soon,
            listing_url(
                "milestones:index", partnership=partnership, due_within=TO_UPDATE_WITHIN, overdue="false"
            ),
            bar="wp-bar--amber",
        ),
    ]
    facts = [
        Figure(
            "open milestones to update",
            found.total,
            listing_url("milestones:index", partnership=partnership, due_within=TO_UPDATE_WITHIN),
        )
    ]
    return MilestonesToUpdatePanel(figures, facts)


def claims_to_approve_panel(user, today, partnership) -> ClaimsToApprovePanel:
    found = claims_waiting(user, action="change", today=today)[ClaimStatus.SUBMITTED]
    note = f"oldest waiting {found['oldest_days']} days" if found["oldest_days"] is not None else ""
    facts = [
        Figure(
            "submitted, awaiting your approval",
            found["count"],
            listing_url("expense_claims:index", partnership=partnership, status=ClaimStatus.SUBMITTED),
            note=note,
        )
    ]
    return ClaimsToApprovePanel(facts=facts)


def concerns_panel(user, now) -> ConcernsPanel:
    figures = [
        Figure(
            age.label,
            age.count,
            listing_url("concerns:index", open="true", age=age.key),
            flag_label="not acknowledged",
            flag_count=age.unacknowledged,
            flag_url=listing_url("concerns:index", open="true", age=age.key, unacknowledged="true"),
        )
        for age in open_concerns_by_age(user, now=now)
    ]
    return ConcernsPanel(figures, intro="Open concerns by how long ago they were reported.")


def cases_panel(user, now) -> CasesPanel:
    found = open_cases_by_stage(user, now=now)
    figures = [
        Figure(CaseStage(stage).label, count, listing_url("cases:index", stage=stage))
        for stage, count in found.counts.items()
    ]
    facts = [Figure("overdue at their stage", found.overdue, listing_url("cases:index", overdue="true"))]
    return CasesPanel(figures, facts, intro=f"{found.total} open cases you may see, by stage.")


def panels_for(user, now=None) -> list[DashboardPanel]:
    """The dashboard panels ``user`` may see, each counting only what they may see."""
    if not (user.is_authenticated and user.is_active):
        return []
    now = now or timezone.now()
    today = timezone.localdate(now)
    view_ids = permitted_partnership_ids(user, "view")
    host_wide = view_ids is ALL
    panels: list[DashboardPanel] = []

    if user.has_perm("safeguarding.view_concern"):
        panels.append(concerns_panel(user, now))
    if user.has_perm("safeguarding.view_case"):
        panels.append(cases_panel(user, now))
    else:
        # An assigned handler holds only object permissions: a panel when they may see a case.
        panel = cases_panel(user, now)
        if panel.figures and any(figure.count for figure in panel.figures):
            panels.append(panel)
    if user.has_perm("cms.view_failedtask"):
        # Shown only while something needs looking at: a quiet day adds no panel.
        panel = failed_tasks_panel()
        if panel.facts[0].count:
            panels.append(panel)

    if host_wide:
        if user.has_perm("members.view_application"):
            panels.append(recruitment_panel(user, now))
        if user.has_perm("members.view_compliance_report"):
            panels.append(compliance_panel(user, today))
        if user.has_perm("workplans.view_milestone"):
            panels.append(rag_panel(user, today))
        if user.has_perm(PAY_PERMISSION):
            panels.append(claims_waiting_panel(user, today))
        return panels

    if not view_ids:
        return panels
    change_ids = permitted_partnership_ids(user, "change")
    partnership = _single_partnership(change_ids)
    if change_ids and user.has_perm("workplans.add_milestoneupdate"):
        panels.append(milestones_to_update_panel(user, today, partnership))
    if change_ids and user.has_perm(APPROVE_PERMISSION):
        panels.append(claims_to_approve_panel(user, today, partnership))
    if user.has_perm("members.view_compliance_report"):
        panels.append(
            compliance_panel(
                user,
                today,
                partnership=_single_partnership(view_ids),
                panel_class=MembersLapsingPanel,
                states=[ComplianceState.LAPSED, ComplianceState.DUE_SOON],
            )
        )
    if user.has_perm("workplans.view_milestone"):
        panels.append(rag_panel(user, today))
    return panels

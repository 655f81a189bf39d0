"""Demo workplans for ``manage.py seed_demo``: one per demo MNVP for this financial year.

Objectives under several themes, milestones in every status (two of them overdue,
one due within the week), a few progress updates, and sign-off history: Northshire
signed off by the ICB, Southvale agreed by the MNVP, Westbrook still a draft. Dates
are relative to today, so the mix stays true whenever the demo is seeded. Writes go
through the services, as the demo logins (run ``seed_logins`` first), so the
history reads as it would in use. Idempotent: an MNVP that already has this year's
workplan is left as it is.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from members.models import Partnership, User

from .enums import MilestoneStatus, SignOffStage, Theme
from .models import Milestone, Objective, Workplan, WorkplanSignOff
from .models.plans import financial_year_of
from .services.plans import post_milestone_update, sign_off

DAY = datetime.timedelta(days=1)
HOST = "host.admin"
ICB = "icb.viewer"

# slug -> (lead's username or None, the stages reached, funding agreed)
DEMO_WORKPLANS = {
    "northshire": (
        "north.lead",
        [SignOffStage.COPRODUCED, SignOffStage.AGREED, SignOffStage.SIGNED_OFF],
        "48500.00",
    ),
    "southvale": ("south.lead", [SignOffStage.COPRODUCED, SignOffStage.AGREED], "41250.00"),
    "westbrook": (None, [], "36000.00"),
}
SIGN_OFF_NOTES = {
    SignOffStage.COPRODUCED: "Co-produced with the trust, the LMNS and members at the planning day.",
    SignOffStage.AGREED: "Agreed at the MNVP meeting.",
    SignOffStage.SIGNED_OFF: "Ratified by the ICB's maternity commissioning lead.",
}
STRATEGY = (
    "Listen to women, birthing people and families, especially those seldom heard; bring what they "
    "say to the trust and the LMNS; and show what changed as a result."
)

# (theme, objective, [(milestone, days from today, status, updates as (days ago, status, note))])
DEMO_OBJECTIVES = [
    (
        Theme.LISTENING,
        "Hear from at least 300 families across every unit this year",
        [
            (
                "Quarterly listening walk at the obstetric unit",
                -40,
                MilestoneStatus.DONE,
                [
                    (45, MilestoneStatus.ON_TRACK, "Date agreed with the ward manager."),
                    (38, MilestoneStatus.DONE, "42 families spoken to; themes written up."),
                ],
            ),
            (
                "Publish the quarter's “you said, we did” summary",
                -10,
                MilestoneStatus.ON_TRACK,
                [(20, MilestoneStatus.ON_TRACK, "Draft with the trust's communications team.")],
            ),
            ("Maternity survey with the patient experience team", 5, MilestoneStatus.ON_TRACK, []),
        ],
    ),
    (
        Theme.EQUITY,
        "Reach families who are seldom heard",
        [
            (
                "Feedback card in five community languages",
                -3,
                MilestoneStatus.AT_RISK,
                [
                    (
                        12,
                        MilestoneStatus.AT_RISK,
                        "Two translations still awaited from the interpreting service.",
                    )
                ],
            ),
            ("Two outreach sessions with the refugee support group", 45, MilestoneStatus.NOT_STARTED, []),
        ],
    ),
    (
        Theme.NEONATAL,
        "Neonatal parents' voice in the unit's redesign",
        [
            (
                "Fifteen Steps visit to the neonatal unit",
                60,
                MilestoneStatus.OFF_TRACK,
                [(6, MilestoneStatus.OFF_TRACK, "The unit has postponed twice; escalated to the LMNS.")],
            ),
        ],
    ),
    (
        Theme.INFLUENCE,
        "Families' priorities in every LMNS board report",
        [("Quarterly report to the LMNS board", 20, MilestoneStatus.AT_RISK, [])],
    ),
    (
        Theme.INFRASTRUCTURE,
        "Volunteers trained, supported and paid on time",
        [
            ("Annual development day", -60, MilestoneStatus.DONE, []),
            ("Induction and safeguarding training for new volunteers", 120, MilestoneStatus.NOT_STARTED, []),
        ],
    ),
]


def seed_workplans(today: datetime.date | None = None) -> list[Workplan]:
    """This financial year's workplan for each demo MNVP that has none yet; returns those created."""
    today = today or timezone.localdate()
    year = financial_year_of(today)
    users = User.objects.in_bulk(
        [HOST, ICB, *(lead for lead, _, _ in DEMO_WORKPLANS.values() if lead)], field_name="username"
    )
    host = users.get(HOST)
    created = []
    for slug, (lead_name, stages, funding) in DEMO_WORKPLANS.items():
        partnership = Partnership.objects.filter(slug=slug).first()
        if partnership is None or Workplan.objects.filter(partnership=partnership, year=year).exists():
            continue
        lead = users.get(lead_name) if lead_name else None
        workplan = Workplan.objects.create(
            partnership=partnership, year=year, strategy=STRATEGY, funding_agreed=Decimal(funding)
        )
        _seed_objectives(workplan, owner=lead or host, today=today)
        _seed_sign_offs(
            workplan,
            stages,
            {
                SignOffStage.COPRODUCED: host,
                SignOffStage.AGREED: lead,
                SignOffStage.SIGNED_OFF: users.get(ICB),
            },
            today,
        )
        created.append(workplan)
    return created


def _seed_objectives(workplan: Workplan, *, owner: User | None, today: datetime.date) -> None:
    for order, (theme, title, milestones) in enumerate(DEMO_OBJECTIVES):
        objective = Objective.objects.create(workplan=workplan, theme=theme, title=title, sort_order=order)
        for milestone_title, due_in, status, updates in milestones:
            milestone = Milestone.objects.create(
                objective=objective,
                title=milestone_title,
                owner=owner,
                owner_name="" if owner else "The MNVP lead",
                due_on=today + due_in * DAY,
            )
            for days_ago, update_status, note in updates:
                if owner is None:
                    break
                post_milestone_update(
                    milestone=milestone,
                    status=update_status,
                    note=note,
                    acting_user=owner,
                    at=timezone.now() - days_ago * DAY,
                )
            if milestone.status != status:  # the milestone's status as it stands, without a story
                Milestone.objects.filter(pk=milestone.pk).update(status=status)


def _seed_sign_offs(workplan: Workplan, stages, by_stage: dict, today: datetime.date) -> None:
    # Spread over the spring, as a year's sign-off would be: co-produced, agreed, ratified.
    for weeks_ago, stage in zip((10, 7, 4), stages, strict=False):
        user = by_stage.get(stage)
        if user is None:
            return
        record = sign_off(
            workplan=workplan,
            stage=stage,
            acting_user=user,
            note=SIGN_OFF_NOTES[stage],
        )
        WorkplanSignOff.objects.filter(pk=record.pk).update(at=timezone.now() - weeks_ago * 7 * DAY)

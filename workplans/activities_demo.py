"""Demo engagement: activities per MNVP with volunteers, hours, reach, themes and actions.

Run after the members demo (partnerships, logins, members) and the workplans demo
(milestones to link to, where there are any). Idempotent: activities are found by
MNVP and title, figures by their unique keys, so seeding twice changes nothing.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from members.models import Membership, Partnership, User
from safeguarding.models import RiskAssessment

from .enums import ActionStatus, ActivityKind, ActivityStatus, Theme
from .models import (
    ActivityReach,
    ActivityVolunteer,
    BirthingPopulation,
    EngagementActivity,
    Milestone,
    YouSaidWeDid,
)

SOURCE = "Demo figures: trust bookings by ethnicity and age, last full year"
# (question, category, percentage): one set, nudged per MNVP so the comparison varies.
BIRTHING_POPULATION = [
    ("ethnicity", "white_british", Decimal("68.00")),
    ("ethnicity", "asian_pakistani", Decimal("9.50")),
    ("ethnicity", "asian_bangladeshi", Decimal("4.00")),
    ("ethnicity", "black_african", Decimal("6.50")),
    ("ethnicity", "white_other", Decimal("7.00")),
    ("age_band", "18_24", Decimal("14.00")),
    ("age_band", "25_34", Decimal("55.00")),
    ("age_band", "35_44", Decimal("28.00")),
]

# (days from today, kind, title, status, people heard, themes, reach by question)
ACTIVITIES = [
    (
        -150,
        ActivityKind.WALK_THE_PATCH,
        "Walk the Patch: postnatal ward",
        ActivityStatus.DONE,
        34,
        [Theme.LISTENING, Theme.NEONATAL],
        {"ethnicity": {"white_british": 21, "asian_pakistani": 7, "black_african": 3, "white_other": 3}},
    ),
    (
        -90,
        ActivityKind.OUTREACH,
        "Baby group outreach, family hub",
        ActivityStatus.DONE,
        22,
        [Theme.EQUITY],
        {"age_band": {"18_24": 6, "25_34": 12, "35_44": 4}},
    ),
    (
        -40,
        ActivityKind.FIFTEEN_STEPS,
        "Fifteen Steps: neonatal unit",
        ActivityStatus.DONE,
        9,
        [Theme.NEONATAL, Theme.COPRODUCTION],
        {},
    ),
    (21, ActivityKind.COMMUNITY_EVENT, "Community fun day stall", ActivityStatus.PLANNED, 0, [], {}),
]

# (activity title or None, theme, you said, we did, owner, status, public)
ACTIONS = [
    (
        "Walk the Patch: postnatal ward",
        Theme.NEONATAL,
        "Partners could not stay overnight on the postnatal ward.",
        "The trust bought fold-out chairs and changed the visiting policy.",
        "Head of midwifery",
        ActionStatus.DONE,
        True,
    ),
    (
        "Baby group outreach, family hub",
        Theme.EQUITY,
        "Appointment letters only came in English.",
        "Letters are being translated into the five most-used languages.",
        "Trust patient experience team",
        ActionStatus.IN_PROGRESS,
        True,
    ),
    (
        "Fifteen Steps: neonatal unit",
        Theme.NEONATAL,
        "The neonatal unit's parents' room had no fridge for expressed milk.",
        "",
        "Neonatal matron",
        ActionStatus.OPEN,
        False,
    ),
]


def _risk_assessment(partnership: Partnership, approver: User | None) -> RiskAssessment:
    assessment, _ = RiskAssessment.objects.get_or_create(
        partnership=partnership,
        title=f"{partnership.name}: outreach in community venues",
        defaults={
            "activity": "Outreach and listening sessions",
            "hazards": "Busy rooms, hot drinks near children, lone working.",
            "controls": "Two volunteers at a time; drinks away from play areas; sign in and out.",
            "review_on": timezone.localdate() + datetime.timedelta(days=300),
            "approved_by": approver,
            "approved_at": timezone.now() if approver else None,
        },
    )
    return assessment


@transaction.atomic
def seed_activities() -> list[EngagementActivity]:
    """Activities for every demo MNVP, with volunteers, reach, themes and actions; birthing population."""
    today = timezone.localdate()
    approver = User.objects.filter(username="host.admin").first()
    created = []
    for index, partnership in enumerate(Partnership.objects.order_by("name")):
        for question, category, percentage in BIRTHING_POPULATION:
            nudge = Decimal(index) if category in ("white_british", "25_34") else Decimal("0")
            BirthingPopulation.objects.get_or_create(
                partnership=partnership,
                question=question,
                category=category,
                defaults={"percentage": percentage - nudge, "source": SOURCE},
            )
        assessment = _risk_assessment(partnership, approver)
        milestone = (
            Milestone.objects.filter(objective__workplan__partnership=partnership).order_by("due_on").first()
        )
        members = list(
            Membership.objects.current().filter(partnership=partnership).values_list("person_id", flat=True)
        )
        by_title = {}
        for days, kind, title, status, heard, themes, reach in ACTIVITIES:
            activity, _ = EngagementActivity.objects.get_or_create(
                partnership=partnership,
                title=title,
                defaults={
                    "kind": kind,
                    "held_on": today + datetime.timedelta(days=days),
                    "place": f"{partnership.name.removesuffix(' MNVP')} maternity unit",
                    "status": status,
                    "people_heard": heard,
                    "themes": list(themes),
                    "summary": "What we heard, in aggregate." if heard else "",
                    "risk_assessment": assessment if approver else None,
                    "milestone": milestone,
                },
            )
            by_title[title] = activity
            created.append(activity)
            if status == ActivityStatus.DONE:
                for position, person_id in enumerate(members[:3]):
                    ActivityVolunteer.objects.get_or_create(
                        activity=activity,
                        person_id=person_id,
                        defaults={"hours": Decimal("2.50") + position},
                    )
            for question, counts in reach.items():
                for category, count in counts.items():
                    ActivityReach.objects.get_or_create(
                        activity=activity, question=question, category=category, defaults={"count": count}
                    )
        for title, theme, you_said, we_did, owner, status, public in ACTIONS:
            YouSaidWeDid.objects.get_or_create(
                partnership=partnership,
                you_said=you_said,
                defaults={
                    "activity": by_title.get(title),
                    "theme": theme,
                    "we_did": we_did,
                    "owner": owner,
                    "status": status,
                    "public": public,
                    "created_by": approver,
                },
            )
    return created

"""Reads about one engagement activity: its volunteers with their compliance, in fixed queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from members.compliance import PersonCompliance, compliance_for
from members.enums import ComplianceState

from .models import ActivityVolunteer, EngagementActivity

# Flagged on the activity page: a volunteer who should not be out doing outreach as things stand.
FLAGGED_STATES = frozenset({ComplianceState.LAPSED, ComplianceState.MISSING})


@dataclass(frozen=True)
class VolunteerRow:
    volunteer: ActivityVolunteer
    compliance: PersonCompliance | None  # None: no current membership that day, so nothing required

    @property
    def state(self) -> ComplianceState:
        return self.compliance.state if self.compliance else ComplianceState.CLEARED

    @property
    def flagged(self) -> bool:
        return self.state in FLAGGED_STATES


def compliance_day(activity: EngagementActivity) -> datetime.date:
    """The day compliance is judged on: the activity's day if still to come, else today.

    Training and DBS records say what is held now, not what was held on a past day,
    so a past activity shows each volunteer's standing today.
    """
    return max(activity.held_on, timezone.localdate())


def volunteers_with_compliance(activity: EngagementActivity) -> list[VolunteerRow]:
    """The activity's volunteers, each with their compliance flag.

    One query for the volunteers and :func:`members.compliance.compliance_for`'s
    fixed five, however many volunteers there are.
    """
    volunteers = list(
        ActivityVolunteer.objects.filter(activity=activity)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    if not volunteers:
        return []
    compliance = compliance_for([v.person_id for v in volunteers], on=compliance_day(activity))
    return [VolunteerRow(volunteer, compliance.get(volunteer.person_id)) for volunteer in volunteers]


def total_hours(rows: list[VolunteerRow]) -> Decimal:
    return sum((row.volunteer.hours for row in rows), Decimal("0"))

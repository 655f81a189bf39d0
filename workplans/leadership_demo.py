"""Demo leadership: lead arrangements for the demo MNVPs' leads, and a member who claims benefits.

Run after the members demo (memberships) and the money demo (benefits advice and
payments): ``seed_leadership()``. Northshire's lead is employed by the host;
Southvale's is self-employed with an IR35 determination 13 months old, so the IR35
reminder has something to say. One paid category C member says they claim benefits,
so the "Benefits letter (PDF)" button shows on their benefits advice record.
Idempotent: existing arrangements and records are left as they are.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from members.enums import MembershipRole, PPVCategory
from members.models import Membership

from .enums import IR35Determination, RemunerationRoute
from .models import BenefitsAdviceRecord, LeadArrangement
from .money_demo import _host_user
from .services import leadership as services

# (partnership slug, route, months since the determination, hours a month, annual remuneration)
DEMO_ARRANGEMENTS = [
    ("northshire", RemunerationRoute.EMPLOYED, None, Decimal("48.0"), Decimal("18000.00")),
    ("southvale", RemunerationRoute.SELF_EMPLOYED, 13, Decimal("40.0"), Decimal("15000.00")),
]


@transaction.atomic
def seed_leadership() -> int:
    """Arrangements for the demo leads and one benefits claimant; returns how many arrangements were made."""
    host = _host_user()
    if host is None:
        return 0
    today = timezone.localdate()
    made = 0
    for slug, route, months, hours, annual in DEMO_ARRANGEMENTS:
        membership = (
            services.lead_memberships(today)
            .filter(partnership__slug=slug, role=MembershipRole.LEAD)
            .order_by("pk")
            .first()
        )
        if membership is None or LeadArrangement.objects.filter(membership=membership).exists():
            continue
        employed = route == RemunerationRoute.EMPLOYED
        services.create_lead_arrangement(
            membership=membership,
            role_description="Leads the MNVP: chairs its meetings, represents families on the LMNS board "
            "and trust committees, and agrees the workplan with the host.",
            remuneration_route=route,
            ir35_determination="" if employed else IR35Determination.OUTSIDE,
            ir35_determined_on=None if employed else today - datetime.timedelta(days=months * 30 + 5),
            hours_per_month=hours,
            annual_remuneration=annual,
            acting_user=host,
        )
        made += 1

    # A paid category C member (not a lead with an arrangement) who says they claim benefits.
    claimant = (
        Membership.objects.current(today)
        .filter(ppv_category=PPVCategory.C, person__benefits_advice__isnull=False)
        .exclude(role=MembershipRole.LEAD)
        .filter(person__involvement_payments__isnull=False)
        .order_by("pk")
        .first()
    )
    if claimant is not None:
        BenefitsAdviceRecord.objects.filter(person=claimant.person).update(claims_benefits=True)
    return made

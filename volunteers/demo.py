"""The demo volunteer who can sign in to the volunteer area (README: "Volunteer sign in")."""

from __future__ import annotations

import datetime

from django.utils import timezone

from members.enums import MembershipRole, PPVCategory
from members.models import Membership, Partnership, Person

DEMO_VOLUNTEER_EMAIL = "volunteer@example.org"


def seed_demo_volunteer(partnership_slug: str = "northshire") -> Person | None:
    """A category B volunteer of the demo Northshire MNVP, able to sign in and claim expenses.

    Idempotent: seeding again leaves the one person and the one membership.
    """
    partnership = Partnership.objects.filter(slug=partnership_slug).first()
    if partnership is None:
        return None
    person, _ = Person.objects.get_or_create(
        email=DEMO_VOLUNTEER_EMAIL,
        defaults={
            "first_name": "Vicky",
            "last_name": "Evans",
            "postcode": "NS1 3EF",
            "phone": "01632 960123",
        },
    )
    Membership.objects.get_or_create(
        person=person,
        partnership=partnership,
        role=MembershipRole.VOLUNTEER,
        end_date=None,
        defaults={
            "ppv_category": PPVCategory.B,
            "start_date": timezone.localdate() - datetime.timedelta(days=200),
        },
    )
    return person

"""The demo volunteer who can sign in to the volunteer area (README: "Volunteer sign in")."""

from __future__ import annotations

import datetime

from django.utils import timezone

from members.enums import MembershipRole, PPVCategory
from members.models import Membership, Partnership, Person, RoleRequirement, TrainingRecord

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
    _seed_some_training(person)
    return person


def _seed_some_training(person: Person) -> None:
    """One course of their role done two months ago and the rest still to do, so the training
    page has both; having a record also keeps the training demo from seeding them again."""
    if person.training_records.exists():
        return
    requirement = RoleRequirement.objects.filter(role=MembershipRole.VOLUNTEER).first()
    course = requirement and requirement.courses.filter(certificate_required=False).order_by("name").first()
    if course:
        TrainingRecord.objects.create(
            person=person,
            course=course,
            completed_on=timezone.localdate() - datetime.timedelta(days=60),
            notes="Demo record",
        )

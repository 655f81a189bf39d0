"""factory_boy factories for engagement activities, their volunteers, reach and actions."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from safeguarding.models import RiskAssessment
from workplans.enums import ActionStatus, ActivityKind, ActivityStatus
from workplans.models import (
    ActivityReach,
    ActivityVolunteer,
    BirthingPopulation,
    EngagementActivity,
    YouSaidWeDid,
)

from ..factories import PartnershipFactory, UserFactory


class ActivityRiskAssessmentFactory(DjangoModelFactory):
    """An approved assessment, current for a year (``not_approved=True``: never approved)."""

    class Meta:
        model = RiskAssessment

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Outreach at venue {n}")
    hazards = "Busy room, hot drinks, young children."
    controls = "Two volunteers at all times; drinks kept on a separate table."
    review_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=365))
    approved_by = factory.SubFactory(UserFactory)
    approved_at = factory.LazyFunction(timezone.now)

    class Params:
        approved = factory.Trait()
        not_approved = factory.Trait(approved_by=None, approved_at=None)


class EngagementActivityFactory(DjangoModelFactory):
    class Meta:
        model = EngagementActivity

    partnership = factory.SubFactory(PartnershipFactory)
    kind = ActivityKind.OUTREACH
    title = factory.Sequence(lambda n: f"Baby group visit {n}")
    held_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))
    place = "Northtown family hub"
    status = ActivityStatus.PLANNED


class ActivityVolunteerFactory(DjangoModelFactory):
    class Meta:
        model = ActivityVolunteer

    activity = factory.SubFactory(EngagementActivityFactory)
    person = None
    hours = Decimal("3.00")


class ActivityReachFactory(DjangoModelFactory):
    class Meta:
        model = ActivityReach

    activity = factory.SubFactory(EngagementActivityFactory)
    question = "ethnicity"
    category = "white_british"
    count = 10


class BirthingPopulationFactory(DjangoModelFactory):
    class Meta:
        model = BirthingPopulation

    partnership = factory.SubFactory(PartnershipFactory)
    question = "ethnicity"
    category = "white_british"
    percentage = Decimal("70.00")
    source = "Trust bookings 2025/26"


class YouSaidWeDidFactory(DjangoModelFactory):
    class Meta:
        model = YouSaidWeDid

    partnership = factory.SubFactory(PartnershipFactory)
    you_said = factory.Sequence(lambda n: f"The waiting room had nowhere to feed a baby ({n}).")
    we_did = ""
    owner = "Northshire Hospitals"
    status = ActionStatus.OPEN

"""Factories for the signposting directory and risk assessments.

Kept apart from tests/factories.py while other issue-5 work edits that file; fold
them in once it settles.
"""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from safeguarding.enums import SupportArea, SupportTopic
from safeguarding.models import RiskAssessment, SupportOrganisation
from tests.factories import PartnershipFactory, UserFactory


class SupportOrganisationFactory(DjangoModelFactory):
    class Meta:
        model = SupportOrganisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Support organisation {n}")
    helps_with = factory.LazyFunction(lambda: [SupportTopic.MENTAL_HEALTH])
    description = "Listens and helps."
    area = SupportArea.NATIONAL
    website = factory.LazyAttribute(lambda o: f"https://{o.name.lower().replace(' ', '-')}.example.org")
    active = True

    @factory.post_generation
    def partnerships(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.partnerships.set(extracted)


class RiskAssessmentFactory(DjangoModelFactory):
    class Meta:
        model = RiskAssessment

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Listening event {n}")
    venue = "Northtown children's centre"
    hazards = "Trip hazards from buggies in the walkway."
    controls = "Buggy park by the door; volunteer checks the walkway every hour."
    review_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=180))

    class Params:
        approved = factory.Trait(
            approved_by=factory.SubFactory(UserFactory),
            approved_at=factory.LazyFunction(timezone.now),
        )

"""factory_boy factories for feedback themes and feedback items."""

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from workplans.enums import FeedbackSource, ServiceArea
from workplans.models import FeedbackItem, FeedbackTheme

from ..factories import PartnershipFactory


class FeedbackThemeFactory(DjangoModelFactory):
    class Meta:
        model = FeedbackTheme
        django_get_or_create = ("parent", "name")

    parent = None
    name = factory.Sequence(lambda n: f"Theme {n}")
    keywords = ""


class FeedbackItemFactory(DjangoModelFactory):
    class Meta:
        model = FeedbackItem
        skip_postgeneration_save = True

    partnership = factory.SubFactory(PartnershipFactory)
    received_on = factory.LazyFunction(timezone.localdate)
    source = FeedbackSource.SURVEY
    service_area = ServiceArea.BIRTH
    text = factory.Sequence(lambda n: f"Comment number {n} about the ward.")

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)

"""factory_boy factories for workplans, objectives, milestones and their updates."""

import datetime

import factory
from factory.django import DjangoModelFactory

from workplans.enums import MilestoneStatus, SignOffStage, Theme
from workplans.models import Milestone, MilestoneUpdate, Objective, Workplan, WorkplanSignOff
from workplans.models.plans import financial_year_of

from ..factories import PartnershipFactory, UserFactory

# This financial year, so the screens' default year (and their year choices) include it.
YEAR = financial_year_of(datetime.date.today())


class WorkplanFactory(DjangoModelFactory):
    class Meta:
        model = Workplan
        django_get_or_create = ("partnership", "year")

    partnership = factory.SubFactory(PartnershipFactory)
    year = YEAR
    strategy = "Listen to families, especially those seldom heard, and act on what they say."
    stage = SignOffStage.DRAFT


class ObjectiveFactory(DjangoModelFactory):
    class Meta:
        model = Objective

    workplan = factory.SubFactory(WorkplanFactory)
    theme = Theme.LISTENING
    title = factory.Sequence(lambda n: f"Objective {n}")


class MilestoneFactory(DjangoModelFactory):
    class Meta:
        model = Milestone

    objective = factory.SubFactory(ObjectiveFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    owner = factory.SubFactory(UserFactory)
    due_on = datetime.date(YEAR, 9, 30)
    status = MilestoneStatus.NOT_STARTED


class MilestoneUpdateFactory(DjangoModelFactory):
    class Meta:
        model = MilestoneUpdate

    milestone = factory.SubFactory(MilestoneFactory)
    by = factory.SubFactory(UserFactory)
    status = MilestoneStatus.ON_TRACK
    note = "Going well."


class WorkplanSignOffFactory(DjangoModelFactory):
    class Meta:
        model = WorkplanSignOff

    workplan = factory.SubFactory(WorkplanFactory)
    stage = SignOffStage.COPRODUCED
    by = factory.SubFactory(UserFactory)


def milestone_in(partnership, **kwargs) -> Milestone:
    """A milestone of ``partnership``'s workplan (one per MNVP and year)."""
    workplan = WorkplanFactory(partnership=partnership, year=kwargs.pop("year", YEAR))
    return MilestoneFactory(objective=ObjectiveFactory(workplan=workplan), **kwargs)

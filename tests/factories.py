"""factory_boy factories shared by the whole suite."""

from decimal import Decimal

import factory
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from members.enums import (
    ApplicationStage,
    EqualityQuestion,
    MembershipRole,
    PartnershipRole,
    PartnershipStatus,
    PPVCategory,
)
from members.models import (
    Application,
    EqualityMonitoring,
    Membership,
    Partnership,
    PartnershipAccess,
    Person,
    ReferencePopulation,
    ServedUnit,
    User,
)
from members.roles import group_name
from members.services.access import grant_partnership_access


class PartnershipFactory(DjangoModelFactory):
    class Meta:
        model = Partnership
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Partnership {n} MNVP")
    slug = factory.Sequence(lambda n: f"partnership-{n}")
    status = PartnershipStatus.ACTIVE
    icb_name = "Northshire and Southvale ICB"
    icb_code = "QNS"
    lmns_name = "Northshire and Southvale LMNS"
    footprint = "Two towns and the villages around them"
    contact_email = factory.LazyAttribute(lambda p: f"hello@{p.slug}.example.org")


class ServedUnitFactory(DjangoModelFactory):
    class Meta:
        model = ServedUnit

    partnership = factory.SubFactory(PartnershipFactory)
    trust_name = "Northshire Hospitals NHS Foundation Trust"
    unit_name = factory.Sequence(lambda n: f"Unit {n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = "Sam"
    last_name = factory.Sequence(lambda n: f"Tester{n}")
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def role(obj, create, extracted, **kwargs):
        """``UserFactory(role=Role.HOST_STAFF)`` puts the user in that role's group."""
        if create and extracted:
            obj.groups.add(Group.objects.get(name=group_name(extracted)))


def lead_of(partnership, **kwargs) -> User:
    """An MNVP lead of ``partnership``, granted through the real service."""
    user = UserFactory(**kwargs)
    grant_partnership_access(user=user, partnership=partnership, role=PartnershipRole.MNVP_LEAD)
    return user


def commissioner_of(*partnerships, **kwargs) -> User:
    """An ICB commissioner who may view ``partnerships``."""
    user = UserFactory(**kwargs)
    for partnership in partnerships:
        grant_partnership_access(user=user, partnership=partnership, role=PartnershipRole.ICB_COMMISSIONER)
    return user


class PartnershipAccessFactory(DjangoModelFactory):
    class Meta:
        model = PartnershipAccess

    user = factory.SubFactory(UserFactory)
    partnership = factory.SubFactory(PartnershipFactory)
    role = PartnershipRole.MNVP_LEAD


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    postcode = "NS1 2AB"


class ApplicationFactory(DjangoModelFactory):
    class Meta:
        model = Application

    person = factory.SubFactory(PersonFactory)
    partnership = factory.SubFactory(PartnershipFactory)
    stage = ApplicationStage.NEW
    involvement = factory.LazyFunction(lambda: ["listening"])


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    partnership = factory.SubFactory(PartnershipFactory)
    role = MembershipRole.VOLUNTEER
    ppv_category = PPVCategory.B


class EqualityMonitoringFactory(DjangoModelFactory):
    """Equality answers for a person; every question unanswered unless given."""

    class Meta:
        model = EqualityMonitoring

    person = factory.SubFactory(PersonFactory)


class ReferencePopulationFactory(DjangoModelFactory):
    """A host-wide reference figure unless ``partnership`` is given."""

    class Meta:
        model = ReferencePopulation

    partnership = None
    question = EqualityQuestion.ETHNICITY
    category = "white_british"
    percentage = Decimal("73.50")
    source = "Census 2021, England"

"""factory_boy factories shared by the whole suite."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth.models import Group
from django.utils import timezone
from factory.django import DjangoModelFactory

from members.enums import (
    ApplicationStage,
    DBSLevel,
    DBSOutcome,
    EqualityQuestion,
    MembershipRole,
    PartnershipRole,
    PartnershipStatus,
    PPVCategory,
)
from members.models import (
    Application,
    Course,
    DBSCheck,
    EqualityMonitoring,
    Membership,
    Partnership,
    PartnershipAccess,
    Person,
    ReferencePopulation,
    RoleRequirement,
    ServedUnit,
    TrainingRecord,
    User,
)
from members.roles import group_name
from members.services.access import grant_partnership_access
from safeguarding.enums import CaseKind, CaseStage, ConcernAbout, ConcernKind
from safeguarding.models import Case, Concern
from safeguarding.permissions import grant_case_access


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


class CourseFactory(DjangoModelFactory):
    class Meta:
        model = Course
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Course {n}")
    provider = "Host training team"
    validity_months = 12


class RoleRequirementFactory(DjangoModelFactory):
    """What a role needs: ``courses=[...]`` and ``dbs_level``."""

    class Meta:
        model = RoleRequirement
        django_get_or_create = ("role",)
        skip_postgeneration_save = True

    role = MembershipRole.VOLUNTEER
    dbs_level = ""

    @factory.post_generation
    def courses(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.courses.set(extracted)


class TrainingRecordFactory(DjangoModelFactory):
    class Meta:
        model = TrainingRecord

    person = factory.SubFactory(PersonFactory)
    course = factory.SubFactory(CourseFactory)
    completed_on = factory.Faker("date_between", start_date="-300d", end_date="-1d")


class DBSCheckFactory(DjangoModelFactory):
    """A clear enhanced check, issued a year ago, rechecked three years after issue."""

    class Meta:
        model = DBSCheck

    person = factory.SubFactory(PersonFactory)
    level = DBSLevel.ENHANCED
    certificate_number = factory.Sequence(lambda n: f"{n:012d}")
    issued_on = factory.Faker("date_between", start_date="-400d", end_date="-300d")
    outcome = DBSOutcome.CLEAR
    recheck_due_on = factory.LazyAttribute(lambda c: c.issued_on.replace(year=c.issued_on.year + 3))


class ConcernFactory(DjangoModelFactory):
    """A concern just reported, with little identity (as on outreach), no immediate risk.

    Made directly, not through ``report_concern``: tests of the services call it
    themselves. Trait ``allegation`` names a subject person; pass ``immediate_risk=True``.
    """

    class Meta:
        model = Concern

    partnership = factory.SubFactory(PartnershipFactory)
    reported_by = factory.SubFactory(UserFactory)
    about = ConcernAbout.CHILD
    who_described = "A mum called Jo, ward 4"
    where = "Ward 4 listening event"
    what_happened = factory.Sequence(lambda n: f"Said her partner hits her when he drinks ({n})")
    action_taken = "Gave her the domestic abuse helpline number"

    class Params:
        allegation = factory.Trait(
            kind=ConcernKind.ALLEGATION,
            about=ConcernAbout.OTHER,
            subject_person=factory.SubFactory(PersonFactory),
        )


class CaseFactory(DjangoModelFactory):
    """A grievance just received, acknowledgement due in a week, nobody assigned.

    Made directly, not through ``open_case``: service tests call it themselves. Trait
    ``complaint_against`` names a subject person; ``handled_by(case, user)`` assigns.
    """

    class Meta:
        model = Case

    kind = CaseKind.GRIEVANCE
    partnership = factory.SubFactory(PartnershipFactory)
    reference = factory.Sequence(lambda n: f"GC-TEST-{n:04d}")
    raised_by_name = factory.Faker("name", locale="en_GB")
    summary = factory.Sequence(lambda n: f"Left out of planning meetings after raising concerns ({n})")
    stage = CaseStage.RECEIVED
    stage_due_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))

    class Params:
        complaint_against = factory.Trait(
            kind=CaseKind.COMPLAINT_AGAINST, subject_person=factory.SubFactory(PersonFactory)
        )


def handled_by(case, user):
    """Make ``user`` the case's handler, with the object permissions the service grants."""
    case.handler = user
    case.save(update_fields=["handler"])
    grant_case_access(case, user)
    return case

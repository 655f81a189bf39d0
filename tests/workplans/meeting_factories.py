"""Factories for committees and meetings (issue 10, meetings and representation)."""

import datetime

import factory
from factory.django import DjangoModelFactory

from workplans.enums import CommitteeKind, PaymentLength
from workplans.models import Committee, Meeting, MeetingAttendance


class CommitteeFactory(DjangoModelFactory):
    class Meta:
        model = Committee

    name = factory.Sequence(lambda n: f"Maternity governance {n}")
    kind = CommitteeKind.TRUST_GOVERNANCE
    organisation = "Northshire Hospitals NHS Trust"
    expected_per_year = 12

    class Params:
        # The LMNS board: host-level, a service user needed for quorum.
        host_board = factory.Trait(
            partnership=None,
            name="LMNS board",
            kind=CommitteeKind.LMNS_BOARD,
            service_user_needed_for_quorum=True,
            expected_per_year=6,
        )


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting

    committee = factory.SubFactory(CommitteeFactory, partnership=factory.SelfAttribute("..partnership"))
    held_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=7))
    quorate = True


class MeetingAttendanceFactory(DjangoModelFactory):
    class Meta:
        model = MeetingAttendance

    meeting = factory.SubFactory(MeetingFactory)
    length = PaymentLength.HALF_DAY

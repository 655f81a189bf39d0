"""When each stay in a stage ended: ``left_at`` on the stage change that began it, kept by every path."""

import datetime

import pytest

from members.enums import ApplicationStage as S
from members.enums import MembershipRole, PPVCategory
from members.models import Application, ApplicationStageChange
from members.services.recruitment import (
    Signup,
    accept_application,
    move_application,
    open_application,
    submit_signup,
)
from members.stays import record_stays
from tests.factories import ApplicationFactory, PersonFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
T0 = datetime.datetime(2026, 5, 1, 10, tzinfo=datetime.UTC)


def history(application):
    """(from, to, changed_at, left_at) of each change, oldest first."""
    return list(
        ApplicationStageChange.objects.filter(application=application)
        .order_by("changed_at", "pk")
        .values_list("from_stage", "to_stage", "changed_at", "left_at")
    )


def change(application, to_stage, at, from_stage=""):
    return ApplicationStageChange.objects.create(
        application=application, from_stage=from_stage, to_stage=to_stage, changed_at=at
    )


def signup(north, involvement, now):
    return submit_signup(
        signup=Signup(
            first_name="Amina",
            last_name="Yusuf",
            email="a@example.org",
            postcode="NS1 2AB",
            partnerships=[north],
            involvement=involvement,
        ),
        now=now,
    )


def test_each_move_ends_the_stay_before_and_a_repeat_signup_ends_none(north, host_staff):
    signup(north, ["listening"], T0)
    application = Application.objects.get()
    move_application(application=application, to_stage=S.CONTACTED, acting_user=host_staff, now=T0 + DAY)
    signup(north, ["surveys"], T0 + 2 * DAY)  # a note on the stage, written in bulk
    move_application(application=application, to_stage=S.WITHDRAWN, acting_user=host_staff, now=T0 + 30 * DAY)

    assert [(frm, to, left) for frm, to, _at, left in history(application)] == [
        ("", S.NEW, T0 + DAY),
        (S.NEW, S.CONTACTED, T0 + 30 * DAY),
        (S.CONTACTED, S.CONTACTED, None),
        (S.CONTACTED, S.WITHDRAWN, None),
    ]


def test_accepting_ends_the_stay_in_induction(north, host_staff):
    application = ApplicationFactory(partnership=north, stage=S.INDUCTION, stage_changed_at=T0)
    change(application, S.INDUCTION, T0, from_stage=S.CHECKS)
    accept_application(
        application=application,
        role=MembershipRole.VOLUNTEER,
        ppv_category=PPVCategory.B,
        start_date=datetime.date(2026, 5, 4),
        acting_user=host_staff,
        now=T0 + 3 * DAY,
    )

    assert [(to, left) for _f, to, _at, left in history(application)] == [
        (S.INDUCTION, T0 + 3 * DAY),
        (S.ACCEPTED, None),
    ]


def test_staff_entered_application_starts_with_an_open_stay(north, host_staff):
    application = open_application(
        application=ApplicationFactory.build(partnership=north, person=PersonFactory()),
        acting_user=host_staff,
        now=T0,
    )
    move_application(application=application, to_stage=S.WITHDRAWN, acting_user=host_staff, now=T0 + 2 * DAY)

    assert [(to, left) for _f, to, _at, left in history(application)] == [
        (S.NEW, T0 + 2 * DAY),
        (S.WITHDRAWN, None),
    ]


def test_a_change_saved_out_of_order_ends_the_stay_it_falls_in(north):
    application = ApplicationFactory(partnership=north, stage=S.CONVERSATION)
    change(application, S.NEW, T0)
    change(application, S.CONVERSATION, T0 + 10 * DAY, from_stage=S.CONTACTED)
    change(application, S.CONTACTED, T0 + 4 * DAY, from_stage=S.NEW)  # recorded late

    assert [(to, left) for _f, to, _at, left in history(application)] == [
        (S.NEW, T0 + 4 * DAY),
        (S.CONTACTED, T0 + 10 * DAY),
        (S.CONVERSATION, None),
    ]


def test_a_note_between_two_moves_neither_ends_a_stay_nor_has_one(north):
    application = ApplicationFactory(partnership=north, stage=S.CONTACTED)
    change(application, S.NEW, T0)
    change(application, S.CONTACTED, T0 + 6 * DAY, from_stage=S.NEW)
    change(application, S.NEW, T0 + 3 * DAY, from_stage=S.NEW)  # a note

    assert [(frm, to, left) for frm, to, _at, left in history(application)] == [
        ("", S.NEW, T0 + 6 * DAY),
        (S.NEW, S.NEW, None),
        (S.NEW, S.CONTACTED, None),
    ]


def test_changes_at_the_same_moment_are_taken_in_the_order_they_were_written(north):
    application = ApplicationFactory(partnership=north, stage=S.CONTACTED)
    first = change(application, S.NEW, T0)
    second = change(application, S.CONTACTED, T0, from_stage=S.NEW)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.left_at, second.left_at) == (T0, None)  # a stay of no time


def test_bulk_written_history_gets_its_stays_from_record_stays(north):
    applications = ApplicationFactory.create_batch(2, partnership=north, stage=S.CHECKS)
    ApplicationStageChange.objects.bulk_create(
        ApplicationStageChange(application=a, from_stage=frm, to_stage=to, changed_at=T0 + days * DAY)
        for a in applications
        for frm, to, days in (("", S.NEW, 0), (S.NEW, S.CHECKS, 5))
    )
    assert not ApplicationStageChange.objects.filter(left_at__isnull=False).exists()  # no signals

    assert record_stays([applications[0].pk]) == 2
    assert [left for *_rest, left in history(applications[0])] == [T0 + 5 * DAY, None]
    assert [left for *_rest, left in history(applications[1])] == [None, None]

    record_stays()
    assert [left for *_rest, left in history(applications[1])] == [T0 + 5 * DAY, None]

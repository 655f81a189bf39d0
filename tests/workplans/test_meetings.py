"""Meetings and who attended: payments raised from attendance, never twice; every view scoped.

Attendance raises a category C member's involvement payment through the payments
service; editing the length corrects that payment, removing the attendance cancels
it. A member without benefits advice waits; categories A and B are never paid.
"""

import datetime
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from members.enums import PPVCategory
from workplans.enums import BudgetCategory, PaymentLength, PaymentStatus
from workplans.models import InvolvementPayment, Meeting, MeetingAttendance
from workplans.services import meetings as services
from workplans.services import payments as payment_services

from .meeting_factories import CommitteeFactory, MeetingAttendanceFactory, MeetingFactory
from .money_factories import BudgetLineFactory, MoneyWorkplanFactory, member

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
LAST_WEEK = TODAY - datetime.timedelta(days=7)
HALF, FULL = PaymentLength.HALF_DAY, PaymentLength.FULL_DAY


def advised(person, user):
    payment_services.record_benefits_advice(
        person=person, told_on=datetime.date(2020, 1, 1), acting_user=user
    )
    return person


@pytest.fixture
def meeting(north):
    return MeetingFactory(partnership=north, held_on=LAST_WEEK)


def attend(meeting, person, user, length=HALF):
    return services.set_attendance(meeting=meeting, person=person, length=length, acting_user=user)


# Recording meetings ----------------------------------------------------------------------


def test_a_lead_records_a_meeting_of_their_mnvp_at_its_committee_or_a_host_one(north, north_lead):
    own = CommitteeFactory(partnership=north)
    board = CommitteeFactory(host_board=True)
    for committee in (own, board):
        meeting = services.record_meeting(
            committee=committee,
            partnership=north,
            held_on=LAST_WEEK,
            quorate=True,
            raised="Waiting times for induction",
            influenced="",
            milestones=[],
            themes=[],
            acting_user=north_lead,
        )
        assert meeting.created_by == north_lead


def test_another_mnvps_committee_is_refused(north, south, host_staff):
    with pytest.raises(ValidationError) as caught:
        services.record_meeting(
            committee=CommitteeFactory(partnership=south),
            partnership=north,
            held_on=LAST_WEEK,
            quorate=True,
            acting_user=host_staff,
        )
    assert "committee" in caught.value.message_dict


def test_a_lead_cannot_record_a_meeting_of_another_mnvp(south, north_lead, north_commissioner, no_role_user):
    for user in (north_lead, north_commissioner, no_role_user):
        with pytest.raises(PermissionDenied):
            services.record_meeting(
                committee=CommitteeFactory(host_board=True, name=f"Board {user.pk}"),
                partnership=south,
                held_on=LAST_WEEK,
                quorate=True,
                acting_user=user,
            )


# Attendance and payments -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("category", "paid"), [(PPVCategory.A, False), (PPVCategory.B, False), (PPVCategory.C, True)]
)
def test_attendance_raises_a_payment_for_category_c_only(meeting, north, host_staff, category, paid):
    person = advised(member(north, category), host_staff)
    attendance = attend(meeting, person, host_staff, FULL)
    assert (attendance.payment is not None) is paid
    assert InvolvementPayment.objects.count() == int(paid)
    if paid:
        payment = attendance.payment
        assert (payment.amount, payment.length, payment.activity_on) == (Decimal("150.00"), FULL, LAST_WEEK)
        assert meeting.committee.name in payment.activity


def test_the_payment_is_charged_to_the_years_meeting_involvement_line(meeting, north, host_staff):
    from workplans.models.plans import financial_year_of

    workplan = MoneyWorkplanFactory(partnership=north, year=financial_year_of(LAST_WEEK))
    line = BudgetLineFactory(workplan=workplan, category=BudgetCategory.LMNS_INVOLVEMENT)
    person = advised(member(north, PPVCategory.C), host_staff)
    assert attend(meeting, person, host_staff).payment.budget_line == line


def test_editing_the_length_corrects_the_same_payment(meeting, north, host_staff):
    person = advised(member(north, PPVCategory.C), host_staff)
    first = attend(meeting, person, host_staff, HALF).payment
    again = attend(meeting, person, host_staff, FULL)
    assert again.payment.pk == first.pk
    assert InvolvementPayment.objects.count() == 1
    assert InvolvementPayment.objects.get().amount == Decimal("150.00")
    attend(meeting, person, host_staff, FULL)  # saved again unchanged: still one payment
    assert InvolvementPayment.objects.count() == 1
    assert MeetingAttendance.objects.count() == 1


def test_removing_the_attendance_cancels_its_payment(meeting, north, host_staff):
    person = advised(member(north, PPVCategory.C), host_staff)
    payment = attend(meeting, person, host_staff).payment
    services.remove_attendance(attendance=MeetingAttendance.objects.get(), acting_user=host_staff)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CANCELLED
    assert not MeetingAttendance.objects.exists()


def test_a_paid_attendance_cannot_be_removed_or_shortened(meeting, north, host_staff):
    person = advised(member(north, PPVCategory.C), host_staff)
    payment = attend(meeting, person, host_staff, FULL).payment
    payment_services.mark_payment_paid(payment=payment, acting_user=host_staff, paid_on=TODAY)
    with pytest.raises(ValidationError):
        attend(meeting, person, host_staff, HALF)
    with pytest.raises(ValidationError):
        services.remove_attendance(attendance=MeetingAttendance.objects.get(), acting_user=host_staff)
    payment.refresh_from_db()
    assert (payment.status, payment.amount) == (PaymentStatus.PAID, Decimal("150.00"))


def test_without_benefits_advice_the_payment_waits_then_is_raised_once(meeting, north, host_staff):
    person = member(north, PPVCategory.C)
    attendance = attend(meeting, person, host_staff)
    assert attendance.payment is None
    [row] = services.attendance_rows(meeting)
    assert row.state == "waiting_advice"
    advised(person, host_staff)
    attend(meeting, person, host_staff)
    attend(meeting, person, host_staff)
    assert InvolvementPayment.objects.filter(person=person).count() == 1
    [row] = services.attendance_rows(meeting)
    assert row.state == PaymentStatus.APPROVED


def test_a_lead_records_attendance_and_the_payment_waits_for_host_staff(
    meeting, north, north_lead, host_staff
):
    person = advised(member(north, PPVCategory.C), host_staff)
    assert attend(meeting, person, north_lead).payment is None
    assert services.attendance_rows(meeting)[0].state == "waiting_host"
    assert attend(meeting, person, host_staff).payment is not None
    with pytest.raises(ValidationError):  # a lead does not change a raised payment
        attend(meeting, person, north_lead, FULL)
    with pytest.raises(ValidationError):
        services.remove_attendance(attendance=MeetingAttendance.objects.get(), acting_user=north_lead)


def test_only_current_members_of_the_meetings_mnvp_attend(meeting, south, host_staff):
    with pytest.raises(ValidationError) as caught:
        attend(meeting, member(south, PPVCategory.C), host_staff)
    assert "person" in caught.value.message_dict


def test_attendance_of_a_meeting_still_to_come_is_refused(north, host_staff):
    meeting = MeetingFactory(partnership=north, held_on=TODAY + datetime.timedelta(days=3))
    with pytest.raises(ValidationError):
        attend(meeting, member(north, PPVCategory.A), host_staff)


def test_the_date_of_a_meeting_with_payments_cannot_change(meeting, north, host_staff):
    attend(meeting, advised(member(north, PPVCategory.C), host_staff), host_staff)
    meeting.held_on = LAST_WEEK - datetime.timedelta(days=1)
    with pytest.raises(ValidationError):
        services.save_meeting(meeting=meeting, acting_user=host_staff)


def test_deleting_a_meeting_cancels_its_payments(meeting, north, host_staff):
    payment = attend(meeting, advised(member(north, PPVCategory.C), host_staff), host_staff).payment
    services.delete_meeting(meeting=meeting, acting_user=host_staff)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CANCELLED
    assert not Meeting.objects.exists()


# Views: scoping --------------------------------------------------------------------------


def assert_denied(response):
    assert response.status_code == HTTPStatus.FOUND
    location = response["Location"]
    assert location == reverse("wagtailadmin_home") or location.startswith(reverse("wagtailadmin_login"))


@pytest.fixture
def south_meeting(south):
    meeting = MeetingFactory(partnership=south, held_on=LAST_WEEK)
    MeetingAttendanceFactory(meeting=meeting, person=member(south, PPVCategory.A))
    return meeting


@pytest.fixture
def north_attendance(meeting, north):
    return MeetingAttendanceFactory(meeting=meeting, person=member(north, PPVCategory.A))


def meeting_urls(meeting):
    attendance = meeting.attendances.first()
    return [
        reverse("meetings:inspect", args=[meeting.pk]),
        reverse("meetings:edit", args=[meeting.pk]),
        reverse("meetings:add_attendance", args=[meeting.pk]),
        reverse("meetings:edit_attendance", args=[meeting.pk, attendance.pk]),
        reverse("meetings:remove_attendance", args=[meeting.pk, attendance.pk]),
    ]


def test_lead_gets_404_on_every_view_of_another_mnvps_meeting(client, north_lead, south_meeting):
    client.force_login(north_lead)
    for url in meeting_urls(south_meeting):
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND, url
        assert client.post(url, {"length": FULL}).status_code == HTTPStatus.NOT_FOUND, url
    assert MeetingAttendance.objects.get(meeting=south_meeting).length == HALF


def test_lead_reaches_every_view_of_their_own_meeting(client, north_lead, north_attendance):
    client.force_login(north_lead)
    for url in meeting_urls(north_attendance.meeting):
        assert client.get(url).status_code == HTTPStatus.OK, url


def test_icb_commissioner_reads_but_changes_nothing(
    client, north_commissioner, north_attendance, south_meeting
):
    client.force_login(north_commissioner)
    meeting = north_attendance.meeting
    urls = meeting_urls(meeting)
    assert client.get(urls[0]).status_code == HTTPStatus.OK
    for url in urls[1:]:
        assert_denied(client.get(url))
    assert (
        client.get(reverse("meetings:inspect", args=[south_meeting.pk])).status_code == HTTPStatus.NOT_FOUND
    )
    listing = client.get(reverse("meetings:index"))
    assert {m.pk for m in listing.context["object_list"]} == {meeting.pk}


def test_no_role_user_is_refused_every_meeting_view(client, no_role_user, north_attendance):
    client.force_login(no_role_user)
    for url in [
        reverse("meetings:index"),
        reverse("committees:index"),
        *meeting_urls(north_attendance.meeting),
    ]:
        response = client.get(url)
        assert response.status_code in (HTTPStatus.FOUND, HTTPStatus.NOT_FOUND), url
        if response.status_code == HTTPStatus.FOUND:
            assert_denied(response)


def test_meeting_listing_holds_the_users_mnvps_only(client, north_lead, meeting, south_meeting):
    client.force_login(north_lead)
    response = client.get(reverse("meetings:index"))
    assert response.status_code == HTTPStatus.OK
    shown = {m.pk for m in response.context["object_list"]}
    assert shown == {meeting.pk}


def test_committees_host_edits_others_read_their_own_and_host_ones(
    client, host_staff, north_lead, north_commissioner, north, south
):
    own, other, board = (
        CommitteeFactory(partnership=north),
        CommitteeFactory(partnership=south),
        CommitteeFactory(host_board=True),
    )
    for user in (north_lead, north_commissioner):
        client.force_login(user)
        shown = {c.pk for c in client.get(reverse("committees:index")).context["object_list"]}
        assert shown == {own.pk, board.pk}
        assert client.get(reverse("committees:inspect", args=[other.pk])).status_code == HTTPStatus.NOT_FOUND
        assert_denied(client.get(reverse("committees:edit", args=[own.pk])))
        assert_denied(client.get(reverse("committees:add")))
    client.force_login(host_staff)
    assert client.get(reverse("committees:edit", args=[other.pk])).status_code == HTTPStatus.OK


# Views: recording ------------------------------------------------------------------------


def test_lead_adds_a_meeting_through_the_form(client, north_lead, north):
    committee = CommitteeFactory(partnership=north)
    client.force_login(north_lead)
    response = client.post(
        reverse("meetings:add"),
        {
            "partnership": north.pk,
            "committee": committee.pk,
            "held_on": LAST_WEEK.isoformat(),
            "quorate": "true",
        },
    )
    assert response.status_code == HTTPStatus.FOUND, response.context["form"].errors
    assert Meeting.objects.get().created_by == north_lead


def test_the_form_refuses_another_mnvps_committee(client, host_staff, north, south):
    committee = CommitteeFactory(partnership=south)
    client.force_login(host_staff)
    response = client.post(
        reverse("meetings:add"),
        {
            "partnership": north.pk,
            "committee": committee.pk,
            "held_on": LAST_WEEK.isoformat(),
            "quorate": "true",
        },
    )
    assert response.status_code == HTTPStatus.OK
    assert not Meeting.objects.exists()


def test_host_staff_add_edit_and_remove_an_attendance_and_the_page_shows_the_payment(
    client, host_staff, meeting, north
):
    person = advised(member(north, PPVCategory.C), host_staff)
    client.force_login(host_staff)
    response = client.post(
        reverse("meetings:add_attendance", args=[meeting.pk]), {"person": person.pk, "length": HALF}
    )
    assert response.status_code == HTTPStatus.FOUND
    attendance = MeetingAttendance.objects.get()
    page = client.get(reverse("meetings:inspect", args=[meeting.pk])).content.decode()
    assert "£75.00 approved" in page
    client.post(reverse("meetings:edit_attendance", args=[meeting.pk, attendance.pk]), {"length": FULL})
    assert InvolvementPayment.objects.get().amount == Decimal("150.00")
    client.post(reverse("meetings:remove_attendance", args=[meeting.pk, attendance.pk]))
    assert InvolvementPayment.objects.get().status == PaymentStatus.CANCELLED
    assert not MeetingAttendance.objects.exists()


def test_the_page_says_the_payment_waits_for_benefits_advice(client, host_staff, meeting, north):
    person = member(north, PPVCategory.C)
    client.force_login(host_staff)
    client.post(reverse("meetings:add_attendance", args=[meeting.pk]), {"person": person.pk, "length": HALF})
    page = client.get(reverse("meetings:inspect", args=[meeting.pk])).content.decode()
    assert "waiting for the benefits advice" in page
    assert not InvolvementPayment.objects.exists()


def test_inspect_runs_the_same_queries_for_two_attendances_or_eight(
    client, host_staff, meeting, north, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(host_staff)
    url = reverse("meetings:inspect", args=[meeting.pk])
    counts = []
    for extra in (2, 6):
        for _ in range(extra):
            person = advised(member(north, PPVCategory.C), host_staff)
            attend(meeting, person, host_staff)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == HTTPStatus.OK
        counts.append(len(queries))
    assert counts[0] == counts[1]


# Demo ------------------------------------------------------------------------------------


def test_seed_meetings_fills_a_year_with_payments_and_missed_meetings_and_is_idempotent(
    north, south, host_staff
):
    from workplans.meetings_demo import seed_meetings
    from workplans.models import Committee
    from workplans.models.plans import financial_year_of
    from workplans.representation import representation_report

    paid = advised(member(north, PPVCategory.C), host_staff)
    member(north, PPVCategory.A)
    member(south, PPVCategory.B)
    assert seed_meetings() == 2
    counts = (Committee.objects.count(), Meeting.objects.count(), MeetingAttendance.objects.count())
    payments = InvolvementPayment.objects.count()
    assert seed_meetings() == 0
    assert counts == (Committee.objects.count(), Meeting.objects.count(), MeetingAttendance.objects.count())
    assert InvolvementPayment.objects.count() == payments
    assert (
        Committee.objects.filter(partnership__isnull=True, service_user_needed_for_quorum=True).count() == 1
    )
    assert Meeting.objects.filter(partnership=north).count() > 30
    assert set(InvolvementPayment.objects.values_list("person", flat=True)) == {paid.pk}
    assert not InvolvementPayment.objects.filter(person__memberships__ppv_category__in=["A", "B"]).exists()
    report = representation_report(host_staff, year=financial_year_of(TODAY))
    assert report.missed > 0
    assert report.influenced > 0


def test_quoracy_may_be_left_unknown(client, host_staff, north):
    committee = CommitteeFactory(partnership=north)
    client.force_login(host_staff)
    response = client.post(
        reverse("meetings:add"),
        {
            "partnership": north.pk,
            "committee": committee.pk,
            "held_on": LAST_WEEK.isoformat(),
            "quorate": "unknown",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    assert Meeting.objects.get().quorate is None

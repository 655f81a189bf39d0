"""Lead arrangements: the constraint's messages, the admin's scoping, and the IR35 review reminder."""

import datetime
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members.enums import MembershipRole, PPVCategory
from tests.factories import MembershipFactory, PersonFactory
from tests.members.test_partnership_views import assert_refused
from workplans.benefits_letter import benefits_letter
from workplans.enums import IR35Determination, RemunerationRoute
from workplans.models import BenefitsAdviceRecord, IR35Reminder, LeadArrangement
from workplans.services import leadership as services

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
LONG_AGO = datetime.date(2015, 1, 1)


def lead_membership(partnership, role=MembershipRole.LEAD, **kwargs):
    return MembershipFactory(
        person=PersonFactory(),
        partnership=partnership,
        role=role,
        ppv_category=PPVCategory.C,
        start_date=LONG_AGO,
        **kwargs,
    )


def arrange(membership, user, *, route=RemunerationRoute.SELF_EMPLOYED, determined_on=None, **kwargs):
    employed = route == RemunerationRoute.EMPLOYED
    return services.create_lead_arrangement(
        membership=membership,
        remuneration_route=route,
        ir35_determination="" if employed else IR35Determination.OUTSIDE,
        ir35_determined_on=None if employed else (determined_on or TODAY - datetime.timedelta(days=30)),
        hours_per_month=Decimal("40.0"),
        annual_remuneration=Decimal("18000.00"),
        acting_user=user,
        **kwargs,
    )


# The constraint, in words ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("route", "determination", "determined_on", "field", "words"),
    [
        (RemunerationRoute.SELF_EMPLOYED, "", TODAY, "ir35_determination", "needs an off-payroll (IR35)"),
        (
            RemunerationRoute.THIRD_PARTY,
            IR35Determination.INSIDE,
            None,
            "ir35_determined_on",
            "Give the date",
        ),
        (
            RemunerationRoute.SELF_EMPLOYED,
            IR35Determination.OUTSIDE,
            TODAY + datetime.timedelta(days=1),
            "ir35_determined_on",
            "not in the future",
        ),
        (RemunerationRoute.EMPLOYED, IR35Determination.INSIDE, TODAY, "ir35_determination", "leave the IR35"),
    ],
)
def test_the_ir35_rules_are_refused_beside_the_field_at_fault(
    north, host_staff, route, determination, determined_on, field, words
):
    with pytest.raises(ValidationError) as raised:
        services.create_lead_arrangement(
            membership=lead_membership(north),
            remuneration_route=route,
            ir35_determination=determination,
            ir35_determined_on=determined_on,
            hours_per_month=Decimal("20"),
            annual_remuneration=Decimal("9000.00"),
            acting_user=host_staff,
        )
    assert words in " ".join(raised.value.message_dict[field])
    assert not LeadArrangement.objects.exists()


def test_only_a_current_lead_membership_has_an_arrangement(north, host_staff):
    volunteer = lead_membership(north, role=MembershipRole.VOLUNTEER)
    former = lead_membership(north, end_date=TODAY - datetime.timedelta(days=1))
    for membership in (volunteer, former):
        with pytest.raises(ValidationError) as raised:
            arrange(membership, host_staff)
        assert "lead roles only" in raised.value.message_dict["membership"][0]
    for role in (MembershipRole.LEAD, MembershipRole.NEONATAL_LEAD, MembershipRole.BEREAVEMENT_LEAD):
        assert arrange(lead_membership(north, role=role), host_staff).pk


def test_an_update_that_breaks_the_rule_is_refused_and_nothing_saved(north, host_staff):
    arrangement = arrange(lead_membership(north), host_staff)
    with pytest.raises(ValidationError) as raised:
        services.update_lead_arrangement(
            arrangement=arrangement, acting_user=host_staff, ir35_determination="", ir35_determined_on=None
        )
    assert set(raised.value.message_dict) == {"ir35_determination", "ir35_determined_on"}
    arrangement.refresh_from_db()
    assert arrangement.ir35_determination == IR35Determination.OUTSIDE


def test_leads_may_not_record_arrangements(north, north_lead):
    with pytest.raises(PermissionDenied):
        arrange(lead_membership(north), north_lead)


# The admin ------------------------------------------------------------------------------------


def test_host_staff_add_an_arrangement_choosing_from_current_leads_only(client, north, host_staff):
    lead = lead_membership(north)
    volunteer = lead_membership(north, role=MembershipRole.VOLUNTEER)
    client.force_login(host_staff)
    url = reverse("lead_arrangements:add")
    choices = client.get(url).context["form"].fields["membership"].queryset
    assert lead in choices
    assert volunteer not in choices

    data = {
        "membership": lead.pk,
        "role_description": "Chairs the MNVP",
        "remuneration_route": RemunerationRoute.SELF_EMPLOYED,
        "ir35_determination": "",
        "ir35_determined_on": "",
        "hours_per_month": "40",
        "annual_remuneration": "18000.00",
    }
    response = client.post(url, data)
    assert response.status_code == HTTPStatus.OK
    assert "needs an off-payroll (IR35) determination" in response.content.decode()
    data |= {"ir35_determination": IR35Determination.OUTSIDE, "ir35_determined_on": TODAY.isoformat()}
    response = client.post(url, data)
    assert response.status_code == HTTPStatus.FOUND
    assert LeadArrangement.objects.get().membership == lead


def test_arrangements_are_host_staff_only(client, north, host_staff, north_lead, no_role_user):
    arrangement = arrange(lead_membership(north), host_staff)
    for user in (north_lead, no_role_user):
        client.force_login(user)
        assert_refused(client.get(reverse("lead_arrangements:index")))
        assert_refused(client.get(reverse("lead_arrangements:edit", args=[arrangement.pk])))
    client.force_login(host_staff)
    response = client.get(reverse("lead_arrangements:index"))
    assert response.status_code == HTTPStatus.OK
    assert arrangement in response.context["object_list"]


def test_the_listing_costs_the_same_for_one_arrangement_or_many(
    client, north, south, host_staff, django_assert_max_num_queries
):
    client.force_login(host_staff)
    arrange(lead_membership(north), host_staff)
    client.get(reverse("lead_arrangements:index"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("lead_arrangements:index"))
    for partnership in (north, south, north, south):
        arrange(lead_membership(partnership), host_staff)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("lead_arrangements:index"))


# The IR35 reminder ----------------------------------------------------------------------------


def sweep(capture):
    with capture(execute=True):
        return services.sweep_ir35_reminders()


def test_a_determination_over_a_year_old_reminds_host_staff_once(
    north, south, host_staff, django_capture_on_commit_callbacks
):
    stale = arrange(lead_membership(north), host_staff, determined_on=TODAY - datetime.timedelta(days=366))
    arrange(lead_membership(south), host_staff, determined_on=TODAY - datetime.timedelta(days=365))
    first = sweep(django_capture_on_commit_callbacks)
    second = sweep(django_capture_on_commit_callbacks)

    assert len(first) == 1
    assert second == []
    reminder = IR35Reminder.objects.get()
    assert (reminder.arrangement, reminder.determined_on) == (stale, stale.ir35_determined_on)
    assert reminder.sent_at is not None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.bcc == [host_staff.email]
    assert str(stale.membership.person) in message.subject
    assert reverse("lead_arrangements:edit", args=[stale.pk]) in message.body
    # The task run again (a retry) sends nothing more.
    assert services.send_ir35_reminder(reminder.pk) is False
    assert len(mail.outbox) == 1


def test_a_new_determination_date_earns_a_new_reminder(north, host_staff, django_capture_on_commit_callbacks):
    arrangement = arrange(
        lead_membership(north), host_staff, determined_on=TODAY - datetime.timedelta(days=400)
    )
    assert len(sweep(django_capture_on_commit_callbacks)) == 1
    # Reviewed a year and a half ago... and still not reviewed since: a new date, a new reminder.
    services.update_lead_arrangement(
        arrangement=arrangement,
        acting_user=host_staff,
        ir35_determined_on=TODAY - datetime.timedelta(days=370),
    )
    assert len(sweep(django_capture_on_commit_callbacks)) == 1
    assert sorted(IR35Reminder.objects.values_list("determined_on", flat=True)) == [
        TODAY - datetime.timedelta(days=400),
        TODAY - datetime.timedelta(days=370),
    ]
    assert len(mail.outbox) == 2
    # Reviewed today: nothing more.
    services.update_lead_arrangement(
        arrangement=arrangement, acting_user=host_staff, ir35_determined_on=TODAY
    )
    assert sweep(django_capture_on_commit_callbacks) == []


def test_employed_leads_are_never_reminded(north, host_staff, django_capture_on_commit_callbacks):
    arrangement = arrange(lead_membership(north), host_staff, route=RemunerationRoute.EMPLOYED)
    assert arrangement.determination_is_stale(TODAY + datetime.timedelta(days=3650)) is False
    assert sweep(django_capture_on_commit_callbacks) == []
    assert not IR35Reminder.objects.exists()
    assert mail.outbox == []


def test_a_lead_employed_since_the_sweep_is_not_written_about(north, host_staff):
    arrangement = arrange(
        lead_membership(north), host_staff, determined_on=TODAY - datetime.timedelta(days=500)
    )
    created = services.sweep_ir35_reminders()  # its email task waits for the commit that never comes here
    services.update_lead_arrangement(
        arrangement=arrangement,
        acting_user=host_staff,
        remuneration_route=RemunerationRoute.EMPLOYED,
        ir35_determination="",
        ir35_determined_on=None,
    )
    assert services.send_ir35_reminder(created[0]) is False
    assert mail.outbox == []
    assert IR35Reminder.objects.get().sent_at is not None


def test_the_sweep_costs_the_same_for_one_lead_or_many(
    north, south, host_staff, django_assert_num_queries, django_capture_on_commit_callbacks
):
    old = TODAY - datetime.timedelta(days=400)
    arrange(lead_membership(north), host_staff, determined_on=old)
    with django_assert_num_queries(3):
        services.sweep_ir35_reminders()
    for partnership in (north, south, north, south, north):
        arrange(lead_membership(partnership), host_staff, determined_on=old)
    with django_assert_num_queries(3):
        assert len(services.sweep_ir35_reminders()) == 5


# The demo -------------------------------------------------------------------------------------


def test_the_demo_seeds_an_employed_and_a_stale_self_employed_lead_once(
    db, django_capture_on_commit_callbacks
):
    from members.demo import seed_logins, seed_partnerships, seed_recruitment
    from workplans.demo import seed_workplans
    from workplans.leadership_demo import seed_leadership
    from workplans.money_demo import seed_money

    seed_partnerships()
    seed_logins("demo-password-123")
    seed_recruitment()
    seed_workplans()
    seed_money()

    assert seed_leadership() == 2
    assert seed_leadership() == 0
    routes = dict(LeadArrangement.objects.values_list("membership__partnership__slug", "remuneration_route"))
    assert routes == {"northshire": RemunerationRoute.EMPLOYED, "southvale": RemunerationRoute.SELF_EMPLOYED}
    assert LeadArrangement.objects.get(membership__partnership__slug="southvale").determination_is_stale()
    claimant = BenefitsAdviceRecord.objects.get(claims_benefits=True).person
    assert benefits_letter(person=claimant).payments
    assert len(sweep(django_capture_on_commit_callbacks)) == 1

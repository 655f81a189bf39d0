"""Risk assessments: who sees, adds, changes and approves them; approval and lapsing rules."""

import datetime
from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from members.enums import PartnershipRole, Role
from members.services.access import grant_partnership_access
from safeguarding.enums import RiskAssessmentState
from safeguarding.models import RiskAssessment
from safeguarding.services.risk import (
    activity_may_go_ahead,
    approve_risk_assessment,
    filter_by_state,
    risk_assessment_state,
    update_risk_assessment,
)
from tests.factories import UserFactory
from tests.members.test_partnership_views import assert_denied, assert_refused
from tests.safeguarding.directory_factories import RiskAssessmentFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)


@pytest.fixture
def north_ra(north):
    return RiskAssessmentFactory(partnership=north, title="Northshire coffee morning")


@pytest.fixture
def south_ra(south):
    return RiskAssessmentFactory(partnership=south, title="Southvale walk and talk")


def titles(response):
    return {obj.title for obj in response.context["object_list"]}


# --- Views, for every role ---------------------------------------------------------------

OBJECT_VIEWS = ["edit", "inspect", "history", "approve", "delete"]


@pytest.mark.parametrize(
    ("fixture", "sees"),
    [
        ("host_staff", {"Northshire coffee morning", "Southvale walk and talk"}),
        ("dsl", {"Northshire coffee morning", "Southvale walk and talk"}),
        ("north_lead", {"Northshire coffee morning"}),
    ],
)
def test_listing_shows_each_role_its_assessments(client, request, north_ra, south_ra, fixture, sees):
    client.force_login(request.getfixturevalue(fixture))
    response = client.get(reverse("risk_assessments:index"))
    assert response.status_code == HTTPStatus.OK
    assert titles(response) == sees


@pytest.mark.parametrize("fixture", ["north_commissioner", "no_role_user", "case_handler"])
def test_roles_without_the_permission_are_refused_everywhere(client, request, north_ra, fixture):
    client.force_login(request.getfixturevalue(fixture))
    assert_denied(client.get(reverse("risk_assessments:index")))
    assert_denied(client.get(reverse("risk_assessments:add")))
    for view in OBJECT_VIEWS:
        assert_refused(client.get(reverse(f"risk_assessments:{view}", args=[north_ra.pk])))


def test_listing_export_is_scoped_to_the_lead(client, north_lead, north_ra, south_ra):
    client.force_login(north_lead)
    response = client.get(reverse("risk_assessments:index") + "?export=csv")
    assert response.status_code == HTTPStatus.OK
    body = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    assert "Northshire coffee morning" in body
    assert "Southvale walk and talk" not in body


@pytest.mark.parametrize("view", ["inspect", "history", "delete"])
def test_lead_gets_404_for_another_mnvps_assessment(client, north_lead, south_ra, view):
    client.force_login(north_lead)
    response = client.get(reverse(f"risk_assessments:{view}", args=[south_ra.pk]))
    assert response.status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("view", ["edit", "approve"])
def test_lead_is_refused_alike_for_own_and_other_mnvps(client, north_lead, north_ra, south_ra, view):
    """No change, delete or approve permission at all: the same denial, so nothing leaks."""
    client.force_login(north_lead)
    own = client.get(reverse(f"risk_assessments:{view}", args=[north_ra.pk]))
    other = client.get(reverse(f"risk_assessments:{view}", args=[south_ra.pk]))
    assert_denied(own)
    assert_denied(other)


def test_lead_reads_but_does_not_change_or_approve_their_own(client, north_lead, north_ra):
    client.force_login(north_lead)
    assert client.get(reverse("risk_assessments:inspect", args=[north_ra.pk])).status_code == HTTPStatus.OK
    assert_denied(client.get(reverse("risk_assessments:edit", args=[north_ra.pk])))
    assert_denied(client.get(reverse("risk_assessments:approve", args=[north_ra.pk])))
    assert_denied(client.post(reverse("risk_assessments:approve", args=[north_ra.pk])))
    north_ra.refresh_from_db()
    assert north_ra.approved_at is None


def form_data(partnership, **overrides):
    return {
        "partnership": partnership.pk,
        "title": "Baby group visit",
        "venue": "Library",
        "activity": "Listening",
        "hazards": "Hot drinks near babies.",
        "controls": "Lidded cups only.",
        "review_on": (timezone.localdate() + datetime.timedelta(days=90)).isoformat(),
        **overrides,
    }


def test_lead_adds_an_assessment_for_their_own_mnvp_only(client, north, south, north_lead):
    client.force_login(north_lead)
    page = client.get(reverse("risk_assessments:add"))
    assert page.status_code == HTTPStatus.OK
    offered = set(page.context["form"].fields["partnership"].queryset)
    assert offered == {north}

    refused = client.post(reverse("risk_assessments:add"), form_data(south))
    assert refused.status_code == HTTPStatus.OK
    assert "partnership" in refused.context["form"].errors

    added = client.post(reverse("risk_assessments:add"), form_data(north))
    assert added.status_code == HTTPStatus.FOUND
    assessment = RiskAssessment.objects.get(title="Baby group visit")
    assert assessment.partnership == north
    assert assessment.approved_at is None


def test_approval_cannot_be_posted_through_the_add_form(client, north, host_staff):
    client.force_login(host_staff)
    client.post(
        reverse("risk_assessments:add"),
        form_data(north, approved_by=host_staff.pk, approved_at="2026-01-01 10:00"),
    )
    assert RiskAssessment.objects.get(title="Baby group visit").approved_at is None


@pytest.mark.parametrize("fixture", ["host_staff", "dsl"])
def test_host_staff_and_dsls_add_for_any_mnvp_and_approve(client, request, north, south, south_ra, fixture):
    user = request.getfixturevalue(fixture)
    client.force_login(user)
    page = client.get(reverse("risk_assessments:add"))
    assert set(page.context["form"].fields["partnership"].queryset) >= {north, south}

    confirm = client.get(reverse("risk_assessments:approve", args=[south_ra.pk]))
    assert confirm.status_code == HTTPStatus.OK
    assert "Trip hazards" in confirm.content.decode()
    response = client.post(reverse("risk_assessments:approve", args=[south_ra.pk]))
    assert response.status_code == HTTPStatus.FOUND
    south_ra.refresh_from_db()
    assert south_ra.approved_by == user
    assert south_ra.approved_at is not None


def test_inspect_offers_approve_only_to_an_approver(client, host_staff, north_lead, north_ra):
    url = reverse("risk_assessments:inspect", args=[north_ra.pk])
    approve_url = reverse("risk_assessments:approve", args=[north_ra.pk])
    client.force_login(host_staff)
    assert approve_url in client.get(url).content.decode()
    client.force_login(north_lead)
    assert approve_url not in client.get(url).content.decode()


def test_status_column_and_filter(client, host_staff, north):
    RiskAssessmentFactory(partnership=north, title="Current one", approved=True)
    RiskAssessmentFactory(partnership=north, title="Waiting one")
    RiskAssessmentFactory(
        partnership=north,
        title="Lapsed one",
        approved=True,
        review_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    client.force_login(host_staff)
    index = reverse("risk_assessments:index")
    html = client.get(index).content.decode()
    for label in ("Current", "Not approved", "Due for review"):
        assert label in html
    for state, expected in [
        (RiskAssessmentState.CURRENT, {"Current one"}),
        (RiskAssessmentState.NOT_APPROVED, {"Waiting one"}),
        (RiskAssessmentState.DUE_FOR_REVIEW, {"Lapsed one"}),
    ]:
        assert titles(client.get(index, {"state": state})) == expected


def test_listing_query_count_does_not_grow_with_rows(
    client, host_staff, north, django_assert_max_num_queries
):
    RiskAssessmentFactory.create_batch(15, partnership=north)
    client.force_login(host_staff)
    client.get(reverse("risk_assessments:index"))  # warm caches (content types, settings)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("risk_assessments:index")).status_code == HTTPStatus.OK


def test_editing_hazards_of_an_approved_assessment_through_the_admin_clears_approval(
    client, host_staff, north
):
    approved = RiskAssessmentFactory(partnership=north, approved=True)
    client.force_login(host_staff)
    data = form_data(north, title=approved.title, hazards="Hot drinks and a steep ramp.")
    response = client.post(reverse("risk_assessments:edit", args=[approved.pk]), data)
    assert response.status_code == HTTPStatus.FOUND
    approved.refresh_from_db()
    assert approved.approved_at is None
    assert approved.approved_by is None


# --- The service's rules ---------------------------------------------------------------


def test_a_lead_who_is_also_host_staff_cannot_approve_their_own_mnvps(north, north_ra):
    lead_and_staff = UserFactory(username="both", role=Role.HOST_STAFF)
    grant_partnership_access(user=lead_and_staff, partnership=north, role=PartnershipRole.MNVP_LEAD)
    with pytest.raises(PermissionDenied):
        approve_risk_assessment(risk_assessment=north_ra, acting_user=lead_and_staff)


@pytest.mark.parametrize("fixture", ["north_lead", "north_commissioner", "case_handler", "no_role_user"])
def test_only_host_staff_or_dsls_approve(request, north_ra, fixture):
    with pytest.raises(PermissionDenied):
        approve_risk_assessment(risk_assessment=north_ra, acting_user=request.getfixturevalue(fixture))


def test_an_assessment_past_its_review_date_is_not_approved_as_it_stands(host_staff, north):
    lapsed = RiskAssessmentFactory(
        partnership=north, review_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    with pytest.raises(ValidationError, match="review date has passed"):
        approve_risk_assessment(risk_assessment=lapsed, acting_user=host_staff)


def test_changing_what_was_approved_withdraws_the_approval(host_staff, north):
    assessment = approve_risk_assessment(
        risk_assessment=RiskAssessmentFactory(partnership=north), acting_user=host_staff
    )
    assessment.controls = "New controls."
    update_risk_assessment(risk_assessment=assessment, acting_user=host_staff)
    assessment.refresh_from_db()
    assert assessment.approved_at is None


def test_changing_only_the_title_or_review_date_keeps_the_approval(host_staff, north):
    assessment = approve_risk_assessment(
        risk_assessment=RiskAssessmentFactory(partnership=north), acting_user=host_staff
    )
    assessment.title = "Renamed"
    assessment.review_on += datetime.timedelta(days=30)
    update_risk_assessment(risk_assessment=assessment, acting_user=host_staff)
    assessment.refresh_from_db()
    assert assessment.approved_by == host_staff


def test_an_assessment_lapses_after_its_review_date(north):
    assessment = RiskAssessmentFactory(partnership=north, approved=True, review_on=TODAY)
    assert risk_assessment_state(assessment, on=TODAY) == RiskAssessmentState.CURRENT
    assert risk_assessment_state(assessment, on=TODAY + datetime.timedelta(days=1)) == (
        RiskAssessmentState.DUE_FOR_REVIEW
    )
    queryset = RiskAssessment.objects.all()
    assert list(filter_by_state(queryset, RiskAssessmentState.CURRENT, on=TODAY)) == [assessment]
    assert not filter_by_state(queryset, RiskAssessmentState.CURRENT, on=TODAY + datetime.timedelta(days=1))


def test_activity_may_go_ahead_only_with_a_current_assessment(north):
    assert activity_may_go_ahead(None, TODAY) == (False, "It has no risk assessment.")

    waiting = RiskAssessmentFactory(partnership=north, review_on=TODAY)
    allowed, reason = activity_may_go_ahead(waiting, TODAY)
    assert not allowed
    assert "not been approved" in reason

    approved = RiskAssessmentFactory(partnership=north, approved=True, review_on=TODAY)
    assert activity_may_go_ahead(approved, TODAY)[0] is True
    allowed, reason = activity_may_go_ahead(approved, TODAY + datetime.timedelta(days=1))
    assert not allowed
    assert "due for review" in reason

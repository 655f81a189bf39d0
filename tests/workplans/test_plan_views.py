"""Workplan, objective and milestone screens: every view, every role, and the actions' outcomes.

Northshire's records are the subject. Host staff reach everything; Northshire's
lead and ICB commissioner read them (the lead posts updates and records the MNVP's
agreement, the commissioner the ICB's sign-off); Southvale's lead gets 404, exactly
as for a record that does not exist; people without a workplan role are refused.
"""

from decimal import Decimal
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.cms.upload_samples import DOCX
from tests.factories import PartnershipFactory
from tests.members.test_partnership_views import assert_denied, assert_refused
from workplans.enums import MilestoneStatus, SignOffStage
from workplans.models import Milestone, MilestoneUpdate, Workplan, WorkplanSignOff

from .plan_factories import (
    MilestoneFactory,
    MilestoneUpdateFactory,
    ObjectiveFactory,
    WorkplanFactory,
    milestone_in,
)

pytestmark = pytest.mark.django_db

OK, DENIED, NOT_FOUND, REFUSED = "ok", "denied", "404", "refused"
OBJECT_VIEWS = ["edit", "inspect", "history", "delete", "usage"]
READ_VIEWS = {"inspect"}  # Wagtail asks for change (or add, delete) on history and usage
ROLES = ["host_staff", "north_lead", "north_commissioner", "south_lead", "dsl", "no_role_user"]


@pytest.fixture
def records(north, south):
    """A Northshire workplan with an objective, a milestone and an update with an attachment."""
    workplan = WorkplanFactory(partnership=north, funding_agreed=Decimal("40000.00"))
    objective = ObjectiveFactory(workplan=workplan, title="Hear from neonatal families")
    milestone = MilestoneFactory(objective=objective, title="Neonatal listening event")
    update = MilestoneUpdateFactory(
        milestone=milestone, attachment=SimpleUploadedFile("evidence.pdf", b"%PDF-1.7 notes")
    )
    return {"workplans": workplan, "objectives": objective, "milestones": milestone, "update": update}


def expected_for_object_view(role, view):
    if role == "host_staff":
        return OK
    if role in ("north_lead", "north_commissioner"):
        return OK if view in READ_VIEWS else DENIED
    if role == "south_lead":
        return NOT_FOUND
    return REFUSED


def check(response, expected, missing=None):
    if expected == OK:
        assert response.status_code == HTTPStatus.OK, response.get("Location")
    elif expected == DENIED:
        assert_denied(response)
    elif expected == NOT_FOUND:
        assert_refused(response)
        # Exactly as for a record that does not exist: nothing about it leaks.
        assert (response.status_code, response.get("Location")) == (
            missing.status_code,
            missing.get("Location"),
        )
    else:
        assert_refused(response)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("namespace", ["workplans", "objectives", "milestones"])
@pytest.mark.parametrize("view", OBJECT_VIEWS)
def test_object_views_for_every_role(client, request, records, role, namespace, view):
    client.force_login(request.getfixturevalue(role))
    obj = records[namespace]
    response = client.get(reverse(f"{namespace}:{view}", args=[obj.pk]))
    missing = client.get(reverse(f"{namespace}:{view}", args=[obj.pk + 10_000]))
    check(response, expected_for_object_view(role, view), missing)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("namespace", ["workplans", "objectives", "milestones"])
def test_listing_and_add_for_every_role(client, request, records, role, namespace):
    client.force_login(request.getfixturevalue(role))
    listing = client.get(reverse(f"{namespace}:index"))
    add = client.get(reverse(f"{namespace}:add"))
    if role in ("dsl", "no_role_user"):
        assert_refused(listing)
        assert_refused(add)
        return
    assert listing.status_code == HTTPStatus.OK
    listed = list(listing.context["object_list"])
    assert listed == ([] if role == "south_lead" else [records[namespace]])
    check(add, OK if role == "host_staff" else DENIED)


CUSTOM_VIEWS = {
    # (namespace:name, record, workplan stage) -> expected per role
    ("workplans:sign_off", "workplans", SignOffStage.DRAFT): {"host_staff": OK},
    ("workplans:sign_off", "workplans", SignOffStage.COPRODUCED): {"host_staff": OK, "north_lead": OK},
    ("workplans:sign_off", "workplans", SignOffStage.AGREED): {"host_staff": OK, "north_commissioner": OK},
    ("workplans:copy", "workplans", SignOffStage.DRAFT): {"host_staff": OK},
    ("milestones:post_update", "milestones", SignOffStage.DRAFT): {"host_staff": OK, "north_lead": OK},
    ("milestones:attachment", "update", SignOffStage.DRAFT): {
        "host_staff": OK,
        "north_lead": OK,
        "north_commissioner": OK,
    },
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "record", "stage"), list(CUSTOM_VIEWS))
def test_action_views_for_every_role(client, request, records, role, name, record, stage):
    Workplan.objects.filter(pk=records["workplans"].pk).update(stage=stage)
    client.force_login(request.getfixturevalue(role))
    obj = records[record]
    response = client.get(reverse(name, args=[obj.pk]))
    missing = client.get(reverse(name, args=[obj.pk + 10_000]))
    expected = CUSTOM_VIEWS[(name, record, stage)].get(role)
    if expected is None:
        expected = {"south_lead": NOT_FOUND, "dsl": REFUSED, "no_role_user": REFUSED}.get(role, DENIED)
    check(response, expected, missing)


# Outcomes ----------------------------------------------------------------------------------


def test_lead_posts_an_update_with_an_attachment(client, north, north_lead):
    milestone = milestone_in(north)
    client.force_login(north_lead)
    response = client.post(
        reverse("milestones:post_update", args=[milestone.pk]),
        {
            "status": MilestoneStatus.AT_RISK,
            "note": "The venue fell through; looking for another.",
            "attachment": SimpleUploadedFile("plan.docx", DOCX),
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("milestones:inspect", args=[milestone.pk])
    update = MilestoneUpdate.objects.get()
    assert (update.by, update.status, bool(update.attachment)) == (north_lead, MilestoneStatus.AT_RISK, True)
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.AT_RISK
    page = client.get(reverse("milestones:inspect", args=[milestone.pk])).content.decode()
    assert "The venue fell through" in page
    download = client.get(reverse("milestones:attachment", args=[update.pk]))
    assert b"".join(download.streaming_content) == DOCX
    assert "attachment" in download["Content-Disposition"]


def test_a_disguised_attachment_is_refused_on_the_form(client, north, north_lead):
    milestone = milestone_in(north)
    client.force_login(north_lead)
    response = client.post(
        reverse("milestones:post_update", args=[milestone.pk]),
        {
            "status": MilestoneStatus.DONE,
            "note": "Done",
            "attachment": SimpleUploadedFile("x.pdf", b"MZ program"),
        },
    )
    assert response.status_code == HTTPStatus.OK
    assert "attachment" in response.context["form"].errors
    assert not MilestoneUpdate.objects.exists()


def test_lead_cannot_post_to_another_mnvps_milestone(client, north, south, north_lead):
    milestone = milestone_in(south)
    client.force_login(north_lead)
    response = client.post(
        reverse("milestones:post_update", args=[milestone.pk]), {"status": MilestoneStatus.DONE, "note": "x"}
    )
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not MilestoneUpdate.objects.exists()


def test_commissioner_cannot_post_updates_or_edit(client, north, north_commissioner):
    milestone = milestone_in(north)
    client.force_login(north_commissioner)
    assert_denied(
        client.post(reverse("milestones:post_update", args=[milestone.pk]), {"status": "done", "note": "x"})
    )
    assert_denied(client.post(reverse("milestones:edit", args=[milestone.pk]), {"title": "Changed"}))
    milestone.refresh_from_db()
    assert (milestone.status, milestone.title) != ("done", "Changed")
    assert not MilestoneUpdate.objects.exists()


def test_commissioner_signs_off_through_the_admin(client, north, north_commissioner):
    workplan = WorkplanFactory(
        partnership=north, stage=SignOffStage.AGREED, funding_agreed=Decimal("45000.00")
    )
    client.force_login(north_commissioner)
    response = client.post(
        reverse("workplans:sign_off", args=[workplan.pk]),
        {"funding_agreed": "45000.00", "on_behalf_of": "", "note": "Ratified at the ICB board"},
    )
    assert response.status_code == HTTPStatus.FOUND
    workplan.refresh_from_db()
    assert workplan.stage == SignOffStage.SIGNED_OFF
    record = WorkplanSignOff.objects.get()
    assert (record.by, record.note) == (north_commissioner, "Ratified at the ICB board")
    page = client.get(reverse("workplans:inspect", args=[workplan.pk])).content.decode()
    assert "Ratified at the ICB board" in page
    assert "Signed off by the ICB" in page


def test_lead_agreement_without_funding_shows_the_problem(client, north, north_lead):
    workplan = WorkplanFactory(partnership=north, stage=SignOffStage.COPRODUCED, funding_agreed=None)
    client.force_login(north_lead)
    response = client.post(reverse("workplans:sign_off", args=[workplan.pk]), {"note": ""})
    assert response.status_code == HTTPStatus.OK
    assert "funding_agreed" in response.context["form"].errors
    workplan.refresh_from_db()
    assert workplan.stage == SignOffStage.COPRODUCED


def test_host_copies_a_workplan_to_next_year(client, north, host_staff):
    milestone = milestone_in(north, status=MilestoneStatus.DONE)
    client.force_login(host_staff)
    source = milestone.objective.workplan
    response = client.post(reverse("workplans:copy", args=[source.pk]), {"year": source.year + 1})
    copy = Workplan.objects.get(partnership=north, year=source.year + 1)
    assert response["Location"] == reverse("workplans:inspect", args=[copy.pk])
    assert Milestone.objects.get(objective__workplan=copy).status == MilestoneStatus.NOT_STARTED
    again = client.post(reverse("workplans:copy", args=[source.pk]), {"year": source.year + 1})
    assert again.status_code == HTTPStatus.OK
    assert "year" in again.context["form"].errors


def test_workplan_page_shows_objectives_by_theme_with_status_and_rag(client, north, host_staff):
    milestone = milestone_in(north, status=MilestoneStatus.AT_RISK, title="Translate the survey")
    client.force_login(host_staff)
    page = client.get(reverse("workplans:inspect", args=[milestone.objective.workplan.pk])).content.decode()
    assert "Listening and engagement" in page
    assert "Translate the survey" in page
    assert "wp-status--at_risk" in page
    assert "wp-rag--" in page
    assert "style=" not in page.split('id="objectives-heading"')[1]


def test_host_creates_a_milestone_without_setting_its_status(client, north, host_staff):
    objective = ObjectiveFactory(workplan=WorkplanFactory(partnership=north))
    client.force_login(host_staff)
    response = client.post(
        reverse("milestones:add"),
        {
            "objective": objective.pk,
            "title": "Fifteen Steps visit",
            "due_on": "2026-10-01",
            "owner_name": "Jo",
        },
    )
    assert response.status_code == HTTPStatus.FOUND, response.context["form"].errors
    assert Milestone.objects.get().status == MilestoneStatus.NOT_STARTED


@pytest.mark.parametrize("namespace", ["workplans", "objectives", "milestones"])
def test_listing_queries_do_not_grow_with_rows(
    client, north, south, host_staff, namespace, django_assert_max_num_queries
):
    client.force_login(host_staff)

    def add_rows(count):
        for _ in range(count):
            milestone = milestone_in(north if namespace != "workplans" else PartnershipFactory())
            MilestoneUpdateFactory(milestone=milestone)

    add_rows(2)
    with django_assert_max_num_queries(60) as baseline:
        assert client.get(reverse(f"{namespace}:index")).status_code == HTTPStatus.OK
    add_rows(15)
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        client.get(reverse(f"{namespace}:index"))


def test_workplan_page_queries_do_not_grow_with_milestones(
    client, north, host_staff, django_assert_max_num_queries
):
    workplan = WorkplanFactory(partnership=north)
    objective = ObjectiveFactory(workplan=workplan)
    MilestoneFactory(objective=objective)
    client.force_login(host_staff)
    with django_assert_max_num_queries(60) as baseline:
        client.get(reverse("workplans:inspect", args=[workplan.pk]))
    for _ in range(10):
        MilestoneFactory(objective=ObjectiveFactory(workplan=workplan))
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        client.get(reverse("workplans:inspect", args=[workplan.pk]))


@pytest.mark.parametrize(
    ("fixture", "stage", "buttons"),
    [
        ("host_staff", SignOffStage.DRAFT, {"Sign off: co-produced", "Copy to a new year"}),
        ("north_lead", SignOffStage.DRAFT, set()),
        ("north_lead", SignOffStage.COPRODUCED, {"Sign off: agreed by the mnvp"}),
        ("north_commissioner", SignOffStage.COPRODUCED, set()),
        ("north_commissioner", SignOffStage.AGREED, {"Sign off: signed off by the icb"}),
        ("host_staff", SignOffStage.SIGNED_OFF, {"Copy to a new year"}),
    ],
)
def test_workplan_page_offers_only_the_actions_the_user_may_take(
    client, request, north, fixture, stage, buttons
):
    workplan = WorkplanFactory(partnership=north, stage=stage)
    client.force_login(request.getfixturevalue(fixture))
    response = client.get(reverse("workplans:inspect", args=[workplan.pk]))
    labels = {str(button.label) for button in response.context["header_buttons"]}
    assert labels - {""} == buttons  # "" is the menu of Edit and Delete


@pytest.mark.parametrize(("fixture", "offered"), [("north_lead", True), ("north_commissioner", False)])
def test_milestone_page_offers_post_an_update_to_leads_only(client, request, north, fixture, offered):
    milestone = milestone_in(north)
    client.force_login(request.getfixturevalue(fixture))
    page = client.get(reverse("milestones:inspect", args=[milestone.pk])).content.decode()
    assert (reverse("milestones:post_update", args=[milestone.pk]) in page) == offered

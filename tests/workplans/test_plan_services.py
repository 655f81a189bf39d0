"""Workplan services: sign-off stages and who may record each, copying a year, milestone updates."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import ModelLogEntry

from tests.factories import commissioner_of, lead_of
from workplans.enums import MilestoneStatus, SignOffStage, Theme
from workplans.models import Milestone, MilestoneUpdate, Workplan, WorkplanSignOff
from workplans.services.plans import copy_workplan, post_milestone_update, sign_off, stages_user_may_record

from .plan_factories import MilestoneFactory, ObjectiveFactory, WorkplanFactory, milestone_in

pytestmark = pytest.mark.django_db

COPRODUCED, AGREED, SIGNED_OFF = SignOffStage.COPRODUCED, SignOffStage.AGREED, SignOffStage.SIGNED_OFF


def signed(workplan, stage, user, **kwargs):
    kwargs.setdefault("funding_agreed", Decimal("42000.00"))
    return sign_off(workplan=workplan, stage=stage, acting_user=user, **kwargs)


# Sign-off --------------------------------------------------------------------------------


def test_host_staff_take_a_workplan_through_every_stage_in_order(north, host_staff):
    workplan = WorkplanFactory(partnership=north)
    for stage in (COPRODUCED, AGREED, SIGNED_OFF):
        signed(workplan, stage, host_staff, on_behalf_of="The ICB's lead" if stage == SIGNED_OFF else "")
        workplan.refresh_from_db()
        assert workplan.stage == stage
    history = list(workplan.sign_offs.values_list("stage", "by", "funding_agreed"))
    assert history == [
        (stage, host_staff.pk, Decimal("42000.00")) for stage in (COPRODUCED, AGREED, SIGNED_OFF)
    ]
    assert workplan.sign_offs.last().on_behalf_of == "The ICB's lead"
    assert (
        ModelLogEntry.objects.filter(action="workplans.signed_off", object_id=str(workplan.pk)).count() == 3
    )


@pytest.mark.parametrize(
    ("current", "asked"),
    [
        (SignOffStage.DRAFT, AGREED),  # skipping co-production
        (SignOffStage.DRAFT, SIGNED_OFF),
        (COPRODUCED, COPRODUCED),  # the same stage twice
        (AGREED, COPRODUCED),  # backwards
        (SIGNED_OFF, SIGNED_OFF),  # nothing after the ICB
    ],
)
def test_stages_go_forward_one_at_a_time(north, host_staff, current, asked):
    workplan = WorkplanFactory(partnership=north, stage=current)
    with pytest.raises(ValidationError):
        signed(workplan, asked, host_staff)
    workplan.refresh_from_db()
    assert workplan.stage == current
    assert not WorkplanSignOff.objects.exists()


def test_a_lead_records_only_their_own_mnvps_agreement(north, south, north_lead):
    own = WorkplanFactory(partnership=north, stage=COPRODUCED)
    other = WorkplanFactory(partnership=south, stage=COPRODUCED)
    record = signed(own, AGREED, north_lead, note="Agreed at the MNVP meeting")
    assert (record.by, record.stage, record.note) == (north_lead, AGREED, "Agreed at the MNVP meeting")
    with pytest.raises(PermissionDenied):
        signed(other, AGREED, north_lead)
    assert stages_user_may_record(north_lead, own) == {AGREED}


@pytest.mark.parametrize("stage", [COPRODUCED, SIGNED_OFF])
def test_a_lead_cannot_record_other_stages(north, north_lead, stage):
    before = {COPRODUCED: SignOffStage.DRAFT, SIGNED_OFF: AGREED}[stage]
    workplan = WorkplanFactory(partnership=north, stage=before, funding_agreed=Decimal("1.00"))
    with pytest.raises(PermissionDenied):
        signed(workplan, stage, north_lead)


def test_a_commissioner_signs_off_only_mnvps_they_commission(north, south, north_commissioner):
    own = WorkplanFactory(partnership=north, stage=AGREED, funding_agreed=Decimal("50000.00"))
    other = WorkplanFactory(partnership=south, stage=AGREED, funding_agreed=Decimal("50000.00"))
    record = sign_off(workplan=own, stage=SIGNED_OFF, acting_user=north_commissioner)
    assert record.funding_agreed == Decimal("50000.00")  # kept from the agreement
    with pytest.raises(PermissionDenied):
        sign_off(workplan=other, stage=SIGNED_OFF, acting_user=north_commissioner)
    with pytest.raises(PermissionDenied):
        signed(WorkplanFactory(partnership=north, year=2027, stage=COPRODUCED), AGREED, north_commissioner)


@pytest.mark.parametrize("fixture", ["no_role_user", "dsl"])
def test_people_without_a_workplan_role_record_nothing(request, north, fixture):
    user = request.getfixturevalue(fixture)
    workplan = WorkplanFactory(partnership=north)
    assert stages_user_may_record(user, workplan) == set()
    with pytest.raises(PermissionDenied):
        signed(workplan, COPRODUCED, user)


def test_agreement_needs_the_funding_agreed(north, north_lead):
    workplan = WorkplanFactory(partnership=north, stage=COPRODUCED, funding_agreed=None)
    with pytest.raises(ValidationError) as error:
        sign_off(workplan=workplan, stage=AGREED, acting_user=north_lead)
    assert "funding_agreed" in error.value.message_dict


def test_funding_given_at_sign_off_becomes_the_workplans(north, host_staff):
    workplan = WorkplanFactory(partnership=north, funding_agreed=Decimal("30000.00"))
    signed(workplan, COPRODUCED, host_staff, funding_agreed=Decimal("31500.50"))
    workplan.refresh_from_db()
    assert workplan.funding_agreed == Decimal("31500.50")


# Copying a year ---------------------------------------------------------------------------


def test_copy_carries_objectives_and_milestones_a_year_on_reset(north, host_staff):
    source = WorkplanFactory(partnership=north, year=2027, stage=SIGNED_OFF, funding_agreed=Decimal("9.99"))
    objective = ObjectiveFactory(workplan=source, theme=Theme.NEONATAL, title="Neonatal voices", sort_order=2)
    MilestoneFactory(
        objective=objective,
        title="Leap-day survey",
        due_on=datetime.date(2028, 2, 29),
        status=MilestoneStatus.DONE,
        evidence="Report",
    )
    MilestoneFactory(objective=objective, title="Walk the Patch", due_on=datetime.date(2027, 6, 30))

    copy = copy_workplan(from_workplan=source, year=2028, acting_user=host_staff)

    assert (copy.partnership, copy.year, copy.stage, copy.copied_from) == (
        north,
        2028,
        SignOffStage.DRAFT,
        source,
    )
    assert copy.funding_agreed is None
    assert copy.strategy == source.strategy
    assert list(copy.objectives.values_list("theme", "title", "sort_order")) == [
        (Theme.NEONATAL, "Neonatal voices", 2)
    ]
    milestones = Milestone.objects.filter(objective__workplan=copy).order_by("title")
    assert [(m.title, m.due_on, m.status, m.evidence) for m in milestones] == [
        ("Leap-day survey", datetime.date(2029, 2, 28), MilestoneStatus.NOT_STARTED, ""),
        ("Walk the Patch", datetime.date(2028, 6, 30), MilestoneStatus.NOT_STARTED, ""),
    ]
    assert not copy.sign_offs.exists()
    # The source is untouched.
    assert Milestone.objects.filter(objective__workplan=source).count() == 2


def test_copy_refuses_a_year_the_mnvp_has_already(north, host_staff):
    source = WorkplanFactory(partnership=north, year=2026)
    WorkplanFactory(partnership=north, year=2027)
    with pytest.raises(ValidationError) as error:
        copy_workplan(from_workplan=source, year=2027, acting_user=host_staff)
    assert "year" in error.value.message_dict
    with pytest.raises(ValidationError):
        copy_workplan(from_workplan=source, year=2025, acting_user=host_staff)
    assert Workplan.objects.filter(partnership=north).count() == 2


@pytest.mark.parametrize("fixture", ["north_lead", "north_commissioner"])
def test_only_host_staff_copy_workplans(request, north, fixture):
    source = WorkplanFactory(partnership=north)
    with pytest.raises(PermissionDenied):
        copy_workplan(from_workplan=source, year=2027, acting_user=request.getfixturevalue(fixture))
    assert Workplan.objects.count() == 1


# Milestone updates ------------------------------------------------------------------------


def test_a_lead_posts_updates_on_their_own_milestones_and_history_is_kept(north, north_lead):
    milestone = milestone_in(north)
    post_milestone_update(
        milestone=milestone, status=MilestoneStatus.ON_TRACK, note="Begun", acting_user=north_lead
    )
    post_milestone_update(
        milestone=milestone, status=MilestoneStatus.AT_RISK, note="Venue lost", acting_user=north_lead
    )
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.AT_RISK
    assert list(milestone.updates.values_list("status", "note", "by")) == [
        (MilestoneStatus.AT_RISK, "Venue lost", north_lead.pk),
        (MilestoneStatus.ON_TRACK, "Begun", north_lead.pk),
    ]
    assert (
        ModelLogEntry.objects.filter(
            action="workplans.milestone_updated", object_id=str(milestone.pk)
        ).count()
        == 2
    )


def test_a_lead_cannot_update_another_mnvps_milestone(north, south, north_lead):
    milestone = milestone_in(south)
    with pytest.raises(PermissionDenied):
        post_milestone_update(
            milestone=milestone, status=MilestoneStatus.DONE, note="x", acting_user=north_lead
        )
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.NOT_STARTED
    assert not MilestoneUpdate.objects.exists()


def test_commissioners_read_but_never_update(north, north_commissioner):
    milestone = milestone_in(north)
    with pytest.raises(PermissionDenied):
        post_milestone_update(
            milestone=milestone, status=MilestoneStatus.DONE, note="x", acting_user=north_commissioner
        )


def test_a_lead_of_two_mnvps_updates_both(north, south):
    lead = lead_of(north, username="two.hats")
    lead_of(south, username="two.hats")
    for partnership in (north, south):
        post_milestone_update(
            milestone=milestone_in(partnership), status=MilestoneStatus.ON_TRACK, note="ok", acting_user=lead
        )
    assert MilestoneUpdate.objects.count() == 2


def test_an_update_needs_a_note(north, north_lead):
    with pytest.raises(ValidationError):
        post_milestone_update(
            milestone=milestone_in(north), status=MilestoneStatus.DONE, note=" ", acting_user=north_lead
        )


def test_an_attachment_is_kept_privately(north, north_lead, settings):
    upload = SimpleUploadedFile("evidence.pdf", b"%PDF-1.7 evidence", content_type="application/pdf")
    update = post_milestone_update(
        milestone=milestone_in(north),
        status=MilestoneStatus.DONE,
        note="Done",
        attachment=upload,
        acting_user=north_lead,
    )
    # Private storage, outside MEDIA_ROOT: no public address; served only through a checked view.
    assert Path(update.attachment.path).is_relative_to(settings.PRIVATE_MEDIA_ROOT)
    assert not Path(update.attachment.path).is_relative_to(settings.MEDIA_ROOT)
    assert update.attachment.read() == b"%PDF-1.7 evidence"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("evidence.exe", b"MZ\x90\x00"),  # a kind not allowed
        ("evidence.pdf", b"MZ\x90\x00 a program renamed"),  # contents not those of its name
        ("notes.txt", b"\x00\x01\x02binary"),
        ("photo.png", b"\xff\xd8\xff a jpeg named png"),
    ],
)
def test_attachments_are_type_checked(north, north_lead, name, content):
    with pytest.raises(ValidationError) as error:
        post_milestone_update(
            milestone=milestone_in(north),
            status=MilestoneStatus.DONE,
            note="Done",
            attachment=SimpleUploadedFile(name, content),
            acting_user=north_lead,
        )
    assert "attachment" in error.value.message_dict
    assert not MilestoneUpdate.objects.exists()


def test_a_commissioner_of_several_mnvps_signs_off_each(north, south):
    commissioner = commissioner_of(north, south, username="icb.both")
    for partnership in (north, south):
        workplan = WorkplanFactory(partnership=partnership, stage=AGREED, funding_agreed=Decimal("1.00"))
        sign_off(workplan=workplan, stage=SIGNED_OFF, acting_user=commissioner)
    assert WorkplanSignOff.objects.filter(by=commissioner).count() == 2

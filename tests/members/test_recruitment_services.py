"""Sign-up, dedupe, and every move of the recruitment pipeline."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from members.enums import ApplicationStage as S
from members.enums import MembershipRole, PPVCategory
from members.models import Application, EqualityMonitoring, Membership, Person, PrivacyConsent
from members.pipeline import FORWARD, OPEN_STAGES, allowed_moves
from members.services.recruitment import Signup, accept_application, move_application, submit_signup
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def signup(partnerships, **overrides):
    values = {
        "first_name": "Amina",
        "last_name": "Yusuf",
        "email": "Amina.Yusuf@Example.org",
        "postcode": "NS1 2AB",
        "partnerships": partnerships,
        "involvement": ["listening"],
    }
    values.update(overrides)
    return Signup(**values)


def test_signup_creates_person_application_consent_and_email(north, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = submit_signup(signup=signup([north]))
    person = Person.objects.get()
    assert result.new_person
    assert person.email == "amina.yusuf@example.org"
    application = Application.objects.get()
    assert (application.partnership, application.stage, application.source) == (north, S.NEW, "public")
    assert [c.to_stage for c in application.stage_changes.all()] == [S.NEW]
    assert PrivacyConsent.objects.get().notice_version == "2026-04"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["amina.yusuf@example.org"]
    assert "Northshire MNVP" in mail.outbox[0].body


def test_same_email_again_updates_the_person_never_a_second(north, south):
    submit_signup(signup=signup([north], phone="01234"))
    result = submit_signup(signup=signup([south], email="AMINA.YUSUF@example.org", last_name="Yusuf-Ali"))
    assert Person.objects.count() == 1
    assert not result.new_person
    person = Person.objects.get()
    assert person.last_name == "Yusuf-Ali"
    assert person.phone == "01234", "a blank answer does not wipe what we had"
    assert set(Application.objects.values_list("partnership__slug", flat=True)) == {"northshire", "southvale"}
    assert PrivacyConsent.objects.count() == 2


def test_repeat_signup_to_the_same_mnvp_refreshes_the_open_application(north):
    submit_signup(signup=signup([north], involvement=["surveys"]))
    submit_signup(signup=signup([north], involvement=["meetings"]))
    application = Application.objects.get()
    assert application.involvement == ["meetings"]
    assert application.stage_changes.count() == 2


def test_signup_after_a_closed_application_opens_a_new_one(north, host_staff):
    submit_signup(signup=signup([north]))
    move_application(application=Application.objects.get(), to_stage=S.WITHDRAWN, acting_user=host_staff)
    submit_signup(signup=signup([north]))
    assert sorted(Application.objects.values_list("stage", flat=True)) == [S.NEW, S.WITHDRAWN]


def test_equality_answers_are_stored_apart_and_only_when_given(north):
    submit_signup(signup=signup([north]))
    assert not EqualityMonitoring.objects.exists()
    submit_signup(signup=signup([north], equality={"ethnicity": "white_irish", "religion": ""}))
    answers = EqualityMonitoring.objects.get()
    assert (answers.ethnicity, answers.religion) == ("white_irish", "")


def test_signup_without_an_mnvp_is_refused(north):
    with pytest.raises(ValidationError):
        submit_signup(signup=signup([]))
    assert not Person.objects.exists()


def test_bad_data_saves_nothing(north):
    with pytest.raises(ValidationError):
        submit_signup(signup=signup([north], involvement=["not-a-choice"]))
    assert not Person.objects.exists()
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("from_stage", "to_stage"), [(f, t) for f, ts in FORWARD.items() for t in ts if t != S.ACCEPTED]
)
def test_every_forward_move_is_recorded_with_who_and_when(host_staff, from_stage, to_stage):
    application = ApplicationFactory(stage=from_stage)
    moved_at = datetime.datetime(2026, 5, 1, 10, tzinfo=datetime.UTC)
    move_application(application=application, to_stage=to_stage, acting_user=host_staff, now=moved_at)
    application.refresh_from_db()
    change = application.stage_changes.last()
    assert (application.stage, application.stage_changed_at) == (to_stage, moved_at)
    assert (change.from_stage, change.to_stage, change.changed_by) == (from_stage, to_stage, host_staff)


@pytest.mark.parametrize("from_stage", OPEN_STAGES)
def test_withdrawing_is_possible_from_every_open_stage(host_staff, from_stage):
    application = ApplicationFactory(stage=from_stage)
    move_application(application=application, to_stage=S.WITHDRAWN, acting_user=host_staff)
    assert Application.objects.get().stage == S.WITHDRAWN


def test_declining_needs_a_reason(host_staff):
    application = ApplicationFactory(stage=S.CONTACTED)
    with pytest.raises(ValidationError, match="reason"):
        move_application(application=application, to_stage=S.DECLINED, acting_user=host_staff)
    move_application(
        application=application,
        to_stage=S.DECLINED,
        acting_user=host_staff,
        decline_reason="Lives outside the area",
    )
    application.refresh_from_db()
    assert (application.stage, application.decline_reason) == (S.DECLINED, "Lives outside the area")


@pytest.mark.parametrize(
    ("from_stage", "to_stage"), [(S.NEW, S.INDUCTION), (S.DECLINED, S.NEW), (S.ACCEPTED, S.WITHDRAWN)]
)
def test_moves_outside_the_pipeline_are_refused_with_what_is_allowed(host_staff, from_stage, to_stage):
    application = ApplicationFactory(stage=from_stage, decline_reason="x" if from_stage == S.DECLINED else "")
    with pytest.raises(ValidationError, match="cannot move") as error:
        move_application(application=application, to_stage=to_stage, acting_user=host_staff)
    assert "Allowed" in str(error.value)
    application.refresh_from_db()
    assert application.stage == from_stage


def test_closed_stages_allow_no_moves():
    for stage in (S.ACCEPTED, S.DECLINED, S.WITHDRAWN):
        assert allowed_moves(stage) == ()


def test_accepting_creates_the_membership(host_staff):
    application = ApplicationFactory(stage=S.INDUCTION)
    membership = accept_application(
        application=application,
        role=MembershipRole.BEREAVEMENT_LEAD,
        ppv_category=PPVCategory.C,
        start_date=datetime.date(2026, 6, 1),
        acting_user=host_staff,
    )
    application.refresh_from_db()
    assert application.stage == S.ACCEPTED
    assert membership.application == application
    assert (membership.person, membership.partnership) == (application.person, application.partnership)
    assert (membership.role, membership.ppv_category) == (MembershipRole.BEREAVEMENT_LEAD, "C")


def test_accepting_before_induction_is_refused_and_creates_nothing(host_staff):
    application = ApplicationFactory(stage=S.CONTACTED)
    with pytest.raises(ValidationError):
        accept_application(
            application=application,
            role=MembershipRole.VOLUNTEER,
            ppv_category=PPVCategory.A,
            start_date=datetime.date(2026, 6, 1),
            acting_user=host_staff,
        )
    assert not Membership.objects.exists()


def test_accepting_with_an_end_before_the_start_is_refused_whole(host_staff):
    application = ApplicationFactory(stage=S.INDUCTION)
    with pytest.raises(ValidationError, match="end date"):
        accept_application(
            application=application,
            role=MembershipRole.VOLUNTEER,
            ppv_category=PPVCategory.B,
            start_date=datetime.date(2026, 6, 1),
            end_date=datetime.date(2026, 5, 1),
            acting_user=host_staff,
        )
    application.refresh_from_db()
    assert application.stage == S.INDUCTION
    assert not Membership.objects.exists()


def test_a_person_may_be_a_member_of_several_mnvps(host_staff, north, south):
    person = Person.objects.create(first_name="Jo", last_name="Bloggs", email="jo@example.org")
    for partnership in (north, south):
        application = ApplicationFactory(person=person, partnership=partnership, stage=S.INDUCTION)
        accept_application(
            application=application,
            role=MembershipRole.VOLUNTEER,
            ppv_category=PPVCategory.B,
            start_date=datetime.date(2026, 6, 1),
            acting_user=host_staff,
        )
    assert set(person.memberships.values_list("partnership__slug", flat=True)) == {"northshire", "southvale"}

"""Training admin screens, for every role: catalogue, requirements, records, certificates, sessions."""

import datetime
from http import HTTPStatus
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from members.enums import DBSLevel, DBSOutcome, MembershipRole
from members.models import TrainingRecord
from tests.factories import (
    CourseFactory,
    DBSCheckFactory,
    MembershipFactory,
    RoleRequirementFactory,
    TrainingRecordFactory,
)
from tests.members.test_partnership_views import assert_denied, assert_refused

PDF = b"%PDF-1.4 certificate"


@pytest.fixture
def course(db):
    return CourseFactory(name="Safeguarding level 2", validity_months=36)


@pytest.fixture
def north_record(north, course):
    person = MembershipFactory(partnership=north, person__last_name="OfNorthshire").person
    return TrainingRecordFactory(
        person=person, course=course, certificate=SimpleUploadedFile("cert.pdf", PDF, "application/pdf")
    )


@pytest.fixture
def south_record(south, course):
    person = MembershipFactory(partnership=south, person__last_name="OfSouthvale").person
    return TrainingRecordFactory(
        person=person, course=course, certificate=SimpleUploadedFile("cert.pdf", PDF, "application/pdf")
    )


@pytest.mark.django_db
class TestCatalogue:
    @pytest.mark.parametrize("namespace", ["courses", "role_requirements"])
    @pytest.mark.parametrize(
        ("fixture", "may_view", "may_add"),
        [
            ("host_staff", True, True),
            ("north_lead", True, False),
            ("north_commissioner", False, False),
            ("dsl", False, False),
            ("no_role_user", False, False),
        ],
    )
    def test_who_reads_and_edits_the_catalogue(
        self, client, request, course, namespace, fixture, may_view, may_add
    ):
        client.force_login(request.getfixturevalue(fixture))
        listing = client.get(reverse(f"{namespace}:index"))
        if may_view:
            assert listing.status_code == HTTPStatus.OK
        else:
            assert_denied(listing)
        adding = client.get(reverse(f"{namespace}:add"))
        if may_add:
            assert adding.status_code == HTTPStatus.OK
        else:
            assert_denied(adding)

    def test_host_staff_set_what_a_role_needs(self, client, host_staff, course):
        client.force_login(host_staff)
        response = client.post(
            reverse("role_requirements:add"),
            {"role": MembershipRole.VOLUNTEER, "courses": [course.pk], "dbs_level": DBSLevel.ENHANCED},
        )
        assert response.status_code == HTTPStatus.FOUND
        requirement = course.required_by.get()
        assert (requirement.role, requirement.dbs_level) == (MembershipRole.VOLUNTEER, DBSLevel.ENHANCED)


@pytest.mark.django_db
class TestTrainingRecords:
    def test_lead_lists_only_their_mnvps_records(self, client, north_lead, north_record, south_record):
        client.force_login(north_lead)
        page = client.get(reverse("training_records:index")).content.decode()
        assert "OfNorthshire" in page
        assert "OfSouthvale" not in page
        exported = b"".join(
            client.get(reverse("training_records:index"), {"export": "csv"}).streaming_content
        )
        assert b"OfNorthshire" in exported
        assert b"OfSouthvale" not in exported

    @pytest.mark.parametrize("view", ["inspect", "history"])
    def test_lead_gets_404_on_another_mnvps_record(self, client, north_lead, south_record, view):
        client.force_login(north_lead)
        response = client.get(reverse(f"training_records:{view}", args=[south_record.pk]))
        assert response.status_code == HTTPStatus.NOT_FOUND

    @pytest.mark.parametrize("view", ["edit", "delete"])
    def test_lead_is_refused_changing_any_record(self, client, north_lead, north_record, south_record, view):
        client.force_login(north_lead)
        for record in (north_record, south_record):
            assert_refused(client.get(reverse(f"training_records:{view}", args=[record.pk])))

    def test_lead_reads_but_does_not_change_their_own(self, client, north_lead, north_record):
        client.force_login(north_lead)
        assert client.get(reverse("training_records:inspect", args=[north_record.pk])).status_code == 200
        assert_refused(client.get(reverse("training_records:edit", args=[north_record.pk])))
        assert_denied(client.get(reverse("training_records:add")))

    @pytest.mark.parametrize("fixture", ["north_commissioner", "dsl", "no_role_user"])
    def test_roles_without_training_rights_reach_nothing(self, client, request, north_record, fixture):
        client.force_login(request.getfixturevalue(fixture))
        assert_denied(client.get(reverse("training_records:index")))
        assert_refused(client.get(reverse("training_records:inspect", args=[north_record.pk])))
        assert_refused(client.get(reverse("training_records:certificate", args=[north_record.pk])))

    def test_recording_sets_the_expiry_and_who_recorded_it(self, client, host_staff, north, course):
        person = MembershipFactory(partnership=north).person
        client.force_login(host_staff)
        response = client.post(
            reverse("training_records:add"),
            {
                "person": person.pk,
                "course": course.pk,
                "completed_on": "2026-01-31",
                "certificate": SimpleUploadedFile("cert.pdf", PDF, "application/pdf"),
                "notes": "",
            },
        )
        assert response.status_code == HTTPStatus.FOUND, response.context["form"].errors
        record = TrainingRecord.objects.get()
        assert record.expires_on == datetime.date(2029, 1, 31)
        assert record.recorded_by == host_staff
        stored = Path(record.certificate.path)
        assert not stored.is_relative_to(settings.MEDIA_ROOT), "MEDIA_URL must not serve it"
        assert stored.is_relative_to(settings.PRIVATE_MEDIA_ROOT)

    @pytest.mark.parametrize(
        ("upload", "message"),
        [
            (SimpleUploadedFile("cert.exe", b"MZ", "application/octet-stream"), "not allowed"),
            (SimpleUploadedFile("cert.pdf", b"x" * (5 * 1024 * 1024 + 1), "application/pdf"), "5 MB or less"),
        ],
    )
    def test_certificates_are_checked_for_type_and_size(
        self, client, host_staff, north, course, upload, message
    ):
        person = MembershipFactory(partnership=north).person
        client.force_login(host_staff)
        response = client.post(
            reverse("training_records:add"),
            {"person": person.pk, "course": course.pk, "completed_on": "2026-01-31", "certificate": upload},
        )
        assert response.status_code == HTTPStatus.OK
        assert message in response.content.decode()
        assert not TrainingRecord.objects.exists()


@pytest.mark.django_db
class TestCertificateDownload:
    def test_host_staff_and_the_own_lead_download(self, client, host_staff, north_lead, north_record):
        for user in (host_staff, north_lead):
            client.force_login(user)
            response = client.get(reverse("training_records:certificate", args=[north_record.pk]))
            assert response.status_code == HTTPStatus.OK
            assert b"".join(response.streaming_content) == PDF
            assert response["Content-Disposition"].startswith("attachment")

    def test_another_mnvps_certificate_is_404(self, client, north_lead, south_record):
        client.force_login(north_lead)
        response = client.get(reverse("training_records:certificate", args=[south_record.pk]))
        assert response.status_code == HTTPStatus.NOT_FOUND

    def test_a_record_without_a_certificate_is_404(self, client, host_staff, north, course):
        record = TrainingRecordFactory(person=MembershipFactory(partnership=north).person, course=course)
        client.force_login(host_staff)
        response = client.get(reverse("training_records:certificate", args=[record.pk]))
        assert response.status_code == HTTPStatus.NOT_FOUND


@pytest.mark.django_db
class TestSessionRegister:
    def test_a_trainer_marks_everyone_who_attended(self, client, host_staff, north, south, course):
        attended = [MembershipFactory(partnership=north).person for _ in range(3)]
        absent = MembershipFactory(partnership=north).person
        outsider = MembershipFactory(partnership=south, person__last_name="OfSouthvale").person
        client.force_login(host_staff)
        url = reverse("training_records:session")
        page = client.get(url, {"partnership": north.pk}).content.decode()
        assert escape(absent.last_name) in page
        assert "OfSouthvale" not in page
        data = {"partnership": north.pk, "course": course.pk, "completed_on": "2026-11-02", "notes": "Jo"}
        response = client.post(url, {**data, "people": [p.pk for p in attended]})
        assert response.status_code == HTTPStatus.FOUND
        assert set(TrainingRecord.objects.values_list("person", flat=True)) == {p.pk for p in attended}
        # Again, with someone from another MNVP slipped in: refused, nothing added.
        response = client.post(url, {**data, "people": [attended[0].pk, outsider.pk]})
        assert response.status_code == HTTPStatus.OK
        assert TrainingRecord.objects.count() == 3

    def test_recording_a_session_twice_adds_nobody_twice(self, client, host_staff, north, course):
        person = MembershipFactory(partnership=north).person
        client.force_login(host_staff)
        data = {
            "partnership": north.pk,
            "course": course.pk,
            "completed_on": "2026-11-02",
            "people": [person.pk],
        }
        client.post(reverse("training_records:session"), data)
        client.post(reverse("training_records:session"), data)
        assert TrainingRecord.objects.count() == 1

    def test_a_session_in_the_future_is_refused(self, client, host_staff, north, course):
        person = MembershipFactory(partnership=north).person
        client.force_login(host_staff)
        future = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
        response = client.post(
            reverse("training_records:session"),
            {"partnership": north.pk, "course": course.pk, "completed_on": future, "people": [person.pk]},
        )
        assert "before it has happened" in response.content.decode()
        assert not TrainingRecord.objects.exists()

    @pytest.mark.parametrize("fixture", ["north_lead", "north_commissioner", "no_role_user"])
    def test_only_those_who_record_training_open_the_register(self, client, request, north, fixture):
        client.force_login(request.getfixturevalue(fixture))
        assert_refused(client.get(reverse("training_records:session"), {"partnership": north.pk}))
        assert_denied(client.get(reverse("training_records:session")))

    def test_an_unknown_mnvp_is_404(self, client, host_staff):
        client.force_login(host_staff)
        response = client.get(reverse("training_records:session"), {"partnership": 999})
        assert response.status_code == HTTPStatus.NOT_FOUND


@pytest.mark.django_db
def test_person_and_membership_pages_show_compliance_with_dbs_details_kept_to_the_role(
    client, north, north_lead, host_staff, course
):
    RoleRequirementFactory(role=MembershipRole.LEAD, dbs_level=DBSLevel.ENHANCED, courses=[course])
    membership = MembershipFactory(partnership=north, role=MembershipRole.LEAD)
    DBSCheckFactory(person=membership.person, outcome=DBSOutcome.NEEDS_DECISION)
    client.force_login(north_lead)
    for url in (
        reverse("people:inspect", args=[membership.person.pk]),
        reverse("memberships:inspect", args=[membership.pk]),
    ):
        page = client.get(url).content.decode()
        assert "Safeguarding level 2: not completed" in page
        assert "Enhanced DBS check: not cleared yet" in page
        assert "disclosed" not in page
    client.force_login(host_staff)
    page = client.get(reverse("people:inspect", args=[membership.person.pk])).content.decode()
    assert "awaiting a decision on what was disclosed" in page

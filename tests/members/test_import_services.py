"""Spreadsheet imports: every bad row reported, nothing half-saved, nobody duplicated."""

import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from members.enums import ImportKind, ImportStatus, MembershipRole
from members.models import ImportJob, Membership, Person
from members.services.imports import confirm_import, progress, purge_old_imports, start_import
from tests.factories import MembershipFactory, PersonFactory


def csv_file(text: str, name="people.csv", encoding="utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def xlsx_file(rows, name="people.xlsx") -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def upload(user, text_or_file, kind=ImportKind.PEOPLE) -> ImportJob:
    uploaded = csv_file(text_or_file) if isinstance(text_or_file, str) else text_or_file
    return start_import(user=user, kind=kind, uploaded_file=uploaded)


def messages_by_row(job):
    return {(problem["row"], problem["field"]): problem["message"] for problem in job.errors}


PEOPLE_CSV = """First name,Last name,Email,Phone,Postcode,Agrees to hear about opportunities
Asha,Patel,Asha.Patel@Example.org,+44 7700 900123,ns1 2ab,yes
Ben,Okafor,ben@example.org,,,no
"""


@pytest.mark.django_db
class TestPeopleImport:
    def test_a_clean_file_checks_then_imports_everyone(self, host_staff, imports_run_on_commit):
        job = imports_run_on_commit(upload, host_staff, PEOPLE_CSV)
        assert job.status == ImportStatus.CHECKED
        assert job.errors == []
        assert job.summary == {"new": 2, "updated": 0}
        assert Person.objects.count() == 0, "the check is a rehearsal"

        imports_run_on_commit(confirm_import, job=job, user=host_staff)
        job.refresh_from_db()
        assert job.status == ImportStatus.IMPORTED
        asha = Person.objects.get(email="asha.patel@example.org")
        assert (asha.first_name, asha.postcode, asha.phone) == ("Asha", "NS1 2AB", "+44 7700 900123")
        assert asha.contact_consent is True
        assert asha.contact_consent_changed_at is not None
        assert bytes(job.content) == b"", "the file's personal data is not kept once imported"

    def test_a_row_matches_an_existing_person_by_email_in_any_case(self, host_staff, imports_run_on_commit):
        existing = PersonFactory(email="asha.patel@example.org", phone="01234 567890", first_name="A")
        job = imports_run_on_commit(
            upload, host_staff, "Email,First name,Last name,Phone\nASHA.PATEL@example.ORG,Asha,Patel,\n"
        )
        assert job.summary == {"new": 0, "updated": 1}
        imports_run_on_commit(confirm_import, job=job, user=host_staff)
        existing.refresh_from_db()
        assert Person.objects.count() == 1
        assert existing.first_name == "Asha"
        assert existing.phone == "01234 567890", "a blank cell never erases what we hold"

    def test_bad_rows_are_each_reported_with_row_and_column_and_nothing_is_saved(
        self, host_staff, imports_run_on_commit
    ):
        text = (
            "First name,Last name,Email,Postcode\n"
            "Asha,Patel,asha@example.org,NS1 2AB\n"
            ",Okafor,not-an-email,nowhere\n"
            'Cara,=HYPERLINK("http://evil"),cara@example.org,\n'
            "Asha,Again,ASHA@example.org,\n"
        )
        job = imports_run_on_commit(upload, host_staff, text)
        assert job.status == ImportStatus.INVALID
        problems = messages_by_row(job)
        assert "First name cannot be empty" in problems[(3, "first_name")]
        assert "not an email address" in problems[(3, "email")]
        assert "UK postcode" in problems[(3, "postcode")]
        assert "spreadsheet formula" in problems[(4, "last_name")]
        assert "also on row 2" in problems[(5, "email")]
        assert (2, "email") not in problems
        assert Person.objects.count() == 0
        with pytest.raises(ValidationError):
            confirm_import(job=job, user=host_staff)

    def test_a_file_that_is_not_utf8_is_refused_with_what_to_do(self, host_staff, imports_run_on_commit):
        job = imports_run_on_commit(
            upload,
            host_staff,
            csv_file("First name,Last name,Email\nZoë,Müller,z@example.org\n", encoding="cp1252"),
        )
        assert job.status == ImportStatus.INVALID
        assert "CSV UTF-8" in job.errors[0]["message"]
        assert job.errors[0]["row"] == 0

    def test_missing_required_columns_are_named(self, host_staff, imports_run_on_commit):
        job = imports_run_on_commit(upload, host_staff, "Name,Email\nAsha Patel,asha@example.org\n")
        assert job.status == ImportStatus.INVALID
        assert "First name, Last name" in job.errors[0]["message"]

    def test_unknown_columns_are_ignored_and_said(self, host_staff, imports_run_on_commit):
        job = imports_run_on_commit(
            upload, host_staff, "Surname,Forename,E-mail,Shoe size\nPatel,Asha,a@example.org,5\n"
        )
        assert job.status == ImportStatus.CHECKED
        assert job.ignored_columns == ["Shoe size"]

    def test_xlsx_is_read_with_its_dates_and_numbers(self, host_staff, imports_run_on_commit):
        job = imports_run_on_commit(
            upload,
            host_staff,
            xlsx_file(
                [
                    ["First name", "Last name", "Email", "Phone"],
                    ["Asha", "Patel", "a@example.org", 7700900123],
                ]
            ),
        )
        assert job.status == ImportStatus.CHECKED, job.errors
        imports_run_on_commit(confirm_import, job=job, user=host_staff)
        assert Person.objects.get().phone == "7700900123"

    @pytest.mark.parametrize(
        ("name", "content", "expected"),
        [
            ("people.txt", b"a,b", "Upload a .csv or .xlsx"),
            ("people.xlsx", b"not a workbook", "could not be read as XLSX"),
            ("people.csv", b"", "empty"),
            ("people.csv", b"First name,Last name,Email\n", "no rows"),
        ],
    )
    def test_unreadable_files_get_a_clear_message(
        self, host_staff, imports_run_on_commit, name, content, expected
    ):
        from members.services.imports import FileProblem

        try:
            job = imports_run_on_commit(upload, host_staff, SimpleUploadedFile(name, content))
        except FileProblem as problem:
            message = str(problem)
        else:
            message = job.errors[0]["message"]
        assert expected in message

    def test_only_host_staff_import_people(self, north_lead):
        with pytest.raises(PermissionDenied):
            upload(north_lead, PEOPLE_CSV)
        assert not ImportJob.objects.exists()

    def test_a_job_imports_once_and_only_for_its_uploader(self, host_staff, imports_run_on_commit):
        from members.enums import Role
        from tests.factories import UserFactory

        job = imports_run_on_commit(upload, host_staff, PEOPLE_CSV)
        other_staff = UserFactory(role=Role.HOST_STAFF)
        with pytest.raises(PermissionDenied):
            confirm_import(job=job, user=other_staff)
        imports_run_on_commit(confirm_import, job=job, user=host_staff)
        with pytest.raises(ValidationError):
            confirm_import(job=ImportJob.objects.get(pk=job.pk), user=host_staff)
        assert Person.objects.count() == 2

    def test_a_permission_lost_after_the_check_imports_nothing(self, host_staff, imports_run_on_commit):
        job = imports_run_on_commit(upload, host_staff, PEOPLE_CSV)
        imports_run_on_commit(confirm_import, job=job, user=host_staff)  # queued, then:
        job.refresh_from_db()
        assert job.status == ImportStatus.IMPORTED

        second = imports_run_on_commit(upload, host_staff, PEOPLE_CSV.replace("example.org", "example.net"))
        ImportJob.objects.filter(pk=second.pk).update(status=ImportStatus.IMPORTING)
        host_staff.groups.clear()
        from members.services.imports import run_import

        second = run_import(second.pk)
        assert second.status == ImportStatus.FAILED
        assert "no longer have permission" in second.errors[0]["message"]
        assert not Person.objects.filter(email__endswith="example.net").exists()

    def test_an_unexpected_failure_mid_import_leaves_nothing_behind(
        self, host_staff, imports_run_on_commit, monkeypatch
    ):
        from members.resources import PersonResource

        job = imports_run_on_commit(upload, host_staff, PEOPLE_CSV)

        def explode(self, *args, **kwargs):
            raise RuntimeError("disk full")

        monkeypatch.setattr(PersonResource, "after_import", explode)
        imports_run_on_commit(confirm_import, job=job, user=host_staff)
        job.refresh_from_db()
        assert job.status == ImportStatus.FAILED
        assert not Person.objects.exists()

    def test_progress_reaches_the_row_count(self, host_staff, imports_run_on_commit):
        job = imports_run_on_commit(upload, host_staff, PEOPLE_CSV)
        assert progress(job) == 2

    def test_old_jobs_are_purged(self, host_staff, imports_run_on_commit):
        job = imports_run_on_commit(upload, host_staff, PEOPLE_CSV)
        assert purge_old_imports(now=job.created_at + datetime.timedelta(days=6)) == 0
        assert purge_old_imports(now=job.created_at + datetime.timedelta(days=8)) == 1


MEMBERSHIPS_CSV = """Email,First name,Last name,MNVP,Role,PPV category,Start date
asha@example.org,Asha,Patel,Northshire MNVP,Volunteer,B,01/04/2026
asha@example.org,Asha,Patel,northshire,Neonatal lead,C,2026-04-01
"""


@pytest.mark.django_db
class TestMembershipImport:
    def test_adds_people_it_does_not_know_and_their_memberships(
        self, north, north_lead, imports_run_on_commit
    ):
        job = imports_run_on_commit(upload, north_lead, MEMBERSHIPS_CSV, ImportKind.MEMBERSHIPS)
        assert job.status == ImportStatus.CHECKED, job.errors
        imports_run_on_commit(confirm_import, job=job, user=north_lead)
        asha = Person.objects.get()
        roles = set(asha.memberships.values_list("role", "ppv_category", "start_date"))
        assert roles == {
            (MembershipRole.VOLUNTEER, "B", datetime.date(2026, 4, 1)),
            (MembershipRole.NEONATAL_LEAD, "C", datetime.date(2026, 4, 1)),
        }

    def test_a_lead_learns_nothing_of_people_outside_their_mnvp(
        self, north, south, north_lead, host_staff, imports_run_on_commit
    ):
        MembershipFactory(partnership=south, person__email="known@example.org")
        text = "Email,First name,Last name,MNVP,Role\nknown@example.org,,,Northshire MNVP,Volunteer\n"
        lead_job = imports_run_on_commit(upload, north_lead, text, ImportKind.MEMBERSHIPS)
        staff_job = imports_run_on_commit(upload, host_staff, text, ImportKind.MEMBERSHIPS)
        assert "needs a name on every row" in messages_by_row(lead_job)[(2, "first_name")]
        assert staff_job.status == ImportStatus.CHECKED, "host staff may rely on the person we hold"

        new_person = (
            "Email,First name,Last name,MNVP,Role\nnew@example.org,New,Person,Northshire MNVP,Volunteer\n"
        )
        assert (
            "people_added" not in imports_run_on_commit(upload, north_lead, new_person, "memberships").summary
        )
        assert (
            imports_run_on_commit(upload, host_staff, new_person, "memberships").summary["people_added"] == 1
        )

    def test_updates_the_open_membership_in_that_role(self, north, host_staff, imports_run_on_commit):
        membership = MembershipFactory(partnership=north, role=MembershipRole.VOLUNTEER, ppv_category="A")
        email = membership.person.email.upper()
        text = f"Email,MNVP,Role,PPV category,End date\n{email},Northshire MNVP,volunteer,C,31/12/2026\n"
        job = imports_run_on_commit(upload, host_staff, text, ImportKind.MEMBERSHIPS)
        assert job.summary["updated"] == 1
        imports_run_on_commit(confirm_import, job=job, user=host_staff)
        membership.refresh_from_db()
        assert (membership.ppv_category, membership.end_date) == ("C", datetime.date(2026, 12, 31))
        assert Membership.objects.count() == 1

    def test_a_lead_cannot_import_into_another_mnvp(self, north, south, north_lead, imports_run_on_commit):
        text = "Email,First name,Last name,MNVP,Role\nz@example.org,Zed,Zee,Southvale MNVP,Volunteer\n"
        job = imports_run_on_commit(upload, north_lead, text, ImportKind.MEMBERSHIPS)
        assert job.status == ImportStatus.INVALID
        assert "not an MNVP you may import into" in messages_by_row(job)[(2, "mnvp")]
        assert not Person.objects.exists()

    def test_new_people_need_names_and_rows_may_not_repeat(self, north, host_staff, imports_run_on_commit):
        text = (
            "Email,First name,Last name,MNVP,Role,Start date,End date\n"
            "new@example.org,,,Northshire MNVP,Volunteer,,\n"
            "b@example.org,Bea,B,Northshire MNVP,Volunteer,,\n"
            "b@example.org,Bea,B,Northshire MNVP,Volunteer,,\n"
            "c@example.org,Cy,C,Northshire MNVP,Lead,01/05/2026,01/04/2026\n"
            "d@example.org,Di,D,Northshire MNVP,Chief,,\n"
        )
        job = imports_run_on_commit(upload, host_staff, text, ImportKind.MEMBERSHIPS)
        problems = messages_by_row(job)
        assert "is new to us" in problems[(2, "first_name")]
        assert "Row 3 already" in problems[(4, "email")]
        assert "end date cannot be before" in problems[(5, "end_date")]
        assert "“Chief” is not one of" in problems[(6, "role")]
        assert not Person.objects.exists()
        assert not Membership.objects.exists()

    def test_the_import_rechecks_and_rolls_back_everything_if_data_changed(
        self, north, host_staff, imports_run_on_commit
    ):
        job = imports_run_on_commit(upload, host_staff, MEMBERSHIPS_CSV, ImportKind.MEMBERSHIPS)
        north.name, north.slug = "Renamed MNVP", "renamed"
        north.save()
        imports_run_on_commit(confirm_import, job=job, user=host_staff)
        job.refresh_from_db()
        assert job.status == ImportStatus.FAILED
        assert not Person.objects.exists()
        assert not Membership.objects.exists()

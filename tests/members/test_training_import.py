"""Training records by spreadsheet: the same check, preview and all-or-nothing import."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from members.enums import ImportKind, ImportStatus
from members.models import TrainingRecord
from members.services.imports import confirm_import
from tests.factories import CourseFactory, MembershipFactory, TrainingRecordFactory
from tests.members.test_import_services import messages_by_row, upload


@pytest.fixture
def course(db):
    return CourseFactory(name="Safeguarding level 2", validity_months=36)


@pytest.fixture
def member(north):
    return MembershipFactory(partnership=north, person__email="asha@example.org").person


@pytest.mark.django_db
class TestTrainingImport:
    def test_records_completions_with_their_expiry(self, host_staff, member, course, imports_run_on_commit):
        text = (
            "Email,Course,Completed on,Notes\nASHA@example.org,safeguarding LEVEL 2,31/01/2025,Trainer: Jo\n"
        )
        job = imports_run_on_commit(upload, host_staff, text, ImportKind.TRAINING)
        assert job.status == ImportStatus.CHECKED, job.errors
        imports_run_on_commit(confirm_import, job=job, user=host_staff)
        record = TrainingRecord.objects.get()
        assert (record.person, record.course, record.notes) == (member, course, "Trainer: Jo")
        assert record.expires_on == datetime.date(2028, 1, 31)
        assert record.recorded_by == host_staff

    def test_the_same_completion_again_updates_it(self, host_staff, member, course, imports_run_on_commit):
        TrainingRecordFactory(person=member, course=course, completed_on=datetime.date(2025, 1, 31))
        text = "Email,Course,Completed on,Notes\nasha@example.org,Safeguarding level 2,2025-01-31,Corrected\n"
        job = imports_run_on_commit(upload, host_staff, text, ImportKind.TRAINING)
        assert job.summary == {"new": 0, "updated": 1}
        imports_run_on_commit(confirm_import, job=job, user=host_staff)
        assert TrainingRecord.objects.get().notes == "Corrected"

    def test_bad_rows_are_reported_and_nothing_saved(self, host_staff, member, course, imports_run_on_commit):
        future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
        text = (
            "Email,Course,Completed on\n"
            "nobody@example.org,Safeguarding level 2,2025-01-01\n"
            "asha@example.org,Juggling,2025-01-01\n"
            f"asha@example.org,Safeguarding level 2,{future}\n"
            "asha@example.org,Safeguarding level 2,2025-02-01\n"
            "asha@example.org,Safeguarding level 2,01/02/2025\n"
        )
        job = imports_run_on_commit(upload, host_staff, text, ImportKind.TRAINING)
        problems = messages_by_row(job)
        assert "is not anyone in your MNVPs" in problems[(2, "email")]
        assert "not a course in the catalogue" in problems[(3, "course")]
        assert "in the future" in problems[(4, "completed_on")]
        assert "Row 5 already records" in problems[(6, "email")]
        assert not TrainingRecord.objects.exists()

    def test_leads_may_not_import_training(self, north_lead, member):
        with pytest.raises(PermissionDenied):
            upload(
                north_lead,
                "Email,Course,Completed on\nasha@example.org,Safeguarding level 2,2025-01-01\n",
                "training",
            )

    def test_someone_outside_the_importers_mnvps_reads_as_nobody(
        self, north, south, member, course, imports_run_on_commit
    ):
        """A trainer trusted with one MNVP (a lead given the permission) cannot reach another's people."""
        from django.contrib.auth.models import Permission

        from tests.factories import lead_of

        MembershipFactory(partnership=south, person__email="southerner@example.org")
        trainer = lead_of(north, username="north.trainer")
        trainer.user_permissions.add(Permission.objects.get(codename="import_trainingrecord"))
        text = (
            "Email,Course,Completed on\n"
            "asha@example.org,Safeguarding level 2,2025-01-01\n"
            "southerner@example.org,Safeguarding level 2,2025-01-01\n"
            "nobody@example.org,Safeguarding level 2,2025-01-01\n"
        )
        job = imports_run_on_commit(upload, trainer, text, ImportKind.TRAINING)
        problems = messages_by_row(job)
        assert (2, "email") not in problems
        assert problems[(3, "email")] == problems[(4, "email")].replace("nobody", "southerner")

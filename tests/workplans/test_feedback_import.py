"""Importing survey comments through the members import flow: checked first, all or nothing."""

import io

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.enums import ImportKind, ImportStatus
from members.models import ImportJob
from members.services.imports import confirm_import, start_import
from workplans.models import FeedbackItem

from .feedback_factories import FeedbackItemFactory, FeedbackThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def imports_run_on_commit(django_capture_on_commit_callbacks):
    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            result = action(*args, **kwargs)
        if isinstance(result, ImportJob):
            result.refresh_from_db()
        return result

    return run


def upload(user, text, name="comments.csv"):
    return start_import(
        user=user, kind=ImportKind.FEEDBACK, uploaded_file=SimpleUploadedFile(name, text.encode("utf-8"))
    )


def problems(job):
    return {(p["row"], p["field"]): p["message"] for p in job.errors}


GOOD = """MNVP,Received on,Source,Service area,Sentiment,Comment
Northshire MNVP,01/05/2025,Survey,Birth,Negative,We waited hours for pain relief.
northshire,2025-05-02,survey,postnatal,,The food was cold.
"""


def test_a_clean_file_imports_every_comment_encrypted_and_tagged(host_staff, north, imports_run_on_commit):
    waiting = FeedbackThemeFactory(name="Waiting", keywords="waited")
    job = imports_run_on_commit(upload, host_staff, GOOD)
    assert (job.status, job.errors, job.summary) == (ImportStatus.CHECKED, [], {"new": 2, "updated": 0})
    assert not FeedbackItem.objects.exists(), "the check is a rehearsal"
    imports_run_on_commit(confirm_import, job=job, user=host_staff)
    job.refresh_from_db()
    assert job.status == ImportStatus.IMPORTED
    items = {item.text: item for item in FeedbackItem.objects.all()}
    assert set(items) == {"We waited hours for pain relief.", "The food was cold."}
    assert list(items["We waited hours for pain relief."].themes.all()) == [waiting]
    assert not items["The food was cold."].themes.exists()
    assert all(item.partnership == north and item.created_by == host_staff for item in items.values())


BAD = """MNVP,Received on,Source,Service area,Comment
Northshire MNVP,31/02/2025,Survey,Birth,Bad date.
Southvale MNVP,2025-05-01,Survey,Birth,Another MNVP.
Nowhere MNVP,2025-05-01,Survey,Birth,Unknown MNVP.
Northshire MNVP,2025-05-01,Letter,Birth,=HYPERLINK("x")
Northshire MNVP,2025-05-01,Survey,Birth,Said twice.
Northshire MNVP,2025-05-01,Survey,Birth,said   twice.
Northshire MNVP,2025-05-03,Survey,Birth,Already on record.
Northshire MNVP,2025-05-04,Survey,Birth,A good row.
"""


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_imported(
    north_lead, north, south, imports_run_on_commit
):
    # Leads do not import by role; given the permission, a lead still imports only into their MNVP.
    north_lead.user_permissions.add(Permission.objects.get(codename="import_feedbackitem"))
    north_lead = type(north_lead).objects.get(pk=north_lead.pk)
    FeedbackItemFactory(partnership=north, received_on="2025-05-03", text="Already on record.")
    job = imports_run_on_commit(upload, north_lead, BAD)
    assert job.status == ImportStatus.INVALID
    found = problems(job)
    assert set(found) == {
        (2, "received_on"),
        (3, "mnvp"),
        (4, "mnvp"),
        (5, "source"),
        (5, "text"),
        (7, "text"),
        (8, "text"),
    }
    assert "is not an MNVP you may import into" in found[(3, "mnvp")]
    assert "formula" in found[(5, "text")]
    assert "Row 6" in found[(7, "text")]
    assert FeedbackItem.objects.count() == 1
    with pytest.raises(ValidationError, match="checked without errors"):
        confirm_import(job=job, user=north_lead)
    assert FeedbackItem.objects.count() == 1


def test_a_missing_column_is_reported_for_the_file(host_staff, north, imports_run_on_commit):
    job = imports_run_on_commit(
        upload, host_staff, "MNVP,Received on,Source,Comment\nNorthshire MNVP,2025-05-01,Survey,x\n"
    )
    assert job.status == ImportStatus.INVALID
    assert "Service area" in job.errors[0]["message"]
    assert job.errors[0]["row"] == 0


def test_an_xlsx_file_imports(host_staff, north, imports_run_on_commit):
    import datetime

    workbook = openpyxl.Workbook()
    workbook.active.append(["MNVP", "Received on", "Source", "Service area", "Comment"])
    workbook.active.append(
        ["Northshire MNVP", datetime.datetime(2025, 6, 1), "Survey", "Neonatal", "Kind staff."]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    job = imports_run_on_commit(
        start_import,
        user=host_staff,
        kind=ImportKind.FEEDBACK,
        uploaded_file=SimpleUploadedFile("comments.xlsx", buffer.getvalue()),
    )
    assert job.status == ImportStatus.CHECKED, job.errors
    imports_run_on_commit(confirm_import, job=job, user=host_staff)
    assert FeedbackItem.objects.get().received_on == datetime.date(2025, 6, 1)


def test_a_failure_at_import_time_leaves_nothing(host_staff, north, imports_run_on_commit):
    job = imports_run_on_commit(upload, host_staff, GOOD)
    # The data changed since the check: the second row is now on record, so the whole import fails.
    FeedbackItemFactory(partnership=north, received_on="2025-05-02", text="The food was cold.")
    imports_run_on_commit(confirm_import, job=job, user=host_staff)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert (3, "text") in problems(job)
    assert FeedbackItem.objects.count() == 1


@pytest.mark.parametrize("user_fixture", ["north_commissioner", "no_role_user"])
def test_only_those_with_the_import_permission_may_import(request, north, user_fixture):
    with pytest.raises(PermissionDenied):
        upload(request.getfixturevalue(user_fixture), GOOD)


def test_the_listing_offers_the_import_button_to_those_who_may_import(client, host_staff, north_lead):
    client.force_login(host_staff)
    assert "Import from a spreadsheet" in client.get(reverse("feedback_items:index")).content.decode()
    assert client.get(reverse("feedback_items:import")).status_code == 200
    client.force_login(north_lead)
    assert "Import from a spreadsheet" not in client.get(reverse("feedback_items:index")).content.decode()

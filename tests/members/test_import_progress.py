"""An import shows how far it has got, and ends with a clear result.

The job page has a <progress> bar with its words, a refresh link for browsers without
JavaScript and a static script (no inline code) that polls the job's JSON status.
The status belongs to the job's uploader only.
"""

from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.urls import reverse

from members.enums import ImportKind, ImportStatus
from members.models import ImportJob
from members.services.imports import check_import, job_status, progress_key, run_import
from tests.factories import lead_of
from tests.members.test_import_views import MEMBERSHIPS_CSV, PEOPLE_CSV, upload
from tests.members.test_partnership_views import assert_denied

pytestmark = pytest.mark.django_db

BAD_CSV = b"First name,Last name,Email\n,Patel,nope\nAsha,Patel,asha@example.org\n"


@pytest.fixture
def uploaded(client, host_staff, django_capture_on_commit_callbacks):
    """A people file uploaded but not checked yet (the check is queued, not run)."""
    client.force_login(host_staff)
    with django_capture_on_commit_callbacks(execute=False):
        upload(client, "people", PEOPLE_CSV)
    return ImportJob.objects.get()


def status(client, job, namespace="people"):
    return client.get(reverse(f"{namespace}:import_status", args=[job.pk]))


def test_a_waiting_job_shows_a_progress_bar_a_refresh_link_and_the_script(client, uploaded):
    page = client.get(reverse("people:import_job", args=[uploaded.pk])).content.decode()
    assert '<progress id="import-progress"' in page
    assert '<label for="import-progress">' in page
    assert 'role="status"' in page
    assert "Checking: 0 of ? rows done." in page
    assert f'data-import-status-url="{reverse("people:import_status", args=[uploaded.pk])}"' in page
    assert f'href="{reverse("people:import_job", args=[uploaded.pk])}" data-import-refresh' in page
    assert "members/js/import_progress" in page
    assert 'http-equiv="refresh"' not in page  # no timed reload (WCAG 2.2.1)
    assert "<script>" not in page.replace(" ", "")


def test_the_status_counts_rows_as_the_check_goes(client, uploaded):
    ImportJob.objects.filter(pk=uploaded.pk).update(status=ImportStatus.CHECKING, total_rows=1000)
    cache.set(progress_key(uploaded.pk), 250)

    response = status(client, uploaded)

    assert response.status_code == HTTPStatus.OK
    assert "no-store" in response["Cache-Control"]
    assert response.json() == {
        "status": "checking",
        "status_label": "Checking",
        "running": True,
        "processed_rows": 250,
        "total_rows": 1000,
        "problems": 0,
        "can_confirm": False,
        "message": "Checking: 250 of 1,000 rows done.",
    }


def test_a_check_and_an_import_record_rows_done_and_end_with_the_result(client, uploaded):
    job = check_import(uploaded.pk)
    assert (job.processed_rows, job.total_rows) == (1, 1)
    assert job.step_started_at is not None
    result = status(client, job).json()
    assert result["running"] is False
    assert result["can_confirm"] is True
    assert (
        result["message"] == "All 1 row checked: the import will add 1 and update 0. Confirm it on this page."
    )

    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.IMPORTING)
    job = run_import(job.pk)
    assert job.processed_rows == 1
    assert status(client, job).json()["message"].startswith("Imported 1 row: 1 added, 0 updated")


def test_a_file_with_problems_ends_saying_how_many(client, host_staff, django_capture_on_commit_callbacks):
    client.force_login(host_staff)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, "people", BAD_CSV)
    job = ImportJob.objects.get()
    result = status(client, job).json()
    assert result["status"] == "invalid"
    assert result["problems"] == 2
    assert result["message"] == (
        "The file cannot be imported yet, and nothing has been changed: 2 problems to put right in the file."
    )


def test_the_status_is_only_for_the_jobs_uploader(
    client, north, north_lead, django_capture_on_commit_callbacks
):
    client.force_login(north_lead)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, "memberships", MEMBERSHIPS_CSV)
    job = ImportJob.objects.get()
    assert status(client, job, "memberships").status_code == HTTPStatus.OK

    client.force_login(lead_of(north, username="north.lead.2"))
    assert status(client, job, "memberships").status_code == HTTPStatus.NOT_FOUND


def test_the_status_is_found_only_under_its_own_kind(client, uploaded):
    assert status(client, uploaded, "memberships").status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("user_fixture", ["no_role_user", "south_lead", "north_commissioner"])
def test_those_who_may_not_import_are_refused(client, request, uploaded, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    response = status(client, uploaded, "people")
    if response.status_code != HTTPStatus.NOT_FOUND:
        assert_denied(response)


def test_anonymous_visitors_are_sent_to_log_in(client, uploaded):
    client.logout()
    assert_denied(status(client, uploaded))


def test_job_status_of_an_imported_job_names_new_people():
    job = ImportJob(
        kind=ImportKind.PEOPLE,
        status=ImportStatus.IMPORTED,
        total_rows=3,
        processed_rows=3,
        summary={"new": 2, "updated": 1, "people_added": 1},
    )
    assert job_status(job)["message"] == "Imported 3 rows: 2 added, 1 updated, and 1 new person."

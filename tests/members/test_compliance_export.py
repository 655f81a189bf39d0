"""Compliance report exports made in the background: the same file as the direct export, its asker only."""

import datetime
import io
import os
from http import HTTPStatus

import pytest
from django.core.files.storage import storages
from django.urls import reverse
from openpyxl import load_workbook

from members import compliance_export
from members.enums import Role
from tests.factories import UserFactory
from tests.members import test_compliance_report_views as report_tests
from tests.members.test_partnership_views import assert_refused

pytestmark = pytest.mark.django_db
people, safeguarding = report_tests.people, report_tests.safeguarding  # the report tests' fixtures
REPORT = "compliance_report:index"


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path, "base_url": None},
        },
    }
    return tmp_path


def start(client, user, export_format, **params):
    """Ask for an export as ``user``; Celery runs eagerly in tests, so the job is done on return."""
    client.force_login(user)
    response = client.get(reverse("compliance_report:export_start", args=[export_format]), params)
    assert response.status_code == HTTPStatus.FOUND
    return response["Location"].rstrip("/").rsplit("/", 1)[-1]


def urls(job_id):
    return {
        name: reverse(f"compliance_report:{name}", args=[job_id])
        for name in ("export_job", "export_status", "export_download")
    }


def direct(client, **params):
    response = client.get(reverse(REPORT), params)
    return b"".join(response.streaming_content) if response.streaming else response.getvalue()


def cells(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def test_the_report_download_buttons_start_a_background_export(client, host_staff, north, people):
    client.force_login(host_staff)
    page = client.get(reverse(REPORT), {"partnership": north.pk}).content.decode()
    assert reverse("compliance_report:export_start", args=["csv"]) + f"?partnership={north.pk}" in page
    assert reverse("compliance_report:export_start", args=["xlsx"]) + f"?partnership={north.pk}" in page


def test_a_csv_export_is_the_direct_export_and_is_deleted_once_downloaded(client, host_staff, people):
    job_id = start(client, host_staff, "csv")
    page = client.get(urls(job_id)["export_job"]).content.decode()
    assert "Download the CSV file" in page
    status = client.get(urls(job_id)["export_status"]).json()
    assert (status["running"], status["processed_rows"], status["total_rows"]) == (False, 3, 3)
    response = client.get(urls(job_id)["export_download"])
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Disposition"] == 'attachment; filename="compliance.csv"'
    assert response.content == direct(client, export="csv")
    assert b"Sam South" in response.content
    assert storages["private"].listdir(compliance_export.FOLDER)[1] == []
    assert client.get(urls(job_id)["export_download"]).status_code == HTTPStatus.NOT_FOUND
    assert "has been downloaded" in client.get(urls(job_id)["export_job"]).content.decode()


def test_an_xlsx_export_keeps_the_leads_filters_and_scope(client, north_lead, north, people):
    job_id = start(client, north_lead, "xlsx", partnership=north.pk, state="missing")
    content = client.get(urls(job_id)["export_download"]).content
    assert cells(content) == cells(direct(client, partnership=north.pk, state="missing", export="xlsx"))
    names = [row[0] for row in cells(content)[1:]]
    assert names == ["Nat Nobody"]


def test_only_the_asker_reaches_the_job(client, host_staff, people):
    job_id = start(client, host_staff, "csv")
    other = UserFactory(username="other.host", role=Role.HOST_STAFF)
    client.force_login(other)
    for url in urls(job_id).values():
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    assert storages["private"].listdir(compliance_export.FOLDER)[1] != []  # still there for its asker


def test_a_lead_of_another_mnvp_cannot_reach_a_leads_job(client, north_lead, south_lead, north, people):
    job_id = start(client, north_lead, "csv", partnership=north.pk)
    client.force_login(south_lead)
    for url in urls(job_id).values():
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND


def test_anonymous_visitors_are_sent_to_log_in(client, host_staff, people):
    job_id = start(client, host_staff, "csv")
    client.logout()
    for url in [reverse("compliance_report:export_start", args=["csv"]), *urls(job_id).values()]:
        response = client.get(url)
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"].startswith(reverse("wagtailadmin_login"))


def test_a_user_without_the_report_cannot_start_an_export(client, no_role_user, people):
    client.force_login(no_role_user)
    assert_refused(client.get(reverse("compliance_report:export_start", args=["csv"])))


def test_an_unknown_job_or_format_is_not_found(client, host_staff):
    client.force_login(host_staff)
    assert client.get(reverse("compliance_report:export_start", args=["pdf"])).status_code == 404
    assert client.get(urls("no-such-job")["export_job"]).status_code == 404


def test_files_not_downloaded_are_purged_after_a_day(client, host_staff, people, private_storage):
    old = start(client, host_staff, "csv")
    new = start(client, host_staff, "xlsx")
    folder = private_storage / compliance_export.FOLDER
    day_ago = (datetime.datetime.now() - datetime.timedelta(hours=25)).timestamp()
    os.utime(folder / f"{old}.csv", (day_ago, day_ago))
    assert compliance_export.purge_old_exports() == 1
    assert sorted(p.name for p in folder.iterdir()) == [f"{new}.xlsx"]

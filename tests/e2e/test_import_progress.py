"""The import job page follows a running check by itself, then shows the result (no timed reload)."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from members.enums import ImportKind, ImportStatus
from members.models import ImportJob, User
from members.services.imports import progress_key
from tests.e2e.accessibility import assert_accessible

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips, or fails under E2E_REQUIRED=1, saying why
    expect = None

pytestmark = pytest.mark.e2e


def test_the_progress_bar_moves_and_the_page_ends_with_the_result(demo, desktop, log_in, shot):
    host = User.objects.get(username="host.admin")
    job = ImportJob.objects.create(
        kind=ImportKind.PEOPLE,
        status=ImportStatus.CHECKING,
        created_by=host,
        file_name="people.csv",
        file_format="csv",
        content=b"First name,Last name,Email\n",
        total_rows=1000,
    )
    log_in(desktop, "host.admin")
    desktop.goto(reverse("people:import_job", args=[job.pk]))
    bar = desktop.get_by_role("progressbar", name="Progress of the check")
    expect(bar).to_be_visible()
    expect(desktop.locator("#import-progress-text")).to_have_text("Checking: 0 of 1,000 rows done.")
    expect(desktop.get_by_role("link", name="Refresh to see how far it has got")).to_be_visible()
    assert_accessible(desktop, "import progress")

    cache.set(progress_key(job.pk), 500)  # the live server runs in this process: same cache
    expect(desktop.locator("#import-progress-text")).to_have_text(
        "Checking: 500 of 1,000 rows done.", timeout=20_000
    )
    expect(bar).to_have_attribute("value", "500")
    shot(desktop, "import-progress-half")

    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.CHECKED, processed_rows=1000, summary={"new": 990, "updated": 10}
    )
    expect(
        desktop.get_by_text("All 1,000 rows checked: the import will add 990 and update 10")
    ).to_be_visible()
    expect(desktop.get_by_role("button", name="Import 1,000 rows")).to_be_visible()
    shot(desktop, "import-progress-done")

"""Host staff import members from a spreadsheet, then read the compliance report and export it.

The import is the admin's own flow: upload, the check (problems listed by row; nothing written),
a corrected file, the preview, confirm, the result. The new volunteers then show in the compliance
report as missing their training: filtered to Northshire and to "Missing", then downloaded as CSV.
Every admin page is checked with axe.
"""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from members.enums import ImportStatus, MembershipRole
from members.models import ImportJob, Membership, Person
from tests.e2e.accessibility import assert_accessible
from tests.factories import (
    CourseFactory,
    MembershipFactory,
    PersonFactory,
    RoleRequirementFactory,
    TrainingRecordFactory,
)

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips, or fails under E2E_REQUIRED=1, saying why
    expect = None

pytestmark = pytest.mark.e2e
SCREENS = ["phone", "desktop"]
HEADINGS = "Email,MNVP,Role,PPV category,Start date,First name,Last name\n"
# The second row's email is mistyped, and Carla is already a Northshire volunteer (her email in
# another case): she gains a second role there, and no second person.
FIRST_TRY = (
    HEADINGS
    + "ffion.jones@example.org,Northshire MNVP,volunteer,B,01/09/2026,Ffion,Jones\n"
    + "dewi.evans.example.org,northshire,Volunteer,A,01/09/2026,Dewi,Evans\n"
    + "CARLA.MENDES@example.org,Northshire MNVP,member_representative,C,01/10/2026,,\n"
)
CORRECTED = FIRST_TRY.replace("dewi.evans.example.org", "dewi.evans@example.org")


def upload(page, name, content):
    page.get_by_label("Spreadsheet").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": content.encode("utf-8")}
    )
    page.get_by_role("button", name="Check the file").click()


@pytest.fixture
def host_work(demo):
    """Volunteers must hold a safeguarding course; Carla holds it, Olu's has lapsed."""
    partnerships, _users = demo
    north = partnerships["northshire"]
    course = CourseFactory(name="Safeguarding adults, level 2", validity_months=12)
    RoleRequirementFactory(role=MembershipRole.VOLUNTEER, courses=[course])
    carla = PersonFactory(first_name="Carla", last_name="Mendes", email="carla.mendes@example.org")
    MembershipFactory(person=carla, partnership=north, role=MembershipRole.VOLUNTEER)
    TrainingRecordFactory(
        person=carla, course=course, completed_on=timezone.localdate() - datetime.timedelta(days=30)
    )
    olu = PersonFactory(first_name="Olu", last_name="Adeyemi", email="olu.adeyemi@example.org")
    MembershipFactory(person=olu, partnership=north, role=MembershipRole.VOLUNTEER)
    TrainingRecordFactory(
        person=olu, course=course, completed_on=timezone.localdate() - datetime.timedelta(days=500)
    )
    return {"north": north, "carla": carla}


@pytest.mark.parametrize("screen", SCREENS)
def test_host_staff_import_members_and_read_the_compliance_report(
    request, screen, host_work, log_in, shot, tmp_path
):
    page = request.getfixturevalue(screen)
    north, carla = host_work["north"], host_work["carla"]
    log_in(page, "host.admin")
    assert_accessible(page, "host dashboard")

    page.goto(reverse("memberships:index"))
    assert_accessible(page, "memberships")
    page.get_by_role("button", name="Actions").click()
    page.get_by_role("link", name="Import from a spreadsheet").click()
    page.wait_for_url(f"**{reverse('memberships:import')}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Import memberships")
    assert_accessible(page, "import upload")
    shot(page, f"host-01-import-upload-{screen}")

    # The first file has a mistyped email: the check lists it by row and column, and stops there.
    upload(page, "members.csv", FIRST_TRY)
    page.wait_for_url(re.compile(r"/admin/memberships/import/\d+/$"))
    expect(page.get_by_role("alert")).to_contain_text("nothing has been changed")
    # Rows are numbered as the spreadsheet numbers them: the headings are row 1.
    problems = page.get_by_role("row").filter(has=page.get_by_role("cell"))
    expect(problems).to_have_count(1)
    expect(problems.get_by_role("cell")).to_have_text(
        ["3", "Email", "“dewi.evans.example.org” is not an email address."]
    )
    assert_accessible(page, "import check, with a problem")
    shot(page, f"host-02-import-problems-{screen}")
    assert not Person.objects.filter(email="ffion.jones@example.org").exists()

    # Put right and uploaded again: the preview says what the import will do.
    page.get_by_role("link", name="Upload a corrected file").click()
    upload(page, "members-corrected.csv", CORRECTED)
    page.wait_for_url(re.compile(r"/admin/memberships/import/\d+/$"))
    preview = page.locator(".help-block[role=status]")
    expect(preview).to_contain_text("All 3 rows checked: the import will add 3")
    expect(preview).to_contain_text("including 2 new people")
    assert_accessible(page, "import preview")
    shot(page, f"host-03-import-preview-{screen}")
    assert not Person.objects.filter(email="ffion.jones@example.org").exists()

    page.get_by_role("button", name="Import 3 rows").click()
    expect(page.locator(".help-block[role=status]")).to_contain_text(
        "Imported 3 rows: 3 added, 0 updated, and 2 new people"
    )
    assert_accessible(page, "import result")
    shot(page, f"host-04-import-result-{screen}")
    page.get_by_role("link", name="Back to the list").click()
    page.wait_for_url(f"**{reverse('memberships:index')}")
    expect(page.get_by_role("row").filter(has_text="Ffion Jones")).to_have_count(1)

    # The compliance report, narrowed to Northshire and to those missing a requirement.
    page.goto(reverse("compliance_report:index"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Compliance")
    assert_accessible(page, "compliance report")
    filters = page.locator("#filters-drilldown")
    filters.get_by_role("button", name="Show filters").click()
    filters.get_by_role("button", name="MNVP", exact=True).click()
    filters.get_by_label("MNVP", exact=True).select_option(label="Northshire MNVP")
    page.wait_for_url(re.compile(rf"partnership={north.pk}"))
    filters.get_by_role("button", name="Back").click()
    filters.get_by_role("button", name="State", exact=True).click()
    filters.get_by_label("State", exact=True).select_option(label="Missing")
    page.wait_for_url(re.compile(r"state=missing"))
    page.keyboard.press("Escape")
    rows = page.locator("table").filter(has_text="What is needed").get_by_role("row")
    expect(rows.filter(has_text="Ffion Jones")).to_have_count(1)
    expect(rows.filter(has_text="Dewi Evans")).to_have_count(1)
    expect(rows.filter(has_text="Olu Adeyemi")).to_have_count(0)  # lapsed, not missing
    expect(rows.filter(has_text="Carla Mendes")).to_have_count(0)  # cleared: her training is current
    assert_accessible(page, "compliance report, filtered")
    shot(page, f"host-05-compliance-filtered-{screen}")

    page.get_by_role("button", name="Actions").click()
    page.get_by_role("link", name="Download CSV").click()
    # The export runs as a background job (eager here), then its page offers the file.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Compliance export")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the CSV file").click()
    download = download_info.value
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert path.suffix == ".csv"
    exported = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert sorted(row["Name"] for row in exported) == ["Dewi Evans", "Ffion Jones"]
    assert {row["State"] for row in exported} == {"Missing"}
    assert {row["MNVP"] for row in exported} == {"Northshire MNVP"}

    # The database: two new people, three new memberships, Carla still one person.
    job = ImportJob.objects.filter(status=ImportStatus.IMPORTED).get()
    assert job.summary["new"] == 3
    assert Person.objects.filter(email__iexact="carla.mendes@example.org").count() == 1
    assert set(
        Membership.objects.filter(
            partnership=north, person__email__in=["ffion.jones@example.org", "dewi.evans@example.org"]
        ).values_list("person__first_name", "role", "ppv_category")
    ) == {("Ffion", "volunteer", "B"), ("Dewi", "volunteer", "A")}
    assert set(carla.memberships.values_list("role", flat=True)) == {"volunteer", "member_representative"}

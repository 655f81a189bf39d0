"""The funding request: budget lines mapped to the reference template's rows, exact totals, PDF and XLSX."""

from decimal import Decimal
from http import HTTPStatus
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from members.enums import MembershipRole
from tests.factories import MembershipFactory, PersonFactory
from tests.members.test_partnership_views import assert_denied
from workplans.enums import BudgetCategory
from workplans.funding_request import funding_request
from workplans.funding_request_exports import funding_request_pdf, funding_request_xlsx

from .money_factories import BudgetLineFactory, MoneyWorkplanFactory
from .plan_factories import YEAR
from .test_annual_report import pdf_text

pytestmark = pytest.mark.django_db

TEMPLATE_CATEGORIES = [
    BudgetCategory.LEAD_REMUNERATION,
    BudgetCategory.LMNS_INVOLVEMENT,
    BudgetCategory.MEMBER_EXPENSES,
    BudgetCategory.ADMIN_SUPPORT,
    BudgetCategory.CRECHE,
    BudgetCategory.VENUE_HIRE,
    BudgetCategory.DEVELOPMENT_DAY,
    BudgetCategory.OUTREACH,
    BudgetCategory.PROMOTION,
    BudgetCategory.TRAINING,
]


@pytest.fixture
def north_budget(north):
    workplan = MoneyWorkplanFactory(partnership=north, year=YEAR, strategy='=HYPERLINK("x") listen')
    for category, description, amount in [
        (BudgetCategory.LEAD_REMUNERATION, "Lead", "18000.00"),
        (BudgetCategory.LEAD_REMUNERATION, "Neonatal lead", "6000.10"),
        (BudgetCategory.LMNS_INVOLVEMENT, "", "2400.01"),
        (BudgetCategory.MEMBER_EXPENSES, "", "1500.33"),
        (BudgetCategory.CRECHE, "", "0.10"),
        (BudgetCategory.TRANSLATION, "", "800.20"),
    ]:
        BudgetLineFactory(workplan=workplan, category=category, description=description, amount_agreed=amount)
    MembershipFactory(
        partnership=north,
        role=MembershipRole.LEAD,
        person=PersonFactory(first_name="Niamh", last_name="Roberts", email="niamh@example.org"),
    )
    return workplan


def url(name, partnership, year=YEAR):
    return reverse(f"funding_requests:{name}", args=[partnership.pk, year])


def test_budget_lines_fill_the_templates_rows_with_an_exact_total(north, south, north_budget):
    # Another MNVP's lines, and another year's, stay out.
    BudgetLineFactory(workplan=MoneyWorkplanFactory(partnership=south, year=YEAR), amount_agreed="999.99")
    BudgetLineFactory(workplan=MoneyWorkplanFactory(partnership=north, year=YEAR - 1), amount_agreed="777.77")

    request = funding_request(partnership=north, year=YEAR)

    amounts = {row.category: row.amount for row in request.rows}
    assert [row.category for row in request.rows] == [*TEMPLATE_CATEGORIES, BudgetCategory.TRANSLATION]
    assert amounts[BudgetCategory.LEAD_REMUNERATION] == Decimal("24000.10")
    assert amounts[BudgetCategory.LMNS_INVOLVEMENT] == Decimal("2400.01")
    assert amounts[BudgetCategory.MEMBER_EXPENSES] == Decimal("1500.33")
    assert amounts[BudgetCategory.CRECHE] == Decimal("0.10")
    assert amounts[BudgetCategory.VENUE_HIRE] == Decimal("0.00")
    assert BudgetCategory.VOUCHERS not in amounts
    assert request.total == Decimal("28700.74")
    assert "Niamh Roberts" in request.named_contact
    assert "75.00" in request.rows[0].guidance


def test_a_year_without_a_workplan_is_all_zero(north):
    request = funding_request(partnership=north, year=YEAR)
    assert request.workplan is None
    assert len(request.rows) == len(TEMPLATE_CATEGORIES)
    assert request.total == Decimal("0.00")


def test_the_pdf_names_the_mnvp_the_rows_and_the_total(north, north_budget):
    content = funding_request_pdf(funding_request(partnership=north, year=YEAR))
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    for words in ("Northshire MNVP", "Annual development day", "24,000.10", "28,700.74"):
        assert words in text


def test_the_xlsx_has_numbers_as_numbers_and_text_safe_from_formulas(north, north_budget):
    workbook = load_workbook(BytesIO(funding_request_xlsx(funding_request(partnership=north, year=YEAR))))
    sheet = workbook.active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    by_label = {row[0]: row for row in values if row and row[0]}
    total = next(row for label, row in by_label.items() if str(label).startswith("Total funding request"))
    assert isinstance(total[2], int | float)
    assert Decimal(str(total[2])) == Decimal("28700.74")
    crèche = next(row for label, row in by_label.items() if str(label).startswith("Crèche"))
    assert Decimal(str(crèche[2])) == Decimal("0.10")
    assert by_label["Overview of work plan"][1].startswith("'=")
    assert not any(isinstance(v, str) and v.startswith("=") for row in values for v in row)


def test_host_staff_see_every_mnvps_request_and_download_both_files(
    client, host_staff, north, south, north_budget
):
    client.force_login(host_staff)
    index = client.get(reverse("funding_requests:index")).content.decode()
    assert url("request", north) in index
    assert url("request", south) in index
    page = client.get(url("request", north))
    assert page.status_code == HTTPStatus.OK
    assert "28700.74" in page.content.decode()
    pdf = client.get(url("pdf", north))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    xlsx = client.get(url("xlsx", north))
    assert xlsx.status_code == HTTPStatus.OK
    assert xlsx.content.startswith(b"PK")


@pytest.mark.parametrize("name", ["request", "pdf", "xlsx"])
def test_a_lead_sees_their_own_mnvps_request_and_not_anothers(
    client, north_lead, north, south, north_budget, name
):
    client.force_login(north_lead)
    assert client.get(url(name, north)).status_code == HTTPStatus.OK
    assert client.get(url(name, south)).status_code == HTTPStatus.NOT_FOUND


def test_a_leads_index_lists_their_own_mnvp_only(client, north_lead, north, south):
    client.force_login(north_lead)
    index = client.get(reverse("funding_requests:index")).content.decode()
    assert url("request", north) in index
    assert url("request", south) not in index


@pytest.mark.parametrize("name", ["request", "pdf", "xlsx"])
def test_no_role_user_is_refused(client, no_role_user, north, name):
    client.force_login(no_role_user)
    assert_denied(client.get(url(name, north)))
    assert_denied(client.get(reverse("funding_requests:index")))


def test_a_year_out_of_range_answers_404(client, host_staff, north):
    client.force_login(host_staff)
    assert client.get(url("request", north, year=1999)).status_code == HTTPStatus.NOT_FOUND

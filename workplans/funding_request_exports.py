"""The funding request as the files the ICB asks for: a PDF (ReportLab) and an XLSX (openpyxl).

Both are drawn from :func:`workplans.funding_request.funding_request`. In the XLSX
amounts are numbers (formatted as pounds), so the ICB's own sums work, and every
text cell goes through :func:`cms.spreadsheets.neutralise_formula`: a strategy that
starts with "=" stays text.
"""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from cms.spreadsheets import neutralise_formula

from .annual_report_pdf import _document, _money, _p, _table
from .funding_request import FundingRequest

POUNDS_FORMAT = '"£"#,##0.00'


def _details(request: FundingRequest) -> list[tuple[str, str]]:
    return [
        ("MNVP", request.partnership.name),
        ("Named contact", request.named_contact or "—"),
        ("Contact details", request.contact_details or "—"),
        ("Financial year", request.year_label),
        (
            "Workplan stage",
            request.workplan.get_stage_display() if request.workplan else "No workplan recorded",
        ),
        ("Overview of work plan", request.overview or "—"),
    ]


def funding_request_pdf(request: FundingRequest) -> bytes:
    story = [_p(request.title, "Heading1")]
    story.append(_table(["", ""], [list(pair) for pair in _details(request)], widths=[45 * mm, 129 * mm]))
    story.append(Spacer(1, 6 * mm))
    rows = [[row.requirement, row.guidance, _money(row.amount)] for row in request.rows]
    rows.append([f"Total funding request for {request.year_label}", "", _money(request.total)])
    story.append(
        _table(
            ["Funding requirement", "Applicable national guidance", "Amount requested"],
            rows,
            widths=[80 * mm, 64 * mm, 30 * mm],
        )
    )
    story.append(Spacer(1, 8 * mm))
    story.append(_p("Funding template submitted to ICB lead: ____________________   Date: ____________"))
    return _document(request.title, story)


def funding_request_xlsx(request: FundingRequest) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"Funding request {request.year}"
    bold = Font(bold=True)
    sheet.append([neutralise_formula(request.title)])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    for label, value in _details(request):
        sheet.append([label, neutralise_formula(value)])
        sheet.cell(row=sheet.max_row, column=1).font = bold
    sheet.append([])
    sheet.append(["Funding requirement", "Applicable national guidance", "Amount requested (£)"])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    first = sheet.max_row + 1
    for row in request.rows:
        sheet.append([neutralise_formula(row.requirement), neutralise_formula(row.guidance), row.amount])
        sheet.cell(row=sheet.max_row, column=3).number_format = POUNDS_FORMAT
    # The total as a number, not a formula: the file says what was requested even
    # where a reader does not calculate (and it is the same Decimal sum as the PDF's).
    sheet.append([f"Total funding request for {request.year_label}", "", request.total])
    total_row = sheet.max_row
    for cell in sheet[total_row]:
        cell.font = bold
    sheet.cell(row=total_row, column=3).number_format = POUNDS_FORMAT
    for row_number in range(first, total_row + 1):
        sheet.cell(row=row_number, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 60
    sheet.column_dimensions["B"].width = 50
    sheet.column_dimensions["C"].width = 20
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

"""The annual report and the evidence pack as PDFs, drawn with ReportLab from the same selectors.

ReportLab is pure Python (with Pillow, which Wagtail needs anyway), long maintained,
and needs no system package, browser or network at run time. Text from the
database goes through :func:`xml.sax.saxutils.escape`: ReportLab's paragraphs read
a small markup language, and a "<" in a summary must stay a "<".
"""

from __future__ import annotations

from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .annual_report import AnnualReport, EvidencePack

STYLES = getSampleStyleSheet()
TABLE_STYLE = TableStyle(
    [
        ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f2f2f2")]),
    ]
)


def _p(text, style="BodyText") -> Paragraph:
    return Paragraph(escape(str(text)), STYLES[style])


def _table(header: list[str], rows: list[list], widths=None) -> Table:
    body = [[_p(cell) for cell in row] for row in rows]
    table = Table([[_p(h) for h in header], *body], colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TABLE_STYLE)
    return table


def _money(value) -> str:
    return f"£{value:,.2f}"


def _day(value) -> str:
    return f"{value.day} {value:%B %Y}"


def _document(title: str, story: list) -> bytes:
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        author="MNVP host",
        subject=title,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
    )
    document.build(story)
    return buffer.getvalue()


def _evidence_story(evidence: EvidencePack, partnership_name: str, year_label: str) -> list:
    story = [_p(f"Maternity incentive scheme evidence: {partnership_name}, {year_label}", "Heading2")]
    workplan = evidence.workplan
    if workplan is None:
        story.append(_p(f"No workplan is recorded for {year_label}."))
    else:
        funding = _money(workplan.funding_agreed) if workplan.funding_agreed is not None else "not recorded"
        story.append(
            _p(f"Workplan: {workplan} (stage: {workplan.get_stage_display()}; funding agreed: {funding}).")
        )
        if workplan.strategy:
            story.append(_p(f"Strategy: {workplan.strategy}"))
    for label, record in (
        ("Agreed by the MNVP", evidence.agreed),
        ("Ratified by the ICB", evidence.ratified),
    ):
        if record is None:
            story.append(_p(f"{label}: not recorded."))
        else:
            behalf = f" for {record.on_behalf_of}" if record.on_behalf_of else ""
            story.append(_p(f"{label}: {_day(record.at)}, by {record.by}{behalf}."))
    leads = ", ".join(evidence.leads) or "none recorded"
    story.append(_p(f"MNVP lead in the year: {leads}."))
    story.append(_p(evidence.remuneration_statement))
    if evidence.lead_payments:
        story.append(
            _table(
                ["Work on", "Paid to", "For", "Amount", "Paid on"],
                [
                    [_day(p.activity_on), p.person, p.activity, _money(p.amount), _day(p.paid_on)]
                    for p in evidence.lead_payments
                ],
            )
        )
    return story


def annual_report_pdf(report: AnnualReport) -> bytes:
    """The annual report, with the evidence pack at the end, as a PDF."""
    story = [
        _p(report.title, "Title"),
        _p(f"Financial year {_day(report.bounds[0])} to {_day(report.bounds[1])}."),
        _p("Summary", "Heading2"),
        _table(
            ["", ""],
            [
                ["Milestones done", f"{len(report.milestones_done)} of {report.milestones_total}"],
                ["Engagement activities held", len(report.activities)],
                ["Activities still to come", report.still_to_come],
                ["People heard", report.people_heard],
                ["Volunteers taking part", report.volunteers],
                ["Volunteer hours", report.volunteer_hours],
                ["You said, we did: actions", f"{len(report.actions)} ({report.actions_done} done)"],
            ],
        ),
        _p("Milestones done", "Heading2"),
    ]
    if report.milestones_done:
        story.append(
            _table(["Milestone", "Due"], [[m.title, _day(m.due_on)] for m in report.milestones_done])
        )
    else:
        story.append(_p("None recorded as done."))

    story.append(_p("Engagement activities", "Heading2"))
    if report.by_kind:
        story.append(
            _table(
                ["Kind", "Held", "People heard"],
                [[k.label, k.activities, k.people_heard] for k in report.by_kind],
            )
        )
        story.append(Spacer(1, 4 * mm))
        story.append(
            _table(
                ["Date", "Activity", "People heard", "Volunteers", "Hours"],
                [
                    [
                        _day(line.activity.held_on),
                        line.activity.title,
                        line.activity.people_heard,
                        line.volunteers,
                        line.hours,
                    ]
                    for line in report.activities
                ],
            )
        )
    else:
        story.append(_p("No activities held in the year."))

    story.append(_p("Who we reached", "Heading2"))
    if report.reach.is_empty:
        story.append(_p("No reach recorded."))
    else:
        story.append(
            _p(
                "Counts under 5 are shown as “fewer than 5” without a percentage; where only one would be "
                "hidden, the next smallest is hidden too."
            )
        )
        for question in report.reach.questions:
            source = f" ({question.population_source})" if question.population_source else ""
            story.append(_p(f"{question.label}: {question.display_total} counted{source}", "Heading4"))
            story.append(
                _table(
                    ["Answer", "People", "Reached %", "Birthing population %"],
                    [
                        [
                            cell.label,
                            cell.display_count,
                            "—" if cell.percentage is None else f"{cell.percentage}%",
                            "—" if cell.population_percentage is None else f"{cell.population_percentage}%",
                        ]
                        for cell in question.cells
                    ],
                )
            )

    story.append(_p("Themes heard", "Heading2"))
    if report.themes:
        story.append(
            _table(
                ["Theme", "Activities", "Actions"],
                [[t.label, t.activities, t.actions] for t in report.themes],
            )
        )
    else:
        story.append(_p("No themes recorded."))

    story.append(_p("You said, we did", "Heading2"))
    if report.actions:
        story.append(
            _table(
                ["You said", "We did", "Owner", "Status"],
                [
                    [a.you_said, a.we_did or "—", a.owner or "—", a.get_status_display()]
                    for a in report.actions
                ],
            )
        )
    else:
        story.append(_p("No actions recorded."))

    story.append(_p("Spend against budget", "Heading2"))
    budget = report.budget
    if budget is None:
        story.append(_p("No workplan, so no budget, is recorded for the year."))
    elif not budget.rows:
        story.append(_p("The workplan has no budget lines."))
    else:
        rows = [
            [row.label, _money(row.agreed), _money(row.committed), _money(row.spent), _money(row.remaining)]
            for row in budget.rows
        ]
        rows.append(
            [
                "Total",
                _money(budget.agreed),
                _money(budget.committed),
                _money(budget.spent),
                _money(budget.remaining),
            ]
        )
        story.append(_table(["Line", "Agreed", "Committed", "Paid", "Remaining"], rows))

    story.append(Spacer(1, 6 * mm))
    story.extend(_evidence_story(report.evidence, report.partnership.name, report.year_label))
    return _document(report.title, story)


def evidence_pack_pdf(evidence: EvidencePack, partnership_name: str, year_label: str) -> bytes:
    """The maternity incentive scheme evidence pack on its own, for a trust's submission."""
    title = f"{partnership_name} maternity incentive scheme evidence {year_label}"
    return _document(title, _evidence_story(evidence, partnership_name, year_label))

"""The benefits letter: for a member paid involvement payments who says they claim state benefits.

The words come from :class:`~workplans.models.BenefitsLetterSettings`, which the host
edits; placeholders in braces are filled with :meth:`str.format_map`. The template is
checked first with :class:`string.Formatter`: only the named placeholders below, no
attribute or index lookups (``{name.__class__}``), no positional ``{}``, and balanced
braces. A template that breaks those rules gives a message saying what to fix, not a
server error.

Refused (with a message) for someone who has not said they claim benefits, or who
has no involvement payments: there would be nothing to explain.
"""

from __future__ import annotations

import datetime
import string
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

from django.core.exceptions import ValidationError
from django.utils import timezone
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from members.models import Membership, Person

from .annual_report_pdf import STYLES, _day, _document, _money, _p, _table
from .enums import PaymentStatus
from .models import BenefitsAdviceRecord, BenefitsLetterSettings, InvolvementPayment, InvolvementRate
from .money import tax_year_bounds, tax_year_label, tax_year_of
from .services.payments import person_tax_year_total

PLACEHOLDERS = ("name", "host", "mnvp", "role", "half_day", "full_day", "tax_year_total", "date")


@dataclass
class BenefitsLetter:
    person: Person
    host: str
    text: str
    rate: InvolvementRate
    tax_year: int
    tax_year_total: Decimal
    payments: list[InvolvementPayment]

    @property
    def tax_year_label(self) -> str:
        return tax_year_label(self.tax_year)


def template_errors(template: str) -> list[str]:
    """What is wrong with an edited letter template (empty when it can be filled)."""
    allowed = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
    except ValueError as error:
        return [
            f"The letter template has a stray or unclosed brace ({error}). Placeholders are written "
            f"like {{name}}; to show a brace itself, write it twice ({{{{ or }}}}). Allowed: {allowed}."
        ]
    unknown = sorted({name or "{}" for name in fields if name not in PLACEHOLDERS})
    if unknown:
        shown = ", ".join(name if name == "{}" else "{" + name + "}" for name in unknown)
        return [f"The letter template uses placeholders it cannot fill: {shown}. Allowed: {allowed}."]
    return []


def letter_refusal(person: Person) -> str | None:
    """Why ``person`` cannot be given a letter, or None when they can."""
    advice = BenefitsAdviceRecord.objects.filter(person=person).first()
    if advice is None or not advice.claims_benefits:
        return (
            f"{person} has not said they claim state benefits: record that on their benefits advice "
            "record first."
        )
    if not InvolvementPayment.objects.filter(person=person).exclude(status=PaymentStatus.CANCELLED).exists():
        return f"{person} has no involvement payments, so there is nothing for a benefits letter to explain."
    return None


def benefits_letter(*, person: Person, on: datetime.date | None = None) -> BenefitsLetter:
    """The letter for ``person``, filled from the host's template; ValidationError when it cannot be."""
    on = on or timezone.localdate()
    refusal = letter_refusal(person)
    if refusal:
        raise ValidationError(refusal, code="refused")
    settings = BenefitsLetterSettings.load()
    errors = template_errors(settings.letter)
    if errors:
        raise ValidationError(errors, code="template")
    rate = InvolvementRate.objects.filter(effective_from__lte=on).order_by("-effective_from").first()
    if rate is None:
        raise ValidationError(f"No involvement rate is in force on {_day(on)}: add one under Money first.")
    tax_year = tax_year_of(on)
    total = person_tax_year_total(person, tax_year)
    memberships = list(
        Membership.objects.current(on).filter(person=person).select_related("partnership").order_by("pk")
    )
    values = {
        "name": str(person),
        "host": settings.host_name,
        "mnvp": " and ".join(dict.fromkeys(m.partnership.name for m in memberships)) or "the MNVP",
        "role": " and ".join(dict.fromkeys(m.get_role_display().lower() for m in memberships)) or "member",
        "half_day": _money(rate.half_day),
        "full_day": _money(rate.full_day),
        "tax_year_total": _money(total),
        "date": _day(on),
    }
    start, end = tax_year_bounds(tax_year)
    payments = list(
        InvolvementPayment.objects.filter(person=person, activity_on__range=(start, end))
        .exclude(status=PaymentStatus.CANCELLED)
        .order_by("activity_on", "pk")
    )
    try:
        text = settings.letter.format_map(values)
    except (ValueError, KeyError, IndexError, AttributeError) as error:
        # A conversion or format spec the parse above lets through ("{name!x}", "{date:d}").
        raise ValidationError(
            f"The letter template could not be filled ({error}): check the placeholders' spelling.",
            code="template",
        ) from error
    return BenefitsLetter(
        person=person,
        host=settings.host_name,
        text=text,
        rate=rate,
        tax_year=tax_year,
        tax_year_total=total,
        payments=payments,
    )


def _paragraph(text: str) -> Paragraph:
    # Escaped first (ReportLab reads markup), then the template's line breaks kept.
    return Paragraph(escape(text).replace("\n", "<br/>"), STYLES["BodyText"])


def benefits_letter_pdf(letter: BenefitsLetter) -> bytes:
    story = [_p(letter.host, "Heading2"), Spacer(1, 4 * mm)]
    for block in letter.text.split("\n\n"):
        if block.strip():
            story.append(_paragraph(block.strip()))
            story.append(Spacer(1, 2 * mm))
    story.append(Spacer(1, 4 * mm))
    story.append(
        _p(
            f"Involvement payment rates in force: {_money(letter.rate.half_day)} a half day "
            f"(4 hours or less), {_money(letter.rate.full_day)} a full day."
        )
    )
    story.append(
        _p(
            f"Involvement payments paid in the tax year {letter.tax_year_label}: "
            f"{_money(letter.tax_year_total)}."
        )
    )
    if letter.payments:
        story.append(Spacer(1, 3 * mm))
        rows = [
            [
                _day(p.activity_on),
                p.activity,
                p.get_length_display(),
                _money(p.amount),
                _day(p.paid_on) if p.paid_on else "not yet paid",
            ]
            for p in letter.payments
        ]
        story.append(
            _table(
                ["Date", "Activity", "Length", "Amount", "Paid"],
                rows,
                widths=[26 * mm, 62 * mm, 36 * mm, 22 * mm, 28 * mm],
            )
        )
    return _document(f"Benefits letter: {letter.person}", story)

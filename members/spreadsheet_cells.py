"""Reading one spreadsheet cell into a value, or a message the person can act on.

Imports check every cell with these before anything touches the database, so a
file's every problem is reported at once, by row and column. A cell arrives as
text from a CSV file, and as text, a number, a date or ``None`` from an XLSX file.
"""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import TextChoices

from cms.spreadsheets import looks_like_formula

from .fields import normalise_postcode


class CellError(ValueError):
    """A cell that cannot be read; ``str()`` is the message shown for its row and column."""


TRUE_WORDS = frozenset({"yes", "y", "true", "1", "agreed", "x"})
FALSE_WORDS = frozenset({"no", "n", "false", "0", ""})
UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value, *, max_length: int) -> str:
    """Trimmed text; refuses what a spreadsheet would run as a formula."""
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # XLSX stores a typed-in phone number as a number
    value = str(value).strip()
    if looks_like_formula(value):
        raise CellError(
            f"“{value[:40]}” would be read as a spreadsheet formula. "
            "Type the value itself, without the leading symbol."
        )
    if len(value) > max_length:
        raise CellError(f"Keep this to {max_length} characters (it has {len(value)}).")
    return value


def email(value) -> str:
    value = text(value, max_length=254).lower()
    if not value:
        raise CellError("An email address is needed: it is how we match a row to a person.")
    try:
        validate_email(value)
    except ValidationError:
        raise CellError(f"“{value}” is not an email address.") from None
    return value


def choice(value, choices: type[TextChoices], *, default: str | None = None) -> str:
    """A choice by its stored value or its label, in any case: ``B`` or ``B: out-of-pocket expenses``."""
    value = text(value, max_length=100)
    if not value:
        if default is None:
            raise CellError("This cannot be empty.")
        return default
    wanted = value.casefold()
    for stored, label in choices.choices:
        if wanted in (str(stored).casefold(), str(label).casefold()):
            return stored
    allowed = ", ".join(str(label) for label in choices.labels)
    raise CellError(f"“{value}” is not one of: {allowed}.")


def boolean(value) -> bool:
    if isinstance(value, bool):
        return value
    word = "" if value is None else str(value).strip().casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(f"“{value}” is not yes or no.")


def date(value) -> datetime.date | None:
    """A date from XLSX, or typed as 2026-03-31 or 31/03/2026 (day first, as in the UK)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    value = text(value, max_length=30)
    if not value:
        return None
    try:
        if match := UK_DATE.match(value):
            day, month, year = (int(part) for part in match.groups())
            return datetime.date(year, month, day)
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        raise CellError(f"“{value}” is not a date. Write it as 31/03/2026 or 2026-03-31.") from None


def postcode(value) -> str:
    value = text(value, max_length=10)
    if not value:
        return ""
    try:
        return normalise_postcode(value)
    except ValidationError as error:
        raise CellError(error.messages[0]) from None

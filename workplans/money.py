"""Money and tax-year arithmetic in one place: every amount passes through :func:`pounds`.

Amounts are ``Decimal`` pounds with two places. Rounding happens here and only here
(half up, as a person rounding by hand would), so a mileage claim of 13.3 miles at
45p is 5.99 wherever it is worked out, and sums of stored amounts never drift.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

PENNY = Decimal("0.01")
ZERO = Decimal("0.00")


def pounds(value) -> Decimal:
    """``value`` as Decimal pounds to the penny, halves rounded up (0.125 -> 0.13).

    Accepts Decimals, ints and strings; refuses floats, whose binary fractions are
    how pennies get lost (0.1 + 0.2 is not 0.3).
    """
    if isinstance(value, float):
        raise TypeError("Money is never a float: pass a Decimal or a string.")
    if value is None:
        return ZERO
    return Decimal(value).quantize(PENNY, rounding=ROUND_HALF_UP)


def tax_year_of(day: datetime.date) -> int:
    """The UK tax year (6 April to 5 April) a day falls in, by its starting year.

    5 April 2026 is in 2025 (2025/26); 6 April 2026 starts 2026 (2026/27).
    """
    return day.year if (day.month, day.day) >= (4, 6) else day.year - 1


def tax_year_bounds(start_year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(start_year, 4, 6), datetime.date(start_year + 1, 4, 5)


def tax_year_label(start_year: int) -> str:
    return f"{start_year}/{str(start_year + 1)[-2:]}"

"""Calendar arithmetic: month ends and leap years."""

import datetime

import pytest

from cms.dates import add_months

D = datetime.date


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2026, 1, 15), 12, D(2027, 1, 15)),
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),  # leap year
        (D(2028, 2, 29), 12, D(2029, 2, 28)),  # from a leap day
        (D(2028, 2, 29), 48, D(2032, 2, 29)),  # to the next leap day
        (D(2026, 8, 31), 6, D(2027, 2, 28)),
        (D(2026, 12, 31), 2, D(2027, 2, 28)),
        (D(2026, 3, 31), -1, D(2026, 2, 28)),  # back a month
        (D(2026, 5, 20), -6, D(2025, 11, 20)),  # back over a year end
        (D(2026, 5, 20), 0, D(2026, 5, 20)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_month_end(start, months, expected):
    assert add_months(start, months) == expected

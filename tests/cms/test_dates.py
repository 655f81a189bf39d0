"""Calendar arithmetic: month ends and leap years."""

import datetime

import pytest

from cms.dates import add_months, working_days_after, working_deadline

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


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (D(2026, 11, 23), 1, D(2026, 11, 24)),  # Monday -> Tuesday
        (D(2026, 11, 27), 1, D(2026, 11, 30)),  # Friday -> Monday
        (D(2026, 11, 28), 1, D(2026, 11, 30)),  # Saturday -> Monday
        (D(2026, 11, 23), 5, D(2026, 11, 30)),  # a working week
        (D(2026, 12, 24), 1, D(2026, 12, 29)),  # over Christmas and the Boxing Day substitute
        (D(2026, 4, 2), 1, D(2026, 4, 7)),  # over Good Friday and Easter Monday
        (D(2026, 11, 23), 0, D(2026, 11, 23)),
    ],
)
@pytest.mark.django_db
def test_working_days_skip_weekends_and_bank_holidays(start, days, expected):
    assert working_days_after(start, days) == expected


@pytest.mark.django_db
def test_a_working_deadline_keeps_the_time_of_day():
    received = datetime.datetime(2026, 12, 24, 16, 30, tzinfo=datetime.UTC)
    assert working_deadline(received, 1) == datetime.datetime(2026, 12, 29, 16, 30, tzinfo=datetime.UTC)

"""Calendar arithmetic in one place: expiry dates, recheck dates, retention cut-offs."""

from __future__ import annotations

import calendar
import datetime


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` moved by whole calendar ``months`` (negative goes back).

    A day the target month lacks becomes its last day: 31 January + 1 month is 28
    (or, in a leap year, 29) February; 29 February + 12 months is 28 February.
    """
    month_index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(month_index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last_day))

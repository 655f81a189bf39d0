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


def is_working_day(day: datetime.date, holidays: frozenset[datetime.date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def working_days_after(start: datetime.date, days: int, holidays: frozenset[datetime.date] | None = None):
    """The date ``days`` working days after ``start`` (Saturdays, Sundays and bank holidays skipped).

    Something received on a Friday with a 1-working-day limit is due on Monday (or
    Tuesday after a bank holiday Monday). ``holidays`` defaults to the
    :class:`cms.models.BankHoliday` table.
    """
    if holidays is None:
        holidays = bank_holidays()
    day = start
    remaining = days
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day, holidays):
            remaining -= 1
    return day


def working_deadline(moment: datetime.datetime, days: int) -> datetime.datetime:
    """``moment`` moved on by ``days`` working days, keeping its time of day."""
    due = working_days_after(moment.date(), days)
    return moment + datetime.timedelta(days=(due - moment.date()).days)


def bank_holidays() -> frozenset[datetime.date]:
    from .models import BankHoliday

    return frozenset(BankHoliday.objects.values_list("date", flat=True))

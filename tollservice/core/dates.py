"""Calendar helpers shared by the apps."""

from __future__ import annotations

import calendar
import datetime

# The months a person may pick on a screen (a reconciliation, a closing). Python's dates end at
# 9999-12-31 and start at year 1, and a month's neighbours or last day would step outside them;
# the portal has no business before 2000 or after 2999, so the forms refuse those months instead.
FIRST_MONTH = datetime.date(2000, 1, 1)
LAST_MONTH = datetime.date(2999, 12, 1)


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(day: datetime.date) -> datetime.date:
    """The last day of ``day``'s month (also for December 9999, which has no next month)."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def shift_month(first: datetime.date, months: int) -> datetime.date | None:
    """The first day of the month ``months`` after ``first``'s, or ``None`` when that month is
    outside ``FIRST_MONTH`` … ``LAST_MONTH``."""
    year, month = divmod(first.year * 12 + first.month - 1 + months, 12)
    if not (FIRST_MONTH.year, FIRST_MONTH.month) <= (year, month + 1) <= (LAST_MONTH.year, LAST_MONTH.month):
        return None
    return datetime.date(year, month + 1, 1)

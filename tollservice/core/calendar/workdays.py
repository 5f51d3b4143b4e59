"""Working-day arithmetic over the station's calendar.

``WorkingCalendar`` is plain Python: tests build one from a dictionary of days; the portal's
(``working_calendar()``) reads the entered days of each year from the database the first time
a day of that year is asked about, so a computation over a few weeks costs one or two queries.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Container, Mapping

HOLIDAY = "holiday"
WORKDAY = "workday"

# A safety stop for a count that can never finish (a calendar marking every day a holiday).
_MAX_DAYS_SCANNED = 3660


class WorkingCalendar:
    """Monday to Friday are working days, except the days ``overrides`` marks: ``"holiday"``
    (no work, even on a weekday) or ``"workday"`` (a Saturday or Sunday worked in exchange)."""

    def __init__(
        self,
        overrides: Mapping[datetime.date, str] | None = None,
        *,
        loader: Callable[[int], Mapping[datetime.date, str]] | None = None,
    ):
        self._overrides = dict(overrides or {})
        self._loader = loader
        self._loaded_years: set[int] = set()

    def _kind(self, day: datetime.date) -> str | None:
        if self._loader is not None and day.year not in self._loaded_years:
            self._overrides.update(self._loader(day.year))
            self._loaded_years.add(day.year)
        return self._overrides.get(day)

    def is_working_day(self, day: datetime.date) -> bool:
        kind = self._kind(day)
        if kind == HOLIDAY:
            return False
        if kind == WORKDAY:
            return True
        return day.weekday() < 5

    def add_working_days(self, start: datetime.date, n: int, *, skip: Container[datetime.date] = ()) -> datetime.date:
        """The ``n``-th working day after ``start`` (``start`` itself is not counted; ``n=0`` is
        ``start``). Days in ``skip`` do not count even when they are working days (a complaint's
        days spent waiting on the driver)."""
        if n < 0:
            raise ValueError("n must not be negative")
        day, counted = start, 0
        for _ in range(_MAX_DAYS_SCANNED):
            if counted >= n:
                return day
            day += datetime.timedelta(days=1)
            if day not in skip and self.is_working_day(day):
                counted += 1
        raise ValueError(f"no {n} working days within {_MAX_DAYS_SCANNED} days of {start}")

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """How many working days lie after ``start`` up to and including ``end``."""
        count, day = 0, start
        while day < end:
            day += datetime.timedelta(days=1)
            count += self.is_working_day(day)
        return count


def _load_year(year: int) -> dict[datetime.date, str]:
    from tollservice.core.calendar.models import CalendarDay

    return dict(CalendarDay.objects.filter(date__year=year).values_list("date", "kind"))


def working_calendar() -> WorkingCalendar:
    """The station's calendar as entered now (each year read once, when first needed)."""
    return WorkingCalendar(loader=_load_year)


def working_days_add(start: datetime.date, n: int) -> datetime.date:
    """The ``n``-th working day after ``start``, by the station's calendar."""
    return working_calendar().add_working_days(start, n)


def is_working_day(day: datetime.date) -> bool:
    return working_calendar().is_working_day(day)

"""What every module's demo seeder (``manage.py seed_demo``) shares: a year that has passed, and a
clock to run the services at any moment of it.

The services stamp each step with ``timezone.now()``; to spread a module's demo over the year
its seeder runs each step under ``demo_clock(moment)`` (or ``DemoCalendar(year).at(month, day)``).
The demo year is the last one whose calendar, up to 20 November, has passed, so that every step
is in the past: seeded in late 2026 it is 2026.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

import django.utils.timezone
from django.conf import settings
from django.utils import timezone

LAST_DAY = (11, 20)  # the demo calendars' last step: 20 November


def demo_year(today: datetime.date) -> int:
    """The last year whose demo calendar has passed entirely."""
    return today.year if today >= datetime.date(today.year, *LAST_DAY) + datetime.timedelta(days=1) else today.year - 1


@contextmanager
def demo_clock(moment: datetime.datetime) -> Iterator[None]:
    """Run the services as if it were ``moment``: ``timezone.now()`` (and so ``localdate()``,
    ``auto_now`` and ``default=timezone.now``) answers ``moment`` for the duration.

    ``django.utils.timezone.now`` reads the ``datetime`` class of its module at each call, so
    replacing that one name reaches every caller, including field defaults bound at import.
    """

    class DemoDateTime(datetime.datetime):
        @classmethod
        def now(cls, tz=None):
            return moment.astimezone(tz) if tz is not None else timezone.make_naive(moment)

    with mock.patch.object(django.utils.timezone, "datetime", DemoDateTime):
        yield


class DemoCalendar:
    def __init__(self, year: int):
        self.year = year
        self.zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)

    def day(self, month: int, day: int) -> datetime.date:
        return datetime.date(self.year, month, day)

    def moment(self, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
        return datetime.datetime(self.year, month, day, hour, minute, tzinfo=self.zone)

    def at(self, month: int, day: int, hour: int = 10, minute: int = 0):
        return demo_clock(self.moment(month, day, hour, minute))

    def passed(self, month: int, day: int) -> bool:
        """Whether that day of the demo year is already over (a seeder run early in the year
        leaves the later steps out rather than stamping them in the future)."""
        return self.day(month, day) < timezone.localdate()

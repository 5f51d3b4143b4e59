"""The demo seeders' clock: run services as if it were another moment (``manage.py seed_demo``).

Every module's demo spreads its steps over the year through its services, which stamp each step
with ``timezone.now()``; ``demo_clock(moment)`` makes that ``moment`` for the duration.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

import django.utils.timezone
from django.utils import timezone


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

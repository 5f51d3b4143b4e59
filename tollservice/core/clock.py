"""Running services as if it were another moment — for the demo seeders only, which spread a
year's records over that year while writing them through the services (the services stamp each
step with ``timezone.now()``)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

import django.utils.timezone
from django.utils import timezone


@contextmanager
def clock_at(moment: datetime.datetime) -> Iterator[None]:
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

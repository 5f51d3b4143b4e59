"""What a generator part is given: the scale, the calendar, a seeded random source, the facts
earlier parts left, and ``insert`` — ``bulk_create`` that keeps the timestamps the part chose.

Parts bypass the services for speed but must write what the services would have written: the
same rows, states, ledger entries, events and audit entries, consistent with the plan's rules.
They only insert (the append-only tables refuse anything else, and so does the benchmark).
"""

from __future__ import annotations

import datetime
import random
import sys
import time
import zoneinfo
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.utils import timezone

# How far back the station-year reaches: a year and a quarter of history, so that a whole year
# and the months before it can be reconciled and PEN-2 sees two different years.
MONTHS_OF_HISTORY = 15


@dataclass(frozen=True)
class Scale:
    """The size of a generated station. ``rows`` is the number of penalties; every part scales
    its own rows from it (a later module's inspections might be ``rows * 5``)."""

    rows: int = 2_000
    staff: int = 1_000
    teams: int = 50
    seed: int = 2026

    def __post_init__(self):
        if self.teams < 6 or self.staff < 100 + 4 * self.teams or self.rows < 100:
            raise ValueError("A station needs 6 teams or more, 100 + 4 × teams staff and 100 penalties")

    @property
    def key(self) -> str:
        return f"r{self.rows}-s{self.staff}-t{self.teams}-seed{self.seed}"

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


class World:
    """The station being generated."""

    def __init__(self, scale: Scale, *, today: datetime.date, out=sys.stderr):
        self.scale = scale
        # The data ends yesterday: nothing is in the future, and the current month is open.
        self.today = today
        self.zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        first_month = today.replace(day=1)
        for _ in range(MONTHS_OF_HISTORY - 1):
            first_month = (first_month - datetime.timedelta(days=1)).replace(day=1)
        self.first_day = first_month
        self.now = timezone.now()
        # What a part tells the later ones (objects, ids): ``world.facts["roster"]``.
        self.facts: dict[str, Any] = {}
        # What the harness needs to know about the data (JSON): who signs in as what, and so on.
        self.meta: dict[str, Any] = {}
        self.counts: Counter[str] = Counter()
        self._out = out
        self._started = time.perf_counter()

    # --- Randomness and scale --------------------------------------------------------------

    def rng(self, name: str) -> random.Random:
        """A random source of its own for each part (or purpose): adding a part, or drawing one
        more number in another, leaves the rest of the data as it was."""
        return random.Random(f"{self.scale.seed}:{name}")

    def scaled(self, fraction: float, *, minimum: int = 0) -> int:
        """``fraction`` of the rows (penalties), at least ``minimum``."""
        return max(minimum, round(self.scale.rows * fraction))

    # --- Calendar -----------------------------------------------------------------------------

    @property
    def days(self) -> int:
        """Days of history, from ``first_day`` to yesterday."""
        return (self.today - self.first_day).days

    def day(self, offset: int) -> datetime.date:
        return self.first_day + datetime.timedelta(days=offset)

    def at(self, day: datetime.date, hour: int = 10, minute: int = 0, second: int = 0) -> datetime.datetime:
        """An aware moment on ``day`` in the station's time zone."""
        return datetime.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=self.zone)

    # --- Writing ------------------------------------------------------------------------------

    def insert(self, objects: Iterable[models.Model], *, batch_size: int = 2_000) -> list:
        """``bulk_create`` the objects (all of one model) and return them with their keys.

        ``auto_now`` and ``auto_now_add`` timestamps keep the value the part set, so that
        history is spread over the year instead of stamped with the moment of the build; one
        left empty gets the build's moment.
        """
        objects = list(objects)
        if not objects:
            return objects
        model = type(objects[0])
        stamped = [
            f for f in model._meta.concrete_fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        ]
        for obj in objects:
            for f in stamped:
                if getattr(obj, f.attname) is None:
                    setattr(obj, f.attname, self.now)
        with _given_timestamps(stamped):
            if connection.vendor == "sqlite" and all(obj.pk is None for obj in objects):
                _insert_sqlite(model, objects)
            else:
                model._default_manager.bulk_create(objects, batch_size=batch_size)
        self.counts[model._meta.label] += len(objects)
        return objects

    def log(self, message: str) -> None:
        print(f"  [{time.perf_counter() - self._started:6.1f} s] {message}", file=self._out, flush=True)


def _insert_sqlite(model: type[models.Model], objects: list[models.Model]) -> None:
    """``bulk_create`` as one prepared statement run over every row (``executemany``).

    Django's ``bulk_create`` on SQLite writes about 40 rows per statement (999 parameters) and
    compiles each one, which is most of the time of a large build. The keys are assigned here
    (after the table's largest), each value converted by its field as ``bulk_create`` does.
    """
    meta = model._meta
    fields = meta.concrete_fields
    table, pk = meta.db_table, meta.pk
    database = connections[DEFAULT_DB_ALIAS]  # not the proxy: it is asked once per value
    quote = database.ops.quote_name
    with database.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX({quote(pk.column)}), 0) FROM {quote(table)}")
        (last,) = cursor.fetchone()
        rows = []
        for number, obj in enumerate(objects, start=last + 1):
            setattr(obj, pk.attname, number)
            rows.append([f.get_db_prep_save(f.pre_save(obj, True), database) for f in fields])
            obj._state.adding, obj._state.db = False, database.alias
        columns = ", ".join(quote(f.column) for f in fields)
        marks = ", ".join("%s" for _ in fields)
        cursor.executemany(f"INSERT INTO {quote(table)} ({columns}) VALUES ({marks})", rows)


@contextmanager
def _given_timestamps(fields: list) -> Iterator[None]:
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add

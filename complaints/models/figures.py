"""Kept counts of each month's complaints, for the monthly report's figures (issue 9).

A year of figures counted from its complaints reads every one of them; a year read from kept
months reads twelve rows. The counts cannot simply be added to as complaints progress (a
complaint accepted in March is answered in April and reviewed in May), so each month keeps
its counts together with a change counter instead:

- every write to a complaint bumps the counter of the complaint's month, in the write's own
  transaction (``complaints.services._common.lock`` and the other places that lock or create
  a complaint), so a change and the bump are seen together or not at all;
- a reader uses a month's counts while they were taken at the counter's present value, and
  otherwise counts the month again and keeps the result only if the counter has not moved
  meanwhile (a conditional UPDATE, which waits for a writer holding the row). A count taken
  before a concurrent change is therefore never kept as current.

The counts are raw (every return-visit result and verdict outcome on its own), so a change of
the report's definitions in ``ComplaintSettings`` applies at once, without a recount.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

Counts = dict[str, int]


def month_of(moment: datetime.datetime) -> datetime.date:
    """The first day of the station's calendar month in which ``moment`` falls."""
    return timezone.localtime(moment).date().replace(day=1)


class ComplaintMonthCountsQuerySet(models.QuerySet):
    def mark_changed(self, months: Iterable[datetime.date]) -> None:
        """Bump the counter of each month (creating its row): the caller's transaction changes
        complaints accepted in those months. Months in key order, so that two writers touching
        the same months queue rather than deadlock."""
        for month in sorted(set(months)):
            if not self.filter(month=month).update(changes=F("changes") + 1):
                # The row's insertion conflicts with a concurrent one instead of duplicating it;
                # either way the update that follows bumps the one row.
                self.bulk_create([self.model(month=month)], ignore_conflicts=True)
                self.filter(month=month).update(changes=F("changes") + 1)

    def counts_of(
        self,
        months: list[datetime.date],
        *,
        count: Callable[[datetime.date], Counts],
        keys: frozenset[str],
    ) -> dict[datetime.date, Counts]:
        """The counts of each of ``months``: kept where they are current and have every key of
        ``keys`` (a new choice adds a key), otherwise ``count(month)``, kept for the next reader."""
        if not months:
            return {}
        kept = {row.month: row for row in self.filter(month__in=months)}
        result = {}
        for month in months:
            row = kept.get(month)
            if row is not None and row.counted_changes == row.changes and set(row.counts) == keys:
                result[month] = row.counts
                continue
            result[month] = counts = count(month)
            self._keep(month, counts, counted_at=row.changes if row is not None else None)
        return result

    def _keep(self, month: datetime.date, counts: Counts, *, counted_at: int | None) -> None:
        """Keep ``counts``, taken while the month's counter stood at ``counted_at`` (``None``:
        the month had no row). Refused, silently, when a writer has moved the counter since."""
        now = timezone.now()
        if counted_at is None:
            # A writer's row, inserted meanwhile, wins: its change may be missing from ``counts``.
            self.bulk_create(
                [self.model(month=month, changes=0, counted_changes=0, counts=counts, counted_at=now)],
                ignore_conflicts=True,
            )
        else:
            self.filter(month=month, changes=counted_at).update(
                counted_changes=counted_at, counts=counts, counted_at=now
            )


class ComplaintMonthCounts(models.Model):
    """The counts of the complaints accepted in one month, as of ``counted_changes``."""

    month = models.DateField(_("month"), unique=True, help_text=_("Its first day."))
    changes = models.PositiveBigIntegerField(_("number of changes"), default=0)
    counted_changes = models.PositiveBigIntegerField(_("changes when counted"), null=True, blank=True)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    counted_at = models.DateTimeField(_("counted at"), null=True, blank=True)

    objects = ComplaintMonthCountsQuerySet.as_manager()

    class Meta:
        verbose_name = _("kept complaint counts of a month")
        verbose_name_plural = _("kept complaint counts of months")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}: {self.changes} changes, counted at {self.counted_changes}"

"""The complaint figures of the monthly report, with the 12328 scoring indicators: one selector,
SQL aggregates, and the definitions shown beside the figures (two of them configurable)."""

from __future__ import annotations

import datetime
import functools
import operator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q, Value
from django.utils import timezone
from django.utils.translation import gettext

from complaints import rules
from complaints.models import (
    Complaint,
    ComplaintMonthCounts,
    ComplaintSettings,
    Extension,
    ReturnVisit,
    Review,
    Verdict,
)
from complaints.models.figures import Counts, month_of
from tollservice.access.permissions import has_permission
from tollservice.core.dates import month_end
from tollservice.core.text import join_list


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def percent(self) -> Decimal | None:
        """To one decimal place; ``None`` when there is nothing to divide by."""
        if not self.denominator:
            return None
        return (Decimal(100 * self.numerator) / Decimal(self.denominator)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )


@dataclass
class ComplaintFigures:
    date_from: datetime.date
    date_to: datetime.date
    received: int
    incidents: int
    duplicates_linked: int
    by_channel: list[tuple[str, str, int]]
    by_category: list[tuple[str, str, int]]
    accepted_on_time: Rate
    closed_on_time: Rate
    reviewed: Rate
    return_visits: Rate
    satisfaction: Rate
    upheld: Rate
    extensions: int
    definitions: list[tuple[str, str]] = field(default_factory=list)


def _period(date_from: datetime.date, date_to: datetime.date) -> Q:
    start = timezone.make_aware(datetime.datetime.combine(date_from, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min))
    return Q(accepted_at__gte=start, accepted_at__lt=end)


def _count(condition: Q | None = None) -> Count:
    """The complaints that meet ``condition``. ``COUNT(1)``, not ``COUNT(id)``: nothing to read
    per row beyond what the condition reads, so a month's counts come from the figures' index
    alone (``complaint_figures`` on ``Complaint``) and cost a fraction of reading every row."""
    return Count(Value(1), filter=condition)


def _aggregates() -> dict[str, Count]:
    """What is counted of a period's complaints, before the settings' definitions apply: every
    return-visit result and verdict outcome on its own, so that counts kept for a month
    (``ComplaintMonthCounts``) stay right whatever the definitions become."""
    incident = Q(primary__isnull=True)
    # Uncorrelated ``IN (SELECT …)`` rather than ``EXISTS`` per complaint: the database reads the
    # few return visits, reviews and extensions once instead of probing them for every row.
    dissatisfied = Q(pk__in=ReturnVisit.objects.filter(result=ReturnVisit.Result.DISSATISFIED).values("complaint_id"))
    decided = [status for status in Review.Status if status != Review.Status.PENDING]  # an equality: indexed
    reviewed = Q(pk__in=Review.objects.filter(status__in=decided).values("complaint_id"))
    extended = Q(pk__in=Extension.objects.filter(status=Extension.Status.APPROVED).values("complaint_id"))
    visited = Q(return_visited_at__isnull=False)
    aggregates = {
        "received": _count(),
        "incidents": _count(incident),
        "accepted_on_time": _count(Q(accepted_at__lte=F("accept_due"))),
        "answered": _count(incident & Q(answered_at__isnull=False)),
        "answered_on_time": _count(incident & Q(answered_on_time=True)),
        "dissatisfied": _count(dissatisfied),
        "reviewed": _count(dissatisfied & reviewed),
        "answered_drivers": _count(Q(answered_at__isnull=False) | visited),
        "visited": _count(visited),
        "extensions": _count(extended),
    }
    for value in ReturnVisit.Result.values:
        aggregates[f"visited_{value}"] = _count(visited & Q(return_visit_result=value))
    for value in Verdict.Outcome.values:
        aggregates[f"verdict_{value}"] = _count(incident & Q(verdict_outcome=value))
    for value in Complaint.Channel.values:
        aggregates[f"channel_{value}"] = _count(incident & Q(channel=value))
    for value in Complaint.Category.values:
        aggregates[f"category_{value}"] = _count(incident & Q(category=value))
    return aggregates


COUNTED = frozenset(_aggregates())


def _count_in(period: Q) -> Counts:
    """Every count of the complaints accepted in ``period``, one aggregate (voided ones count
    nowhere)."""
    return Complaint.objects.live().filter(period).aggregate(**_aggregates())


def count_accepted(date_from: datetime.date, date_to: datetime.date) -> Counts:
    """The counts of the complaints accepted from ``date_from`` to ``date_to``, from the
    complaints themselves (what a kept month must equal)."""
    return _count_in(_period(date_from, date_to))


def _count_month(month: datetime.date) -> Counts:
    return count_accepted(month, month_end(month))


def _split(date_from: datetime.date, date_to: datetime.date) -> tuple[list[datetime.date], list[Q]]:
    """The whole calendar months inside the period (their first days), and the periods of the
    days outside them."""
    first = date_from if date_from.day == 1 else month_end(date_from) + datetime.timedelta(days=1)
    months = []
    month = first
    while month_end(month) <= date_to:
        months.append(month)
        month = month_end(month) + datetime.timedelta(days=1)
    if not months:
        return [], [_period(date_from, date_to)]
    days = []
    if date_from < months[0]:
        days.append(_period(date_from, months[0] - datetime.timedelta(days=1)))
    if month <= date_to:
        days.append(_period(month, date_to))
    return months, days


def count_complaints(date_from: datetime.date, date_to: datetime.date) -> Counts:
    """The counts of the complaints accepted from ``date_from`` to ``date_to`` (inclusive): whole
    months from their kept counts (issue 9: a year reads twelve rows, and only a month changed
    since it was last counted is counted again), the days outside whole months from the
    complaints. Nothing is accepted later than today, so the days after it count nothing."""
    totals = dict.fromkeys(COUNTED, 0)
    date_to = min(date_to, timezone.localdate())
    if date_to < date_from:
        return totals
    months, days = _split(date_from, date_to)
    if days:
        _add(totals, _count_in(functools.reduce(operator.or_, days)))
    if len(months) > 12:
        months = _from_first_complaint(months)
    for counts in ComplaintMonthCounts.objects.counts_of(months, count=_count_month, keys=COUNTED).values():
        _add(totals, counts)
    return totals


def _from_first_complaint(months: list[datetime.date]) -> list[datetime.date]:
    """``months`` from the first complaint's on: the months before it count nothing, and a period
    that starts in year 1 should not count, nor keep, thousands of empty months. Asked only of
    periods longer than a year, so that a month's and a year's figures take no extra query."""
    first = Complaint.objects.order_by("accepted_at").values_list("accepted_at", flat=True).first()
    return [] if first is None else [month for month in months if month >= month_of(first)]


def _add(totals: Counts, counts: Counts) -> None:
    for key in totals:
        totals[key] += counts[key]


def complaint_figures(*, user, date_from: datetime.date, date_to: datetime.date) -> ComplaintFigures:
    """The figures of the complaints accepted from ``date_from`` to ``date_to`` (inclusive).

    Incidents are counted once (CMP-1): a duplicate is counted with its primary in the figures by
    channel and category, the limits and the verdicts; return visits are counted per driver
    (each linked driver is asked). Voided registrations count nowhere.
    """
    if not has_permission(user, "complaints.figures"):
        raise PermissionDenied
    settings = ComplaintSettings.load()
    satisfied = rules.satisfied_results(basically_counts=settings.basically_satisfied_counts)
    upheld = rules.upheld_outcomes(partly_counts=settings.partly_upheld_counts)
    totals = count_complaints(date_from, date_to)
    with_verdict = sum(totals[f"verdict_{value}"] for value in Verdict.Outcome.values)
    return ComplaintFigures(
        date_from=date_from,
        date_to=date_to,
        received=totals["received"],
        incidents=totals["incidents"],
        duplicates_linked=totals["received"] - totals["incidents"],
        by_channel=[(v, str(label), totals[f"channel_{v}"]) for v, label in Complaint.Channel.choices],
        by_category=[(v, str(label), totals[f"category_{v}"]) for v, label in Complaint.Category.choices],
        accepted_on_time=Rate(totals["accepted_on_time"], totals["received"]),
        closed_on_time=Rate(totals["answered_on_time"], totals["answered"]),
        reviewed=Rate(totals["reviewed"], totals["dissatisfied"]),
        return_visits=Rate(totals["visited"], totals["answered_drivers"]),
        satisfaction=Rate(sum(totals[f"visited_{value}"] for value in satisfied), totals["visited"]),
        upheld=Rate(sum(totals[f"verdict_{value}"] for value in upheld), with_verdict),
        extensions=totals["extensions"],
        definitions=figure_definitions(settings),
    )


def figure_definitions(settings: ComplaintSettings) -> list[tuple[str, str]]:
    """What each figure means, in the reader's language, as the settings define it now."""
    satisfied = rules.satisfied_results(basically_counts=settings.basically_satisfied_counts)
    upheld = rules.upheld_outcomes(partly_counts=settings.partly_upheld_counts)
    satisfied_labels = join_list(str(ReturnVisit.Result(value).label) for value in satisfied)
    upheld_labels = join_list(str(Verdict.Outcome(value).label) for value in upheld)
    return [
        (
            gettext("Incidents"),
            gettext(
                "Complaints accepted in the period, a duplicate counted with its primary complaint; "
                "voided registrations do not count."
            ),
        ),
        (
            gettext("Accepted on time"),
            gettext("Registered within %(hours)s hours of reaching the station, of all complaints accepted.")
            % {"hours": settings.accept_hours},
        ),
        (
            gettext("Closed on time"),
            gettext(
                "Incidents answered within their limit (the station's, the hotline centre's or an approved "
                "extension), of incidents answered."
            ),
        ),
        (
            gettext("Reviewed"),
            gettext(
                "Complaints with a dissatisfied return visit whose review has been decided, of complaints "
                "with a dissatisfied return visit."
            ),
        ),
        (
            gettext("Return-visit rate"),
            gettext(
                "Drivers reached for a return visit (by phone, or rating online), of drivers answered; "
                "each linked driver counts."
            ),
        ),
        (
            gettext("Return-visit satisfaction"),
            gettext("Return visits answered “%(results)s”, of drivers reached.") % {"results": satisfied_labels},
        ),
        (
            gettext("Upheld"),
            gettext("Incidents whose verdict is “%(outcomes)s”, of incidents with a verdict.")
            % {"outcomes": upheld_labels},
        ),
        (gettext("Extensions"), gettext("Complaints given an approved extension.")),
    ]

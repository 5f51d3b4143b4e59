"""Reads of the fine ledger (PEN-5): totals, entries, receipts, the reconciliation, closed
months, balances and waivers.

Money is integer fen, summed by the database in integer arithmetic, which is exact on SQLite
and PostgreSQL alike. The list selectors take ``user=`` and return nothing to a user who may
not read the ledger; the totals of a given set of entries (``ledger_totals``,
``penalty_balance``) are the services' own reads and are not scoped.
"""

from __future__ import annotations

import datetime
import operator
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import reduce

from django.db.models import BigIntegerField, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from penalties import permissions, rules
from penalties.models import (
    LedgerEntry,
    LedgerMonthTotal,
    LedgerPeriodClose,
    LedgerStaffMonthTotal,
    Penalty,
    WaiverRequest,
)
from penalties.selectors.people import leadership_users_other_than
from penalties.selectors.policy import policy_in_force
from tollservice.access.permissions import has_permission
from tollservice.core.dates import month_end, month_start
from tollservice.core.errors import DomainError
from tollservice.roster.models import TEAM_ORDER, Department, Staff, Team
from tollservice.roster.names import person_name_related

Kind = LedgerEntry.Kind


def _net(kind: str, prefix: str = "", within: Q | None = None):
    """Integer sum of ``kind`` entries minus their reversals (of those ``within``, if given), 0
    when there are none."""
    amount = f"{prefix}amount_fen"
    plus, minus = Q(**{f"{prefix}kind": kind}), Q(**{f"{prefix}kind": Kind.REVERSAL, f"{prefix}reversed_kind": kind})
    if within is not None:
        plus, minus = plus & within, minus & within
    zero = Value(0, output_field=BigIntegerField())
    return Coalesce(Sum(amount, filter=plus), zero, output_field=BigIntegerField()) - Coalesce(
        Sum(amount, filter=minus), zero, output_field=BigIntegerField()
    )


def _totals_expressions(prefix: str = "", *, within: Q | None = None, suffix: str = "") -> dict:
    return {
        f"assessed_fen{suffix}": _net(Kind.ASSESSED, prefix, within),
        f"collected_fen{suffix}": _net(Kind.COLLECTED, prefix, within),
        f"waived_fen{suffix}": _net(Kind.WAIVED, prefix, within),
    }


@dataclass(frozen=True)
class LedgerTotals:
    """PEN-5: every fen assessed is collected, waived, or outstanding."""

    assessed_fen: int = 0
    collected_fen: int = 0
    waived_fen: int = 0

    @property
    def outstanding_fen(self) -> int:
        return self.assessed_fen - self.collected_fen - self.waived_fen

    @classmethod
    def from_row(cls, row: dict) -> LedgerTotals:
        # PostgreSQL returns sum(bigint) as numeric; the values are whole fen either way.
        return cls(*(int(row.get(key) or 0) for key in ("assessed_fen", "collected_fen", "waived_fen")))

    def __add__(self, other: LedgerTotals) -> LedgerTotals:
        return LedgerTotals(
            self.assessed_fen + other.assessed_fen,
            self.collected_fen + other.collected_fen,
            self.waived_fen + other.waived_fen,
        )


def _fold(rows: Iterable[tuple[str, str, int]]) -> LedgerTotals:
    """Totals from (kind, reversed kind, integer sum) rows: a reversal subtracts from its kind."""
    net = {Kind.ASSESSED: 0, Kind.COLLECTED: 0, Kind.WAIVED: 0}
    for kind, reversed_kind, total in rows:
        if kind == Kind.REVERSAL:
            net[reversed_kind] -= int(total)
        else:
            net[kind] += int(total)
    return LedgerTotals(net[Kind.ASSESSED], net[Kind.COLLECTED], net[Kind.WAIVED])


def _sums_by_kind(entries: QuerySet[LedgerEntry], *group: str):
    return (
        entries.order_by()
        .values(*group, "kind", "reversed_kind")
        .annotate(total=Sum("amount_fen"))
        .values_list(*group, "kind", "reversed_kind", "total")
    )


def ledger_totals(entries: QuerySet[LedgerEntry] | None = None) -> LedgerTotals:
    """Totals of ``entries`` (default: the whole ledger): one integer SUM per kind, one query,
    one row (no grouping: the database adds up what its index on the ledger holds)."""
    entries = LedgerEntry.objects.all() if entries is None else entries
    return LedgerTotals.from_row(entries.order_by().aggregate(**_totals_expressions()))


def penalty_balance(*, penalty: Penalty) -> LedgerTotals:
    """One penalty's fine: assessed, collected, waived, outstanding."""
    return ledger_totals(LedgerEntry.objects.filter(penalty=penalty))


def with_balances(penalties: QuerySet[Penalty]) -> QuerySet[Penalty]:
    """Annotate ``assessed_fen``, ``collected_fen``, ``waived_fen``, ``outstanding_fen`` per penalty."""
    return penalties.annotate(**_totals_expressions("ledger_entries__")).annotate(
        outstanding_fen=F("assessed_fen") - F("collected_fen") - F("waived_fen")
    )


def balances_of_penalties(penalty_ids: Iterable[int]) -> dict[int, LedgerTotals]:
    """The balances of the given penalties (the rows of a page, a batch of a download), in one
    query through the ledger's per-penalty index; a penalty without entries is left out."""
    sums = (
        LedgerEntry.objects.filter(penalty_id__in=list(penalty_ids))
        .order_by()
        .values("penalty_id")
        .annotate(**_totals_expressions())
    )
    return {row["penalty_id"]: LedgerTotals.from_row(row) for row in sums}


def totals_of_penalties(penalties: QuerySet[Penalty]) -> LedgerTotals:
    """The ledger totals of a (filtered, already scoped) set of penalties, in one query."""
    return ledger_totals(LedgerEntry.objects.filter(penalty__in=penalties.order_by().values("pk")))


def _ledger_scope(user) -> QuerySet[LedgerEntry]:
    """The whole ledger for those who may read it (``ledger.view``), nothing for anyone else."""
    return LedgerEntry.objects.all() if has_permission(user, "ledger.view") else LedgerEntry.objects.none()


# --- Entries and receipts ---------------------------------------------------------------------


def ledger_entry_list(
    *, user, start: datetime.date | None = None, end: datetime.date | None = None, kind: str | None = None
) -> QuerySet[LedgerEntry]:
    """Entries booked in [start, end], in booking order, with everything a row shows joined."""
    entries = (
        _ledger_scope(user)
        .select_related("penalty__staff", "penalty__team", "penalty__department", "recorded_by", "reverses", "waiver")
        .select_related(*person_name_related("recorded_by"))
    )
    if start is not None:
        entries = entries.filter(booked_on__gte=start)
    if end is not None:
        entries = entries.filter(booked_on__lte=end)
    if kind is not None:
        entries = entries.filter(kind=kind)
    return entries.order_by("booked_on", "created_at", "pk")


def ledger_receipts(*, user, start: datetime.date | None = None, end: datetime.date | None = None):
    """PEN-5: collections (non-operating income), with the receipt number and the collector."""
    return ledger_entry_list(user=user, start=start, end=end, kind=Kind.COLLECTED).select_related("reversal")


@dataclass(frozen=True)
class YearSummary:
    year: int
    start: datetime.date
    end: datetime.date
    totals: LedgerTotals
    violations: int


def year_summary(*, user, today: datetime.date | None = None) -> YearSummary:
    """This (policy) year's fines booked and violations counted, for the office's dashboard."""
    today = today or timezone.localdate()
    policy = policy_in_force()
    year = rules.year_of(today, policy=policy)
    start, end = rules.year_bounds(year, policy=policy)
    totals = ledger_totals(ledger_entry_list(user=user, start=start, end=end))
    violations = Penalty.objects.violations().filter(eligibility_year=year).count()
    return YearSummary(year=year, start=start, end=end, totals=totals, violations=violations)


# --- Reconciliation -----------------------------------------------------------------------------


@dataclass
class Reconciliation:
    """PEN-5 for a period: outstanding at the start + assessed in the period
    = collected + waived in the period + outstanding at the end, to the fen.

    The figures come from separate aggregates (the kept month totals before the period and up
    to its end, the period's entries by kind, and their signed sum), so an error in any one shows.
    """

    start: datetime.date
    end: datetime.date
    opening: LedgerTotals
    period: LedgerTotals
    closing: LedgerTotals
    # The period's entries when asked for (``with_entries``); None otherwise: the page reads
    # them a page at a time, a download streams them (``ledger_entry_list``).
    entries: list[LedgerEntry] | None
    overpaid_penalty_ids: list[int] = field(default_factory=list)
    # What the period's entries do to the amount outstanding, summed entry by entry (signed) by
    # the database; checked against the per-kind figures.
    entries_net: int | None = None
    # The closed months whose figures the period takes as filed at closing (first and last day).
    filed: tuple[datetime.date, datetime.date] | None = None

    @property
    def is_month(self) -> bool:
        """Is the period one calendar month (which can be closed)?"""
        return _is_month(self.start, self.end)

    @property
    def due_fen(self) -> int:
        """Outstanding at the start plus assessed in the period: what was to be accounted for."""
        return self.opening.outstanding_fen + self.period.assessed_fen

    @property
    def accounted_fen(self) -> int:
        """Collected and waived in the period plus outstanding at the end."""
        return self.period.collected_fen + self.period.waived_fen + self.closing.outstanding_fen

    @property
    def entries_net_fen(self) -> int:
        """The period's entries' effect on the amount outstanding: summed from the listed entries
        when they were loaded, else the database's signed sum of them."""
        if self.entries is not None:
            return sum(entry.signed_amount_fen for entry in self.entries)
        return self.period.outstanding_fen if self.entries_net is None else self.entries_net

    @property
    def balanced(self) -> bool:
        return (
            self.due_fen == self.accounted_fen
            and self.opening + self.period == self.closing
            and self.entries_net_fen == self.closing.outstanding_fen - self.opening.outstanding_fen
            and not self.overpaid_penalty_ids
        )


def _overpaid(entries: QuerySet[LedgerEntry]) -> set[int]:
    """The penalties among ``entries`` on which more was collected or waived than assessed."""
    return set(
        entries.order_by()
        .values("penalty_id")
        .annotate(**_totals_expressions())
        .filter(assessed_fen__lt=F("collected_fen") + F("waived_fen"))
        .values_list("penalty_id", flat=True)
    )


def ledger_reconciliation(
    *, user, start: datetime.date, end: datetime.date, with_entries: bool = True
) -> Reconciliation:
    """PEN-5 ("no 小金库"): reconcile the fines booked in [start, end].

    The period's figures are summed from its entries; the opening and closing balances from the
    month totals the services keep with every entry (``LedgerMonthTotal``; the days of a month
    cut by the period from the entries), so that the page reads the period's entries and a few
    rows a month, not the whole ledger before it. The check is then a real one: the month totals
    of the period must move by what its entries add up to, to the fen. A period longer than a
    month takes the months closed in it as filed (``LedgerPeriodClose``: reconciled with their
    entries when closed, nothing booked in them since; each month's own page compares them with
    its entries again), so that a year reads the entries of the days not yet closed.

    Every figure is an SQL aggregate read through an index, never entries turned into objects:
    the page lists the entries a page at a time (``ledger_entry_list``), a download streams
    them. ``with_entries`` also loads them all (one more query; for a few entries: tests, the
    services' own checks).
    """
    if end < start:
        raise DomainError(_("The period ends before it starts."), field="end")
    may_read = has_permission(user, "ledger.view")
    ledger = _ledger_scope(user)
    entries = list(ledger_entry_list(user=user, start=start, end=end)) if with_entries else None
    # The period: the months filed in it, and its other days from the entries.
    filed = None if _is_month(start, end) else _closed_months_in(start, end)
    filed_sums = LedgerTotals()
    period_days = [(start, end)]
    if filed is not None:
        closings = LedgerPeriodClose.objects.filter(month__range=(filed[0], month_start(filed[1])))
        filed_sums = LedgerTotals.from_row((closings if may_read else closings.none()).aggregate(**_MONTH_TOTALS))
        before, after = filed[0] - datetime.timedelta(days=1), filed[1] + datetime.timedelta(days=1)
        period_days = [span for span in ((start, before), (after, end)) if span[0] <= span[1]]
    # Opening and closing: the kept months before each day's month, and that month's days up to
    # the day from the entries (none when the day ends its month). One aggregate of the months,
    # one of the entries of the days any figure reads from them.
    opening_months, opening_days = _kept_up_to(start - datetime.timedelta(days=1))
    closing_months, closing_days = _kept_up_to(end)
    months = LedgerMonthTotal.objects.all() if may_read else LedgerMonthTotal.objects.none()
    month_sums = (
        months.filter(closing_months)  # the opening's months are among them
        .order_by()
        .aggregate(
            **_month_totals_expressions(opening_months, "_opening"),
            **_month_totals_expressions(closing_months, "_closing"),
        )
    )
    days = {"_period": period_days, "_opening": [opening_days], "_closing": [closing_days]}
    days = {suffix: [span for span in spans if span is not None] for suffix, spans in days.items()}
    within = {suffix: _on_days(spans) for suffix, spans in days.items() if spans}
    sums = {}
    if within:
        sums = (
            ledger.filter(reduce(operator.or_, within.values()))
            .order_by()
            .aggregate(
                **{
                    name: expression
                    for suffix, condition in within.items()
                    for name, expression in _totals_expressions(within=condition, suffix=suffix).items()
                },
                **({"net": Sum(LedgerEntry.signed_amount(), filter=within["_period"])} if "_period" in within else {}),
            )
        )
    opening = _totals_of(month_sums, "_opening") + _totals_of(sums, "_opening")
    period = filed_sums + _totals_of(sums, "_period")
    closing = _totals_of(month_sums, "_closing") + _totals_of(sums, "_closing")
    net = filed_sums.outstanding_fen + int(sums.get("net") or 0)
    # Overpaid at the end of the period (which the services refuse): a penalty overpaid now
    # (its kept balance), or one with an entry after the period (the only ones whose balance
    # then may differ from today's). An entry written around the services reaches neither the
    # balances nor the month totals: in a whole month the sums above then disagree, and every
    # penalty with an entry in the period is looked at, to name it; in the days of the end's
    # month, read from the entries on both sides, those days' penalties are always looked at.
    suspects = [ledger.filter(booked_on__gt=end), Penalty.objects.filter(owed_fen__lt=0)]
    if opening + period != closing or net != closing.outstanding_fen - opening.outstanding_fen:
        suspects.append(ledger.filter(booked_on__range=(start, end)))
    elif closing_days is not None:
        suspects.append(ledger.filter(booked_on__range=(max(start, closing_days[0]), end)))
    keys = [rows.order_by().values("penalty_id" if rows.model is LedgerEntry else "pk") for rows in suspects]
    overpaid = _overpaid(ledger.filter(booked_on__lte=end, penalty_id__in=keys[0].union(*keys[1:])))
    return Reconciliation(
        start=start,
        end=end,
        opening=opening,
        period=period,
        closing=closing,
        entries=entries,
        overpaid_penalty_ids=sorted(overpaid),
        entries_net=net,
        filed=filed,
    )


def _is_month(start: datetime.date, end: datetime.date) -> bool:
    return start.day == 1 and end == month_end(start)


def _closed_months_in(start: datetime.date, end: datetime.date) -> tuple[datetime.date, datetime.date] | None:
    """The whole months of [start, end] that are closed, as the days they span, if any (the
    books are looked up only when the period holds a whole month)."""
    first = start if start.day == 1 else month_end(start) + datetime.timedelta(days=1)
    last = end if end == month_end(end) else month_start(end) - datetime.timedelta(days=1)
    if first > last or (closed_through := ledger_closed_through()) is None:
        return None
    last = min(last, closed_through)
    return (first, last) if first <= last else None


def _on_days(spans: list[tuple[datetime.date, datetime.date]]) -> Q:
    return reduce(operator.or_, (Q(booked_on__range=span) for span in spans))


def _kept_up_to(day: datetime.date) -> tuple[Q, tuple[datetime.date, datetime.date] | None]:
    """The ledger up to ``day`` as kept months (a filter of the month totals) and the days of
    ``day``'s month up to it (a range of entries; ``None`` when ``day`` ends its month)."""
    if day == month_end(day):
        return Q(month__lte=month_start(day)), None
    return Q(month__lt=month_start(day)), (month_start(day), day)


def _month_totals_expressions(within: Q, suffix: str) -> dict:
    return {f"{name}{suffix}": Sum(name, filter=within) for name in _MONTH_TOTALS}


def _totals_of(row: dict, suffix: str) -> LedgerTotals:
    """The totals among an aggregate's figures named with ``suffix`` (none: zero)."""
    return LedgerTotals.from_row(
        {key.removesuffix(suffix): value for key, value in row.items() if key.endswith(suffix)}
    )


# --- Closed months (PEN-5) -----------------------------------------------------------------------


def ledger_closed_through() -> datetime.date | None:
    """The last day on which the books are closed (the end of the latest closed month), if any."""
    latest = LedgerPeriodClose.objects.order_by("-month").values_list("month", flat=True).first()
    return month_end(latest) if latest else None


def ledger_period_close_for(month: datetime.date) -> LedgerPeriodClose | None:
    return LedgerPeriodClose.objects.select_related("closed_by").filter(month=month_start(month)).first()


def ledger_period_closes(*, user) -> QuerySet[LedgerPeriodClose]:
    closes = LedgerPeriodClose.objects.select_related("closed_by")
    return closes if has_permission(user, "ledger.view") else closes.none()


@dataclass(frozen=True)
class PeriodClosing:
    """Where a reconciled period stands with the closed months."""

    closed_through: datetime.date | None
    # The month's closing, when the period is a month that has been closed.
    closing: LedgerPeriodClose | None
    # Its figures as kept at closing are those of the books now (they cannot differ unless
    # someone went around the services; the page says so if they do).
    matches: bool
    # Whether this user may close the month now (only a month, and see ``can_close_month``).
    may_close: permissions.Verdict


def ledger_period_closing(*, user, rec: Reconciliation, today: datetime.date | None = None) -> PeriodClosing:
    today = today or timezone.localdate()
    closed_through = ledger_closed_through()
    closing = ledger_period_close_for(rec.start) if rec.is_month else None
    matches = closing is not None and (closing.assessed_fen, closing.collected_fen, closing.waived_fen) == (
        rec.period.assessed_fen,
        rec.period.collected_fen,
        rec.period.waived_fen,
    )
    if rec.is_month:
        may_close = permissions.can_close_month(user, rec.end, closed_through=closed_through, today=today)
    else:
        may_close = permissions.refused(_("Only a whole month can be closed."), "not_a_month")
    return PeriodClosing(closed_through=closed_through, closing=closing, matches=matches, may_close=may_close)


# --- Balances -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BalanceRow:
    """Fines of one person, team or department."""

    key: object  # the Staff, Team or Department (None: penalties of staff outside any team)
    totals: LedgerTotals


_BALANCE_GROUPS = {
    "staff": ("penalty__staff", Staff),
    "team": ("penalty__team", Team),
    "department": ("penalty__department", Department),
}


def ledger_balances(
    *, user, by: str, start: datetime.date | None = None, end: datetime.date | None = None
) -> list[BalanceRow]:
    """Balances grouped ``by`` "staff", "team" or "department" (the team and department the
    person belonged to when penalized), for entries booked in [start, end]. Two queries."""
    try:
        group, model = _BALANCE_GROUPS[by]
    except KeyError:
        raise ValueError(f"by must be one of {sorted(_BALANCE_GROUPS)}") from None
    rows: dict[object, list] = defaultdict(list)
    entries = ledger_entry_list(user=user, start=start, end=end).select_related(None)
    for key, *row in _sums_by_kind(entries, group):
        rows[key].append(row)
    totals = {key: _fold(key_rows) for key, key_rows in rows.items()}
    keys = model.objects.in_bulk([pk for pk in totals if pk is not None])
    result = [BalanceRow(key=keys.get(pk), totals=value) for pk, value in totals.items()]
    # Teams in their display order (the others have none), then by name.
    return sorted(result, key=lambda row: (row.key is None, getattr(row.key, "display_order", 0), str(row.key or "")))


_BALANCE_ORDER = {"staff": ("employee_number",), "team": (*TEAM_ORDER, "pk"), "department": ("name", "pk")}


def _whole_months(
    start: datetime.date | None, end: datetime.date | None
) -> tuple[Q | None, list[tuple[datetime.date, datetime.date]]]:
    """[start, end] as the whole months in it (a filter of the month totals; ``None`` when
    there is none) and the parts outside them, within a month at either end (date ranges for
    the entries themselves). ``None`` for ``start`` or ``end``: open on that side."""
    first = start if start is None or start.day == 1 else month_end(start) + datetime.timedelta(days=1)
    last = None
    if end is not None:
        last = month_start(end) if end == month_end(end) else month_start(month_start(end) - datetime.timedelta(days=1))
    if first is not None and last is not None and first > last:
        return None, [(start, end)]
    months = Q()
    if first is not None:
        months &= Q(month__gte=first)
    if last is not None:
        months &= Q(month__lte=last)
    edges = []
    if start is not None and start != first:
        edges.append((start, first - datetime.timedelta(days=1)))
    if end is not None and end != month_end(end):
        edges.append((month_start(end), end))
    return months, edges


def _summed(user, start: datetime.date | None, end: datetime.date | None, model=LedgerMonthTotal):
    """The month totals (``model``) of the whole months of [start, end] and the entries of its
    other days (``None`` when the range has none: no query to make), for those who may read the
    ledger (nothing for anyone else)."""
    months, edges = _whole_months(start, end)
    totals = model.objects.filter(months) if months is not None else model.objects.none()
    entries = None
    if edges:
        entries = LedgerEntry.objects.filter(reduce(operator.or_, (Q(booked_on__range=edge) for edge in edges)))
    if not has_permission(user, "ledger.view"):
        return totals.none(), None
    return totals.order_by(), entries.order_by() if entries is not None else None


_MONTH_TOTALS = {
    "assessed_fen": Sum("assessed_fen"),
    "collected_fen": Sum("collected_fen"),
    "waived_fen": Sum("waived_fen"),
}

# The month totals each grouping of the balances reads, and the group's field in them (and in
# the penalty, for the entries of partial months).
_SUMMED_GROUPS = {
    "staff": (LedgerStaffMonthTotal, "staff"),
    "team": (LedgerMonthTotal, "team"),
    "department": (LedgerMonthTotal, "department"),
}


def _sums_by(user, by: str, start, end, **within) -> dict[object, LedgerTotals]:
    """The balances per person, team or department (``within``: of some of them), from the
    month totals and the entries of the partial months at the ends."""
    model, field = _SUMMED_GROUPS[by]
    totals, entries = _summed(user, start, end, model)
    sums: dict[object, LedgerTotals] = defaultdict(LedgerTotals)
    for row in totals.filter(**within).values(field).annotate(**_MONTH_TOTALS):
        sums[row[field]] += LedgerTotals.from_row(row)
    if entries is not None:
        within = {f"penalty__{key}": value for key, value in within.items()}
        for row in entries.filter(**within).values(f"penalty__{field}").annotate(**_totals_expressions()):
            sums[row[f"penalty__{field}"]] += LedgerTotals.from_row(row)
    return sums


def ledger_balance_keys(*, user, by: str, start: datetime.date | None = None, end: datetime.date | None = None):
    """The persons (teams, departments) with an entry booked in [start, end], in the order of
    the balances page, as a queryset to page: each page's balances are then read for its keys
    only (``ledger_balances_of``), so a page costs the same however long the list. Penalties
    of staff outside any team are not a key: see ``ledger_balance_without_team``. The keys are
    read from the month totals (``LedgerStaffMonthTotal``, ``LedgerMonthTotal``) and, for the
    days of a month cut by the range, from the entries.

    A person is looked up in their own months as the roster is read in the page's order (one
    look-up through the index (staff, month) per person read, a page's worth), rather than
    every person with a month being found and sorted; ``ledger_balance_keys_to_count`` is the
    same set for a count. Teams and departments are a few dozen: found and sorted."""
    if by != "staff":
        return ledger_balance_keys_to_count(user=user, by=by, start=start, end=end)
    _group, model = _BALANCE_GROUPS[by]
    totals_model, field = _SUMMED_GROUPS[by]
    totals, entries = _summed(user, start, end, totals_model)
    # Scalar subqueries rather than EXISTS: PostgreSQL would turn EXISTS into a join over the
    # whole table; these stay a look-up through an index for each key read.
    booked = {"first_month": Subquery(totals.filter(**{field: OuterRef("pk")}).values("pk")[:1])}
    if entries is not None:
        booked["first_entry"] = Subquery(entries.filter(**{f"penalty__{field}": OuterRef("pk")}).values("pk")[:1])
    found = reduce(operator.or_, (Q(**{f"{name}__isnull": False}) for name in booked))
    return model.objects.alias(**booked).filter(found).order_by(*_BALANCE_ORDER[by])


def ledger_balance_keys_to_count(
    *, user, by: str, start: datetime.date | None = None, end: datetime.date | None = None
):
    """The keys of ``ledger_balance_keys`` as a set to count: the keys found in the month totals
    (and the entries of partial months), each read once, however many people the roster has."""
    _group, model = _BALANCE_GROUPS[by]
    totals_model, field = _SUMMED_GROUPS[by]
    totals, entries = _summed(user, start, end, totals_model)
    booked = Q(pk__in=totals.values(field))
    if entries is not None:
        booked |= Q(pk__in=entries.values(f"penalty__{field}"))
    return model.objects.filter(booked).order_by(*_BALANCE_ORDER[by])


def ledger_balances_of(
    *, user, by: str, keys: Iterable, start: datetime.date | None = None, end: datetime.date | None = None
) -> list[BalanceRow]:
    """The balances of ``keys`` (a page of ``ledger_balance_keys``; ``None`` for the penalties
    of staff outside any team), in their order: two queries at most (the month totals, and the
    entries of partial months)."""
    _model, field = _SUMMED_GROUPS[by]
    keys = list(keys)
    within = {f"{field}__in": [key.pk for key in keys if key is not None]}
    if None in keys:
        within = {}  # the page ends with the "No team" row: read every team's, keep the page's
    totals = _sums_by(user, by, start, end, **within)
    return [BalanceRow(key=key, totals=totals.get(getattr(key, "pk", None), LedgerTotals())) for key in keys]


def ledger_balance_without_team(
    *, user, start: datetime.date | None = None, end: datetime.date | None = None
) -> BalanceRow | None:
    """The balances of penalties of staff outside any team (the "No team" row), if any."""
    totals, entries = _summed(user, start, end)
    in_edges = entries is not None and entries.filter(penalty__team__isnull=True).exists()
    if not (totals.filter(team__isnull=True).exists() or in_edges):
        return None
    return BalanceRow(key=None, totals=_sums_by(user, "team", start, end, team__isnull=True)[None])


def ledger_balance_totals(
    *, user, start: datetime.date | None = None, end: datetime.date | None = None
) -> LedgerTotals:
    """The totals of every balance: the month totals of the whole months of [start, end] and
    the entries of its other days, one aggregate each."""
    totals, entries = _summed(user, start, end)
    months = LedgerTotals.from_row(totals.aggregate(**_MONTH_TOTALS))
    return months + ledger_totals(entries) if entries is not None else months


def staff_balance(*, staff: Staff) -> LedgerTotals:
    """All fines of one person, over all years."""
    return ledger_totals(LedgerEntry.objects.filter(penalty__staff=staff))


# --- Waivers ------------------------------------------------------------------------------------


def waiver_list(*, user) -> QuerySet[WaiverRequest]:
    """Every waiver request, for those who may read the ledger, with what a row shows joined."""
    waivers = (
        WaiverRequest.objects.select_related("penalty__staff", "penalty__department", "requested_by", "rejected_by")
        .select_related(*person_name_related("requested_by"))
        .prefetch_related("approvals__approver")
    )
    return waivers if has_permission(user, "ledger.view") else waivers.none()


def waiver_detail(*, user, pk: int) -> WaiverRequest:
    """One waiver in the user's scope; ``WaiverRequest.DoesNotExist`` outside it."""
    return waiver_list(user=user).get(pk=pk)


def waiver_queue(*, user) -> QuerySet[WaiverRequest]:
    """Pending waivers this user may still approve (not their own request, not approved by them)."""
    if not has_permission(user, "ledger.waive_approve"):
        return WaiverRequest.objects.none()
    return (
        WaiverRequest.objects.filter(status=WaiverRequest.Status.PENDING)
        .exclude(requested_by=user)
        .exclude(approvals__approver=user)
        .select_related("penalty__staff", "penalty__department", "requested_by")
        .select_related(*person_name_related("requested_by"))
        .prefetch_related("approvals__approver")
        .order_by("created_at", "pk")
    )


@dataclass(frozen=True)
class WaiverSteps:
    """What the user may do with a waiver on its page (from the services' own checks)."""

    approve: permissions.Verdict
    reject: permissions.Verdict
    # Why someone who approves waivers cannot approve this one (own request, approved already,
    # own fine, no leadership approver left), shown instead of the form; "" otherwise.
    note: str = ""

    @property
    def any(self) -> bool:
        return bool(self.approve or self.reject)


def waiver_steps(*, user, waiver: WaiverRequest) -> WaiverSteps:
    """Uses the prefetched approvals of ``waiver_detail``."""
    approvals = list(waiver.approvals.all())
    approve = permissions.can_approve_waiver(user, waiver, approvals=approvals, staff_id=waiver.penalty.staff_id)
    reject = permissions.can_reject_waiver(user, waiver)
    if not reject:
        return WaiverSteps(approve=approve, reject=permissions.NOT_ALLOWED)
    if not any(approval.as_leadership for approval in approvals) and not leadership_users_other_than(
        user_ids=[waiver.requested_by_id, *(approval.approver_id for approval in approvals)],
        staff_id=waiver.penalty.staff_id,
    ):
        # Four eyes: whoever asked (even with a leadership seat) does not approve.
        note = _(
            "No member of the leadership group other than the one who asked for this waiver can approve it: "
            "it needs another member of the leadership group with a portal account."
        )
        return WaiverSteps(approve=permissions.refused(note, "no_leadership_approver"), reject=reject, note=str(note))
    return WaiverSteps(approve=approve, reject=reject, note="" if approve else approve.message)

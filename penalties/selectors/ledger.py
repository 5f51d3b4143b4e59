"""Reads of the fine ledger (PEN-5): totals, entries, receipts, the reconciliation, closed
months, balances and waivers.

Money is integer fen, summed by the database in integer arithmetic, which is exact on SQLite
and PostgreSQL alike. The list selectors take ``user=`` and return nothing to a user who may
not read the ledger; the totals of a given set of entries (``ledger_totals``,
``penalty_balance``) are the services' own reads and are not scoped.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import BigIntegerField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from penalties import permissions, rules
from penalties.models import LedgerEntry, LedgerPeriodClose, Penalty, WaiverRequest
from penalties.selectors.people import leadership_users_other_than
from penalties.selectors.policy import policy_in_force
from tollservice.access.permissions import has_permission
from tollservice.core.dates import month_end, month_start
from tollservice.core.errors import DomainError
from tollservice.roster.models import Department, Staff, Team
from tollservice.roster.names import person_name_related

Kind = LedgerEntry.Kind


def _net(kind: str, prefix: str = ""):
    """Integer sum of ``kind`` entries minus their reversals, 0 when there are none."""
    amount = f"{prefix}amount_fen"
    plus = Sum(amount, filter=Q(**{f"{prefix}kind": kind}))
    minus = Sum(amount, filter=Q(**{f"{prefix}kind": Kind.REVERSAL, f"{prefix}reversed_kind": kind}))
    zero = Value(0, output_field=BigIntegerField())
    return Coalesce(plus, zero, output_field=BigIntegerField()) - Coalesce(minus, zero, output_field=BigIntegerField())


def _totals_expressions(prefix: str = "") -> dict:
    return {
        "assessed_fen": _net(Kind.ASSESSED, prefix),
        "collected_fen": _net(Kind.COLLECTED, prefix),
        "waived_fen": _net(Kind.WAIVED, prefix),
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
    """Totals of ``entries`` (default: the whole ledger): one integer SUM per kind, one query."""
    entries = LedgerEntry.objects.all() if entries is None else entries
    return _fold(_sums_by_kind(entries))


def penalty_balance(*, penalty: Penalty) -> LedgerTotals:
    """One penalty's fine: assessed, collected, waived, outstanding."""
    return ledger_totals(LedgerEntry.objects.filter(penalty=penalty))


def with_balances(penalties: QuerySet[Penalty]) -> QuerySet[Penalty]:
    """Annotate ``assessed_fen``, ``collected_fen``, ``waived_fen``, ``outstanding_fen`` per penalty."""
    return penalties.annotate(**_totals_expressions("ledger_entries__")).annotate(
        outstanding_fen=F("assessed_fen") - F("collected_fen") - F("waived_fen")
    )


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

    The three figures come from separate aggregates (before the period, in it, up to its end) and
    are checked against the sum of the listed entries, so an error in any one shows.
    """

    start: datetime.date
    end: datetime.date
    opening: LedgerTotals
    period: LedgerTotals
    closing: LedgerTotals
    # The period's entries, for the page; None when they were not loaded (a download streams
    # them from ``ledger_entry_list`` instead, however many there are).
    entries: list[LedgerEntry] | None
    overpaid_penalty_ids: list[int] = field(default_factory=list)

    @property
    def is_month(self) -> bool:
        """Is the period one calendar month (which can be closed)?"""
        return self.start.day == 1 and self.end == month_end(self.start)

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
        """The listed entries' effect on the amount outstanding (the period's figure when the
        entries were not loaded)."""
        if self.entries is None:
            return self.period.outstanding_fen
        return sum(entry.signed_amount_fen for entry in self.entries)

    @property
    def balanced(self) -> bool:
        return (
            self.due_fen == self.accounted_fen
            and self.opening + self.period == self.closing
            and self.entries_net_fen == self.closing.outstanding_fen - self.opening.outstanding_fen
            and not self.overpaid_penalty_ids
        )


def ledger_reconciliation(
    *, user, start: datetime.date, end: datetime.date, with_entries: bool = True
) -> Reconciliation:
    """PEN-5 ("no 小金库"): reconcile the fines booked in [start, end]; every entry is listed.

    With the entries (the page), the period's figures are summed from them, so the listed rows
    are checked against the opening and closing aggregates; without them (a download, which
    streams the rows), the period is one more aggregate. Four queries whatever the number of
    entries.
    """
    if end < start:
        raise DomainError(_("The period ends before it starts."), field="end")
    ledger = _ledger_scope(user)
    if with_entries:
        entries = list(ledger_entry_list(user=user, start=start, end=end))
        period = _fold((entry.kind, entry.reversed_kind, entry.amount_fen) for entry in entries)
    else:
        entries = None
        period = ledger_totals(ledger.filter(booked_on__range=(start, end)))
    upto_end = ledger.filter(booked_on__lte=end)
    overpaid = (
        upto_end.values("penalty_id")
        .annotate(**_totals_expressions())
        .filter(assessed_fen__lt=F("collected_fen") + F("waived_fen"))
        .values_list("penalty_id", flat=True)
    )
    return Reconciliation(
        start=start,
        end=end,
        opening=ledger_totals(ledger.filter(booked_on__lt=start)),
        period=period,
        closing=ledger_totals(upto_end),
        entries=entries,
        overpaid_penalty_ids=sorted(overpaid),
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

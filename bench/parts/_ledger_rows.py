"""The fine ledger of the penalties planned by ``bench.parts.penalties`` (PEN-5), as the ledger
services write it: the fine assessed when a penalty comes into force; collections with receipts
(some in two parts, a mistyped receipt now and then reversed and booked again); waivers with two
approvers, one of the leadership group (some still pending, some rejected); the reversal of a
revoked penalty's fine; every entry numbered within its penalty and audited; then every month
closed by the finance office, its figures from the portal's own reconciliation, which must
balance."""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext

from bench.generator.audit import Action, created
from penalties.models import (
    LedgerEntry,
    LedgerMonthTotal,
    LedgerPeriodClose,
    LedgerStaffMonthTotal,
    OutstandingTotal,
    Penalty,
    WaiverApproval,
    WaiverRequest,
)
from penalties.selectors import ledger_reconciliation
from tollservice.core.dates import month_end
from tollservice.core.money import format_yuan

Kind = LedgerEntry.Kind
REVOKED_BECAUSE = "复核发现处分依据不足，撤销该处分。"


@dataclass(eq=False)
class Entry:
    """A ledger entry before it is written."""

    kind: str
    amount: int
    at: datetime.datetime
    by: object
    receipt: str | None = None
    reverses: Entry | None = None
    waiver: Waiver | None = None
    reason: str = ""
    row: LedgerEntry | None = None


@dataclass(eq=False)
class Waiver:
    requested_at: datetime.datetime
    requested_by: object
    amount: int
    approvals: list  # (user, as_leadership, at)
    status: str
    closed_at: datetime.datetime | None = None
    rejected_by: object = None
    row: WaiverRequest | None = None


class Ledger:
    """Books the money of the penalties a ``Writer`` has written, with its audit and notices."""

    def __init__(self, rows):
        self.rows, self.rng, self.world = rows, rows.rng, rows.world
        self.cutoff = rows.cutoff
        self.office, self.finance, self.leadership = rows.office, rows.finance, rows.leadership
        self.receipts = itertools.count(1)
        self.closed_through: datetime.date | None = None

    def write(self, plans: list) -> None:
        money = {plan: self._money(plan) for plan in plans if plan.in_force_from is not None}
        self._waivers(money)
        self._entries(money)

    def _money(self, plan) -> list[Entry]:
        """What the finance office booked for one penalty in force, in the order it happened."""
        rng, fine = self.rng, plan.fine
        entries = [Entry(Kind.ASSESSED, fine, plan.in_force_from, plan.in_force_by)]
        if plan.revoked_at is not None:  # revoked before anything was paid: the fine is reversed
            revoker = plan.settled_by or self.office
            entries.append(
                Entry(Kind.REVERSAL, fine, plan.revoked_at, revoker, reverses=entries[0], reason=REVOKED_BECAUSE)
            )
            return entries
        start, roll = plan.in_force_from, rng.random()
        if plan.waiver_awaits:
            requested = self.rows._moment(start, 1, 3)
            self._waiver(entries, fine, requested, rejected=False, leadership_approves=False)
        elif roll < 0.78:
            self._collect(entries, fine, self.rows._moment(start, 3, 40))
        elif roll < 0.84:
            first = self.rows._moment(start, 5, 20)
            half = fine // 2 // 100 * 100
            self._collect(entries, half, first)
            self._collect(entries, fine - half, self.rows._moment(first, 20, 40))
        elif roll < 0.89:
            requested = self.rows._moment(start, 3, 15)
            if requested < self.cutoff:
                rejected = roll >= 0.88
                waiver = self._waiver(entries, fine, requested, rejected=rejected)
                if rejected:
                    self._collect(entries, fine, self.rows._moment(waiver.closed_at, 3, 15))
        return [entry for entry in entries if entry.at < self.cutoff]

    def _collect(self, entries: list[Entry], amount: int, at: datetime.datetime) -> None:
        if at >= self.cutoff:
            return
        receipt = self._receipt(at)
        entries.append(Entry(Kind.COLLECTED, amount, at, self.finance, receipt=receipt))
        if self.rng.random() < 0.015:  # the receipt number was mistyped: reversed, booked again
            fixed = self.world.at(timezone.localdate(at) + datetime.timedelta(days=1), 9)
            reason = "收据号录入错误，冲销后按正确收据号重新登记。"
            entries.append(Entry(Kind.REVERSAL, amount, fixed, self.finance, reverses=entries[-1], reason=reason))
            entries.append(
                Entry(
                    Kind.COLLECTED,
                    amount,
                    fixed + datetime.timedelta(minutes=20),
                    self.finance,
                    receipt=self._receipt(fixed),
                )
            )

    def _receipt(self, at: datetime.datetime) -> str:
        return f"CW{timezone.localdate(at).year}-{next(self.receipts):07d}"

    def _waiver(
        self,
        entries: list[Entry],
        amount: int,
        requested: datetime.datetime,
        *,
        rejected: bool,
        leadership_approves: bool = True,
    ) -> Waiver:
        """PEN-5: two approvers, neither the requester, one of the leadership group (who has not
        approved yet unless ``leadership_approves``: the office asked, the finance office approved)."""
        leader, deputy = self.leadership
        by_office = self.rng.random() < 0.7 or not leadership_approves
        requester = self.office if by_office else self.finance
        approvers = (
            [(self.finance, False), (self.rng.choice(self.leadership), True)]
            if by_office
            else [(deputy, True), (leader, True)]
        )
        waiver = Waiver(requested, requester, amount, [], WaiverRequest.Status.PENDING)
        if rejected:
            waiver.status, waiver.rejected_by = WaiverRequest.Status.REJECTED, leader
            waiver.closed_at = self.rows._moment(requested, 1, 3)
        else:
            at = requested
            for user, as_leadership in approvers:
                at = self.rows._moment(at, 1, 4 if not as_leadership else 20)  # the leadership takes its time
                if at >= self.cutoff or (as_leadership and not leadership_approves):
                    break
                waiver.approvals.append((user, as_leadership, at))
            if len(waiver.approvals) == WaiverRequest.REQUIRED_APPROVALS:
                waiver.status, waiver.closed_at = WaiverRequest.Status.APPROVED, at
                entries.append(
                    Entry(
                        Kind.WAIVED,
                        amount,
                        at,
                        waiver.approvals[-1][0],
                        waiver=waiver,
                        reason="当事人确有困难，经批准免予罚款。",
                    )
                )
        entries.append(Entry("", 0, requested, requester, waiver=waiver))  # the request, not an entry
        return waiver

    def _waivers(self, money: dict) -> None:
        requests = []
        for plan, entries in money.items():
            for entry in entries:
                if entry.kind == "" and entry.waiver is not None:
                    waiver = entry.waiver
                    waiver.row = WaiverRequest(
                        penalty_id=plan.pk,
                        amount_fen=waiver.amount,
                        reason="当事人家庭确有困难，经征费室研究，申请免予罚款，保留处分记录。",
                        status=waiver.status,
                        requested_by=waiver.requested_by,
                        rejected_by=waiver.rejected_by,
                        rejection_reason="理由不充分，罚款应予收缴。" if waiver.rejected_by else "",
                        closed_at=waiver.closed_at,
                        created_at=waiver.requested_at,
                        updated_at=waiver.closed_at or max([waiver.requested_at] + [a[2] for a in waiver.approvals]),
                    )
                    requests.append((plan, waiver))
        self.world.insert(row for _plan, waiver in requests for row in [waiver.row])
        approvals = []
        for plan, waiver in requests:
            row = waiver.row
            text = gettext("Waiver of %(amount)s for penalty #%(penalty)s") % {
                "amount": format_yuan(row.amount_fen),
                "penalty": plan.pk,
            }
            self.rows._audit(WaiverRequest, row.pk, text, Action.CREATE, row.created_at, row.requested_by, text)
            for user_id in self.rows.leadership_ids:
                if user_id != row.requested_by.pk:
                    subject = gettext("A waiver waits for approval: %(staff)s, %(amount)s yuan") % {
                        "staff": plan.staff.name,
                        "amount": format_yuan(row.amount_fen),
                    }
                    self.rows._notify(
                        user_id, row.created_at, subject, row.reason, self.rows._url("penalties:waiver_detail", row.pk)
                    )
            for user, as_leadership, at in waiver.approvals:
                approvals.append(
                    WaiverApproval(request=row, approver=user, as_leadership=as_leadership, approved_at=at)
                )
                self.rows._audit(WaiverRequest, row.pk, text, Action.STATE, at, user, f"Waiver approved by {user}")
            if row.rejected_by is not None:
                self.rows._audit(
                    WaiverRequest,
                    row.pk,
                    text,
                    Action.STATE,
                    row.closed_at,
                    row.rejected_by,
                    "",
                    {"status": ["pending", "rejected"]},
                )
        self.world.insert(approvals)

    def _entries(self, money: dict) -> None:
        rows, reversals = [], []
        for plan, entries in money.items():
            booked = sorted((e for e in entries if e.kind), key=lambda e: e.at)
            for sequence, entry in enumerate(booked, start=1):
                kind = entry.reverses.kind if entry.reverses is not None else entry.kind
                entry.row = LedgerEntry(
                    penalty_id=plan.pk,
                    sequence=sequence,
                    kind=entry.kind,
                    account=LedgerEntry.ACCOUNT_OF_KIND[kind],
                    amount_fen=entry.amount,
                    booked_on=timezone.localdate(entry.at),
                    receipt_number=entry.receipt,
                    reversed_kind=kind if entry.reverses is not None else "",
                    waiver=entry.waiver.row if entry.waiver is not None else None,
                    reason=entry.reason,
                    recorded_by=entry.by,
                    created_at=entry.at,
                )
                (reversals if entry.reverses is not None else rows).append(entry)
        self.world.insert(e.row for e in rows)
        for entry in reversals:
            entry.row.reverses = entry.reverses.row
        self.world.insert(e.row for e in reversals)
        # What the services keep with every entry they book: each penalty's ledger-derived balances
        # and the sums of its month, team and department, and of its month and person, and the
        # outstanding fines' totals.
        Penalty.objects.refresh_balances()
        LedgerMonthTotal.objects.rebuild()
        LedgerStaffMonthTotal.objects.rebuild()
        OutstandingTotal.objects.rebuild()
        for entry in rows + reversals:
            row = entry.row
            values = {
                "sequence": str(row.sequence),
                "kind": row.kind,
                "account": row.account,
                "amount_fen": str(row.amount_fen),
                "booked_on": str(row.booked_on),
                "receipt_number": row.receipt_number or "",
                "reason": row.reason,
            }
            text = f"{Kind(row.kind).label} {format_yuan(row.amount_fen)} · #{row.penalty_id}/{row.sequence}"
            self.rows._audit(
                LedgerEntry, row.pk, text, Action.CREATE, row.created_at, row.recorded_by, text, created(values)
            )

    # --- Closing the books (PEN-5) --------------------------------------------------------------------

    def close_months(self) -> None:
        """Every month closed by the finance office on the 5th of the next, once reconciled: the
        portal's own reconciliation gives the figures kept, and must balance."""
        month = self.world.first_day
        closings = []
        while True:
            last = month_end(month)
            closed_at = self.world.at(last + datetime.timedelta(days=5), 16)
            if closed_at >= self.cutoff:
                break
            rec = ledger_reconciliation(user=self.finance, start=month, end=last, with_entries=False)
            if not rec.balanced:
                raise AssertionError(f"The generated ledger does not balance in {month:%Y-%m}")
            closings.append(
                LedgerPeriodClose(
                    month=month,
                    assessed_fen=rec.period.assessed_fen,
                    collected_fen=rec.period.collected_fen,
                    waived_fen=rec.period.waived_fen,
                    entries_count=LedgerEntry.objects.filter(booked_on__range=(month, last)).count(),
                    note="已与财务总账核对一致。",
                    closed_by=self.finance,
                    closed_at=closed_at,
                )
            )
            self.closed_through = last
            month = last + datetime.timedelta(days=1)
        for closing in self.world.insert(closings):
            text = f"{closing.month:%Y-%m}"
            summary = f"Books closed through {month_end(closing.month).isoformat()}"
            self.rows._audit(
                LedgerPeriodClose, closing.pk, text, Action.CREATE, closing.closed_at, self.finance, summary
            )
        self.rows.flush()
        whole = ledger_reconciliation(user=self.finance, start=self.world.first_day, end=self.world.today)
        if not whole.balanced:
            raise AssertionError("The generated ledger does not balance over its whole history")

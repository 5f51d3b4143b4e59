"""The fine ledger (PEN-5): assess, collect, waive, reverse. Append-only, exactly once.

When money becomes owed: the fine is assessed when the penalty comes into force, that is when
the office decides it or, where the rule asks for the leadership group (PEN-2, PEN-3), when the
leadership approves it. A proposal, a penalty awaiting approval or a rejected one owes nothing.

Every write locks the penalty row first (``lock_penalty``) and appends the penalty's next
entry number, which the database keeps unique per penalty: two clerks pressing "collected" at
the same moment produce one collection, the other gets a clear error.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from penalties import links, permissions
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
from penalties.selectors import (
    leadership_users_other_than,
    ledger_closed_through,
    ledger_reconciliation,
    penalty_balance,
)
from penalties.services._common import lock_penalty
from tollservice.audit.models import AuditEntry
from tollservice.audit.services import audit_record, audited_change, audited_create, locked, snapshot
from tollservice.core.dates import month_end, month_start
from tollservice.core.errors import DomainError
from tollservice.core.money import format_yuan
from tollservice.core.validators import text_required
from tollservice.core.verdicts import require_permission
from tollservice.notifications.services import notification_send_each
from tollservice.roster.names import person_name

Kind = LedgerEntry.Kind

_ENTRY_FIELDS = ["penalty", "sequence", "kind", "account", "amount_fen", "booked_on", "receipt_number", "reason"]


def _next_sequence(penalty: Penalty) -> int:
    return (penalty.ledger_entries.aggregate(last=Max("sequence"))["last"] or 0) + 1


def _append(
    *,
    penalty: Penalty,
    kind: str,
    amount_fen: int,
    recorded_by,
    booked_on: datetime.date | None = None,
    receipt_number: str | None = None,
    reverses: LedgerEntry | None = None,
    waiver: WaiverRequest | None = None,
    reason: str = "",
) -> LedgerEntry:
    """Append one entry; the caller holds the penalty lock and has checked the balance."""
    booked_on = booked_on or timezone.localdate()
    _lock_books(exclusive=False)
    _refuse_closed_period(booked_on, field="collected_on" if kind == Kind.COLLECTED else None)
    account_kind = reverses.kind if reverses is not None else kind
    entry = LedgerEntry(
        penalty=penalty,
        sequence=_next_sequence(penalty),
        kind=kind,
        account=LedgerEntry.ACCOUNT_OF_KIND[account_kind],
        amount_fen=amount_fen,
        booked_on=booked_on,
        receipt_number=receipt_number,
        reverses=reverses,
        reversed_kind=reverses.kind if reverses is not None else "",
        waiver=waiver,
        reason=reason,
        recorded_by=recorded_by,
    )
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as exc:
        # The lock makes this rare; the unique (penalty, sequence) and receipt constraints make it safe.
        raise DomainError(
            _("Someone else has just recorded an entry for this fine. Reload the page and check before trying again."),
            code="concurrent_entry",
        ) from exc
    # PEN-5: the penalty's ledger-derived balance moves with the entry, in the same transaction,
    # and with it the penalty's share of the outstanding fines' totals.
    before, after = Penalty.objects.filter(pk=penalty.pk).add_entry(entry)
    OutstandingTotal.objects.move(penalty, before=before, after=after)
    # PEN-5: and so do the sums of its month for the balances per team and department, and per person.
    LedgerMonthTotal.objects.add_entry(entry, team_id=penalty.team_id, department_id=penalty.department_id)
    LedgerStaffMonthTotal.objects.add_entry(entry, staff_id=penalty.staff_id)
    audit_record(
        actor=recorded_by,
        instance=entry,
        action=AuditEntry.Action.CREATE,
        after=snapshot(entry, _ENTRY_FIELDS),
        summary=str(entry),
    )
    return entry


# The key of the PostgreSQL advisory lock between booking entries and closing a month.
_BOOKS_LOCK_KEY = 7_301_220_511_001


def _lock_books(*, exclusive: bool) -> None:
    """Booking an entry and closing a month exclude each other until the transaction ends.

    Every booking takes the lock shared (bookings go on side by side) and checks the closed
    date under it; a closing takes it exclusive, so it waits for the bookings in flight and
    counts them, and a booking that comes after waits for it and then sees the new closed
    date. Without it, an entry checked against the old closed date could commit just after the
    closing and land in the closed month. SQLite needs none: it lets one transaction write at
    a time, and a transaction that read before another's write may not write afterwards.
    """
    if connection.vendor != "postgresql":
        return
    function = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s)", [_BOOKS_LOCK_KEY])


def _refuse_closed_period(booked_on: datetime.date, *, field: str | None) -> None:
    closed_through = ledger_closed_through()
    if closed_through is not None and booked_on <= closed_through:
        raise DomainError(
            _(
                "The books are closed through %(date)s: book this entry on a later date (a late receipt "
                "on the day it is recorded)."
            ),
            field=field,
            code="period_closed",
            params={"date": closed_through.isoformat()},
        )


def fine_assess(*, penalty: Penalty, recorded_by) -> LedgerEntry | None:
    """Book the fine of a penalty that has just come into force (called by the penalty services
    inside their transaction, holding the penalty lock). No entry for a penalty without a fine."""
    if penalty.fine_fen <= 0:
        return None
    if penalty.ledger_entries.filter(kind=Kind.ASSESSED).exists():
        raise DomainError(_("This fine has already been assessed."), code="already_assessed")
    return _append(
        penalty=penalty,
        kind=Kind.ASSESSED,
        amount_fen=penalty.fine_fen,
        recorded_by=recorded_by,
        booked_on=timezone.localdate(penalty.in_force_from),
    )


def fine_collect(
    *,
    penalty: Penalty,
    collected_by,
    receipt_number: str,
    collected_on: datetime.date | None = None,
    amount_fen: int | None = None,
) -> LedgerEntry:
    """PEN-5: the finance office records money received against a fine, with its receipt.

    Only the finance office collects (fines are collected centrally); the entry is booked as
    non-operating income (营业外收入). ``amount_fen`` defaults to everything outstanding; a part
    payment is allowed. Exactly once: a second press finds nothing outstanding.
    """
    require_permission(collected_by, "ledger.collect")  # PEN-5: the finance office only
    receipt_number = text_required(
        receipt_number, field="receipt_number", limit=40, message=_("Enter the number of the receipt issued.")
    )
    today = timezone.localdate()
    collected_on = collected_on or today
    if collected_on > today:
        raise DomainError(_("The collection date cannot be in the future."), field="collected_on")
    with transaction.atomic():
        penalty = lock_penalty(penalty.pk)
        outstanding = penalty_balance(penalty=penalty).outstanding_fen
        permissions.can_collect(collected_by, penalty, outstanding_fen=outstanding).check()
        amount_fen = _collectable(penalty, amount_fen=amount_fen, outstanding=outstanding, collected_on=collected_on)
        if LedgerEntry.objects.filter(receipt_number=receipt_number).exists():
            raise DomainError(
                _("Receipt %(number)s is already recorded."), field="receipt_number", params={"number": receipt_number}
            )
        return _append(
            penalty=penalty,
            kind=Kind.COLLECTED,
            amount_fen=amount_fen,
            recorded_by=collected_by,
            booked_on=collected_on,
            receipt_number=receipt_number,
        )


def _collectable(penalty: Penalty, *, amount_fen: int | None, outstanding: int, collected_on: datetime.date) -> int:
    """The amount collected: by default all that is outstanding; never more, never before it was owed."""
    amount_fen = outstanding if amount_fen is None else amount_fen
    if not 0 < amount_fen <= outstanding:
        raise DomainError(
            _("The amount collected must be between 0.01 and %(outstanding)s yuan, the amount outstanding."),
            field="amount",
            params={"outstanding": format_yuan(outstanding)},
        )
    if penalty.in_force_from and collected_on < timezone.localdate(penalty.in_force_from):
        raise DomainError(_("The fine was not yet owed on that date."), field="collected_on")
    return amount_fen


def waiver_request(*, penalty: Penalty, requested_by, reason: str, amount_fen: int | None = None) -> WaiverRequest:
    """PEN-5: ask for (part of) a fine to be formally waived; two approvals will be needed."""
    require_permission(requested_by, "ledger.waive_request")
    reason = text_required(reason, field="reason")
    with transaction.atomic():
        penalty = lock_penalty(penalty.pk)
        permissions.not_own_case(requested_by, penalty).check()
        outstanding = penalty_balance(penalty=penalty).outstanding_fen
        amount_fen = outstanding if amount_fen is None else amount_fen
        if not 0 < amount_fen <= outstanding:
            raise DomainError(
                _("Only an amount outstanding can be waived: at most %(outstanding)s yuan."),
                field="amount",
                params={"outstanding": format_yuan(max(outstanding, 0))},
            )
        pending = penalty.waiver_requests.filter(status=WaiverRequest.Status.PENDING).exists()
        permissions.can_request_waiver(
            requested_by, penalty, outstanding_fen=outstanding, waiver_pending=pending
        ).check()
        waiver = audited_create(
            actor=requested_by,
            model=WaiverRequest,
            summary=_("Waiver requested"),
            penalty=penalty,
            amount_fen=amount_fen,
            reason=reason,
            requested_by=requested_by,
        )
        notification_send_each(  # four eyes: whoever asked is not asked to approve
            recipients=leadership_users_other_than(user_ids=[requested_by.pk], staff_id=penalty.staff_id),
            subject=_("A waiver waits for approval: %(staff)s, %(amount)s yuan")
            % {"staff": penalty.staff.name, "amount": format_yuan(amount_fen)},
            body=reason,
            url=links.portal_url(links.WAIVER_DETAIL, pk=waiver.pk),
        )
    return waiver


def waiver_approve(*, waiver: WaiverRequest, approved_by, note: str = "") -> WaiverRequest:
    """PEN-5: approve a waiver. Two different approvers, neither the requester (four eyes, even
    when one person holds an office and a leadership seat), at least one a member of the
    leadership group; the second approval books the waived entry."""
    require_permission(approved_by, "ledger.waive_approve")
    with transaction.atomic():
        penalty = lock_penalty(waiver.penalty_id)
        waiver = locked(waiver)
        approvals = list(waiver.approvals.all())
        permissions.can_approve_waiver(approved_by, waiver, approvals=approvals, staff_id=penalty.staff_id).check()
        approval = WaiverApproval.objects.create(
            request=waiver,
            approver=approved_by,
            as_leadership=permissions.is_leadership_member(approved_by),
            note=note.strip(),
        )
        audit_record(
            actor=approved_by,
            instance=waiver,
            action=AuditEntry.Action.STATE,
            summary=str(_("Waiver approved by %(user)s")) % {"user": person_name(approved_by)},
        )
        if len(approvals) + 1 >= WaiverRequest.REQUIRED_APPROVALS:
            _book_waiver(penalty, waiver, approved_by=approved_by, at=approval.approved_at)
    return waiver


def _book_waiver(penalty: Penalty, waiver: WaiverRequest, *, approved_by, at) -> None:
    """The second approval: the waiver is approved and the waived amount booked."""
    outstanding = penalty_balance(penalty=penalty).outstanding_fen
    if waiver.amount_fen > outstanding:
        raise DomainError(
            _("Since the request, the amount outstanding fell to %(outstanding)s yuan; reject this waiver."),
            params={"outstanding": format_yuan(max(outstanding, 0))},
        )
    audited_change(
        actor=approved_by,
        instance=waiver,
        action=AuditEntry.Action.STATE,
        status=WaiverRequest.Status.APPROVED,
        closed_at=at,
    )
    _append(
        penalty=penalty,
        kind=Kind.WAIVED,
        amount_fen=waiver.amount_fen,
        recorded_by=approved_by,
        waiver=waiver,
        reason=waiver.reason,
    )


def waiver_reject(*, waiver: WaiverRequest, rejected_by, reason: str) -> WaiverRequest:
    """Turn a waiver request down, with reasons; the fine stays outstanding."""
    require_permission(rejected_by, "ledger.waive_approve")
    reason = text_required(reason, field="reason")
    with transaction.atomic():
        lock_penalty(waiver.penalty_id)
        waiver = locked(waiver)
        permissions.can_reject_waiver(rejected_by, waiver).check()
        close_waiver(waiver, by=rejected_by, reason=reason)
    return waiver


def close_waiver(waiver: WaiverRequest, *, by, reason: str) -> None:
    """Reject a pending waiver (the caller holds the penalty's lock)."""
    audited_change(
        actor=by,
        instance=waiver,
        action=AuditEntry.Action.STATE,
        status=WaiverRequest.Status.REJECTED,
        rejected_by=by,
        rejection_reason=reason,
        closed_at=timezone.now(),
    )


def ledger_entry_reverse(*, entry: LedgerEntry, reversed_by, reason: str) -> LedgerEntry:
    """Correct a wrong collection or waiver with a reversal entry (finance office, with reasons).

    An entry is reversed once; a reversal is not reversed (book the right entry instead). An
    assessed fine is not reversed here: the penalty is revoked, by a new decision with reasons.
    """
    require_permission(reversed_by, "ledger.reverse")
    reason = text_required(reason, field="reason")
    with transaction.atomic():
        penalty = lock_penalty(entry.penalty_id)
        entry = LedgerEntry.objects.get(pk=entry.pk)
        already_reversed = LedgerEntry.objects.filter(reverses=entry).exists()
        permissions.can_reverse_entry(reversed_by, entry, already_reversed=already_reversed).check()
        return reverse_entry(penalty=penalty, entry=entry, reversed_by=reversed_by, reason=reason)


def reverse_entry(*, penalty: Penalty, entry: LedgerEntry, reversed_by, reason: str) -> LedgerEntry:
    """Append the reversal of ``entry`` (the caller holds the penalty lock and checked who may:
    ``can_reverse_entry`` for a correction, ``can_revoke`` for a revocation's assessment)."""
    if entry.kind == Kind.REVERSAL:
        raise DomainError(_("A reversal cannot itself be reversed; book the right entry instead."))
    if LedgerEntry.objects.filter(reverses=entry).exists():
        raise DomainError(_("This entry has already been reversed."), code="already_reversed")
    if entry.kind == Kind.ASSESSED:
        balance = penalty_balance(penalty=penalty)
        if balance.outstanding_fen < entry.amount_fen:
            raise DomainError(_("Reverse the collections and waivers of this fine first."))
    reversal = _append(
        penalty=penalty,
        kind=Kind.REVERSAL,
        amount_fen=entry.amount_fen,
        recorded_by=reversed_by,
        reverses=entry,
        reason=reason,
    )
    if entry.waiver_id is not None:  # the waiver no longer stands: the amount is owed again
        waiver = WaiverRequest.objects.select_for_update().get(pk=entry.waiver_id)
        audited_change(
            actor=reversed_by,
            instance=waiver,
            action=AuditEntry.Action.STATE,
            summary=reason,
            status=WaiverRequest.Status.REVERSED,
        )
    return reversal


def ledger_period_close(*, month: datetime.date, closed_by, note: str = "") -> LedgerPeriodClose:
    """PEN-5: the finance office closes the books through the end of ``month``.

    Only a month that has ended, after the last closed one, and whose reconciliation balances;
    the month's figures are kept with the closing. Months are closed in order: closing one
    closes every earlier month too (no entry can be booked on or before its last day).
    """
    require_permission(closed_by, "ledger.close")
    first, last = month_start(month), month_end(month)
    today = timezone.localdate()
    permissions.can_close_month(closed_by, last, closed_through=None, today=today).check(field="month")
    with transaction.atomic():
        _lock_books(exclusive=True)  # one closing at a time, and no booking while it counts
        closed_through = ledger_closed_through()
        permissions.can_close_month(closed_by, last, closed_through=closed_through, today=today).check(field="month")
        rec = ledger_reconciliation(user=closed_by, start=first, end=last, with_entries=False)
        if not rec.balanced:
            raise DomainError(
                _("The month does not balance; it cannot be closed until the books are put right."),
                code="unbalanced",
            )
        return audited_create(
            actor=closed_by,
            model=LedgerPeriodClose,
            summary=str(_("Books closed through %(date)s")) % {"date": last.isoformat()},
            month=first,
            assessed_fen=rec.period.assessed_fen,
            collected_fen=rec.period.collected_fen,
            waived_fen=rec.period.waived_fen,
            entries_count=LedgerEntry.objects.filter(booked_on__range=(first, last)).count(),
            note=note.strip(),
            closed_by=closed_by,
        )

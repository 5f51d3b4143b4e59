"""The fine ledger's reports (PEN-5): receipts, balances, the reconciliation, waivers."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from penalties import links
from penalties.models import LedgerEntry
from penalties.selectors import BalanceRow, LedgerTotals, Reconciliation
from tollservice.access.permissions import has_permission
from tollservice.core.exports import DATE, MONEY, NUMBER, Column, Report, Row, local_date, user_name

# --- The ledger -------------------------------------------------------------------------------


def _entry_label(entry: LedgerEntry) -> str:
    return f"#{entry.penalty_id}/{entry.sequence}"


class ReceiptReport(Report):
    """PEN-5: collections, booked as non-operating income (营业外收入), with their receipts."""

    title = _("Receipts")
    filename = "fine-receipts"
    columns = (
        Column(_("Receipt number"), width=18),
        Column(_("Collected on"), DATE, width=12),
        Column(_("Amount"), MONEY),
        Column(_("Person"), width=12),
        Column(_("Penalty"), width=10),
        Column(_("Department"), html=False),
        Column(_("Account"), html=False, width=20),
        Column(_("Collected by"), width=14),
        Column(_("Reversed"), width=10),
    )

    def row(self, entry: LedgerEntry) -> Row:
        reversal = getattr(entry, "reversal", None)  # joined by the selector; None if not reversed
        return self.make_row(
            [
                entry.receipt_number,
                entry.booked_on,
                entry.amount_fen,
                entry.penalty.staff.name,
                f"#{entry.penalty_id}",
                entry.penalty.department.name,
                entry.get_account_display(),
                user_name(entry.recorded_by),
                (gettext("Reversed on %(date)s") % {"date": reversal.booked_on.isoformat()}) if reversal else "",
            ],
            {4: links.portal_url(links.PENALTY_DETAIL, pk=entry.penalty_id)},
        )


class BalanceReport(Report):
    """Balances per person, team or department."""

    filename = "fine-balances"
    KEY_LABELS = {"staff": _("Person"), "team": _("Team"), "department": _("Department")}

    def __init__(self, by: str, *, user=None):
        self.by = by
        # A name links to that person's (team's, department's) penalties, for a reader who may
        # open that list; never to a page the reader would be refused (the roster, say).
        self.penalty_list_url = reverse("penalties:penalty_list") if has_permission(user, "penalties.view_all") else ""
        self.title = _("Fine balances")
        self.columns = (
            Column(self.KEY_LABELS[by], width=16),
            Column(_("Assessed"), MONEY),
            Column(_("Collected"), MONEY),
            Column(_("Waived"), MONEY),
            Column(_("Outstanding"), MONEY),
        )

    def row(self, balance: BalanceRow) -> Row:
        key = balance.key
        if key is None:
            name = gettext("No team")
        elif self.by == "staff":
            name = f"{key.name} ({key.employee_number})"
        else:
            name = key.name
        totals = balance.totals
        return self.make_row(
            [name, totals.assessed_fen, totals.collected_fen, totals.waived_fen, totals.outstanding_fen],
            {0: f"{self.penalty_list_url}?{self.by}={key.pk}"} if key is not None and self.penalty_list_url else {},
        )

    def totals(self, balances: Iterable[BalanceRow]) -> Row:
        total = sum((balance.totals for balance in balances), LedgerTotals())
        return self.totals_row(
            _("Total"),
            {1: total.assessed_fen, 2: total.collected_fen, 3: total.waived_fen, 4: total.outstanding_fen},
        )


class ReconciliationReport(Report):
    """PEN-5 ("no 小金库") for a period: every entry, its effect on each account, the totals.

    An entry's amount goes in the column of what it books — assessed, collected (non-operating
    income, 营业外收入) or waived — and a reversal goes, negative, in the column of the entry it
    reverses; so each column's total is the period's net figure.
    """

    title = _("Reconciliation of fines")
    filename = "fines-reconciliation"
    columns = (
        Column(_("Booked on"), DATE, width=12),
        Column(_("Entry"), width=10),
        Column(_("Person"), width=12),
        Column(_("Team"), html=False),
        Column(_("Department"), html=False),
        Column(_("Kind"), width=12),
        Column(_("Account"), width=22),
        Column(_("Receipt number"), width=16),
        Column(_("Assessed"), MONEY),
        Column(_("Collected (non-operating income)"), MONEY, width=18),
        Column(_("Waived"), MONEY),
        Column(_("Recorded by"), html=False),
        Column(_("Reason"), html=False, width=30),
    )
    AMOUNT_COLUMN = {LedgerEntry.Kind.ASSESSED: 8, LedgerEntry.Kind.COLLECTED: 9, LedgerEntry.Kind.WAIVED: 10}

    def __init__(self, reconciliation: Reconciliation):
        self.reconciliation = reconciliation
        self.filename = f"fines-reconciliation-{reconciliation.start.isoformat()}-{reconciliation.end.isoformat()}"

    def row(self, entry: LedgerEntry) -> Row:
        amounts: list = [None, None, None]
        booked_kind = entry.reversed_kind if entry.kind == LedgerEntry.Kind.REVERSAL else entry.kind
        sign = -1 if entry.kind == LedgerEntry.Kind.REVERSAL else 1
        amounts[self.AMOUNT_COLUMN[booked_kind] - 8] = sign * entry.amount_fen
        kind = entry.get_kind_display()
        if entry.kind == LedgerEntry.Kind.REVERSAL and entry.reverses_id:
            kind = gettext("Reversal of %(entry)s") % {"entry": _entry_label(entry.reverses)}
        penalty = entry.penalty
        return self.make_row(
            [
                entry.booked_on,
                _entry_label(entry),
                penalty.staff.name,
                penalty.team.name if penalty.team_id else "",
                penalty.department.name,
                kind,
                entry.get_account_display(),
                entry.receipt_number or "",
                *amounts,
                user_name(entry.recorded_by),
                entry.reason,
            ],
            {1: links.portal_url(links.PENALTY_DETAIL, pk=entry.penalty_id)},
        )

    def entry_rows(self) -> Iterator[Row]:
        return self.rows(self.reconciliation.entries)

    def totals(self) -> Row:
        period = self.reconciliation.period
        return self.totals_row(
            _("Total for the period"), {8: period.assessed_fen, 9: period.collected_fen, 10: period.waived_fen}
        )

    def summary(self) -> list[tuple[str, int]]:
        """assessed = collected + waived + outstanding, for the period, line by line."""
        rec = self.reconciliation
        return [
            (gettext("Outstanding at the start of the period"), rec.opening.outstanding_fen),
            (gettext("+ Assessed in the period"), rec.period.assessed_fen),
            (gettext("= To be accounted for"), rec.due_fen),
            (gettext("Collected in the period (non-operating income, 营业外收入)"), rec.period.collected_fen),
            (gettext("+ Formally waived in the period"), rec.period.waived_fen),
            (gettext("+ Outstanding at the end of the period"), rec.closing.outstanding_fen),
            (gettext("= Accounted for"), rec.accounted_fen),
        ]


class WaiverReport(Report):
    """PEN-5: requests to waive a fine formally; two approvers, one of the leadership group."""

    title = _("Waivers")
    filename = "fine-waivers"
    columns = (
        Column(_("Requested on"), DATE, width=12),
        Column(_("Person"), width=12),
        Column(_("Penalty"), width=10),
        Column(_("Amount"), MONEY),
        Column(_("Reason"), html=False, width=30),
        Column(_("Requested by"), html=False),
        Column(_("Approvals"), NUMBER, width=10),
        Column(_("Status"), width=14),
    )

    def row(self, waiver) -> Row:
        url = links.portal_url(links.WAIVER_DETAIL, pk=waiver.pk)
        return self.make_row(
            [
                local_date(waiver.created_at),
                waiver.penalty.staff.name,
                f"#{waiver.penalty_id}",
                waiver.amount_fen,
                waiver.reason,
                user_name(waiver.requested_by),
                len(waiver.approvals.all()),
                waiver.get_status_display(),
            ],
            {0: url, 1: url, 2: links.portal_url(links.PENALTY_DETAIL, pk=waiver.penalty_id)},
        )

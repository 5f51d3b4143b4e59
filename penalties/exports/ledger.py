"""The fine ledger's reports (PEN-5): receipts, balances, the reconciliation, waivers."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from penalties import links
from penalties.models import LedgerEntry
from penalties.selectors import BalanceRow, LedgerTotals, Reconciliation, ledger_balances_of
from tollservice.access.permissions import has_permission
from tollservice.core.exports import (
    DATE,
    MONEY,
    NUMBER,
    Column,
    Report,
    Row,
    choice_labels,
    in_batches,
    local_date,
    user_name,
)
from tollservice.roster.names import PROFILE_RELATIONS

# --- The ledger -------------------------------------------------------------------------------


def _penalty_links(column: int, penalty_id: int):
    return lambda: {column: links.portal_url(links.PENALTY_DETAIL, pk=penalty_id)}


class _UserNames:
    """The names of the users who recorded entries (a handful: the finance office), read once
    for each user the rows name, by batch (``person_name``)."""

    def __init__(self):
        self.names: dict[int, str] = {}

    def load(self, user_ids: Iterable[int]) -> None:
        missing = {pk for pk in user_ids if pk is not None and pk not in self.names}
        if missing:
            users = get_user_model().objects.filter(pk__in=missing).select_related(*PROFILE_RELATIONS)
            self.names.update((user.pk, user_name(user)) for user in users)

    def __getitem__(self, pk: int | None) -> str:
        return self.names.get(pk, "") if pk is not None else ""


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
    FIELDS = (
        "receipt_number",
        "booked_on",
        "amount_fen",
        "penalty__staff__name",
        "penalty_id",
        "penalty__department__name",
        "account",
        "recorded_by_id",
        "reversal__booked_on",
    )

    def __init__(self):
        self.accounts = choice_labels(LedgerEntry.Account.choices)
        self.users = _UserNames()
        self.reversed_on = gettext("Reversed on %(date)s")

    def source(self, queryset):
        return queryset.values_list(*self.FIELDS)

    def rows(self, objects) -> Iterator[Row]:
        for batch in in_batches(objects):
            self.users.load(values[7] for values in batch)
            yield from map(self.row, batch)

    def row(self, values) -> Row:
        receipt, booked_on, amount, name, penalty_id, department, account, recorded_by, reversed_on = values
        return self.make_row(
            [
                receipt,
                booked_on,
                amount,
                name,
                f"#{penalty_id}",
                department,
                self.accounts[account],
                self.users[recorded_by],
                (self.reversed_on % {"date": reversed_on.isoformat()}) if reversed_on else "",
            ],
            _penalty_links(4, penalty_id),
        )


class BalanceReport(Report):
    """Balances per person, team or department, for the entries booked in [start, end].

    The report is given the keys (``selectors.ledger_balance_keys``, ``None`` for the penalties
    of staff outside any team) and reads their balances a batch at a time.
    """

    filename = "fine-balances"
    KEY_LABELS = {"staff": _("Person"), "team": _("Team"), "department": _("Department")}
    # The penalty list's parameter for each key: a person is chosen by typing, so by ``staff_pk``.
    LIST_PARAMS = {"staff": "staff_pk", "team": "team", "department": "department"}

    def __init__(self, by: str, *, user=None, start=None, end=None):
        self.by, self.user, self.start, self.end = by, user, start, end
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

    def rows(self, objects) -> Iterator[Row]:
        """The rows of keys (or of ``BalanceRow`` objects already read)."""
        for batch in in_batches(objects):
            if batch and not isinstance(batch[0], BalanceRow):
                batch = ledger_balances_of(user=self.user, by=self.by, keys=batch, start=self.start, end=self.end)
            yield from map(self.row, batch)

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
            {0: f"{self.penalty_list_url}?{self.LIST_PARAMS[self.by]}={key.pk}"}
            if key is not None and self.penalty_list_url
            else {},
        )

    def totals(self, balances: Iterable[BalanceRow] | LedgerTotals) -> Row:
        """The totals row: of the given balances, or the totals already summed by the database."""
        if isinstance(balances, LedgerTotals):
            total = balances
        else:
            total = sum((balance.totals for balance in balances), LedgerTotals())
        return self.totals_row(
            _("Total"),
            {1: total.assessed_fen, 2: total.collected_fen, 3: total.waived_fen, 4: total.outstanding_fen},
        )


class ReconciliationReport(Report):
    """PEN-5 ("no 小金库") for a period: every entry, its effect on each account, the totals.

    An entry's amount goes in the column of what it books — assessed, collected (non-operating
    income, 营业外收入) or waived — and a reversal goes, negative, in the column of the entry it
    reverses; so each column's total is the period's net figure. Rows come from
    ``values_list()`` (``source``), for the page and the download alike.
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
    FIELDS = (
        "booked_on",
        "penalty_id",
        "sequence",
        "penalty__staff__name",
        "penalty__team__name",
        "penalty__department__name",
        "kind",
        "reversed_kind",
        "reverses__penalty_id",
        "reverses__sequence",
        "account",
        "receipt_number",
        "amount_fen",
        "recorded_by_id",
        "reason",
    )

    def __init__(self, reconciliation: Reconciliation):
        self.reconciliation = reconciliation
        self.filename = f"fines-reconciliation-{reconciliation.start.isoformat()}-{reconciliation.end.isoformat()}"
        self.kinds = choice_labels(LedgerEntry.Kind.choices)
        self.accounts = choice_labels(LedgerEntry.Account.choices)
        self.reversal_of = gettext("Reversal of %(entry)s")
        self.users = _UserNames()

    def source(self, queryset):
        return queryset.values_list(*self.FIELDS)

    def rows(self, objects) -> Iterator[Row]:
        """The rows of entries: ``values_list`` tuples (``source``) or ``LedgerEntry`` objects."""
        for batch in in_batches(objects):
            if batch and isinstance(batch[0], LedgerEntry):
                batch = [tuple(_entry_values(entry)) for entry in batch]
            self.users.load(values[13] for values in batch)
            yield from map(self.row, batch)

    def row(self, values) -> Row:
        (
            booked_on,
            penalty_id,
            sequence,
            name,
            team,
            department,
            kind,
            reversed_kind,
            reverses_penalty_id,
            reverses_sequence,
            account,
            receipt,
            amount,
            recorded_by,
            reason,
        ) = values
        amounts: list = [None, None, None]
        if kind == LedgerEntry.Kind.REVERSAL:
            amounts[self.AMOUNT_COLUMN[reversed_kind] - 8] = -amount
            label = self.reversal_of % {"entry": f"#{reverses_penalty_id}/{reverses_sequence}"}
        else:
            amounts[self.AMOUNT_COLUMN[kind] - 8] = amount
            label = self.kinds[kind]
        return self.make_row(
            [
                booked_on,
                f"#{penalty_id}/{sequence}",
                name,
                team or "",
                department,
                label,
                self.accounts[account],
                receipt or "",
                *amounts,
                self.users[recorded_by],
                reason,
            ],
            _penalty_links(1, penalty_id),
        )

    def entry_rows(self) -> Iterator[Row]:
        """The rows of the entries loaded with the reconciliation (``with_entries``)."""
        return self.rows(self.reconciliation.entries or [])

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


def _entry_values(entry: LedgerEntry) -> Iterator:
    """A loaded entry as the tuple ``ReconciliationReport.source`` reads."""
    penalty, reverses = entry.penalty, entry.reverses
    yield from (entry.booked_on, entry.penalty_id, entry.sequence, penalty.staff.name)
    yield from (penalty.team.name if penalty.team_id else None, penalty.department.name)
    yield from (entry.kind, entry.reversed_kind, getattr(reverses, "penalty_id", None))
    yield from (getattr(reverses, "sequence", None), entry.account, entry.receipt_number, entry.amount_fen)
    yield from (entry.recorded_by_id, entry.reason)


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

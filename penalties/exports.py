"""The penalties reports: one exporter per report, yielding rows.

The same rows feed the page's table and the Excel file (openpyxl ``write_only``), so what the
finance office prints and what it downloads cannot differ. Money travels in the rows as whole
fen (int) and becomes yuan only at the edge: ``|yuan`` on the page, a ``Decimal`` with the
``0.00`` number format in Excel — never a float.
"""

from __future__ import annotations

import datetime
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.http import FileResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from penalties import links
from penalties.models import EligibilityRevocation, LedgerEntry, Penalty, TalkRecord
from penalties.selectors import BalanceRow, LedgerTotals, Reconciliation
from tollservice.core.money import fen_to_yuan, format_yuan

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "0.00"
DATE_FORMAT = "yyyy-mm-dd"

TEXT, MONEY, DATE, NUMBER = "text", "money", "date", "number"


@dataclass(frozen=True)
class Column:
    label: Promise
    kind: str = TEXT
    # Every column goes to Excel; the page leaves out the ones a phone has no room for.
    html: bool = True
    width: int = 14


@dataclass(frozen=True)
class Cell:
    value: Any
    kind: str
    link: str = ""

    @property
    def display(self) -> str:
        if self.value is None or self.value == "":
            return "—"
        if self.kind == MONEY:
            return format_yuan(self.value)
        if self.kind == DATE:
            return self.value.isoformat()
        return str(self.value)

    @property
    def css(self) -> str:
        return "money" if self.kind in (MONEY, NUMBER) else ""


@dataclass(frozen=True)
class Row:
    """One row of a report: a value per column (money in fen) and, for the page, links."""

    columns: tuple[Column, ...]
    values: list
    links: dict[int, str] = field(default_factory=dict)

    @property
    def cells(self) -> list[Cell]:
        """The page's cells: the columns shown on the page, with their links."""
        return [
            Cell(value, column.kind, self.links.get(index, ""))
            for index, (column, value) in enumerate(zip(self.columns, self.values, strict=True))
            if column.html
        ]


class Report:
    """A report's columns and how one object becomes one row."""

    title: Promise = _("Report")
    filename: str = "report"
    columns: tuple[Column, ...] = ()

    @property
    def html_columns(self) -> list[Column]:
        return [column for column in self.columns if column.html]

    def row(self, obj) -> Row:  # pragma: no cover - every report defines it
        raise NotImplementedError

    def rows(self, objects: Iterable) -> Iterator[Row]:
        for obj in objects:
            yield self.row(obj)

    def make_row(self, values: list, links: dict[int, str] | None = None) -> Row:
        return Row(self.columns, values, links or {})

    def totals_row(self, label, totals: dict[int, int]) -> Row:
        """A row with ``label`` in the first column and the given money totals by column index."""
        values = [None] * len(self.columns)
        values[0] = str(label)
        for index, total in totals.items():
            values[index] = total
        return self.make_row(values)


def _yes_no(value: bool) -> str:
    return gettext("Yes") if value else gettext("No")


def _local_date(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment else None


# --- Penalties --------------------------------------------------------------------------------


class PenaltyReport(Report):
    """The penalty list (and "my penalties"): one row per penalty, with its balance."""

    title = _("Penalties")
    filename = "penalties"
    columns = (
        Column(_("No."), NUMBER, width=8),
        Column(_("Person"), width=12),
        Column(_("Employee number"), html=False),
        Column(_("Team")),
        Column(_("Department")),
        Column(_("Rule"), width=28),
        Column(_("Status"), width=18),
        Column(_("Date of the incident"), DATE, width=12),
        Column(_("Year"), NUMBER, html=False, width=8),
        Column(_("Fine"), MONEY),
        Column(_("Collected"), MONEY, html=False),
        Column(_("Waived"), MONEY, html=False),
        Column(_("Outstanding"), MONEY),
        Column(_("Escalated (PEN-2)"), html=False),
        Column(_("Other sanctions"), html=False, width=20),
    )

    def row(self, penalty: Penalty) -> Row:
        url = links.portal_url(links.PENALTY_DETAIL, pk=penalty.pk)
        return self.make_row(
            [
                penalty.pk,
                penalty.staff.name,
                penalty.staff.employee_number,
                penalty.team.name if penalty.team_id else "",
                penalty.department.name,
                penalty.get_rule_display(),
                penalty.get_status_display(),
                penalty.incident_date,
                penalty.eligibility_year,
                penalty.fine_fen,
                getattr(penalty, "collected_fen", None),
                getattr(penalty, "waived_fen", None),
                getattr(penalty, "outstanding_fen", None),
                _yes_no(penalty.escalated),
                "、".join(penalty.sanctions),
            ],
            {0: url, 1: url},
        )


class OutstandingReport(Report):
    """PEN-5: fines in force not yet collected or waived."""

    title = _("Outstanding fines")
    filename = "outstanding-fines"
    columns = (
        Column(_("No."), NUMBER, width=8),
        Column(_("Person"), width=12),
        Column(_("Employee number"), html=False),
        Column(_("Team")),
        Column(_("Department")),
        Column(_("Rule"), html=False, width=28),
        Column(_("In force since"), DATE, width=12),
        Column(_("Assessed"), MONEY),
        Column(_("Collected"), MONEY),
        Column(_("Waived"), MONEY, html=False),
        Column(_("Outstanding"), MONEY),
    )

    def row(self, penalty: Penalty) -> Row:
        url = links.portal_url(links.PENALTY_DETAIL, pk=penalty.pk)
        return self.make_row(
            [
                penalty.pk,
                penalty.staff.name,
                penalty.staff.employee_number,
                penalty.team.name if penalty.team_id else "",
                penalty.department.name,
                penalty.get_rule_display(),
                _local_date(penalty.in_force_from),
                penalty.assessed_fen,
                penalty.collected_fen,
                penalty.waived_fen,
                penalty.outstanding_fen,
            ],
            {0: url, 1: url},
        )


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
                _user_name(entry.recorded_by),
                (gettext("Reversed on %(date)s") % {"date": reversal.booked_on.isoformat()}) if reversal else "",
            ],
            {4: links.portal_url(links.PENALTY_DETAIL, pk=entry.penalty_id)},
        )


def _user_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


class BalanceReport(Report):
    """Balances per person, team or department."""

    filename = "fine-balances"
    KEY_LABELS = {"staff": _("Person"), "team": _("Team"), "department": _("Department")}

    def __init__(self, by: str):
        self.by = by
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
            {0: key.get_absolute_url()} if key is not None else {},
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
                _user_name(entry.recorded_by),
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


# --- Records ----------------------------------------------------------------------------------


class TalkReport(Report):
    """INS-4: appointment and admonishment talks."""

    title = _("Talks")
    filename = "talks"
    columns = (
        Column(_("Held on"), DATE, width=12),
        Column(_("Kind"), width=14),
        Column(_("With"), width=14),
        Column(_("Conducted by"), width=12),
        Column(_("Why the talk was held"), html=False, width=30),
        Column(_("Follow-up required"), html=False, width=30),
        Column(_("Follow-up due"), DATE, width=12),
        Column(_("Follow-up done"), DATE, width=12),
    )

    def row(self, talk: TalkRecord) -> Row:
        subject = talk.staff.name if talk.staff_id else talk.team.name
        url = links.portal_url(links.TALK_DETAIL, pk=talk.pk)
        return self.make_row(
            [
                _local_date(talk.held_at),
                talk.get_kind_display(),
                subject,
                talk.conducted_by.name,
                talk.reason,
                talk.follow_up,
                talk.follow_up_due,
                _local_date(talk.follow_up_done_at),
            ],
            {0: url, 2: url},
        )


class RevocationReport(Report):
    """INS-5: losses of award eligibility."""

    title = _("Losses of award eligibility")
    filename = "award-eligibility-losses"
    columns = (
        Column(_("Year"), NUMBER, width=8),
        Column(_("Person or team"), width=14),
        Column(_("Reason"), width=36),
        Column(_("Decided on"), DATE, width=12),
        Column(_("Decided by"), html=False),
        Column(_("Withdrawn on"), DATE, width=12),
        Column(_("Reason for withdrawal"), html=False, width=30),
    )

    def row(self, revocation: EligibilityRevocation) -> Row:
        subject = revocation.staff.name if revocation.staff_id else revocation.team.name
        url = links.portal_url(links.REVOCATION_DETAIL, pk=revocation.pk)
        return self.make_row(
            [
                revocation.year,
                subject,
                revocation.reason,
                _local_date(revocation.decided_at),
                _user_name(revocation.decided_by),
                _local_date(revocation.withdrawn_at),
                revocation.withdrawal_reason,
            ],
            {0: url, 1: url},
        )


# --- Excel ------------------------------------------------------------------------------------

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_BOLD = Font(bold=True)


def _cell(sheet, value, kind: str, *, bold: bool = False) -> WriteOnlyCell | None:
    if value is None:
        return None
    if kind == MONEY:
        cell = WriteOnlyCell(sheet, value=fen_to_yuan(value))  # Decimal: exact, never a float
        cell.number_format = MONEY_FORMAT
    elif kind == DATE:
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
    else:
        cell = WriteOnlyCell(sheet, value=value)
    if bold:
        cell.font = _BOLD
    return cell


def write_xlsx(
    report: Report,
    rows: Iterable[Row],
    *,
    heading: Iterable[str] = (),
    summary: Iterable[tuple[str, int]] = (),
    totals: Row | None = None,
) -> IO[bytes]:
    """A temporary file holding the report's workbook, written row by row (``write_only``).

    Lines of ``heading`` first, then ``summary`` lines (label, money), then the header row, the
    rows and the ``totals`` row.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(report.title)[:31])
    for index, column in enumerate(report.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    heading, summary = list(heading), list(summary)
    for line in heading:
        sheet.append([_cell(sheet, line, TEXT, bold=True)])
    for label, amount in summary:
        sheet.append([label, _cell(sheet, amount, MONEY)])
    if heading or summary:
        sheet.append([])
    header = []
    for column in report.columns:
        cell = WriteOnlyCell(sheet, value=str(column.label))
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([_cell(sheet, value, column.kind) for column, value in zip(row.columns, row.values, strict=True)])
    if totals is not None:
        sheet.append(
            [_cell(sheet, value, column.kind, bold=True) for column, value in zip(totals.columns, totals.values, strict=True)]
        )
    output = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
    workbook.save(output)
    output.seek(0)
    return output


def xlsx_response(report: Report, rows: Iterable[Row], **kwargs) -> FileResponse:
    """The report as a downloaded Excel file, streamed from a temporary file."""
    output = write_xlsx(report, rows, **kwargs)
    filename = f"{report.filename}-{timezone.localdate().isoformat()}.xlsx"
    return FileResponse(output, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)


# --- Queues -------------------------------------------------------------------------------------


class ApprovalQueueReport(Report):
    """PEN-2 / PEN-3: penalties waiting for the leadership group, oldest first."""

    title = _("Approval queue")
    filename = "approval-queue"
    columns = (
        Column(_("No."), NUMBER, width=8),
        Column(_("Person"), width=12),
        Column(_("Team"), html=False),
        Column(_("Department"), html=False),
        Column(_("Rule"), width=28),
        Column(_("Date of the incident"), DATE, width=12),
        Column(_("Waits for"), width=30),
        Column(_("Fine proposed"), MONEY),
        Column(_("Decided by the office on"), DATE, width=12),
    )

    def row(self, penalty: Penalty) -> Row:
        url = links.portal_url(links.PENALTY_DETAIL, pk=penalty.pk)
        approve = _approve_url(penalty)
        return self.make_row(
            [
                penalty.pk,
                penalty.staff.name,
                penalty.team.name if penalty.team_id else "",
                penalty.department.name,
                penalty.get_rule_display(),
                penalty.incident_date,
                waits_for(penalty),
                penalty.fine_fen,
                _local_date(penalty.decided_at),
            ],
            {0: url, 1: approve},
        )


def _approve_url(penalty: Penalty) -> str:
    return reverse("penalties:penalty_approve", args=[penalty.pk])


def waits_for(penalty: Penalty) -> str:
    """Why a penalty waits for the leadership group, in words (PEN-2, PEN-3)."""
    reasons = []
    if penalty.escalated:
        reasons.append(gettext("repeat violation in the year (PEN-2)"))
    if penalty.suspension:
        reasons.append(gettext("suspension (PEN-3)"))
    if penalty.dismissal:
        reasons.append(gettext("dismissal (PEN-3)"))
    return "；".join(reasons)


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
                _local_date(waiver.created_at),
                waiver.penalty.staff.name,
                f"#{waiver.penalty_id}",
                waiver.amount_fen,
                waiver.reason,
                _user_name(waiver.requested_by),
                len(waiver.approvals.all()),
                waiver.get_status_display(),
            ],
            {0: url, 1: url, 2: links.portal_url(links.PENALTY_DETAIL, pk=waiver.penalty_id)},
        )


class CircularReport(Report):
    """Circulars (通报): criticisms drafted by the rules, published by the office."""

    title = _("Circulars")
    filename = "circulars"
    columns = (
        Column(_("Title"), width=40),
        Column(_("Kind"), width=16),
        Column(_("Status"), width=10),
        Column(_("Persons concerned"), width=20),
        Column(_("Published on"), DATE, width=12),
    )

    def row(self, circular) -> Row:
        url = links.portal_url(links.CIRCULAR_DETAIL, pk=circular.pk)
        names = "、".join(dict.fromkeys(p.staff.name for p in circular.penalties.all()))
        return self.make_row(
            [
                circular.title,
                circular.get_kind_display(),
                circular.get_status_display(),
                names,
                _local_date(circular.published_at),
            ],
            {0: url},
        )

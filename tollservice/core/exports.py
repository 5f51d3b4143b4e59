"""Reports: one exporter per report, whose rows feed the page's table, the Excel file and the CSV file.

What a page shows and what is downloaded cannot differ, because both are built from the same
``Row`` objects. A module adds a report in three steps:

1. **The report.** Subclass ``Report``: a ``title``, a ``filename`` (the download is named
   ``<filename>-<today>.xlsx``), the ``columns`` and ``row(obj)``, which turns one object into one
   ``Row`` with ``self.make_row(values, links)``::

       class FineReport(Report):
           title = _("Fines")
           filename = "fines"
           columns = (
               Column(_("Decided on"), DATE, width=12),
               Column(_("Person"), width=12),
               Column(_("Fine"), MONEY),
               Column(_("Reasons"), html=False, width=30),  # in the files only: a phone has no room
           )

           def row(self, penalty) -> Row:
               url = reverse("penalties:penalty_detail", args=[penalty.pk])
               values = [local_date(penalty.decided_at), penalty.staff.name, penalty.fine_fen, penalty.reasons]
               return self.make_row(values, {1: url})

   A value is what the spreadsheet should hold: text, a number, a ``datetime.date``, ``None``
   for an empty cell; **money in whole fen (int)**, which becomes yuan only at the edge — ``1,234.50``
   on the page, a ``Decimal`` with the ``0.00`` format in Excel, ``"1234.50"`` in CSV, never
   a float. ``links`` maps a column's index to the URL its page cell links to. ``yes_no``,
   ``local_date`` and ``user_name`` below turn common values into cells.

2. **The list page.** ``tollservice.core.list_views.ReportListView`` with ``report_class`` set
   filters, paginates and renders ``rows`` (``templates/includes/report_table.html``); the same
   URL with ``?export=xlsx`` or ``?export=csv`` downloads every filtered row, not only the page.

3. **Anything else** (a page with a heading and a summary, such as the reconciliation) calls
   ``export_response(kind, report, report.rows(objects), heading=…, summary=…, totals=…)``.

Rows from ``values()`` / ``values_list()``: ``row`` receives whatever ``Report.source`` makes of
the filtered queryset — the model instances by default. A report over many rows may override
``source`` to return ``queryset.values_list(…)`` and build each row from the tuple; the list
view and the exports use ``source`` for the page and the files alike.

Excel files are written row by row (openpyxl ``write_only``) into a temporary file; CSV is
streamed line by line with a byte-order mark (so that Excel on a Chinese Windows reads UTF-8).
A text that a spreadsheet would take for a formula is made harmless (``core.spreadsheets``).
"""

from __future__ import annotations

import csv
import datetime
import itertools
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from tollservice.core.money import fen_to_yuan, format_yuan
from tollservice.core.spreadsheets import excel_cell, neutralise_formula
from tollservice.roster.names import person_name

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
EXPORT_FORMATS = ("xlsx", "csv")
# How many objects an export reads from the database at a time (``QuerySet.iterator``).
EXPORT_CHUNK_SIZE = 500

# Column kinds: how a value is shown on the page and stored in the files.
TEXT, MONEY, DATE, NUMBER = "text", "money", "date", "number"

# The look of every workbook the portal writes: the header row white on dark blue.
MONEY_FORMAT = "0.00"
DATE_FORMAT = "yyyy-mm-dd"
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
BOLD = Font(bold=True)


@dataclass(frozen=True)
class Column:
    label: Promise | str
    kind: str = TEXT
    # Every column goes to the files; the page leaves out the ones a phone has no room for.
    html: bool = True
    width: int = 14  # in Excel's character widths


@dataclass(frozen=True)
class Cell:
    """One value as the page shows it."""

    value: Any
    kind: str
    link: str = ""

    @property
    def display(self) -> str:
        if self.value is None or self.value == "":
            return "—"
        if self.kind == MONEY and isinstance(self.value, int):
            return format_yuan(self.value)
        if self.kind == DATE and isinstance(self.value, datetime.date):
            return self.value.isoformat()
        return str(self.value)

    @property
    def css(self) -> str:
        return "money" if self.kind in (MONEY, NUMBER) else ""


@dataclass(frozen=True)
class Row:
    """One row of a report: a value per column (money in fen) and, for the page, links."""

    columns: tuple[Column, ...]
    values: Sequence
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
    """A report's columns and how one object becomes one row (see the module's docstring)."""

    title: Promise | str = _("Report")
    filename: str = "report"
    columns: tuple[Column, ...] = ()

    @property
    def html_columns(self) -> list[Column]:
        return [column for column in self.columns if column.html]

    def source(self, queryset):
        """What ``row`` is given, read from the filtered queryset: its model instances by default.

        Override it to return ``queryset.values_list(…)`` (or ``values()``) when the rows need
        only a few fields: ``row`` then receives the tuples (or dicts).
        """
        return queryset

    def row(self, obj) -> Row:  # pragma: no cover - every report defines it
        raise NotImplementedError

    def rows(self, objects: Iterable) -> Iterator[Row]:
        for obj in objects:
            yield self.row(obj)

    def make_row(self, values: Sequence, links: dict[int, str] | None = None) -> Row:
        return Row(self.columns, values, links or {})

    def totals_row(self, label, totals: dict[int, int]) -> Row:
        """A row with ``label`` in the first column and the given money totals by column index."""
        values: list = [None] * len(self.columns)
        values[0] = str(label)
        for index, total in totals.items():
            values[index] = total
        return self.make_row(values)


# --- Values for cells -------------------------------------------------------------------------


def yes_no(value: bool) -> str:
    """ "Yes" or "No" in the reader's language (是 / 否)."""
    return gettext("Yes") if value else gettext("No")


def local_date(moment: datetime.datetime | None) -> datetime.date | None:
    """The station's calendar day of a moment (a date column shows days, not UTC instants)."""
    return timezone.localdate(moment) if moment else None


def user_name(user) -> str:
    """A user as an export names them: by their name on the roster (``person_name``); "" for nobody."""
    return person_name(user)


# --- Excel ------------------------------------------------------------------------------------


def header_cells(sheet, labels: Iterable) -> list:
    """The header row of ``sheet``, styled as in every workbook of the portal, for ``sheet.append``
    (write-only and ordinary worksheets alike)."""
    cells = []
    for label in labels:
        cell = excel_cell(sheet, label)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cells.append(cell)
    return cells


def size_columns(sheet, columns: Iterable[Column]) -> None:
    """Set each column's width (before the first row is written, in a write-only sheet)."""
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width


def _xlsx_cell(sheet, value, kind: str, *, bold: bool = False) -> WriteOnlyCell | None:
    if value is None:
        return None
    if kind == MONEY and isinstance(value, int):
        cell = WriteOnlyCell(sheet, value=fen_to_yuan(value))  # Decimal: exact, never a float
        cell.number_format = MONEY_FORMAT
    elif kind == DATE and isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
    else:
        cell = excel_cell(sheet, value)
    if bold:
        cell.font = BOLD
    return cell


def write_xlsx(
    report: Report,
    rows: Iterable[Row],
    *,
    heading: Iterable[str] = (),
    summary: Iterable[tuple[str, int]] = (),
    totals: Row | None = None,
    extra_sheets: Iterable[tuple[Report, Iterable[Row]]] = (),
) -> IO[bytes]:
    """A temporary file holding the report's workbook, written row by row (``write_only``).

    Lines of ``heading`` first, then ``summary`` lines (label, money), then the header row, the
    rows and the ``totals`` row. When the header is the first row it stays in view on scrolling.
    Each of ``extra_sheets`` (another report and its rows) follows on a sheet of its own.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(report.title)[:31])  # Excel's limit for a sheet's name
    size_columns(sheet, report.columns)
    heading, summary = list(heading), list(summary)
    if not (heading or summary):
        sheet.freeze_panes = "A2"
    for line in heading:
        sheet.append([_xlsx_cell(sheet, line, TEXT, bold=True)])
    for label, amount in summary:
        sheet.append([_xlsx_cell(sheet, label, TEXT), _xlsx_cell(sheet, amount, MONEY)])
    if heading or summary:
        sheet.append([])
    sheet.append(header_cells(sheet, (column.label for column in report.columns)))
    for row in itertools.chain(rows, [totals] if totals is not None else []):
        bold = row is totals
        sheet.append(
            [
                _xlsx_cell(sheet, value, column.kind, bold=bold)
                for column, value in zip(row.columns, row.values, strict=True)
            ]
        )
    for extra_report, extra_rows in extra_sheets:
        extra = workbook.create_sheet(str(extra_report.title)[:31])
        size_columns(extra, extra_report.columns)
        extra.freeze_panes = "A2"
        extra.append(header_cells(extra, (column.label for column in extra_report.columns)))
        for row in extra_rows:
            extra.append(
                [_xlsx_cell(extra, value, column.kind) for column, value in zip(row.columns, row.values, strict=True)]
            )
    output = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
    workbook.save(output)
    output.seek(0)
    return output


def _filename(report: Report, extension: str) -> str:
    return f"{report.filename}-{timezone.localdate().isoformat()}.{extension}"


def xlsx_response(report: Report, rows: Iterable[Row], **kwargs) -> FileResponse:
    """The report as a downloaded Excel file, streamed from a temporary file."""
    output = write_xlsx(report, rows, **kwargs)
    return FileResponse(output, as_attachment=True, filename=_filename(report, "xlsx"), content_type=XLSX_CONTENT_TYPE)


# --- CSV --------------------------------------------------------------------------------------


class _Echo:
    """A file-like object whose ``write`` hands the line back, so ``csv.writer`` can stream."""

    def write(self, value: str) -> str:
        return value


def _csv_value(value, kind: str) -> str:
    if value is None:
        return ""
    if kind == MONEY and isinstance(value, int):
        return str(fen_to_yuan(value))  # "1234.50": exact, no thousands separator
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(neutralise_formula(value))


def csv_lines(
    report: Report,
    rows: Iterable[Row],
    *,
    heading: Iterable[str] = (),
    summary: Iterable[tuple[str, int]] = (),
    totals: Row | None = None,
) -> Iterator[str]:
    """The report as CSV lines, in the layout of ``write_xlsx``, one row at a time.

    The first line starts with a byte-order mark: Excel, which reads CSV in the system's code
    page (GBK on a Chinese Windows), then reads the Chinese names as UTF-8.
    """
    writer = csv.writer(_Echo())
    yield "\ufeff"
    heading, summary = list(heading), list(summary)
    for line in heading:
        yield writer.writerow([_csv_value(line, TEXT)])
    for label, amount in summary:
        yield writer.writerow([_csv_value(label, TEXT), _csv_value(amount, MONEY)])
    if heading or summary:
        yield writer.writerow([])
    yield writer.writerow([_csv_value(column.label, TEXT) for column in report.columns])
    for row in itertools.chain(rows, [totals] if totals is not None else []):
        yield writer.writerow(
            [_csv_value(value, column.kind) for column, value in zip(row.columns, row.values, strict=True)]
        )


def csv_response(report: Report, rows: Iterable[Row], **kwargs) -> StreamingHttpResponse:
    """The report as a downloaded CSV file, streamed as its rows are read."""
    response = StreamingHttpResponse(csv_lines(report, rows, **kwargs), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, "csv")}"'
    return response


def export_response(kind: str, report: Report, rows: Iterable[Row], **kwargs):
    """The report downloaded as ``kind``, one of ``EXPORT_FORMATS``; keyword arguments as for
    ``write_xlsx`` (``heading``, ``summary``, ``totals``)."""
    if kind == "csv":
        return csv_response(report, rows, **kwargs)
    return xlsx_response(report, rows, **kwargs)

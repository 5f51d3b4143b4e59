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
streamed in blocks of lines with a byte-order mark (so that Excel on a Chinese Windows reads
UTF-8). A text that a spreadsheet would take for a formula is made harmless (``core.spreadsheets``).

**Speed** (issue 9: a download costs at most 1.15× a bare openpyxl loop writing the same rows,
1.5× a bare ``csv.writer``). The writers look at a value's column once per column, not once
per cell: each column of a sheet has one cell object, styled once (money ``0.00``, dates
``yyyy-mm-dd``), which every row's value is written through — no cell object per value — and
a plain value (a text, a number) is written as it is. So a report's ``row`` should hand over
plain values: labels of choices looked up in a dict built once (``choice_labels``), not
``get_…_display()`` per row; money as int fen; dates as ``datetime.date``; moments through
``self.local_date`` / ``self.local_moment`` (the time zone read once per report); and, for many
rows, tuples from ``values_list()`` (``source``) rather than model instances. CSV goes out a
block of rows per ``csv.writer.writerows`` call when the block holds only texts and plain values.
"""

from __future__ import annotations

import csv
import datetime
import io
import itertools
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.functional import Promise, cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import Cell as ExcelCell
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from tollservice.core.money import fen_to_yuan, format_yuan
from tollservice.core.spreadsheets import FORMULA_STARTS, excel_cell, neutralise_formula
from tollservice.roster.names import person_name

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
EXPORT_FORMATS = ("xlsx", "csv")
# How many rows an export reads from the database at a time (``QuerySet.iterator``).
EXPORT_CHUNK_SIZE = 2000
# How many CSV lines go out in one block of the streamed response.
CSV_BLOCK_ROWS = 500

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


class Row:
    """One row of a report: a value per column (money in fen) and, for the page, links.

    A plain class with slots rather than a dataclass: a download makes one per row.
    """

    __slots__ = ("columns", "values", "_links")

    def __init__(
        self,
        columns: tuple[Column, ...],
        values: Sequence,
        links: dict[int, str] | Callable[[], dict[int, str]] | None = None,
    ):
        self.columns, self.values, self._links = columns, values, links

    @property
    def links(self) -> dict[int, str]:
        """Column index → URL of the page's cell. ``links`` may be given as a function, called
        only when the page asks (a download has no links: no ``reverse`` per row)."""
        links = self._links
        return (links() if callable(links) else links) or {}

    def __repr__(self) -> str:
        return f"Row({list(self.values)!r})"

    def __eq__(self, other) -> bool:
        if not isinstance(other, Row):
            return NotImplemented
        return (self.columns, list(self.values), self.links) == (other.columns, list(other.values), other.links)

    __hash__ = None

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

    @cached_property
    def zone(self) -> datetime.tzinfo:
        """The reader's time zone, read once per report rather than once per moment of each row
        (``timezone.localtime`` asks the thread-local settings every time)."""
        return timezone.get_current_timezone()

    def local_date(self, moment: datetime.datetime | None) -> datetime.date | None:
        """``local_date`` below, in the report's time zone."""
        return moment.astimezone(self.zone).date() if moment else None

    def local_moment(self, moment: datetime.datetime | None) -> str:
        """A moment as a list shows it, local date and time to the minute ("" for none)."""
        return moment.astimezone(self.zone).strftime("%Y-%m-%d %H:%M") if moment else ""

    def row(self, obj) -> Row:  # pragma: no cover - every report defines it
        raise NotImplementedError

    def rows(self, objects: Iterable) -> Iterator[Row]:
        """The rows of ``objects`` (a page, or every filtered row of a download). A report whose
        rows need something per object read in bulk (say, balances) overrides this and reads it
        for a batch of objects at a time (``in_batches``)."""
        return map(self.row, objects)

    def make_row(self, values: Sequence, links: dict[int, str] | Callable[[], dict[int, str]] | None = None) -> Row:
        """A row of ``values``; ``links`` (column index → URL) or a function returning them,
        which only the page calls."""
        return Row(self.columns, values, links)

    def totals_row(self, label, totals: dict[int, int]) -> Row:
        """A row with ``label`` in the first column and the given money totals by column index."""
        values: list = [None] * len(self.columns)
        values[0] = str(label)
        for index, total in totals.items():
            values[index] = total
        return self.make_row(values)


def in_batches(objects: Iterable, size: int = EXPORT_CHUNK_SIZE) -> Iterator[list]:
    """``objects`` in lists of at most ``size``: for a report's ``rows`` that reads something
    per batch (one query per page or per chunk of a download, whatever the number of rows)."""
    iterator = iter(objects)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


# --- Values for cells -------------------------------------------------------------------------


def yes_no(value: bool) -> str:
    """ "Yes" or "No" in the reader's language (是 / 否)."""
    return gettext("Yes") if value else gettext("No")


def choice_labels(choices) -> dict:
    """``{value: label}`` of a model's choices, translated once (for rows built from
    ``values_list()``: a dict look-up per row instead of ``get_…_display()``)."""
    return {value: str(label) for value, label in choices}


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
    """A cell of its own (the heading, the summary, the totals: a few rows, some bold)."""
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


class _ReportSheet(WriteOnlyWorksheet):
    """A write-only sheet that writes a report's values through one cell object per column.

    openpyxl's write-only sheet makes a fresh cell whenever the previous one had a style (every
    date, every amount); here each column's cell is styled once and reused, row after row (a
    row is written out before the next is made, so reuse is safe). Money in fen becomes an
    exact ``Decimal``; a text that would start a formula gets a cell of its own, stored as text
    with Excel's quote prefix (``excel_cell``). A value that is already an openpyxl cell (the
    header, the bold totals) is written as it is.
    """

    def __init__(self, parent, title: str, columns: Sequence[Column]):
        super().__init__(parent, title)
        self._kinds = [column.kind for column in columns]
        self._plain = WriteOnlyCell(self)
        self._money = WriteOnlyCell(self)
        self._money.number_format = MONEY_FORMAT
        self._date = WriteOnlyCell(self)
        self._date.number_format = DATE_FORMAT

    def _values_to_row(self, values, row_idx):
        kinds, width, plain = self._kinds, len(self._kinds), self._plain
        for column, value in enumerate(values, 1):
            if value is None:
                continue
            if value.__class__ is str and not value.startswith(FORMULA_STARTS):
                cell = plain
                cell.value = value
            elif isinstance(value, ExcelCell):
                cell = value
                if cell.hyperlink is not None:
                    cell.row, cell.column = row_idx, column
                    cell.hyperlink.ref = cell.coordinate
            elif isinstance(value, datetime.date):
                cell = self._date
                cell.value = value
            elif isinstance(value, int | Decimal) and column <= width and kinds[column - 1] == MONEY:
                cell = self._money
                cell.value = fen_to_yuan(value) if isinstance(value, int) else value
            elif isinstance(value, str | Promise):
                cell = excel_cell(self, value)
            else:
                cell = plain
                cell.value = value
            cell.column, cell.row = column, row_idx
            yield cell


def _add_sheet(workbook: Workbook, title, columns: Sequence[Column]) -> _ReportSheet:
    sheet = _ReportSheet(workbook, str(title)[:31], columns)  # 31: Excel's limit for a sheet's name
    workbook._add_sheet(sheet)
    size_columns(sheet, columns)
    return sheet


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
    sheet = _add_sheet(workbook, report.title, report.columns)
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
    append = sheet.append
    for row in rows:
        append(row.values)
    if totals is not None:
        columns = zip(totals.columns, totals.values, strict=True)
        append([_xlsx_cell(sheet, value, column.kind, bold=True) for column, value in columns])
    for extra_report, extra_rows in extra_sheets:
        extra = _add_sheet(workbook, extra_report.title, extra_report.columns)
        extra.freeze_panes = "A2"
        extra.append(header_cells(extra, (column.label for column in extra_report.columns)))
        for row in extra_rows:
            extra.append(row.values)
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


def _csv_value(value, kind: str = TEXT):
    """A value as the CSV file holds it (``csv.writer`` writes ``None`` as nothing)."""
    if value.__class__ is str:
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    if value is None or value.__class__ is datetime.date:
        return value  # csv.writer writes a date as its ISO form, as below
    if kind == MONEY and isinstance(value, int):
        return str(fen_to_yuan(value))  # "1234.50": exact, no thousands separator
    if isinstance(value, datetime.date):
        return value.isoformat()
    return neutralise_formula(value)


# What ``csv.writer`` writes as it should as it is (a date as its ISO form, ``None`` as nothing).
_CSV_PLAIN = frozenset({int, float, Decimal, bool, datetime.date, type(None)})
_FORMULA_FIRST = frozenset(FORMULA_STARTS)


def _csv_row(values: Sequence, money: Sequence[int]) -> list:
    """A row's values as the CSV file holds them: one pass over the values (a text is looked at
    for a formula's first character, a plain value passes), then money in fen becomes yuan."""
    values = list(values)
    for index, value in enumerate(values):
        if value.__class__ is str:
            if value[:1] in _FORMULA_FIRST:
                values[index] = "'" + value
        elif value.__class__ not in _CSV_PLAIN:
            values[index] = _csv_value(value)
    for index in money:
        if values[index].__class__ is int:
            values[index] = str(fen_to_yuan(values[index]))  # "1234.50": exact, no thousands separator
    return values


# How a field of CSV text that starts like a formula begins, quoted or not: after a comma, after
# a line's end, or at the start of the text. An unquoted field cannot start with "\r" (csv.writer
# quotes it): there "\r" is the end of a line whose last field is empty. A mark inside a quoted
# field is a false alarm, which only costs its block the slower way.
_FORMULA_FIELD_STARTS = tuple(
    f"{quote}{first}" for quote in ("", '"') for first in FORMULA_STARTS if quote or first != "\r"
)
_FORMULA_MARKS = tuple(f"{before}{start}" for before in (",", "\n") for start in _FORMULA_FIELD_STARTS)


def _has_formula_field(text: str) -> bool:
    # Substring searches rather than a regular expression that tries every position. Most
    # blocks hold no quoted field and none of "=+@\t" anywhere (single characters: the quickest
    # searches), so only "-" after a comma or a line's end is left to look for.
    if text.startswith(_FORMULA_FIELD_STARTS):
        return True
    if any(character in text for character in _RARE_IN_TEXT):
        return any(mark in text for mark in _FORMULA_MARKS)
    return ",-" in text or "\n-" in text


_RARE_IN_TEXT = ('"', "=", "+", "@", "\t")
# A moment (``datetime``) is the one value ``csv.writer`` writes otherwise than ``_csv_value``
# does (a space where ISO 8601 puts a "T"); its text always holds the seconds ("08:30:00"),
# which a moment as a report shows it ("2026-05-01 08:30") does not. Every other value is written
# alike both ways, or as a text whose formula the search finds: a block is searched for both,
# rather than the type of each of its values looked up (49 ms of a download of 49,524 rows).
_SECONDS = re.compile(r":\d\d:")


class _CsvBlocks:
    """Blocks of CSV lines. A block of rows goes to ``csv.writer.writerows`` in one call, and
    its text is searched once for a field that starts like a formula and for a moment's
    seconds; only a block with one (or a text that looks like it) is written row by row through
    ``_csv_row``. Both ways write the same text."""

    def __init__(self, columns: Sequence[Column]):
        self.money = [index for index, column in enumerate(columns) if column.kind == MONEY]
        self.buffer = io.StringIO()
        self.writerows = csv.writer(self.buffer).writerows
        self.writerow = csv.writer(_Echo()).writerow

    def __call__(self, block: list[Sequence]) -> str:
        values = block
        if self.money:
            values = [_with_yuan(row, self.money) for row in block]
        self.buffer.seek(0)
        self.buffer.truncate()
        self.writerows(values)
        text = self.buffer.getvalue()
        if not _has_formula_field(text) and not _SECONDS.search(text):
            return text
        return "".join([self.writerow(_csv_row(row, self.money)) for row in block])


def _with_yuan(values: Sequence, money: Sequence[int]) -> list:
    values = list(values)
    for index in money:
        if values[index].__class__ is int:
            values[index] = str(fen_to_yuan(values[index]))
    return values


def csv_lines(
    report: Report,
    rows: Iterable[Row],
    *,
    heading: Iterable[str] = (),
    summary: Iterable[tuple[str, int]] = (),
    totals: Row | None = None,
) -> Iterator[str]:
    """The report as CSV text, in the layout of ``write_xlsx``, in blocks of lines.

    The first line starts with a byte-order mark: Excel, which reads CSV in the system's code
    page (GBK on a Chinese Windows), then reads the Chinese names as UTF-8.
    """
    writerow = csv.writer(_Echo()).writerow
    yield "\ufeff"
    heading, summary = list(heading), list(summary)
    for line in heading:
        yield writerow([_csv_value(line)])
    for label, amount in summary:
        yield writerow([_csv_value(label), _csv_value(amount, MONEY)])
    if heading or summary:
        yield writerow([])
    yield writerow([_csv_value(column.label) for column in report.columns])
    width = len(report.columns)
    text_of = _CsvBlocks(report.columns)
    for block in in_batches(itertools.chain(rows, [totals] if totals is not None else []), CSV_BLOCK_ROWS):
        values = [row.values for row in block]
        if set(map(len, values)) != {width}:
            wrong = next(len(row) for row in values if len(row) != width)
            raise ValueError(f"A row of {report.title} has {wrong} values for {width} columns")
        yield text_of(values)


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

"""The reports' machinery: columns, rows and cells, and the Excel writer (openpyxl ``write_only``).

A report turns each object into one ``Row`` of values (money in whole fen); the page shows the
row's ``cells`` and the Excel file writes its ``values``, so the two cannot differ — except that
a text a spreadsheet would take for a formula is written with a leading apostrophe
(``tollservice.core.spreadsheets``).
"""

from __future__ import annotations

import csv
import datetime
import itertools
import tempfile
from collections.abc import Iterable, Iterator
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


def yes_no(value: bool) -> str:
    return gettext("Yes") if value else gettext("No")


def local_date(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment else None


# --- Excel ------------------------------------------------------------------------------------

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_BOLD = Font(bold=True)


def _cell(sheet, value, kind: str, *, bold: bool = False) -> WriteOnlyCell | None:
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
        sheet.append([_cell(sheet, label, TEXT), _cell(sheet, amount, MONEY)])
    if heading or summary:
        sheet.append([])
    header = []
    for column in report.columns:
        cell = excel_cell(sheet, column.label)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([_cell(sheet, value, column.kind) for column, value in zip(row.columns, row.values, strict=True)])
    if totals is not None:
        sheet.append(
            [
                _cell(sheet, value, column.kind, bold=True)
                for column, value in zip(totals.columns, totals.values, strict=True)
            ]
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
    filename = f"{report.filename}-{timezone.localdate().isoformat()}.csv"
    response = StreamingHttpResponse(csv_lines(report, rows, **kwargs), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export_response(kind: str, report: Report, rows: Iterable[Row], **kwargs):
    """The report downloaded as ``kind``, one of ``EXPORT_FORMATS``."""
    if kind == "csv":
        return csv_response(report, rows, **kwargs)
    return xlsx_response(report, rows, **kwargs)


def user_name(user) -> str:
    """A user as the export names them: by their name on the roster (``person_name``)."""
    return person_name(user)

"""The roster in Excel: the import template, reading an uploaded file, and the export.

One column list serves all three, so a file exported from the portal can be edited and
imported again. Header names are accepted in Chinese or English, whatever the page language.
"""

from __future__ import annotations

import datetime
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from io import BytesIO
from typing import IO

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from tollservice.core import exports
from tollservice.core.errors import DomainError
from tollservice.core.exports import yes_no
from tollservice.core.spreadsheets import excel_cell, restore_formula_text
from tollservice.roster.models import Department, Staff, Team

# An upload bigger than this is refused before it is opened (a roster of thousands is far smaller).
MAX_IMPORT_BYTES = getattr(settings, "ROSTER_IMPORT_MAX_BYTES", 2 * 1024 * 1024)
MAX_IMPORT_ROWS = 5000


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise
    # Other spellings accepted in a header row, besides the label in every language of the portal.
    aliases: tuple[str, ...] = ()
    required: bool = False
    width: int = 14


COLUMNS: tuple[Column, ...] = (
    Column("employee_number", _("Employee number"), ("工号", "员工编号", "职工编号", "员工号", "编号"), True),
    Column("name", _("Name"), ("姓名", "名字"), True, 12),
    Column("position", _("Position"), ("职位", "岗位", "职务")),
    Column("department", _("Department"), ("部门", "所属部门"), True),
    Column("team", _("Team"), ("班组", "所属班组")),
    Column("phone", _("Phone"), ("电话", "手机", "手机号", "手机号码", "联系电话"), width=16),
    Column("email", _("Email"), ("邮箱", "电子邮箱", "电子邮件", "e-mail"), width=26),
    Column("active", _("Active"), ("在职", "是否在职", "状态", "在职状态"), width=10),
)
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}

# The export's second sheet lists the teams with their display order; an imported file that has
# it (an export, edited) sets the order of the teams it names. The staff sheet stays the first.
TEAM_SHEET_TITLE = _("Teams")
TEAM_SHEET_ALIASES = ("班组", "teams")
TEAM_COLUMNS: tuple[Column, ...] = (
    Column("team", _("Team"), ("班组", "班组名称", "名称"), True),
    Column("department", _("Department"), ("部门", "所属部门")),
    Column("display_order", _("Display order"), ("显示顺序", "排序", "顺序", "序号"), True, 12),
)

_YES = {"是", "在职", "y", "yes", "true", "1", "✓", "√", "active"}
_NO = {"否", "离职", "n", "no", "false", "0", "✗", "×", "inactive", "left"}


def parse_yes_no(value: str) -> bool | None:
    """``True``/``False`` for the words a person may type in the "active" column, else ``None``."""
    word = value.strip().casefold()
    if not word:
        return True  # a blank cell means the default: on the staff
    yes = _YES | {str(gettext("Yes")).casefold()}
    no = _NO | {str(gettext("No")).casefold()}
    return True if word in yes else False if word in no else None


# Problems -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportProblem:
    """One reason a file cannot be imported; ``row`` is the row number Excel shows."""

    message: str
    row: int | None = None
    column: str | None = None  # a key of COLUMNS

    @property
    def column_label(self) -> str:
        column = COLUMNS_BY_KEY.get(self.column or "")
        return str(column.label) if column else ""

    def __str__(self) -> str:
        if self.row is not None and self.column:
            return gettext("Row %(row)s, “%(column)s”: %(reason)s") % {
                "row": self.row,
                "column": self.column_label,
                "reason": self.message,
            }
        if self.row is not None:
            return gettext("Row %(row)s: %(reason)s") % {"row": self.row, "reason": self.message}
        return str(self.message)


class RosterImportError(DomainError):
    """The file was refused as a whole; ``problems`` lists every reason, row by row."""

    def __init__(self, problems: list[ImportProblem]):
        self.problems = problems
        message = ngettext_lazy(
            "Nothing was imported: the file has %(count)s problem.",
            "Nothing was imported: the file has %(count)s problems.",
            "count",
        )
        super().__init__(message, params={"count": len(problems)})


# Reading an upload ----------------------------------------------------------------------------


class RosterRows(list):
    """The staff rows of an uploaded file, the display order of each team its Teams sheet names
    (team name → order; empty without such a sheet), and its lanes and booths
    (``excel_places.PlaceRows``; ``None`` without those sheets)."""

    def __init__(self, rows=(), *, team_orders: dict[str, int] | None = None, places=None):
        super().__init__(rows)
        self.team_orders: dict[str, int] = team_orders or {}
        self.places = places


@dataclass
class RosterRow:
    """One data row of an uploaded sheet: its Excel row number and the text of each present column."""

    number: int
    values: dict[str, str] = field(default_factory=dict)


def _normalize_header(text: str) -> str:
    text = "".join(str(text).split()).casefold()
    for marker in ("*", "＊", "(必填)", "（必填）", "(required)"):
        text = text.replace(marker, "")
    return text


def header_spellings(columns: Iterable[Column]) -> dict[str, str]:
    """What a header may say for each column: its key, its aliases, its label in every language."""
    spellings: dict[str, str] = {}
    for column in columns:
        words = {column.key, *column.aliases}
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                words.add(str(column.label))
        spellings.update({_normalize_header(word): column.key for word in words})
    return spellings


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel stores 13800000000 and 1001 as floats
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    # A file exported by earlier versions of the portal, or typed by someone who knows the CSV
    # habit, holds "'+86…" for "+86…": read back the text that was meant.
    return restore_formula_text(str(value).strip()).strip()


def read_roster_file(upload: IO[bytes], *, name: str, size: int) -> list[RosterRow]:
    """The data rows of an uploaded roster workbook (first sheet, header in its first non-empty row).

    Refuses files that are not .xlsx, too big, unreadable, or whose header row is wrong; every
    problem of the header is reported at once.
    """
    if not name.lower().endswith(".xlsx"):
        raise RosterImportError(
            [
                ImportProblem(
                    gettext("Only Excel workbooks (.xlsx) can be imported; “%(name)s” is not one.") % {"name": name}
                )
            ]
        )
    if size > MAX_IMPORT_BYTES:
        raise RosterImportError(
            [
                ImportProblem(
                    gettext("The file is %(size)s; files up to %(limit)s can be imported.")
                    % {"size": filesizeformat(size), "limit": filesizeformat(MAX_IMPORT_BYTES)}
                )
            ]
        )
    unreadable = ImportProblem(gettext("The file could not be read as an Excel workbook (.xlsx)."))
    if not zipfile.is_zipfile(upload):
        raise RosterImportError([unreadable])
    upload.seek(0)
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise RosterImportError([unreadable]) from None
    try:
        rows = _read_rows(workbook.worksheets[0].iter_rows(values_only=True))
        team_sheet = _team_sheet(workbook)
        team_orders = _read_team_orders(team_sheet.iter_rows(values_only=True)) if team_sheet is not None else {}
        from tollservice.roster.excel_places import read_places  # it builds on this module

        return RosterRows(rows, team_orders=team_orders, places=read_places(workbook))
    finally:
        workbook.close()


def _team_sheet(workbook):
    titles = {_normalize_header(alias) for alias in TEAM_SHEET_ALIASES}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            titles.add(_normalize_header(str(TEAM_SHEET_TITLE)))
    return next((sheet for sheet in workbook.worksheets[1:] if _normalize_header(sheet.title) in titles), None)


def _read_team_orders(sheet_rows: Iterable[tuple]) -> dict[str, int]:
    """Team name → display order from the Teams sheet; every problem of it is reported at once."""
    sheet = str(TEAM_SHEET_TITLE)
    spellings: dict[str, str] = {}
    for column in TEAM_COLUMNS:
        words = {column.key, *column.aliases}
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                words.add(str(column.label))
        spellings.update({_normalize_header(word): column.key for word in words})
    problems: list[ImportProblem] = []
    header: dict[str, int] | None = None
    orders: dict[str, int] = {}
    for number, cells in enumerate(sheet_rows, start=1):
        texts = [_cell_text(cell) for cell in cells]
        if not any(texts):
            continue
        if header is None:
            header = {
                spellings[key]: index
                for index, text in enumerate(texts)
                if (key := _normalize_header(text)) in spellings
            }
            if not {"team", "display_order"} <= set(header):
                raise RosterImportError(
                    [
                        ImportProblem(
                            gettext("The sheet “%(sheet)s” needs the columns Team and Display order.")
                            % {"sheet": sheet}
                        )
                    ]
                )
            continue
        name = texts[header["team"]] if header["team"] < len(texts) else ""
        order = texts[header["display_order"]] if header["display_order"] < len(texts) else ""
        if not name:
            continue
        if not order.isdigit() or int(order) > 32767:
            problems.append(
                ImportProblem(
                    gettext("Sheet “%(sheet)s”, row %(row)s: the display order must be a whole number from 0 to 32767.")
                    % {"sheet": sheet, "row": number}
                )
            )
            continue
        orders[name] = int(order)
    if problems:
        raise RosterImportError(problems)
    return orders


def _read_rows(sheet_rows: Iterable[tuple]) -> list[RosterRow]:
    spellings = header_spellings(COLUMNS)
    problems: list[ImportProblem] = []
    header: dict[int, str] | None = None
    rows: list[RosterRow] = []
    for number, cells in enumerate(sheet_rows, start=1):
        texts = [_cell_text(cell) for cell in cells]
        if not any(texts):
            continue
        if header is None:
            header = {}
            for index, text in enumerate(texts):
                if not text:
                    continue
                key = spellings.get(_normalize_header(text))
                if key is None:
                    problems.append(
                        ImportProblem(gettext("the column “%(name)s” is not known.") % {"name": text}, row=number)
                    )
                elif key in header.values():
                    problems.append(ImportProblem(gettext("this column appears twice."), row=number, column=key))
                else:
                    header[index] = key
            for column in COLUMNS:
                if column.required and column.key not in header.values():
                    problems.append(
                        ImportProblem(
                            gettext("this column is missing from the header row."), row=number, column=column.key
                        )
                    )
            if problems:
                raise RosterImportError(problems)
            continue
        if len(rows) >= MAX_IMPORT_ROWS:
            raise RosterImportError(
                [ImportProblem(gettext("A file can hold up to %(count)s staff.") % {"count": MAX_IMPORT_ROWS})]
            )
        values = {key: (texts[index] if index < len(texts) else "") for index, key in header.items()}
        rows.append(RosterRow(number=number, values=values))
    if header is None:
        raise RosterImportError([ImportProblem(gettext("The file is empty."))])
    if not rows:
        raise RosterImportError([ImportProblem(gettext("The file has a header row but no staff."))])
    return rows


# Writing --------------------------------------------------------------------------------------


class RosterReport(exports.Report):
    """The roster as rows (``tollservice.core.exports``): the export's rows, in the import's columns."""

    title = _("Staff")
    filename = "roster"
    columns = tuple(exports.Column(column.label, width=column.width) for column in COLUMNS)

    def row(self, person: Staff) -> exports.Row:
        return self.make_row(
            [
                person.employee_number,
                person.name,
                person.position,
                person.department.name,
                person.team.name if person.team_id else "",
                person.phone,
                person.email,
                yes_no(person.active),
            ]
        )


def template_workbook(*, departments: Iterable[Department], teams: Iterable[Team]) -> bytes:
    """The import template: an empty roster sheet with its header, instructions with an example,
    and the lists of departments and teams that the sheet's drop-downs offer."""
    departments, teams = list(departments), list(teams)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = gettext("Staff")
    lists = workbook.create_sheet(gettext("Lists"))
    help_sheet = workbook.create_sheet(gettext("Instructions"))

    report = RosterReport()
    sheet.append(exports.header_cells(sheet, (column.label for column in report.columns)))
    sheet.freeze_panes = "A2"
    exports.size_columns(sheet, report.columns)

    lists.append([gettext("Department"), gettext("Team"), gettext("Team's department"), gettext("Active")])
    yes_no_words = [yes_no(True), yes_no(False)]
    for index in range(max(len(departments), len(teams), 2)):
        values = [
            departments[index].name if index < len(departments) else None,
            teams[index].name if index < len(teams) else None,
            teams[index].department.name if index < len(teams) else None,
            yes_no_words[index] if index < 2 else None,
        ]
        lists.append([excel_cell(lists, value) for value in values])
    for cell in lists[1]:
        cell.font = exports.BOLD
    for letter in "ABC":
        lists.column_dimensions[letter].width = 16

    def choose_from(column_key: str, list_letter: str, count: int) -> None:
        if not count:
            return
        letter = get_column_letter(list(COLUMNS_BY_KEY).index(column_key) + 1)
        validation = DataValidation(
            type="list",
            formula1=f"{quote_sheetname(lists.title)}!${list_letter}$2:${list_letter}${count + 1}",
            allow_blank=not COLUMNS_BY_KEY[column_key].required,
            showErrorMessage=False,  # a hint, not a lock: the import checks every value anyway
        )
        validation.add(f"{letter}2:{letter}{MAX_IMPORT_ROWS + 1}")
        sheet.add_data_validation(validation)

    choose_from("department", "A", len(departments))
    choose_from("team", "B", len(teams))
    choose_from("active", "D", 2)

    wrap = Alignment(wrap_text=True, vertical="top")
    help_sheet.column_dimensions["A"].width = 100
    lines = [
        gettext("How to fill in the roster"),
        gettext("Fill in one staff member per row on the first sheet, below the header row. Keep the header row."),
        gettext("Rows are matched by employee number: a new number adds a staff member, a known number updates them."),
        gettext("Required columns: %(columns)s.") % {"columns": ", ".join(str(c.label) for c in COLUMNS if c.required)},
        gettext("Department and team must be written exactly as in the portal (see the “Lists” sheet)."),
        gettext("Active: “%(yes)s” or blank keeps the person on the staff; “%(no)s” records that they left.")
        % {"yes": yes_no(True), "no": yes_no(False)},
        gettext("Headers may be written in Chinese or English. Columns you leave out are not changed."),
        gettext(
            "The exported file also lists the teams, the lanes and the booths on sheets of their own: edited and "
            "imported again, they set the teams' display order and add or update lanes and booths by number."
        ),
        gettext("The file is checked as a whole: if any row has a problem, nothing is imported."),
        "",
        gettext("Example"),
    ]
    for line in lines:
        help_sheet.append([line])
        help_sheet.cell(row=help_sheet.max_row, column=1).alignment = wrap
    help_sheet["A1"].font = Font(bold=True, size=14)
    help_sheet.cell(row=help_sheet.max_row, column=1).font = exports.BOLD
    example_department = departments[0].name if departments else "征费室"
    example_team = teams[0].name if teams else ""
    help_sheet.append([str(column.label) for column in report.columns])
    example = ["CT0999", "张三", "收费员", example_department, example_team, "13800000000", "", yes_no(True)]
    help_sheet.append([excel_cell(help_sheet, value) for value in example])

    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


class TeamOrderReport(exports.Report):
    """The export's Teams sheet: each team with its display order, which importing the file sets."""

    title = TEAM_SHEET_TITLE
    filename = "teams"
    columns = tuple(
        exports.Column(
            column.label, kind=exports.NUMBER if column.key == "display_order" else exports.TEXT, width=column.width
        )
        for column in TEAM_COLUMNS
    )

    def row(self, team: Team) -> exports.Row:
        return self.make_row([team.name, team.department.name, team.display_order])

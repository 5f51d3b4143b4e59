"""Lanes (车道) and booths (收费亭) in the roster's Excel file: two more sheets beside the staff.

The export writes a "Lanes" and a "Booths" sheet; importing a file that has them (an export,
edited) adds the lanes and booths it names by number and updates the others — a row marked as
not active closes one. Header names and values are accepted in Chinese or English.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from tollservice.core import exports
from tollservice.core.exports import yes_no
from tollservice.roster.excel import (
    Column,
    ImportProblem,
    RosterImportError,
    _cell_text,
    _normalize_header,
    header_spellings,
    parse_yes_no,
)
from tollservice.roster.models import Booth, Lane

LANE_SHEET_TITLE = _("Lanes")
LANE_SHEET_ALIASES = ("车道", "lanes")
LANE_COLUMNS: tuple[Column, ...] = (
    Column("number", _("Lane number"), ("车道号", "车道编号", "编号", "车道"), True, 10),
    Column("direction", _("Entry or exit"), ("出入口", "入口或出口", "方向类型"), True, 10),
    Column("kind", _("Kind"), ("类型", "车道类型"), False, 16),
    Column("heading", _("Direction of travel"), ("行驶方向", "去向"), False, 20),
    Column("order", _("Display order"), ("显示顺序", "排序", "顺序"), False, 10),
    Column("active", pgettext_lazy("lane", "Open"), ("开放", "启用", "状态", "在用"), False, 8),
)
BOOTH_SHEET_TITLE = _("Booths")
BOOTH_SHEET_ALIASES = ("收费亭", "booths")
BOOTH_COLUMNS: tuple[Column, ...] = (
    Column("number", _("Booth number"), ("收费亭编号", "亭号", "编号", "收费亭"), True, 12),
    Column("lane", _("Lane"), ("车道", "车道号", "所在车道"), False, 10),
    Column("active", pgettext_lazy("lane", "Open"), ("开放", "启用", "状态", "在用"), False, 8),
)


def _choice_spellings(choices, extra: dict[str, str]) -> dict[str, str]:
    """What a person may write for each choice: its value, its label in every language, ``extra``."""
    spellings = {_normalize_header(word): value for word, value in extra.items()}
    for value, label in choices:
        spellings[_normalize_header(value)] = value
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                spellings[_normalize_header(str(label))] = value
    return spellings


DIRECTION_WORDS = {"入口": Lane.Direction.ENTRY, "出口": Lane.Direction.EXIT, "入": "entry", "出": "exit"}
KIND_WORDS = {"人工": Lane.Kind.MANUAL, "混合": Lane.Kind.MIXED, "etc车道": Lane.Kind.ETC, "人工车道": Lane.Kind.MANUAL}


@dataclass
class PlaceRow:
    """One row of the Lanes or Booths sheet, its values checked for shape."""

    number: int  # the row number Excel shows
    values: dict = field(default_factory=dict)


@dataclass
class PlaceRows:
    lanes: list[PlaceRow] = field(default_factory=list)
    booths: list[PlaceRow] = field(default_factory=list)


def _sheet(workbook, title, aliases):
    titles = {_normalize_header(alias) for alias in aliases}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            titles.add(_normalize_header(str(title)))
    return next((sheet for sheet in workbook.worksheets[1:] if _normalize_header(sheet.title) in titles), None)


def _problem(sheet: str, row: int, reason: str) -> ImportProblem:
    return ImportProblem(
        gettext("Sheet “%(sheet)s”, row %(row)s: %(reason)s") % {"sheet": sheet, "row": row, "reason": reason}
    )


def _read(sheet_rows: Iterable[tuple], columns: tuple[Column, ...], title) -> tuple[list[PlaceRow], list]:
    """The data rows of one sheet as texts by column key; problems of its header end the reading."""
    sheet = str(title)
    spellings = header_spellings(columns)
    header: dict[int, str] | None = None
    rows: list[PlaceRow] = []
    for number, cells in enumerate(sheet_rows, start=1):
        texts = [_cell_text(cell) for cell in cells]
        if not any(texts):
            continue
        if header is None:
            header = {
                i: spellings[key] for i, text in enumerate(texts) if (key := _normalize_header(text)) in spellings
            }
            missing = [str(c.label) for c in columns if c.required and c.key not in header.values()]
            if missing:
                reason = gettext("the columns %(columns)s are missing.") % {"columns": "、".join(missing)}
                return [], [_problem(sheet, number, reason)]
            continue
        rows.append(PlaceRow(number, {key: texts[i] if i < len(texts) else "" for i, key in header.items()}))
    return rows, []


def read_places(workbook) -> PlaceRows:
    """The Lanes and Booths sheets of an uploaded roster workbook (either may be absent), checked
    for shape; ``RosterImportError`` with every problem found."""
    places, problems = PlaceRows(), []
    directions = _choice_spellings(Lane.Direction.choices, DIRECTION_WORDS)
    kinds = _choice_spellings(Lane.Kind.choices, KIND_WORDS)
    lane_sheet = _sheet(workbook, LANE_SHEET_TITLE, LANE_SHEET_ALIASES)
    if lane_sheet is not None:
        rows, found = _read(lane_sheet.iter_rows(values_only=True), LANE_COLUMNS, LANE_SHEET_TITLE)
        problems += found
        for row in rows:
            text = row.values
            if not text.get("number"):
                continue
            values = {"number": text["number"][:10], "heading": text.get("heading", "")[:50]}
            values["direction"] = directions.get(_normalize_header(text.get("direction", "")))
            if values["direction"] is None:
                problems.append(_problem(str(LANE_SHEET_TITLE), row.number, gettext("write entry or exit.")))
            values["kind"] = kinds.get(_normalize_header(text.get("kind", "")), Lane.Kind.MIXED)
            order = text.get("order", "")
            if order and (not order.isdigit() or int(order) > 32767):
                problems.append(
                    _problem(str(LANE_SHEET_TITLE), row.number, gettext("the display order is a whole number."))
                )
            values["order"] = int(order) if order.isdigit() else 0
            values["active"] = parse_yes_no(text.get("active", ""))
            if values["active"] is None:
                problems.append(_problem(str(LANE_SHEET_TITLE), row.number, gettext("write yes or no for “open”.")))
            places.lanes.append(PlaceRow(row.number, values))
    booth_sheet = _sheet(workbook, BOOTH_SHEET_TITLE, BOOTH_SHEET_ALIASES)
    if booth_sheet is not None:
        rows, found = _read(booth_sheet.iter_rows(values_only=True), BOOTH_COLUMNS, BOOTH_SHEET_TITLE)
        problems += found
        for row in rows:
            text = row.values
            if not text.get("number"):
                continue
            active = parse_yes_no(text.get("active", ""))
            if active is None:
                problems.append(_problem(str(BOOTH_SHEET_TITLE), row.number, gettext("write yes or no for “open”.")))
            values = {"number": text["number"][:10], "lane": text.get("lane", ""), "active": active}
            places.booths.append(PlaceRow(row.number, values))
    if problems:
        raise RosterImportError(problems)
    return places


class LaneReport(exports.Report):
    """The export's Lanes sheet, in the columns the import reads."""

    title = LANE_SHEET_TITLE
    filename = "lanes"
    columns = tuple(exports.Column(column.label, width=column.width) for column in LANE_COLUMNS)

    def row(self, lane: Lane) -> exports.Row:
        return self.make_row(
            [
                lane.number,
                lane.get_direction_display(),
                lane.get_kind_display(),
                lane.heading,
                lane.order,
                yes_no(lane.active),
            ]
        )


class BoothReport(exports.Report):
    """The export's Booths sheet, in the columns the import reads."""

    title = BOOTH_SHEET_TITLE
    filename = "booths"
    columns = tuple(exports.Column(column.label, width=column.width) for column in BOOTH_COLUMNS)

    def row(self, booth: Booth) -> exports.Row:
        return self.make_row([booth.number, booth.lane.number if booth.lane_id else "", yes_no(booth.active)])

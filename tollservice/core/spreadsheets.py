"""What every spreadsheet the portal writes shares, Excel (openpyxl) and CSV alike.

A text cell that starts like a formula is run as one by Excel or LibreOffice when the file is
opened — ``=HYPERLINK(…)`` in a staff member's name would send whoever opens the roster to
another site. In an Excel file such a text is stored as a text cell with Excel's quote prefix
(what Excel itself records when a user types an apostrophe first): it shows exactly as written
and stays text when edited. A CSV file has no cell types, so there the text gets a leading
apostrophe, as OWASP's guidance on CSV injection advises.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

# The characters a spreadsheet may take as the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: Any) -> Any:
    """``value`` made safe to write into a spreadsheet cell: a text that would start a formula
    gets a leading apostrophe. Numbers, dates and decimals are returned as they are — they are
    stored as numbers, never run, and a negative amount must stay a number."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def restore_formula_text(text: str) -> str:
    """The text ``neutralise_formula`` was given, so that a file the portal exported can be
    imported again unchanged."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def excel_cell(sheet: Worksheet, value: Any) -> Cell:
    """A cell of ``sheet`` holding ``value``, for ``sheet.append``. A text that would start a
    formula is kept as it is and stored as text with Excel's quote prefix, never as a formula;
    numbers, dates and decimals are stored as they are."""
    if isinstance(value, Promise):
        value = str(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"  # openpyxl would take a text starting with "=" for a formula
        cell.quotePrefix = True
    return cell

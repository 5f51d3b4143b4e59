"""Exported spreadsheets never carry a text that Excel would run as a formula (OWASP "CSV
injection"): one helper neutralises such texts for every exporter. The roster export is tested
in tests/roster/test_excel.py; the reports' writers (tollservice/core/exports.py) here."""

import csv
import datetime
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from tollservice.core.exports import DATE, MONEY, NUMBER, Column, Report, csv_lines, write_xlsx
from tollservice.core.spreadsheets import neutralise_formula, restore_formula_text


@pytest.mark.parametrize("text", ["=1+1", "+86 138", "-收费员", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("x")'])
def test_a_text_that_starts_a_formula_gets_an_apostrophe_and_reads_back(text):
    assert neutralise_formula(text) == "'" + text
    assert restore_formula_text(neutralise_formula(text)) == text


@pytest.mark.parametrize(
    "value",
    ["王芳", "a=b", "", "'quoted", None, -5, 0, -1.5, Decimal("-12.50"), datetime.date(2024, 1, 31), True],
)
def test_other_values_and_every_number_pass_unchanged(value):
    # A negative amount is a number, not a formula: it must stay one.
    assert neutralise_formula(value) == value
    assert type(neutralise_formula(value)) is type(value)


def test_a_lazy_translation_is_written_as_text():
    with translation.override("en"):
        assert neutralise_formula(gettext_lazy("Name")) == "Name"


class _Report(Report):
    title = "Test"
    filename = "test"
    columns = (Column("Name"), Column("Amount", MONEY), Column("Count", NUMBER), Column("Date", DATE))


ROWS = [
    ['=HYPERLINK("http://evil.invalid","x")', -5000, -3, datetime.date(2024, 1, 31)],
    ["-收费员", 1250, 2, None],
    ["\r@cmd", None, None, None],
]


def _rows():
    report = _Report()
    return report, [report.make_row(values) for values in ROWS]


def test_the_reports_excel_writer_neutralises_formulas_and_keeps_numbers():
    report, rows = _rows()
    output = write_xlsx(report, rows, heading=["=heading"], summary=[("+label", -100)])
    sheet = load_workbook(BytesIO(output.read())).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    # Texts read exactly as written...
    assert values[0][0] == "=heading"
    assert values[1][:2] == ("+label", -1)
    data = values[values.index(("Name", "Amount", "Count", "Date")) + 1 :]
    assert data[0][0] == '=HYPERLINK("http://evil.invalid","x")'
    assert data[0][1:3] == (-50, -3)  # numbers, not text
    assert data[0][3] == datetime.datetime(2024, 1, 31)
    assert data[1][:3] == ("-收费员", 12.5, 2)
    assert data[2][0] in ("\r@cmd", "\n@cmd")  # XML reads a carriage return back as a line feed
    # ...and are stored as text with Excel's quote prefix, never as formulas.
    texts = [cell for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    formula_like = [cell for cell in texts if cell.value[:1] in ("=", "+", "-", "@", "\r", "\n")]
    assert len(formula_like) == 5
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in formula_like)
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_the_reports_csv_writer_neutralises_formulas_and_keeps_numbers():
    report, rows = _rows()
    text = "".join(csv_lines(report, rows, heading=["=heading"], summary=[("+label", -100)])).lstrip("\ufeff")
    lines = list(csv.reader(StringIO(text, newline="")))
    assert lines[0] == ["'=heading"]
    assert lines[1] == ["'+label", "-1.00"]
    data = lines[lines.index(["Name", "Amount", "Count", "Date"]) + 1 :]
    assert data[0] == ['\'=HYPERLINK("http://evil.invalid","x")', "-50.00", "-3", "2024-01-31"]
    assert data[1] == ["'-收费员", "12.50", "2", ""]
    assert data[2][0] == "'\r@cmd"


def test_every_workbook_has_the_same_header_and_a_list_keeps_it_in_view():
    report, rows = _rows()
    totals = report.totals_row("Total", {1: -3750})
    sheet = load_workbook(BytesIO(write_xlsx(report, rows, totals=totals).read())).worksheets[0]
    assert sheet.freeze_panes == "A2"  # a plain list: the header stays in view
    assert [(cell.font.b, cell.fill.fgColor.rgb) for cell in sheet[1]] == [(True, "001F4E79")] * 4
    assert [cell.value for cell in sheet[sheet.max_row]][:2] == ["Total", -37.5]
    total = sheet.cell(row=sheet.max_row, column=2)
    assert total.font.b and total.number_format == "0.00"
    # With a heading above the header, nothing is frozen (it would hide the sheet on a laptop).
    with_heading = load_workbook(BytesIO(write_xlsx(report, rows, heading=["Title"]).read())).worksheets[0]
    assert with_heading.freeze_panes is None


@pytest.mark.parametrize("money", [True, False])
def test_csv_blocks_written_at_once_are_the_rows_written_one_by_one(money):
    # Issue 9: a block of plain rows goes to csv.writer in one call and is searched once for a
    # field that starts a formula; whatever the block holds, the text is the row-by-row text.
    from tollservice.core import exports

    class Plain(Report):
        columns = (Column("Text"), Column("Amount", MONEY if money else NUMBER), Column("When", DATE), Column("Last"))

    when = datetime.datetime(2024, 1, 31, 8, 30, tzinfo=datetime.UTC)
    cases = [
        ["王芳", 1250, datetime.date(2024, 1, 31), ""],  # empty last field: "\r\n" after a comma
        ["a,=b", 0, None, None],  # "=" after a comma inside a quoted field: a false alarm
        ['say "hi"\nthen', 5, None, "x"],
        ["ok", -300, None, "y"],  # a negative amount stays a number
        ["ok", 7, when, gettext_lazy("Yes")],  # a moment and a lazy text: not plain
        ["09:30:15 到岗", 7, None, ""],  # a text that holds seconds, like a moment: a false alarm
        ["ok", 7, None, "-收费员"],
        ["ok", 7, None, "\r@cmd"],
        ["\tx", 7, None, ""],
        ["=1+1", 7, None, ""],
    ]
    report = Plain()
    one_by_one = exports._CsvBlocks(report.columns)
    for case in cases:
        expected = "".join(one_by_one.writerow(exports._csv_row(values, one_by_one.money)) for values in [case])
        for block in ([case], [["plain", 1, None, "z"], case], [["plain", 1, None, "z"]] * 3 + [case]):
            rows = [report.make_row(values) for values in block]
            text = "".join(csv_lines(report, rows)).split("\r\n", 1)[1]  # after the header
            assert text.endswith(expected), (case, block)
            assert text == "".join(one_by_one.writerow(exports._csv_row(values, one_by_one.money)) for values in block)


def test_a_block_of_plain_rows_is_written_in_one_call(monkeypatch):
    from tollservice.core import exports

    def one_by_one(*args):
        raise AssertionError("a plain block went row by row")

    monkeypatch.setattr(exports, "_csv_row", one_by_one)
    report = _rows()[0]
    rows = [report.make_row(["王芳", 1250, 2, datetime.date(2024, 1, 31)])] * 3
    assert "".join(csv_lines(report, rows)).endswith("王芳,12.50,2,2024-01-31\r\n" * 3)

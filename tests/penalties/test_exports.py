"""The Excel files carry the same rows and totals as the pages they export (PEN-5 reconciliation
first), with amounts as exact numbers formatted 0.00, and cost the same queries however many
rows they hold."""

import csv
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from penalties import exports, services
from penalties.models import LedgerEntry
from tests.penalties.factories import decided_service_code
from tests.query_budget import assert_constant_queries, get_rows
from tests.roster.factories import StaffFactory, UserFactory
from tollservice.core.exports import CSV_CONTENT_TYPE, DATE, MONEY, XLSX_CONTENT_TYPE, Report

pytestmark = pytest.mark.django_db

MONEY_COLUMNS = {8, 9, 10}  # assessed, collected (non-operating income), waived


@pytest.fixture
def finance_client(client, people):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(people.finance)
    return client


def _fines_with_awkward_amounts(people, count: int = 3):
    """Part payments of 0.10, 0.20 and 333.33 yuan — sums a float would get wrong — a waiver,
    and a collection reversed; all booked today."""
    made = []
    for index in range(count):
        staff = StaffFactory(team=people.team, department=people.toll_office, user=UserFactory())
        penalty = decided_service_code(office=people.office, staff=staff, n=3)
        for part, fen in enumerate((10, 20, 33333)):
            services.fine_collect(
                penalty=penalty,
                collected_by=people.finance,
                receipt_number=f"R{penalty.pk}-{part}",
                amount_fen=fen,
            )
        if index == 0:
            wrong = penalty.ledger_entries.get(receipt_number=f"R{penalty.pk}-2")
            services.ledger_entry_reverse(entry=wrong, reversed_by=people.finance2, reason="收据号录错")
        if index == 1:
            waiver = services.waiver_request(penalty=penalty, requested_by=people.office, reason="困难", amount_fen=1)
            services.waiver_approve(waiver=waiver, approved_by=people.finance2)
            services.waiver_approve(waiver=waiver, approved_by=people.leader)
        made.append(penalty)
    return made


def _workbook(response):
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].startswith("attachment;")
    return load_workbook(BytesIO(b"".join(response.streaming_content)))


def _sheet_rows(sheet, header: list[str]):
    """The rows from the header row down, and the lines above it."""
    rows = list(sheet.iter_rows())
    at = next(i for i, row in enumerate(rows) if [cell.value for cell in row][: len(header)] == header)
    return rows[:at], rows[at + 1 :]


def _fen(cell) -> int | None:
    if cell.value is None:
        return None
    assert isinstance(cell.value, int | float), f"{cell.coordinate} is not a number: {cell.value!r}"
    assert cell.number_format == "0.00", cell.coordinate
    return int(Decimal(str(cell.value)) * 100)


def _as_page_values(row_cells, report: Report) -> list:
    values = []
    for column, cell in zip(report.columns, row_cells, strict=False):
        if column.kind == MONEY:
            values.append(_fen(cell))
        elif column.kind == DATE and cell.value is not None and not isinstance(cell.value, str):
            values.append(cell.value.date())
        else:
            values.append(cell.value if cell.value is not None else None)
    return values


def _normalise(values: list) -> list:
    return [None if value == "" else value for value in values]


def test_reconciliation_excel_has_the_rows_and_totals_of_the_page(people, finance_client):
    # PEN-5: assessed = collected + waived + outstanding, to the fen, in the file as on the page.
    _fines_with_awkward_amounts(people)
    url = reverse("penalties:reconciliation")
    page = finance_client.get(url)
    rec, page_rows, totals = page.context["rec"], page.context["rows"], page.context["totals"]
    assert rec.balanced
    assert rec.period.collected_fen == 2 * (10 + 20 + 33333) + (10 + 20)  # one 333.33 reversed
    assert rec.period.waived_fen == 1

    workbook = _workbook(finance_client.get(url, {"export": "xlsx"}))
    sheet = workbook.active
    report = page.context["report"]
    header = [str(column.label) for column in report.columns]
    preamble, body = _sheet_rows(sheet, header)

    data, totals_cells = body[:-1], body[-1]
    assert len(data) == len(page_rows) == LedgerEntry.objects.count()
    for row_cells, page_row in zip(data, page_rows, strict=True):
        assert _as_page_values(row_cells, report) == _normalise(page_row.values)
    assert totals_cells[0].value == totals.values[0]
    assert [_fen(totals_cells[i]) for i in sorted(MONEY_COLUMNS)] == [totals.values[i] for i in sorted(MONEY_COLUMNS)]
    assert [_fen(totals_cells[i]) for i in sorted(MONEY_COLUMNS)] == [
        rec.period.assessed_fen,
        rec.period.collected_fen,
        rec.period.waived_fen,
    ]

    # The summary above the table: the same lines and amounts as the page's.
    summary = {row[0].value: _fen(row[1]) for row in preamble if len(row) > 1 and row[1].value is not None}
    assert summary == dict(page.context["summary"])
    assert summary["= To be accounted for"] == summary["= Accounted for"] == rec.due_fen
    # Collected fines are labelled as non-operating income.
    accounts = {row[6].value for row in data if row[5].value == "Collected"}
    assert accounts == {"Non-operating income"}


def test_reconciliation_of_another_month_and_a_custom_range(people, finance_client):
    _fines_with_awkward_amounts(people, count=1)
    today = timezone.localdate()
    last_month = (today.replace(day=1) - timezone.timedelta(days=1)).strftime("%Y-%m")
    response = finance_client.get(reverse("penalties:reconciliation"), {"month": last_month})
    assert response.context["rows"] == [] and response.context["rec"].balanced
    assert response.context["rec"].closing.outstanding_fen == 0
    response = finance_client.get(
        reverse("penalties:reconciliation"), {"start": today.isoformat(), "end": today.isoformat()}
    )
    assert len(response.context["rows"]) == LedgerEntry.objects.count()
    bad = finance_client.get(reverse("penalties:reconciliation"), {"start": today.isoformat(), "end": "2000-01-01"})
    assert bad.status_code == 200 and "ends before it starts" in bad.content.decode()


def test_penalty_list_excel_has_the_rows_of_the_list(people, client):
    penalties = _fines_with_awkward_amounts(people)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(people.office)
    url = reverse("penalties:penalty_list")
    page_rows = client.get(url).context["rows"]
    report = exports.PenaltyReport()
    _, body = _sheet_rows(_workbook(client.get(url, {"export": "xlsx"})).active, [str(c.label) for c in report.columns])
    assert len(body) == len(page_rows) == len(penalties)
    for row_cells, page_row in zip(body, page_rows, strict=True):
        assert _as_page_values(row_cells, report) == _normalise(page_row.values)
    # The filters apply to the file as to the page.
    only = penalties[0].staff
    labels = [str(c.label) for c in report.columns]
    _, body = _sheet_rows(_workbook(client.get(url, {"export": "xlsx", "staff_pk": only.pk})).active, labels)
    assert [row[1].value for row in body] == [only.name]


def test_balances_excel_totals_match_the_ledger(people, finance_client):
    _fines_with_awkward_amounts(people)
    report = exports.BalanceReport("department")
    response = finance_client.get(reverse("penalties:balances"), {"by": "department", "export": "xlsx"})
    _, body = _sheet_rows(_workbook(response).active, [str(c.label) for c in report.columns])
    totals = body[-1]
    page = finance_client.get(reverse("penalties:balances"), {"by": "department"})
    assert [_fen(totals[i]) for i in range(1, 5)] == page.context["totals"].values[1:]
    outstanding = sum(LedgerEntry.objects.get(pk=e.pk).signed_amount_fen for e in LedgerEntry.objects.all())
    assert _fen(totals[4]) == outstanding


def test_exports_cost_the_same_queries_however_many_rows(people, finance_client):
    downloads = [
        (reverse("penalties:reconciliation"), {"export": "xlsx"}),
        (reverse("penalties:receipt_list"), {"export": "xlsx"}),
        (reverse("penalties:outstanding"), {"export": "xlsx"}),
        (reverse("penalties:penalty_list"), {"export": "xlsx"}),
        (reverse("penalties:balances"), {"export": "xlsx", "by": "staff"}),
        # Its rows name who requested them (person_name): the requesters' roster entries are joined.
        (reverse("penalties:waiver_list"), {"export": "xlsx", "show": "all"}),
    ]
    _fines_with_awkward_amounts(people, count=2)
    assert_constant_queries(
        {url: get_rows(finance_client, url, query) for url, query in downloads},
        grow=lambda: _fines_with_awkward_amounts(people, count=8),
        max_queries=15,
    )


def _csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"] == CSV_CONTENT_TYPE
    assert response["Content-Disposition"].startswith('attachment; filename="') and response[
        "Content-Disposition"
    ].endswith('.csv"')
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")  # so that Excel on a Chinese Windows reads UTF-8
    return list(csv.reader(StringIO(text[1:])))


def test_reconciliation_csv_has_the_rows_and_totals_of_the_excel_file(people, finance_client):
    # PEN-5: the CSV download carries the page's rows and totals, amounts exact to the fen.
    _fines_with_awkward_amounts(people)
    url = reverse("penalties:reconciliation")
    page = finance_client.get(url)
    assert f'href="?{page.context["export_queries"]["csv"]}"' in page.content.decode().replace("&amp;", "&")
    report, page_rows, totals = page.context["report"], page.context["rows"], page.context["totals"]

    lines = _csv_rows(finance_client.get(url, {"export": "csv"}))
    header = [str(column.label) for column in report.columns]
    at = lines.index(header)
    summary = {line[0]: line[1] for line in lines[3:at] if len(line) == 2}
    assert Decimal(summary["'= To be accounted for"]) * 100 == page.context["rec"].due_fen
    body, totals_line = lines[at + 1 : -1], lines[-1]
    assert len(body) == len(page_rows) == LedgerEntry.objects.count()
    for line, row in zip(body, page_rows, strict=True):
        for column, text, value in zip(report.columns, line, row.values, strict=True):
            if column.kind == MONEY and value is not None:
                assert Decimal(text) * 100 == value, (column.label, text, value)
    assert [Decimal(totals_line[i]) * 100 for i in sorted(MONEY_COLUMNS)] == [
        totals.values[i] for i in sorted(MONEY_COLUMNS)
    ]


def test_lists_download_as_csv_with_the_filter_applied(people, client):
    fines = _fines_with_awkward_amounts(people, count=2)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(people.office)
    url = reverse("penalties:penalty_list")
    lines = _csv_rows(client.get(url, {"staff_pk": fines[0].staff.pk, "export": "csv"}))
    assert len(lines) == 2 and lines[1][0] == str(fines[0].pk)
    assert "xlsx" in client.get(url).context["export_queries"]

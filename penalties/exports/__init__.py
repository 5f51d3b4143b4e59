"""The penalties reports: one exporter per report, yielding rows.

The same rows feed the page's table, the Excel file (openpyxl ``write_only``) and the CSV file,
so what the finance office prints and what it downloads cannot differ. Money travels in the rows as whole
fen (int) and becomes yuan only at the edge: ``|yuan`` on the page, a ``Decimal`` with the
``0.00`` number format in Excel — never a float.
"""

from penalties.exports.base import (
    CSV_CONTENT_TYPE,
    DATE,
    EXPORT_FORMATS,
    MONEY,
    NUMBER,
    TEXT,
    XLSX_CONTENT_TYPE,
    Cell,
    Column,
    Report,
    Row,
    csv_lines,
    csv_response,
    export_response,
    write_xlsx,
    xlsx_response,
)
from penalties.exports.ledger import BalanceReport, ReceiptReport, ReconciliationReport, WaiverReport
from penalties.exports.penalties import ApprovalQueueReport, OutstandingReport, PenaltyReport, waits_for
from penalties.exports.records import CircularReport, RevocationReport, TalkReport

__all__ = [
    "CSV_CONTENT_TYPE",
    "DATE",
    "EXPORT_FORMATS",
    "MONEY",
    "NUMBER",
    "TEXT",
    "XLSX_CONTENT_TYPE",
    "ApprovalQueueReport",
    "BalanceReport",
    "Cell",
    "CircularReport",
    "Column",
    "OutstandingReport",
    "PenaltyReport",
    "ReceiptReport",
    "ReconciliationReport",
    "Report",
    "RevocationReport",
    "Row",
    "TalkReport",
    "WaiverReport",
    "csv_lines",
    "csv_response",
    "export_response",
    "waits_for",
    "write_xlsx",
    "xlsx_response",
]

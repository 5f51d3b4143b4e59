"""The penalties reports: one exporter per report, yielding rows (``tollservice.core.exports``).

The same rows feed the page's table, the Excel file (openpyxl ``write_only``) and the CSV file,
so what the finance office prints and what it downloads cannot differ. Money travels in the rows as whole
fen (int) and becomes yuan only at the edge: ``|yuan`` on the page, a ``Decimal`` with the
``0.00`` number format in Excel — never a float.
"""

from penalties.exports.ledger import BalanceReport, ReceiptReport, ReconciliationReport, WaiverReport
from penalties.exports.penalties import ApprovalQueueReport, OutstandingReport, PenaltyReport, waits_for
from penalties.exports.records import CircularReport, RevocationReport, TalkReport

__all__ = [
    "ApprovalQueueReport",
    "BalanceReport",
    "CircularReport",
    "OutstandingReport",
    "PenaltyReport",
    "ReceiptReport",
    "ReconciliationReport",
    "RevocationReport",
    "TalkReport",
    "WaiverReport",
    "waits_for",
]

"""What ``make bench`` measures, and the targets of issue 9.

Pages are named by URL name and requested through Django's test client as the user of the
role would (the demo logins of the generated station), so the benchmark does not depend on
where the views live. A later module adds its lists here (and its rows in ``bench/parts/``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

# Targets (issue 9). Ratios decide the exit status; times in ms are printed for the record.
LIST_RATIO = 1.5  # page 1 and the last page at the large size, against the base size
LIST_MS = 150
REPORT_RATIO = 3.0  # the year's reconciliation against the month's
REPORT_MS = 400
XLSX_RATIO = 1.15  # the Excel download against a bare openpyxl write-only loop
XLSX_MIB = 120
CSV_RATIO = 1.5  # the CSV download against a bare csv.writer
# "Not growing": the download's peak at the large size within this of its peak at the base size.
MEMORY_GROWTH, MEMORY_SLACK_MIB = 1.2, 2.0


@dataclass(frozen=True)
class Page:
    """A paginated list: measured on its first and its last page."""

    key: str
    label: str
    url_name: str
    login: str  # a key of the station's "logins"
    params: dict = field(default_factory=dict)


LISTS = [
    Page("penalties", "Penalties (office)", "penalties:penalty_list", "office"),
    Page(
        "penalties_filtered",
        "Penalties, filtered (office)",
        "penalties:penalty_list",
        "office",
        {"status": "approved", "rule": "service_code"},
    ),
    Page("penalties_team", "Penalties (team leader)", "penalties:penalty_list", "teamleader"),
    Page("my_penalties", "My penalties (staff1)", "penalties:my_penalties", "staff"),
    Page("approvals", "Approval queue (leader)", "penalties:approval_queue", "leader"),
    Page("outstanding", "Outstanding fines (finance)", "penalties:outstanding", "finance"),
    Page("receipts", "Receipts (finance)", "penalties:receipt_list", "finance"),
    Page("balances_staff", "Balances per person (finance)", "penalties:balances", "finance", {"by": "staff"}),
    Page("balances_team", "Balances per team (finance)", "penalties:balances", "finance", {"by": "team"}),
    Page("waivers", "Waivers, all (finance)", "penalties:waiver_list", "finance", {"show": "all"}),
    Page("waiver_queue", "Waivers to approve (leader)", "penalties:waiver_list", "leader"),
    Page("circulars", "Circulars (office)", "penalties:circular_list", "office"),
    Page("talks", "Talks (office)", "penalties:talk_list", "office"),
    Page("revocations", "Losses of award eligibility (office)", "penalties:eligibility_revocation_list", "office"),
    Page("staff", "Roster: staff (office)", "roster:staff_list", "office"),
    Page("inbox", "Inbox (leader)", "notifications:inbox", "leader"),
]


@dataclass(frozen=True)
class Report:
    """A report page measured once per period."""

    key: str
    label: str
    url_name: str
    login: str
    periods: dict  # name → query parameters


def reconciliation(today: datetime.date) -> Report:
    """The last whole month before ``today`` and the twelve months ending with it; the year's
    downloads too, for the record (their rows are the page's)."""
    last = today.replace(day=1) - datetime.timedelta(days=1)
    month = last.replace(day=1)
    year_start = (month.replace(day=15) - datetime.timedelta(days=335)).replace(day=1)
    return Report(
        "reconciliation",
        "Reconciliation (finance)",
        "penalties:reconciliation",
        "finance",
        {
            "month": {"month": f"{month:%Y-%m}"},
            "year": {"start": year_start.isoformat(), "end": last.isoformat()},
            "xlsx": {"start": year_start.isoformat(), "end": last.isoformat(), "export": "xlsx"},
            "csv": {"start": year_start.isoformat(), "end": last.isoformat(), "export": "csv"},
        },
    )


@dataclass(frozen=True)
class Export:
    """A download measured against a bare loop writing the same rows and columns."""

    key: str
    label: str
    url_name: str
    login: str
    params: dict
    kind: str  # "xlsx" or "csv"


EXPORTS = [
    Export(
        "penalties_xlsx", "Penalties as Excel (office)", "penalties:penalty_list", "office", {"export": "xlsx"}, "xlsx"
    ),
    Export("penalties_csv", "Penalties as CSV (office)", "penalties:penalty_list", "office", {"export": "csv"}, "csv"),
]

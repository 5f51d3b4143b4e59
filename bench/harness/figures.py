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
# The download ratios measure the cost per row, which only a download of many rows shows: under
# this many, the request's own floor (session, roles, filter form, the INS-6 read log: 15-20 ms,
# as much as a bare loop writing 500 rows) decides the ratio. Smaller ones are printed for the record.
DOWNLOAD_JUDGED_FROM_ROWS = 10_000
# The rows an exporter reads at a time (``tollservice.core.exports.EXPORT_CHUNK_SIZE``; this module
# is read without Django set up, a test keeps the two equal): the memory of a download is
# compared only between downloads that fill a batch.
EXPORT_BATCH_ROWS = 2000
# "Not growing": the download's peak at the large size within this of its peak at the base size.
MEMORY_GROWTH, MEMORY_SLACK_MIB = 1.2, 2.0


# In a page's ``args``: the year of the station's last day (a campaign's pages, a ledger's year).
THIS_YEAR = "this_year"


@dataclass(frozen=True)
class Page:
    """A paginated list: measured on its first and its last page."""

    key: str
    label: str
    url_name: str
    login: str  # a key of the station's "logins"
    params: dict = field(default_factory=dict)
    args: tuple = ()  # the URL's arguments; THIS_YEAR stands for the station's year

    def url_args(self, today: datetime.date) -> list:
        return [today.year if arg == THIS_YEAR else arg for arg in self.args]


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
    # Inspections (issue 10): their items scale with the rows.
    Page("inspections", "Inspections (office)", "inspections:inspection_list", "office"),
    Page(
        "inspections_filtered",
        "Inspections, filtered (office)",
        "inspections:inspection_list",
        "office",
        {"kind": "office_routine", "status": "closed"},
    ),
    Page("inspections_team", "Inspections (team leader)", "inspections:inspection_list", "teamleader"),
    Page("findings", "Findings (office)", "inspections:finding_list", "office"),
    Page("findings_team", "Findings (team leader)", "inspections:finding_list", "teamleader"),
    Page("orders", "Rectification orders (office)", "inspections:order_list", "office"),
    Page("inspection_review", "Visits to review (office)", "inspections:review_queue", "office"),
    # Complaints (issue 11): a quarter of the rows.
    Page("complaints", "Complaints (office)", "complaints:list", "office"),
    Page(
        "complaints_filtered",
        "Complaints, filtered (office)",
        "complaints:list",
        "office",
        {"status": "closed", "channel": "phone"},
    ),
    Page("complaints_team", "Complaints (team leader)", "complaints:list", "teamleader"),
    Page("complaint_ledger", "Complaint ledger (office)", "complaints:ledger", "office"),
    # Awards (issue 12): they grow with the staff, not the rows.
    Page("award_history", "Awards, every year (office)", "awards:award_list", "office"),
    Page("plaques", "Honour plaques (office)", "awards:plaque_register", "office"),
    Page("study", "Study records (office)", "awards:study_list", "office", args=(THIS_YEAR,)),
    Page(
        "ranking_teams", "Ranking: gold-medal teams (office)", "awards:ranking", "office", args=(THIS_YEAR, "gold_team")
    ),
    # The rankings read the stored ranking (awards.services.ranking_refresh, generated by the
    # station's "award_rankings" part): a page of it, whatever the staff.
    Page(
        "ranking_stars",
        "Ranking: service stars (office)",
        "awards:ranking",
        "office",
        args=(THIS_YEAR, "service_star"),
    ),
]
RANKING_STARS = LISTS[-1]


@dataclass(frozen=True)
class Report:
    """A report page measured once per period."""

    key: str
    label: str
    url_name: str
    login: str
    periods: dict  # name → query parameters


def _last_month_and_year(today: datetime.date) -> tuple[datetime.date, datetime.date, datetime.date]:
    """The first day of the last whole month, its last day, and the first day of the twelve
    months ending with it."""
    last = today.replace(day=1) - datetime.timedelta(days=1)
    month = last.replace(day=1)
    year_start = (month.replace(day=15) - datetime.timedelta(days=335)).replace(day=1)
    return month, last, year_start


def complaint_figures(today: datetime.date) -> Report:
    """The monthly report's complaint figures (12328 indicators) of the last whole month and of
    the twelve months ending with it."""
    month, last, year_start = _last_month_and_year(today)
    return Report(
        "complaint_figures",
        "Complaint figures (office)",
        "complaints:figures",
        "office",
        {
            "month": {"date_from": month.isoformat(), "date_to": last.isoformat()},
            "year": {"date_from": year_start.isoformat(), "date_to": last.isoformat()},
        },
    )


def reports(today: datetime.date) -> list[Report]:
    """Every report page measured, month against year."""
    return [reconciliation(today), complaint_figures(today)]


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
    # Whose bare loop: "" for the penalties' (``baselines``), else a key of ``module_baselines.BARE``.
    bare: str = ""


EXPORTS = [
    Export(
        "penalties_xlsx", "Penalties as Excel (office)", "penalties:penalty_list", "office", {"export": "xlsx"}, "xlsx"
    ),
    Export("penalties_csv", "Penalties as CSV (office)", "penalties:penalty_list", "office", {"export": "csv"}, "csv"),
    Export(
        "inspections_xlsx",
        "Inspections as Excel (office)",
        "inspections:inspection_list",
        "office",
        {"export": "xlsx"},
        "xlsx",
        "inspections",
    ),
    Export(
        "inspections_csv",
        "Inspections as CSV (office)",
        "inspections:inspection_list",
        "office",
        {"export": "csv"},
        "csv",
        "inspections",
    ),
    Export(
        "complaints_xlsx",
        "Complaints as Excel (office)",
        "complaints:list",
        "office",
        {"export": "xlsx"},
        "xlsx",
        "complaints",
    ),
    Export(
        "complaints_csv",
        "Complaints as CSV (office)",
        "complaints:list",
        "office",
        {"export": "csv"},
        "csv",
        "complaints",
    ),
]

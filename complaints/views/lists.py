"""The staff's lists: complaints with their filters and downloads, and the registration ledger."""

from __future__ import annotations

from django.utils import timezone

from complaints import exports, filters, selectors
from tollservice.core.list_views import ReportListView


class ComplaintListView(ReportListView):
    """Complaints the reader may see, newest first; filters by status, channel, category, team,
    lane, overdue and the person responsible; Excel and CSV of the filtered rows."""

    permission = "complaints.handle"
    tab = "complaints"
    template_name = "complaints/list.html"
    filterset_class = filters.ComplaintFilter
    report_class = exports.ComplaintReport

    def get_queryset(self):
        return selectors.complaint_list(user=self.request.user)

    def get_count_queryset(self):
        return selectors.complaints_to_count(user=self.request.user)


class LedgerView(ReportListView):
    """CMP-7: one year's registration ledger in number order, voided entries included."""

    permission = "complaints.view_all"
    tab = "ledger"
    template_name = "complaints/ledger.html"
    filterset_class = filters.LedgerFilter
    report_class = exports.LedgerReport
    paginate_by = 50

    @property
    def year(self) -> int:
        value = self.request.GET.get("year", "")
        return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else timezone.localdate().year

    def get_queryset(self):
        return selectors.complaint_ledger(user=self.request.user, year=self.year)

    def get_context_data(self, **kwargs):
        return super().get_context_data(year=self.year, **kwargs)

"""The lists: inspections, findings and rectification orders (each filtered, paginated and
downloadable as Excel or CSV from the same rows), and the office's review queue.

INS-6: a list that shows an unpublished covert visit to someone (the office, the leadership
group) logs the read, for the rows the page shows or the file holds.
"""

from __future__ import annotations

from django.shortcuts import render

from inspections import exports, filters, permissions, selectors
from inspections.models import CovertRead, Inspection
from inspections.secrecy import covert_reads_record
from tollservice.access.views import permission_required
from tollservice.core.list_views import ReportListView, page_of


def _secret_among(inspections):
    """The unpublished covert visits among ``inspections`` (a queryset), read in one query."""
    secret = inspections.filter(kind=Inspection.Kind.SUPERVISOR_COVERT).exclude(status__in=Inspection.EFFECTIVE)
    return list(secret.order_by())  # logged in no particular order: nothing to sort


class InspectionListView(ReportListView):
    permission = "inspections.view"
    tab = "inspections"
    template_name = "inspections/inspection_list.html"
    filterset_class = filters.InspectionFilter
    report_class = exports.InspectionReport

    def get_queryset(self):
        return selectors.inspection_list(user=self.request.user)

    def get_count_queryset(self):
        return selectors.inspections_to_count(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The page's rows are the report's tuples (the key first): its secret visits in one query.
        shown = Inspection.objects.filter(pk__in=[row[0] for row in context["page_obj"].object_list])
        covert_reads_record(inspections=_secret_among(shown), user=self.request.user, context=CovertRead.Context.LIST)
        return context

    def export(self, kind: str):
        secret = _secret_among(self.filtered_queryset().order_by())
        covert_reads_record(inspections=secret, user=self.request.user, context=CovertRead.Context.EXPORT)
        return super().export(kind)


class FindingListView(ReportListView):
    permission = "inspections.view"
    tab = "findings"
    template_name = "inspections/finding_list.html"
    filterset_class = filters.FindingFilter
    report_class = exports.FindingReport

    def get_queryset(self):
        return selectors.finding_list(user=self.request.user)

    def get_count_queryset(self):
        return selectors.findings_to_count(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The page's rows are the report's tuples (the finding, then its inspection): the secret
        # visits among their inspections in one query.
        shown = Inspection.objects.filter(pk__in={row[1] for row in context["page_obj"].object_list})
        covert_reads_record(inspections=_secret_among(shown), user=self.request.user, context=CovertRead.Context.LIST)
        return context

    def export(self, kind: str):
        findings = self.filtered_queryset().order_by()
        secret = _secret_among(Inspection.objects.filter(pk__in=findings.values("inspection_id")))
        covert_reads_record(inspections=secret, user=self.request.user, context=CovertRead.Context.EXPORT)
        return super().export(kind)


class OrderListView(ReportListView):
    """Orders exist only for inspections in effect, so no covert visit is ever read here."""

    permission = "inspections.view"
    tab = "orders"
    template_name = "inspections/order_list.html"
    filterset_class = filters.OrderFilter
    report_class = exports.OrderReport

    def get_queryset(self):
        return selectors.order_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["to_verify"] = selectors.orders_to_verify(user=self.request.user)[:10]
        return context


@permission_required("inspections.review")
def review_queue(request):
    """INS-6: supervisors' visits awaiting the office's review, oldest first."""
    page = page_of(request, selectors.review_queue(user=request.user))
    for inspection in page.object_list:
        inspection.can_review = permissions.can(permissions.check_review, request.user, inspection)
        inspection.can_void = permissions.can(permissions.check_void, request.user, inspection)
    covert_reads_record(inspections=page.object_list, user=request.user, context=CovertRead.Context.LIST)
    return render(request, "inspections/review_queue.html", {"tab": "review", "page_obj": page})

"""The fine ledger on screen (PEN-5, "no 小金库"): outstanding fines, collection with a receipt,
receipts, waivers with two approvers, corrections, balances and the reconciliation.

Collected fines are booked as non-operating income (营业外收入); the services keep the ledger
append-only and collection exactly-once, the pages show and export what they booked.
"""

from __future__ import annotations

import datetime
import itertools

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from penalties import exports, filters, forms, permissions, selectors, services
from penalties.models import LedgerEntry, WaiverRequest
from penalties.views.base import PenaltyFormView, ServiceFormView
from tollservice.access.permissions import has_permission
from tollservice.access.views import permission_required
from tollservice.audit.selectors import recent_history
from tollservice.core.dates import shift_month
from tollservice.core.exports import EXPORT_CHUNK_SIZE, export_response
from tollservice.core.list_views import ReportListView, export_queries, page_of, requested_export
from tollservice.core.money import format_yuan
from tollservice.roster import selectors as roster_selectors

BALANCES_PER_PAGE = 50
ENTRIES_PER_PAGE = 50

# --- Outstanding fines and collection --------------------------------------------------------------


class OutstandingView(ReportListView):
    permission = "ledger.view"
    tab = "fines"
    template_name = "penalties/outstanding.html"
    filterset_class = filters.OutstandingFilter
    report_class = exports.OutstandingReport

    def get_queryset(self):
        return selectors.penalty_outstanding(user=self.request.user)

    @cached_property
    def figures(self) -> selectors.OutstandingFigures:
        """How many fines the filters leave and their totals, from kept sums (not every fine owed)."""
        if self.filter_values is None:
            return selectors.OutstandingFigures()
        return selectors.outstanding_figures(user=self.request.user, **self.filter_values)

    def row_count(self, filtered):
        return self.figures.fines

    def get_context_data(self, **kwargs):
        return super().get_context_data(totals=self.figures.totals, **kwargs)


class FineCollectView(PenaltyFormView):
    """PEN-5: the finance office records money received, with its receipt (exactly once)."""

    permission = "ledger.collect"
    form_class = forms.CollectForm
    submit_label = _("Record the collection")
    tab = "fines"
    intro = _("Collected fines are booked as non-operating income (营业外收入).")

    def get_title(self) -> str:
        return gettext("Collect the fine of %(name)s") % {"name": self.penalty.staff.name}

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"outstanding_fen": self.penalty.outstanding_fen}

    def get_warning(self) -> str:
        verdict = permissions.can_collect(self.request.user, self.penalty, outstanding_fen=self.penalty.outstanding_fen)
        return "" if verdict else verdict.message

    def perform(self, form):
        return services.fine_collect(penalty=self.penalty, collected_by=self.request.user, **form.collect_kwargs())

    def success_message(self, result) -> str:
        return gettext("Receipt %(number)s recorded: %(amount)s yuan collected, booked as non-operating income.") % {
            "number": result.receipt_number,
            "amount": format_yuan(result.amount_fen),
        }


class ReceiptListView(ReportListView):
    permission = "ledger.view"
    tab = "receipts"
    template_name = "penalties/receipt_list.html"
    filterset_class = filters.ReceiptFilter
    report_class = exports.ReceiptReport

    def get_queryset(self):
        return selectors.ledger_receipts(user=self.request.user).order_by("-booked_on", "-created_at", "-pk")

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_reverse=has_permission(self.request.user, "ledger.reverse"), **kwargs)


class LedgerEntryReverseView(ServiceFormView):
    """Correct a wrong collection or waiver by a reversal entry, with reasons (never an edit)."""

    permission = "ledger.reverse"
    form_class = forms.ReasonForm
    submit_label = _("Reverse the entry")
    danger = True
    tab = "fines"
    aside_templates = ("penalties/includes/entry_summary.html",)
    intro = _(
        "The entry stays in the ledger; a reversal entry of the same amount cancels it. Book the right entry "
        "afterwards, e.g. the collection with the correct receipt."
    )

    @cached_property
    def entry(self) -> LedgerEntry:
        return get_object_or_404(selectors.ledger_entry_list(user=self.request.user), pk=self.kwargs["pk"])

    def get_warning(self) -> str:
        already_reversed = LedgerEntry.objects.filter(reverses=self.entry).exists()
        verdict = permissions.can_reverse_entry(self.request.user, self.entry, already_reversed=already_reversed)
        return "" if verdict else verdict.message

    def get_title(self) -> str:
        return gettext("Reverse entry #%(penalty)s/%(sequence)s") % {
            "penalty": self.entry.penalty_id,
            "sequence": self.entry.sequence,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(entry=self.entry, **kwargs)

    def get_cancel_url(self) -> str:
        return reverse("penalties:penalty_detail", args=[self.entry.penalty_id])

    def perform(self, form):
        return services.ledger_entry_reverse(entry=self.entry, reversed_by=self.request.user, **form.cleaned_data)

    def success_message(self, result) -> str:
        return gettext("The entry was reversed.")

    def success_url_for(self, result) -> str:
        return self.get_cancel_url()


class LedgerPeriodCloseView(ServiceFormView):
    """PEN-5: the finance office closes a month's books once it has reconciled them."""

    permission = "ledger.close"
    form_class = forms.PeriodCloseForm
    title = _("Close the books for a month")
    submit_label = _("Close the books")
    danger = True
    tab = "reconciliation"
    intro = _(
        "Once a month is closed, no entry can be booked on or before its last day: a late receipt is booked "
        "on the day it is recorded, a correction is a reversal booked today. The month's figures are kept "
        "with the closing. Only a month that has ended and balances can be closed."
    )

    def get_initial(self):
        return {"month": self.request.GET.get("month", "")}

    def get_cancel_url(self) -> str:
        return reverse("penalties:reconciliation")

    def perform(self, form):
        return services.ledger_period_close(closed_by=self.request.user, **form.cleaned_data)

    def success_message(self, result) -> str:
        return gettext("The books are closed through %(date)s.") % {"date": forms.month_end(result.month).isoformat()}

    def success_url_for(self, result) -> str:
        return f"{reverse('penalties:reconciliation')}?month={result.month:%Y-%m}"


# --- Waivers ------------------------------------------------------------------------------------


class WaiverListView(ReportListView):
    """Waiver requests: by default those waiting for the user's approval, if they may approve."""

    permission = "ledger.view"
    tab = "waivers"
    template_name = "penalties/waiver_list.html"
    filterset_class = filters.WaiverFilter
    report_class = exports.WaiverReport

    @cached_property
    def show_queue(self) -> bool:
        may_approve = has_permission(self.request.user, "ledger.waive_approve")
        return may_approve and self.request.GET.get("show") != "all"

    def get_queryset(self):
        if self.show_queue:
            return selectors.waiver_queue(user=self.request.user)
        return selectors.waiver_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            show_queue=self.show_queue,
            hidden_params=[] if self.show_queue else [("show", "all")],
            may_approve=has_permission(self.request.user, "ledger.waive_approve"),
            **kwargs,
        )


class WaiverRequestView(PenaltyFormView):
    """PEN-5: ask for a fine to be formally waived; two approvers, one of the leadership group."""

    permission = "ledger.waive_request"
    form_class = forms.WaiverRequestForm
    submit_label = _("Request the waiver")
    tab = "waivers"

    def get_title(self) -> str:
        return gettext("Waive the fine of %(name)s") % {"name": self.penalty.staff.name}

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"outstanding_fen": self.penalty.outstanding_fen}

    def perform(self, form):
        return services.waiver_request(penalty=self.penalty, requested_by=self.request.user, **form.request_kwargs())

    def success_message(self, result) -> str:
        return gettext("Waiver requested. It takes effect once two approvers have agreed.")

    def success_url_for(self, result) -> str:
        return reverse("penalties:waiver_detail", args=[result.pk])


def _waiver_or_404(user, pk: int) -> WaiverRequest:
    try:
        return selectors.waiver_detail(user=user, pk=pk)
    except WaiverRequest.DoesNotExist:
        raise Http404 from None


@permission_required("ledger.view")
def waiver_detail(request, pk: int):
    waiver = _waiver_or_404(request.user, pk)
    steps = selectors.waiver_steps(user=request.user, waiver=waiver)
    return render(
        request,
        "penalties/waiver_detail.html",
        {
            "tab": "waivers",
            "waiver": waiver,
            "approvals": list(waiver.approvals.all()),
            "required": WaiverRequest.REQUIRED_APPROVALS,
            "steps": steps,
            "approve_form": forms.WaiverApproveForm() if steps.approve else None,
            "reject_form": forms.ReasonForm() if steps.reject else None,
            "history": recent_history(waiver) if has_permission(request.user, "audit.view") else None,
        },
    )


class WaiverStepView(ServiceFormView):
    permission = "ledger.waive_approve"
    tab = "waivers"
    aside_templates = ("penalties/includes/waiver_summary.html",)

    @cached_property
    def waiver(self) -> WaiverRequest:
        return _waiver_or_404(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(waiver=self.waiver, **kwargs)

    def get_cancel_url(self) -> str:
        return reverse("penalties:waiver_detail", args=[self.waiver.pk])

    def success_url_for(self, result) -> str:
        return self.get_cancel_url()


class WaiverApproveView(WaiverStepView):
    form_class = forms.WaiverApproveForm
    submit_label = _("Approve the waiver")

    def get_title(self) -> str:
        return gettext("Approve the waiver of %(amount)s yuan for %(name)s") % {
            "amount": format_yuan(self.waiver.amount_fen),
            "name": self.waiver.penalty.staff.name,
        }

    def get_warning(self) -> str:
        verdict = selectors.waiver_steps(user=self.request.user, waiver=self.waiver).approve
        return "" if verdict else verdict.message

    def perform(self, form):
        return services.waiver_approve(waiver=self.waiver, approved_by=self.request.user, **form.cleaned_data)

    def success_message(self, result) -> str:
        if result.status == WaiverRequest.Status.APPROVED:
            return gettext("Waiver approved: the amount is booked as formally waived.")
        return gettext("Your approval is recorded; a second approver is needed.")


class WaiverRejectView(WaiverStepView):
    form_class = forms.ReasonForm
    submit_label = _("Reject the waiver")
    danger = True

    def get_title(self) -> str:
        return gettext("Reject the waiver for %(name)s") % {"name": self.waiver.penalty.staff.name}

    def perform(self, form):
        return services.waiver_reject(waiver=self.waiver, rejected_by=self.request.user, **form.cleaned_data)

    def success_message(self, result) -> str:
        return gettext("Waiver rejected; the fine stays outstanding.")


# --- Balances and reconciliation ------------------------------------------------------------------


@permission_required("ledger.view")
def balances(request):
    """Balances per person, team or department, for entries booked in an optional range.

    A page reads the balances of its own keys only; the totals are one aggregate."""
    form = forms.BalanceForm(request.GET or None)
    by, start, end = form.values()
    scope = {"user": request.user, "start": start, "end": end}
    keys = selectors.ledger_balance_keys(by=by, **scope)
    # The penalties of staff outside any team: one more row, after the teams.
    without_team = selectors.ledger_balance_without_team(**scope) if by == "team" else None
    report = exports.BalanceReport(by, **scope)
    totals = report.totals(selectors.ledger_balance_totals(**scope))
    if kind := requested_export(request):
        objects = itertools.chain(keys.iterator(chunk_size=EXPORT_CHUNK_SIZE), [without_team] if without_team else [])
        return export_response(kind, report, report.rows(objects), totals=totals)
    counted = selectors.ledger_balance_keys_to_count(by=by, **scope)
    page = page_of(request, keys, per_page=BALANCES_PER_PAGE, count_of=counted)
    rows = list(report.rows(page.object_list))
    if without_team and not page.has_next():
        rows.append(report.row(without_team))
    return render(
        request,
        "penalties/balances.html",
        {
            "tab": "balances",
            "form": form,
            "by": by,
            "report": report,
            "rows": rows,
            "totals": totals,
            "page_obj": page,
            "export_queries": export_queries(request),
        },
    )


def _month_link(first: datetime.date, months: int) -> str:
    """The ``?month=`` value of a neighbouring month; empty at the ends of the months one may pick."""
    shifted = shift_month(first, months)
    return shifted.strftime("%Y-%m") if shifted else ""


@permission_required("ledger.view")
def reconciliation(request):
    """PEN-5 for any period (default: this month): assessed = collected + waived + outstanding,
    to the fen, the figures summed by the database and the entries listed a page at a time; the
    Excel file has every entry, the same totals and summary."""
    this_month = timezone.localdate().strftime("%Y-%m")
    form = forms.PeriodForm(request.GET or None, initial={"month": this_month})
    start, end = form.period()
    station = roster_selectors.station_current()
    rec = selectors.ledger_reconciliation(user=request.user, start=start, end=end, with_entries=False)
    report = exports.ReconciliationReport(rec)
    entries = report.source(selectors.ledger_entry_list(user=request.user, start=start, end=end))
    if kind := requested_export(request):
        # The file streams its rows from the database, so a year costs no more memory than a day.
        heading = [
            str(report.title),
            station.name if station else "",
            gettext("Period: %(start)s to %(end)s") % {"start": start.isoformat(), "end": end.isoformat()},
        ]
        rows = report.rows(entries.iterator(chunk_size=EXPORT_CHUNK_SIZE))
        return export_response(kind, report, rows, heading=heading, summary=report.summary(), totals=report.totals())
    page = page_of(request, entries, per_page=ENTRIES_PER_PAGE)
    pinned = {} if request.GET else {"month": start.strftime("%Y-%m")}
    return render(
        request,
        "penalties/reconciliation.html",
        {
            "tab": "reconciliation",
            "form": form,
            "rec": rec,
            "report": report,
            "rows": list(report.rows(page.object_list)),
            "page_obj": page,
            "totals": report.totals(),
            "summary": report.summary(),
            "station": station,
            "is_month": rec.is_month,
            "previous_month": _month_link(start, -1) if rec.is_month else "",
            "next_month": _month_link(start, 1) if rec.is_month else "",
            "export_queries": export_queries(request, **pinned),
            "books": selectors.ledger_period_closing(user=request.user, rec=rec),
        },
    )

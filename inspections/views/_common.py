"""What the inspections pages share: objects looked up in the user's scope (outside it, a 404 as
if they did not exist) and the form view that calls one service."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property

from inspections import selectors
from inspections.models import CovertRead, Inspection, ItemResult, RectificationOrder
from inspections.secrecy import covert_read_record
from tollservice.core.errors import DomainError
from tollservice.core.service_views import StepFormView


def inspection_or_404(user, pk: int, *, read: bool = False) -> Inspection:
    """The inspection if ``user`` may see it. ``read``: the page shows it, so reading an
    unpublished covert visit is logged (INS-6)."""
    try:
        inspection = (
            selectors.inspections_visible_to(user)
            .select_related("team", "team__leader", "lane", "booth", "supervisor", "checklist_version", "shift_leader")
            .get(pk=pk)
        )
    except Inspection.DoesNotExist:
        raise Http404 from None
    if read:
        covert_read_record(inspection=inspection, user=user, context=CovertRead.Context.DETAIL)
    return inspection


def finding_or_404(user, pk: int) -> ItemResult:
    try:
        return (
            selectors.findings_visible_to(user)
            .select_related("inspection", "inspection__team", "item", "staff")
            .get(pk=pk)
        )
    except ItemResult.DoesNotExist:
        raise Http404 from None


def order_or_404(user, pk: int) -> RectificationOrder:
    try:
        return (
            selectors.orders_visible_to(user)
            .select_related("team", "team__leader", "assignee", "finding__item", "finding__staff", "inspection")
            .get(pk=pk)
        )
    except RectificationOrder.DoesNotExist:
        raise Http404 from None


def inspection_url(inspection: Inspection, anchor: str = "") -> str:
    return reverse("inspections:inspection_detail", args=[inspection.pk]) + (f"#{anchor}" if anchor else "")


class ServiceFormView(StepFormView):
    """An inspections form page: the form on a card, and cards beside it (``aside_templates``)."""

    template_name = "inspections/form.html"
    tab = "inspections"

    def check_step(self) -> None:
        """Raise the ``DomainError`` of ``inspections.permissions`` that refuses this step to the
        user now (the service makes the same check when the form is sent)."""

    def get(self, request, *args, **kwargs):
        # A step the user cannot take (not theirs, or no longer open) is not offered as a form.
        try:
            self.check_step()
        except DomainError as error:
            messages.error(request, str(error))
            return redirect(self.get_cancel_url())
        return super().get(request, *args, **kwargs)


class InspectionFormView(ServiceFormView):
    """A step on one inspection in the user's scope; shown beside the inspection's summary."""

    aside_templates = ("inspections/includes/inspection_summary.html",)
    # Showing the inspection to someone is a read (INS-6: logged while a covert visit is secret);
    # the author's own editing pages are not.
    logs_read = True

    @cached_property
    def inspection(self) -> Inspection:
        read = self.logs_read and self.request.method == "GET"
        return inspection_or_404(self.request.user, self.kwargs["pk"], read=read)

    def get_context_data(self, **kwargs):
        return super().get_context_data(inspection=self.inspection, **kwargs)

    def get_cancel_url(self) -> str:
        return inspection_url(self.inspection)

    def success_url_for(self, result) -> str:
        return inspection_url(self.inspection)


class FindingFormView(ServiceFormView):
    """A step on one finding (an outcome, an appeal); shown beside the finding."""

    aside_templates = ("inspections/includes/finding_summary.html",)

    @cached_property
    def finding(self) -> ItemResult:
        return finding_or_404(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(finding=self.finding, inspection=self.finding.inspection, **kwargs)

    def get_cancel_url(self) -> str:
        return inspection_url(self.finding.inspection, f"finding-{self.finding.pk}")

    def success_url_for(self, result) -> str:
        return self.get_cancel_url()


class OrderFormView(ServiceFormView):
    """A step on one rectification order; shown beside the order."""

    tab = "orders"
    aside_templates = ("inspections/includes/order_summary.html",)

    @cached_property
    def order(self) -> RectificationOrder:
        return order_or_404(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(order=self.order, **kwargs)

    def get_cancel_url(self) -> str:
        return reverse("inspections:order_detail", args=[self.order.pk])

    def success_url_for(self, result) -> str:
        return self.get_cancel_url()

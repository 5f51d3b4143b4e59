"""INS-2: what follows each finding — a critical suggestion, a penalty proposed through the
penalty services, a rectification order — and appeals against findings (INS-6)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from inspections import forms, permissions, selectors, services
from inspections.models import Appeal, InspectionSettings
from inspections.views._common import FindingFormView, ServiceFormView
from penalties.links import PENALTY_DETAIL
from penalties.links import portal_url as penalty_url
from tollservice.access.views import permission_required
from tollservice.core.list_views import page_of


class SuggestView(FindingFormView):
    permission = "inspections.outcomes"
    form_class = forms.SuggestionForm
    title = _("Critical suggestion")

    def check_step(self):
        permissions.check_outcome(self.request.user, self.finding)

    def perform(self, form):
        return services.finding_suggest(finding=self.finding, suggested_by=self.request.user, **form.cleaned_data)

    def success_message(self, result) -> str:
        return gettext("Suggestion recorded.")


class PenaltyProposeView(FindingFormView):
    permission = "penalties.propose"
    form_class = forms.PenaltyProposeForm
    title = _("Propose a penalty for this finding")
    submit_label = _("Propose")
    intro = _(
        "The penalty is proposed for the staff member concerned, citing the item's provision of the service "
        "code; the office decides it on the penalty's page."
    )

    def check_step(self):
        permissions.check_outcome(self.request.user, self.finding)

    def perform(self, form):
        return services.finding_penalty_propose(
            finding=self.finding, proposed_by=self.request.user, **form.cleaned_data
        )

    def success_message(self, result) -> str:
        return gettext("Penalty proposed.")

    def success_url_for(self, result) -> str:
        return penalty_url(PENALTY_DETAIL, pk=result.penalty_id)


class OrderIssueView(FindingFormView):
    permission = "inspections.outcomes"
    form_class = forms.OrderIssueForm
    title = _("Order a rectification")
    submit_label = _("Issue the order")

    def check_step(self):
        permissions.check_outcome(self.request.user, self.finding)

    def perform(self, form):
        return services.rectification_order_issue(
            finding=self.finding, issued_by=self.request.user, **form.cleaned_data
        )

    def success_message(self, result) -> str:
        return gettext("Rectification ordered by %(date)s.") % {"date": result.deadline.isoformat()}

    def success_url_for(self, result) -> str:
        return reverse("inspections:order_detail", args=[result.pk])


class AppealLodgeView(FindingFormView):
    """INS-6: the visited team's leader appeals a finding, with evidence."""

    permission = "inspections.appeal"
    form_class = forms.AppealForm
    title = _("Appeal against the finding")
    submit_label = _("Lodge the appeal")

    def check_step(self):
        appeal_days = InspectionSettings.current().appeal_days
        permissions.check_appeal(self.request.user, self.finding, appeal_days=appeal_days)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"files": self.request.FILES or None}

    def perform(self, form):
        data = form.cleaned_data
        appeal = services.appeal_lodge(finding=self.finding, lodged_by=self.request.user, grounds=data["grounds"])
        inspection = self.finding.inspection
        for photo in data["photos"]:
            services.evidence_photo_add(inspection=inspection, added_by=self.request.user, upload=photo, appeal=appeal)
        if data.get("camera"):
            services.evidence_cctv_add(
                inspection=inspection,
                added_by=self.request.user,
                camera=data["camera"],
                recorded_at=data["recorded_at"],
                appeal=appeal,
            )
        return appeal

    def success_message(self, result) -> str:
        return gettext("Appeal lodged: the decision is notified to you.")


@permission_required("inspections.view")
def appeal_list(request):
    """Appeals on the inspections the user sees; the deciders see what waits first."""
    pending = request.GET.get("all") != "1"
    page = page_of(request, selectors.appeal_list(user=request.user, pending_only=pending))
    for appeal in page.object_list:
        appeal.can_decide = permissions.can(permissions.check_appeal_decide, request.user, appeal)
    return render(request, "inspections/appeal_list.html", {"tab": "appeals", "page_obj": page, "pending": pending})


class AppealDecideView(ServiceFormView):
    permission = "inspections.appeal_decide"
    tab = "appeals"
    form_class = forms.AppealDecideForm
    title = _("Decide the appeal")
    submit_label = _("Decide")
    aside_templates = ("inspections/includes/appeal_summary.html",)

    def check_step(self):
        permissions.check_appeal_decide(self.request.user, self.appeal)

    @cached_property
    def appeal(self) -> Appeal:
        try:
            return selectors.appeal_list(user=self.request.user).get(pk=self.kwargs["pk"])
        except Appeal.DoesNotExist:
            raise Http404 from None

    def get_context_data(self, **kwargs):
        return super().get_context_data(appeal=self.appeal, **kwargs)

    def get_cancel_url(self) -> str:
        return reverse("inspections:appeal_list")

    def perform(self, form):
        return services.appeal_decide(appeal=self.appeal, decided_by=self.request.user, **form.cleaned_data)

    def success_message(self, result) -> str:
        return gettext("Appeal decided: %(decision)s.") % {"decision": result.get_status_display()}

    def success_url_for(self, result) -> str:
        return reverse("inspections:inspection_detail", args=[result.inspection_id])

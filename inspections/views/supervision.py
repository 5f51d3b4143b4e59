"""Supervisors' written reports (INS-6) and the leadership group's decisions on them (INS-7), and
the teams put to the office for leaving orders overdue (INS-4, INS-5)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from inspections import forms, permissions, selectors, services
from inspections.models import OverdueProposal, SupervisorReport
from inspections.views._common import ServiceFormView
from penalties.links import PENALTY_DETAIL
from penalties.links import portal_url as penalty_url
from tollservice.access.permissions import has_permission
from tollservice.access.roles import roles_for
from tollservice.access.views import permission_required
from tollservice.core.list_views import page_of
from tollservice.reminders.selectors import deadlines_for


@permission_required("supervisor_reports.view")
def report_list(request):
    page = page_of(request, selectors.supervisor_report_list(user=request.user))
    return render(
        request,
        "inspections/supervisor_report_list.html",
        {
            "tab": "reports",
            "page_obj": page,
            "queue": selectors.supervisor_report_queue(user=request.user),
            "can_submit": has_permission(request.user, "supervisor_reports.submit"),
        },
    )


def _report_or_404(user, pk: int) -> SupervisorReport:
    try:
        return selectors.supervisor_report_list(user=user).get(pk=pk)
    except SupervisorReport.DoesNotExist:
        raise Http404 from None


@permission_required("supervisor_reports.view")
def report_detail(request, pk: int):
    report = _report_or_404(request.user, pk)
    visits = selectors.inspections_visible_to(request.user).filter(pk__in=report.visits.values("pk"))
    return render(
        request,
        "inspections/report_detail.html",
        {
            "tab": "reports",
            "report": report,
            "visits": visits.select_related("team").order_by("occurred_at"),
            "can_decide": permissions.can(permissions.check_report_decide, request.user, report),
            "can_propose": has_permission(request.user, "penalties.propose")
            and report.status == SupervisorReport.Status.SUBMITTED,
            "deadlines": deadlines_for(obj=report) if has_permission(request.user, "supervisor_reports.decide") else [],
        },
    )


class ReportSubmitView(ServiceFormView):
    permission = "supervisor_reports.submit"
    tab = "reports"
    template_name = "inspections/report_form.html"
    form_class = forms.ReportSubmitForm
    title = _("Written report to the leadership group")
    submit_label = _("Submit the report")

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"supervisor_id": roles_for(self.request.user).supervisor_id}

    def get_cancel_url(self) -> str:
        return reverse("inspections:report_list")

    def perform(self, form):
        return services.supervisor_report_submit(submitted_by=self.request.user, **form.submit_kwargs())

    def success_message(self, result) -> str:
        return gettext("Report submitted: the leadership group decides on it by %(date)s.") % {
            "date": result.decision_due.isoformat()
        }

    def success_url_for(self, result) -> str:
        return reverse("inspections:report_detail", args=[result.pk])


class _ReportFormView(ServiceFormView):
    tab = "reports"
    aside_templates = ("inspections/includes/report_summary.html",)

    @cached_property
    def report(self) -> SupervisorReport:
        return _report_or_404(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(report=self.report, **kwargs)

    def get_cancel_url(self) -> str:
        return reverse("inspections:report_detail", args=[self.report.pk])

    def success_url_for(self, result) -> str:
        return self.get_cancel_url()


class ReportDecideView(_ReportFormView):
    permission = "supervisor_reports.decide"
    form_class = forms.ReportDecideForm
    title = _("Decision on the report")
    submit_label = _("Record the decision")

    def check_step(self):
        permissions.check_report_decide(self.request.user, self.report)

    def perform(self, form):
        return services.supervisor_report_decide(report=self.report, decided_by=self.request.user, **form.cleaned_data)

    def success_message(self, result) -> str:
        return gettext("Decision recorded: %(decision)s.") % {"decision": result.get_decision_display()}


class ReportPenaltyView(_ReportFormView):
    permission = "penalties.propose"
    form_class = forms.ReportPenaltyForm
    title = _("Propose a penalty the report suggests")
    submit_label = _("Propose")

    def perform(self, form):
        data = form.cleaned_data
        return services.supervisor_report_penalty_propose(
            report=self.report,
            proposed_by=self.request.user,
            staff=data["staff"],
            provisions=list(data["provisions"]),
            incident_date=data["incident_date"],
            description=data["description"],
        )

    def success_message(self, result) -> str:
        return gettext("Penalty proposed for %(name)s.") % {"name": result.staff.name}

    def success_url_for(self, result) -> str:
        return penalty_url(PENALTY_DETAIL, pk=result.pk)


# --- Teams that leave orders overdue (INS-4, INS-5) -------------------------------------------------


@permission_required("rectification.manage")
def overdue_list(request):
    proposals = selectors.overdue_proposal_list(user=request.user, open_only=request.GET.get("all") != "1")
    return render(
        request,
        "inspections/overdue_list.html",
        {"tab": "overdue", "page_obj": page_of(request, proposals), "show_all": request.GET.get("all") == "1"},
    )


class OverdueResolveView(ServiceFormView):
    permission = "rectification.manage"
    tab = "overdue"
    form_class = forms.OverdueResolveForm
    title = _("Act on a team that left orders overdue")
    submit_label = _("Record")
    aside_templates = ("inspections/includes/proposal_summary.html",)

    @cached_property
    def proposal(self) -> OverdueProposal:
        try:
            return selectors.overdue_proposal_list(user=self.request.user, open_only=False).get(pk=self.kwargs["pk"])
        except OverdueProposal.DoesNotExist:
            raise Http404 from None

    def get_context_data(self, **kwargs):
        return super().get_context_data(proposal=self.proposal, **kwargs)

    def get_cancel_url(self) -> str:
        return reverse("inspections:overdue_list")

    def perform(self, form):
        return services.overdue_proposal_resolve(
            proposal=self.proposal, resolved_by=self.request.user, **form.resolve_kwargs()
        )

    def success_message(self, result) -> str:
        return gettext("Recorded: %(status)s.") % {"status": result.get_status_display()}

    def success_url_for(self, result) -> str:
        return reverse("inspections:overdue_list")

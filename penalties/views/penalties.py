"""A penalty's life on screen: propose (with the rule's fine shown before saving), decide,
withdraw, approve or reject (leadership group), revoke — and the lists that find them.

Every step calls one service; the services hold the rules (PEN-1 … PEN-5) and say no with a
``DomainError``, which comes back as a form error with everything the user typed.
"""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from penalties import exports, filters, forms, permissions, selectors, services
from penalties.models import Penalty
from penalties.views.base import PenaltyFormView, ServiceFormView, penalty_or_404
from tollservice.access.permissions import has_permission
from tollservice.access.views import permission_required
from tollservice.audit.selectors import recent_history
from tollservice.core.errors import DomainError
from tollservice.core.list_views import ReportListView
from tollservice.core.text import join_list, join_sentences
from tollservice.roster import selectors as roster_selectors

# --- Lists ------------------------------------------------------------------------------------


class PenaltyListView(ReportListView):
    """Penalties in the user's scope: all for the office, leadership and finance; a team leader's
    team; a staff member's own."""

    permission = "penalties.view_own"
    tab = "penalties"
    template_name = "penalties/penalty_list.html"
    filterset_class = filters.PenaltyFilter
    report_class = exports.PenaltyReport

    def get_queryset(self):
        return selectors.penalty_list(user=self.request.user)

    def page_extras(self, objects):
        selectors.attach_balances(objects)

    def export_queryset(self):
        return selectors.with_balances(super().export_queryset())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if has_permission(self.request.user, "penalties.view_all"):
            # The totals read every listed penalty's entries: shown up to the count's cap (a
            # filter narrows a larger list; the reconciliation totals the whole ledger).
            page = context["page_obj"]
            context["totals"] = None if page.count_capped else selectors.totals_of_penalties(self.object_list)
            context["totals_capped"] = page.count_capped
        return context


class MyPenaltiesView(ReportListView):
    """A staff member's own penalties, once decided (they are notified of each)."""

    permission = "penalties.view_own"
    tab = "mine"
    template_name = "penalties/my_penalties.html"
    filterset_class = filters.MyPenaltyFilter
    report_class = exports.PenaltyReport

    def get_queryset(self):
        return selectors.penalty_list(user=self.request.user, only_own=True)

    def page_extras(self, objects):
        selectors.attach_balances(objects)

    def export_queryset(self):
        return selectors.with_balances(super().export_queryset())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["totals"] = selectors.totals_of_penalties(self.object_list)
        return context


class ApprovalQueueView(ReportListView):
    """PEN-2 / PEN-3: what waits for a decision of the leadership group."""

    permission = "penalties.approve"
    tab = "approvals"
    template_name = "penalties/approval_queue.html"
    filterset_class = filters.ApprovalQueueFilter
    report_class = exports.ApprovalQueueReport

    def get_queryset(self):
        return selectors.penalty_approval_queue(user=self.request.user)


# --- One penalty ------------------------------------------------------------------------------


@permission_required("penalties.view_own")
def penalty_detail(request, pk: int):
    penalty = penalty_or_404(request.user, pk)
    can_see_all = has_permission(request.user, "penalties.view_all")
    return render(
        request,
        "penalties/penalty_detail.html",
        {
            "tab": "penalties" if can_see_all else "mine",
            "penalty": penalty,
            "timeline": selectors.penalty_timeline(penalty=penalty),
            "actions": selectors.penalty_actions(user=request.user, penalty=penalty),
            "notice": selectors.penalty_notice(penalty=penalty),
            "can_see_all": can_see_all,
            "history": recent_history(penalty) if has_permission(request.user, "audit.view") else None,
            "waits_for": exports.waits_for(penalty),
        },
    )


@permission_required("penalties.view_own")
def penalty_notice(request, pk: int):
    """The decision as a printable notice, to hand to a person the portal could not reach."""
    penalty = penalty_or_404(request.user, pk)
    return render(
        request,
        "penalties/penalty_notice.html",
        {"penalty": penalty, "station": roster_selectors.station_current()},
    )


class PenaltyProposeView(ServiceFormView):
    """PEN-5: the office proposes a penalty from a person (``?staff=``) or a source reference
    (``?source=…&source_reference=…``). "Preview" shows what the rule gives — the fine, the
    PEN-2 escalation, the loss of award eligibility — before anything is saved."""

    permission = "penalties.propose"
    tab = "penalties"
    template_name = "penalties/penalty_propose.html"
    form_class = forms.PenaltyProposalForm
    title = _("Propose a penalty")
    submit_label = _("Propose")

    def get_initial(self):
        initial = super().get_initial()
        for key in ("staff", "source", "source_reference", "rule"):
            if value := self.request.GET.get(key):
                initial[key] = value
        return initial

    def get_cancel_url(self) -> str:
        return reverse("penalties:penalty_list")

    preview_context: dict = {}

    def form_valid(self, form):
        previews, preview_error = self.previews(form)
        duplicates = [penalty for item in previews for penalty in item.duplicates]
        ready = (
            bool(previews)
            and preview_error is None
            and not any(item.errors for item in previews)
            and (not duplicates or form.cleaned_data.get("separate_incident"))
        )
        self.preview_context = {
            "previews": previews,
            "preview_error": preview_error,
            "ready": ready,
            "duplicates": duplicates,
        }
        # A fine out of range is also marked on its field, where it has to be corrected; the
        # service would refuse the same fine, so "Propose" stops here as well.
        field_errors = [error for item in previews for error in item.errors if error.field in form.fields]
        for error in field_errors:
            error.add_to_form(form)
        if field_errors:
            return self.form_invalid(form)
        if "propose" not in self.request.POST:  # "Preview": show what the rule gives, save nothing
            return self.render_to_response(self.get_context_data(form=form))
        return super().form_valid(form)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**self.preview_context, **kwargs)

    @staticmethod
    def previews(form):
        try:
            return selectors.proposal_previews(**form.preview_kwargs()), None
        except DomainError as error:
            return [], error

    def perform(self, form):
        if form.is_handling:  # PEN-4: the handler and the department head, one circular
            return services.penalty_propose_handling_violation(proposed_by=self.request.user, **form.handling_kwargs())
        return (services.penalty_propose(proposed_by=self.request.user, **form.propose_kwargs()),)

    def success_message(self, result) -> str:
        names = join_list(penalty.staff.name for penalty in result)
        return gettext("Penalty proposed for %(names)s. The office decides it on the penalty's page.") % {
            "names": names
        }

    def success_url_for(self, result) -> str:
        return reverse("penalties:penalty_detail", args=[result[0].pk])


@permission_required("penalties.propose")
def penalty_preview(request):
    """The live preview of the proposal form (static/js/penalties.js): the same fragment the
    "Preview" button renders, for the fields filled in so far."""
    form = forms.PenaltyProposalForm(request.GET)
    form.is_valid()
    if not {"rule", "staff", "incident_date"} <= set(form.cleaned_data):
        return JsonResponse({"html": ""})
    previews, preview_error = PenaltyProposeView.previews(form)
    html = render_to_string(
        "penalties/includes/proposal_preview.html",
        {"previews": previews, "preview_error": preview_error},
        request=request,
    )
    return JsonResponse({"html": html})


class PenaltyDecideView(PenaltyFormView):
    """PEN-5: the office decides; PEN-2 escalates a repeat violation to the leadership group."""

    permission = "penalties.decide"
    form_class = forms.PenaltyDecideForm
    submit_label = _("Decide")
    aside_templates = (*PenaltyFormView.aside_templates, "penalties/includes/decision_preview.html")

    def get_title(self) -> str:
        return gettext("Decide the penalty of %(name)s") % {"name": self.penalty.staff.name}

    @cached_property
    def context(self) -> selectors.DecisionContext:
        return selectors.decision_context(user=self.request.user, penalty=self.penalty)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {
            "penalty": self.penalty,
            "suggested_head": self.context.suggested_head,
            "fine_range": self.context.fine_range,
        }

    def get_warning(self) -> str:
        verdict = permissions.can_decide(self.request.user, self.penalty)
        return "" if verdict else verdict.message

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            preview=self.context.preview,
            suggested_head=self.context.suggested_head,
            no_other_approver=self.context.no_other_approver,
            **kwargs,
        )

    def perform(self, form):
        return services.penalty_decide(penalty=self.penalty, decided_by=self.request.user, **form.decide_kwargs())

    def success_message(self, result) -> str:
        if result.status == Penalty.Status.AWAITING_APPROVAL:
            return gettext("Decided. The penalty now waits for the leadership group.")
        return notified_message(gettext("Decided: the penalty is in force."), result)


class PenaltyWithdrawView(PenaltyFormView):
    permission = "penalties.decide"
    form_class = forms.ReasonsForm
    submit_label = _("Withdraw the proposal")
    danger = True

    def get_title(self) -> str:
        return gettext("Withdraw the proposal for %(name)s") % {"name": self.penalty.staff.name}

    def get_warning(self) -> str:
        verdict = permissions.can_withdraw(self.request.user, self.penalty)
        return "" if verdict else verdict.message

    def perform(self, form):
        return services.penalty_withdraw(penalty=self.penalty, withdrawn_by=self.request.user, **form.cleaned_data)

    def success_message(self, result) -> str:
        return gettext("The proposal was withdrawn.")


class PenaltyRevokeView(PenaltyFormView):
    """A penalty in force is never edited: it is revoked by a new decision with reasons."""

    permission = "penalties.revoke"
    form_class = forms.ReasonsForm
    submit_label = _("Revoke the penalty")
    danger = True
    intro = _(
        "Revoking is a new decision: the penalty stays on record, its fine is reversed in the ledger and it "
        "no longer counts for repeat violations or award eligibility. A fine already collected must first be "
        "refunded by the finance office."
    )

    def get_title(self) -> str:
        return gettext("Revoke the penalty of %(name)s") % {"name": self.penalty.staff.name}

    def get_warning(self) -> str:
        verdict = permissions.can_revoke(self.request.user, self.penalty, collected_fen=self.penalty.collected_fen)
        return "" if verdict else verdict.message

    def perform(self, form):
        return services.penalty_revoke(penalty=self.penalty, revoked_by=self.request.user, **form.cleaned_data)

    def success_message(self, result) -> str:
        return gettext("The penalty was revoked.")


class PenaltyApproveView(PenaltyFormView):
    """PEN-2 / PEN-3: the leadership group's decision, with its reasons, sanctions and fine."""

    permission = "penalties.approve"
    form_class = forms.PenaltyApproveForm
    submit_label = _("Approve")
    aside_templates = ("penalties/includes/approval_context.html", *PenaltyFormView.aside_templates)
    tab = "approvals"

    def get_title(self) -> str:
        return gettext("Leadership decision on the penalty of %(name)s") % {"name": self.penalty.staff.name}

    def get_warning(self) -> str:
        verdict = permissions.can_approve(self.request.user, self.penalty)
        return "" if verdict else verdict.message

    def get_form_kwargs(self):
        fine_range = None
        if self.penalty.policy_id:
            fine_range = selectors.approval_fine(self.penalty).fine_range
        return super().get_form_kwargs() | {"penalty": self.penalty, "fine_range": fine_range}

    def get_context_data(self, **kwargs):
        eligibility = selectors.award_eligibility(staff=self.penalty.staff, year=self.penalty.eligibility_year)
        earlier = [reason for reason in eligibility.reasons if reason.obj != self.penalty]
        return super().get_context_data(
            earlier=earlier,
            waits_for=exports.waits_for(self.penalty),
            **kwargs,
        )

    def perform(self, form):
        return services.penalty_approve(penalty=self.penalty, approved_by=self.request.user, **form.approve_kwargs())

    def success_message(self, result) -> str:
        return notified_message(gettext("Approved: the penalty is in force."), result)

    def success_url_for(self, result) -> str:
        return reverse("penalties:approval_queue")


class PenaltyRejectView(PenaltyFormView):
    permission = "penalties.approve"
    form_class = forms.ReasonsForm
    submit_label = _("Reject")
    danger = True
    tab = "approvals"

    def get_title(self) -> str:
        return gettext("Reject the penalty of %(name)s") % {"name": self.penalty.staff.name}

    def get_warning(self) -> str:
        verdict = permissions.can_reject(self.request.user, self.penalty)
        return "" if verdict else verdict.message

    def perform(self, form):
        return services.penalty_reject(penalty=self.penalty, rejected_by=self.request.user, **form.cleaned_data)

    def success_message(self, result) -> str:
        return gettext("Rejected: nothing is owed. The office has been told why.")

    def success_url_for(self, result) -> str:
        return reverse("penalties:approval_queue")


def notified_message(done: str, penalty: Penalty) -> str:
    """The decision's flash message, saying whether and how the person was told."""
    notice = selectors.penalty_notice(penalty=penalty)
    text = join_sentences([done, notice.message])
    if notice.reached:
        return text
    url = reverse("penalties:penalty_notice", args=[penalty.pk])
    return format_html('{} <a href="{}">{}</a>', text, url, gettext("Print the notice"))

"""The selection (AWD-1, AWD-2): the ranking with its formula and exclusions, the records behind a
candidate's figures, the office's settings and nominations, the leadership group's decisions."""

from __future__ import annotations

from decimal import Decimal

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from awards import exports, forms, permissions, selectors, services
from awards.models import Nomination, RankingSnapshot
from awards.views.base import (
    AwardsFormView,
    NominationFormView,
    campaign_or_404,
    history,
    nomination_or_404,
    selection_or_404,
)
from penalties.selectors import leadership_users_other_than
from tollservice.access.permissions import has_permission
from tollservice.access.views import permission_required
from tollservice.core.exports import export_response
from tollservice.core.list_views import export_queries, page_of, requested_export
from tollservice.core.service_views import perform_once
from tollservice.core.text import join_list

RANKING_PAGE_SIZE = 50
REASONS_SHOWN = 3  # of an excluded candidate's reasons, on the ranking page (the candidate's page has all)


def _ranking_of(request, year: int, kind: str):
    campaign = campaign_or_404(request.user, year)
    selection = selection_or_404(request.user, campaign, kind)
    return selectors.ranking_for(user=request.user, selection=selection)


def _stored_ranking_of(request, selection) -> selectors.StoredRanking:
    """The selection's stored ranking. When there is none yet (a new year's award, before the
    nightly run), it is computed here, once, while the reader waits: the office opening the
    ranking expects the candidates, not a page to come back to, and every later reader gets the
    stored one. A stale one (the weights changed since) is shown as it is, said to be stale, and
    queued for recomputing."""
    ranking = selectors.ranking_stored(user=request.user, selection=selection)
    if ranking is None:
        services.ranking_refresh(
            year=selection.campaign.year,
            kind=selection.kind,
            trigger=RankingSnapshot.Trigger.FIRST_VIEW,
            triggered_by=request.user,
        )
        ranking = selectors.ranking_stored(user=request.user, selection=selection)
    elif ranking.stale:
        services.ranking_refresh_if_stale(selection=selection, stored=ranking.snapshot)
    return ranking


@permission_required("awards.view")
def ranking(request, year: int, kind: str):
    """AWD-1 / AWD-2: this year's candidates ranked, each figure with its points and a link to the
    records behind it, the weights and the formula beside them, and the reasons for every
    exclusion — as stored by the last computation, a page at a time. ``?export=xlsx`` (or
    ``csv``) downloads the same rows."""
    campaign = campaign_or_404(request.user, year)
    selection = selection_or_404(request.user, campaign, kind)
    ranking = _stored_ranking_of(request, selection)
    user = request.user
    report = exports.RankingReport(ranking)
    if export := requested_export(request):
        return export_response(export, report, report.rows(selectors.stored_rows_all(ranking, user=user)))
    page = page_of(request, selectors.stored_entries(ranking, reasons=REASONS_SHOWN), per_page=RANKING_PAGE_SIZE)
    return render(
        request,
        "awards/ranking.html",
        {
            "tab": selection.kind,
            "ranking": ranking,
            "page_obj": page,
            "rows": selectors.stored_rows(ranking, page.object_list, user=user),
            "selection": selection,
            "campaign": selection.campaign,
            "columns": ranking.columns,
            "may_nominate": bool(permissions.can_nominate(user, selection)),
            "may_change": permissions.can_change_selection(user, selection, approved=selection.awards.count()),
            "may_refresh": bool(permissions.can_refresh_ranking(user, selection)),
            "export_queries": export_queries(request),
        },
    )


@permission_required("awards.manage")
@require_POST
def ranking_refresh(request, year: int, kind: str):
    """AWD-1: the office's "Recompute now": queued for the worker; back to the ranking."""
    selection = selection_or_404(request.user, campaign_or_404(request.user, year), kind)
    return perform_once(
        request,
        lambda: services.ranking_refresh_request(selection=selection, requested_by=request.user),
        done_url=reverse("awards:ranking", args=[year, kind]),
        success_message=gettext("The ranking is being recomputed; reload this page in a minute to see it."),
    )


@permission_required("awards.view")
def candidate(request, year: int, kind: str, pk: int):
    """AWD-1: one candidate's figures and the records behind each (scoped to the reader)."""
    ranking = _ranking_of(request, year, kind)
    breakdown = selectors.candidate_breakdown(user=request.user, ranking=ranking, key=pk)
    if breakdown is None:
        raise Http404
    return render(
        request,
        "awards/candidate.html",
        {
            "tab": ranking.selection.kind,
            "ranking": ranking,
            "selection": ranking.selection,
            "campaign": ranking.selection.campaign,
            "row": breakdown.row,
            "figures": breakdown.row.figures(ranking.columns),
            "sections": breakdown.sections,
            "may_nominate": permissions.can_nominate(
                request.user,
                ranking.selection,
                team_id=pk if ranking.for_teams else None,
                staff_id=None if ranking.for_teams else pk,
            ),
        },
    )


class SelectionChangeView(AwardsFormView):
    permission = "awards.manage"
    submit_label = _("Save")
    intro = _(
        "A criterion with weight 0 is left out. Each candidate's score is the weighted average of the points of "
        "the criteria they have data for."
    )

    @cached_property
    def selection(self):
        return selection_or_404(
            self.request.user, campaign_or_404(self.request.user, self.kwargs["year"]), self.kwargs["kind"]
        )

    def get_form_class(self):
        return forms.SelectionForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "selection": self.selection}

    def get_initial(self):
        return forms.SelectionForm.initial_for(self.selection)

    def get_title(self) -> str:
        return gettext("%(award)s %(year)s: places, reward and weights") % {
            "award": self.selection.get_kind_display(),
            "year": self.selection.campaign.year,
        }

    def get_warning(self) -> str:
        verdict = permissions.can_change_selection(
            self.request.user, self.selection, approved=self.selection.awards.count()
        )
        return "" if verdict else verdict.message

    def get_cancel_url(self) -> str:
        return reverse("awards:ranking", args=[self.selection.campaign.year, self.selection.kind])

    def perform(self, form):
        return services.selection_change(selection=self.selection, changed_by=self.request.user, **form.values())

    def success_url_for(self, result) -> str:
        return self.get_cancel_url()


class NominateView(AwardsFormView):
    permission = "awards.manage"
    form_class = forms.NominationForm
    submit_label = _("Nominate")
    aside_templates = ("awards/includes/candidate_summary.html",)

    @cached_property
    def ranking(self):
        return _ranking_of(self.request, self.kwargs["year"], self.kwargs["kind"])

    @cached_property
    def row(self):
        row = self.ranking.row_for(self.kwargs["pk"])
        if row is None:
            raise Http404
        return row

    def get_title(self) -> str:
        return gettext("Nominate %(name)s: %(award)s %(year)s") % {
            "name": self.row.name,
            "award": self.ranking.selection.get_kind_display(),
            "year": self.ranking.year,
        }

    def get_intro(self) -> str:
        skipped = self.ranking.passed_over(self.row.key)
        if not skipped:
            return ""
        return gettext("This nomination passes over %(names)s, ranked higher: give the reason in writing.") % {
            "names": join_list(row.name for row in skipped)
        }

    def get_warning(self) -> str:
        verdict = permissions.can_nominate(
            self.request.user,
            self.ranking.selection,
            team_id=self.row.key if self.ranking.for_teams else None,
            staff_id=None if self.ranking.for_teams else self.row.key,
        )
        if not verdict:
            return verdict.message
        if not self.row.eligible:
            return gettext("%(name)s is not eligible for this year's awards (see the reasons in the list).") % {
                "name": self.row.name
            }
        return ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(ranking=self.ranking, row=self.row, **kwargs)

    def get_cancel_url(self) -> str:
        return reverse("awards:ranking", args=[self.ranking.year, self.ranking.selection.kind])

    def perform(self, form):
        return services.nomination_create(
            selection=self.ranking.selection,
            nominated_by=self.request.user,
            candidate_id=self.row.key,
            **form.cleaned_data,
        )

    def success_message(self, result) -> str:
        return gettext("%(name)s is nominated; the leadership group decides.") % {"name": result.candidate_name}

    def success_url_for(self, result) -> str:
        return reverse("awards:nomination_detail", args=[result.pk])


@permission_required("awards.view")
def nomination_detail(request, pk: int):
    nomination = nomination_or_404(request.user, pk)
    user = request.user
    may_approve = permissions.can_approve(user, nomination)
    others = []
    if nomination.status == Nomination.Status.NOMINATED:
        others = leadership_users_other_than(user_ids=[nomination.nominated_by_id], staff_id=nomination.staff_id)
    return render(
        request,
        "awards/nomination_detail.html",
        {
            "tab": "approvals" if has_permission(user, "awards.approve") else nomination.selection.kind,
            "nomination": nomination,
            "may_approve": may_approve,
            "may_withdraw": permissions.can_withdraw(user, nomination),
            "no_other_approver": nomination.status == Nomination.Status.NOMINATED and not others,
            "history": history(user, nomination),
        },
    )


class ApproveView(NominationFormView):
    permission = "awards.approve"
    form_class = forms.ApprovalForm
    submit_label = _("Approve the award")
    intro = _(
        "The award keeps the figures as they stand now; later data does not change it. Its certificate and honour "
        "plaque are numbered, and the reward recorded."
    )

    def get_title(self) -> str:
        return gettext("Approve: %(name)s") % {"name": self.nomination.candidate_name}

    def get_initial(self):
        return {"reward": Decimal(self.nomination.selection.reward_fen) / 100}

    def get_warning(self) -> str:
        verdict = permissions.can_approve(self.request.user, self.nomination)
        return "" if verdict else verdict.message

    def perform(self, form):
        return services.nomination_approve(
            nomination=self.nomination, approved_by=self.request.user, reward_fen=form.reward_fen()
        )

    def success_message(self, result) -> str:
        return gettext("Approved: certificate %(number)s.") % {"number": result.certificate_number}

    def success_url_for(self, result) -> str:
        return reverse("awards:award_detail", args=[result.pk])


class RejectView(NominationFormView):
    permission = "awards.approve"
    form_class = forms.ReasonForm
    submit_label = _("Reject")
    danger = True

    def get_title(self) -> str:
        return gettext("Reject: %(name)s") % {"name": self.nomination.candidate_name}

    def get_warning(self) -> str:
        verdict = permissions.can_reject(self.request.user, self.nomination)
        return "" if verdict else verdict.message

    def perform(self, form):
        return services.nomination_reject(
            nomination=self.nomination, rejected_by=self.request.user, reason=form.cleaned_data["reason"]
        )

    def success_message(self, result) -> str:
        return gettext("Nomination rejected.")


class WithdrawView(NominationFormView):
    permission = "awards.manage"
    form_class = forms.ReasonForm
    submit_label = _("Withdraw the nomination")
    danger = True

    def get_title(self) -> str:
        return gettext("Withdraw the nomination of %(name)s") % {"name": self.nomination.candidate_name}

    def get_warning(self) -> str:
        verdict = permissions.can_withdraw(self.request.user, self.nomination)
        return "" if verdict else verdict.message

    def perform(self, form):
        return services.nomination_withdraw(
            nomination=self.nomination, withdrawn_by=self.request.user, reason=form.cleaned_data["reason"]
        )

    def success_message(self, result) -> str:
        return gettext("Nomination withdrawn.")


@permission_required("awards.approve")
def approval_queue(request):
    """The nominations waiting for the leadership group, with whether the reader may decide each."""
    queue = list(selectors.approval_queue(user=request.user))
    return render(
        request,
        "awards/approval_queue.html",
        {
            "tab": "approvals",
            "rows": [(nomination, permissions.can_approve(request.user, nomination)) for nomination in queue],
        },
    )

"""Shared pieces of the awards' pages: looking objects up in the reader's scope (a 404 outside
it, as if missing) and the form view that calls one service."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.functional import cached_property

from awards import selectors
from awards.models import Award, Campaign, Nomination, Selection
from tollservice.access.permissions import has_permission
from tollservice.audit.selectors import recent_history
from tollservice.core.service_views import StepFormView


def campaign_or_404(user, year: int) -> Campaign:
    try:
        return selectors.campaign_get(user=user, year=year)
    except Campaign.DoesNotExist:
        raise Http404 from None


def selection_or_404(user, campaign: Campaign, kind: str) -> Selection:
    try:
        return selectors.selection_get(user=user, campaign=campaign, kind=kind)
    except Selection.DoesNotExist:
        raise Http404 from None


def nomination_or_404(user, pk: int) -> Nomination:
    try:
        return selectors.nomination_detail(user=user, pk=pk)
    except Nomination.DoesNotExist:
        raise Http404 from None


def award_or_404(user, pk: int) -> Award:
    try:
        return selectors.award_detail(user=user, pk=pk)
    except Award.DoesNotExist:
        raise Http404 from None


def history(user, obj):
    return recent_history(obj) if has_permission(user, "audit.view") else None


class AwardsFormView(StepFormView):
    """The awards' form pages (a notice above the form, cards beside it), in the awards' layout."""

    template_name = "awards/form.html"
    tab = "campaign"


class CampaignFormView(AwardsFormView):
    """A step on one year's campaign (``year`` in the URL)."""

    @cached_property
    def campaign(self) -> Campaign:
        return campaign_or_404(self.request.user, self.kwargs["year"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(campaign=self.campaign, **kwargs)


class NominationFormView(AwardsFormView):
    """A step on one nomination."""

    tab = "approvals"
    aside_templates = ("awards/includes/nomination_summary.html",)

    @cached_property
    def nomination(self) -> Nomination:
        return nomination_or_404(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(nomination=self.nomination, **kwargs)

    def get_cancel_url(self) -> str:
        return reverse("awards:nomination_detail", args=[self.nomination.pk])

    def success_url_for(self, result) -> str:
        return self.get_cancel_url()

"""Shared pieces of the penalties pages: their flavour of the form view that calls a service, and
the lookups that turn an object outside the user's scope into a 404.

The filtered list that also exports (``ReportListView``) is ``tollservice.core.list_views``.
"""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.functional import cached_property

from penalties import selectors
from penalties.models import Penalty
from tollservice.core.service_views import StepFormView


def penalty_or_404(user, pk: int) -> Penalty:
    """The penalty, if it is in the user's scope; otherwise a 404, as if it did not exist."""
    try:
        return selectors.penalty_detail(user=user, pk=pk)
    except Penalty.DoesNotExist:
        raise Http404 from None


class ServiceFormView(StepFormView):
    """The penalties pages' form view: a notice above the form and cards beside it, in the
    penalties' layout."""

    template_name = "penalties/form.html"


class PenaltyFormView(ServiceFormView):
    """A step on one penalty; the penalty is looked up in the user's scope."""

    tab = "penalties"
    aside_templates = ("penalties/includes/penalty_summary.html",)

    @cached_property
    def penalty(self) -> Penalty:
        return penalty_or_404(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(penalty=self.penalty, **kwargs)

    def get_cancel_url(self) -> str:
        return self.penalty_url()

    def penalty_url(self) -> str:
        return reverse("penalties:penalty_detail", args=[self.penalty.pk])

    def success_url_for(self, result) -> str:
        return self.penalty_url()

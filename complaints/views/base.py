"""What the complaint pages share: the look-up that turns a complaint outside the reader's scope
into a 404, and the form view of one step on a complaint.

A step page names the ``capability`` it needs (``selectors.capabilities``, the same checks the
services make): a step the reader may not take on this complaint, or not now, is a 403 — the
complaint page never shows its button either. The service still decides, and its refusal comes
back on the form with everything typed.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext

from complaints import selectors
from complaints.models import Complaint
from tollservice.core.service_views import StepFormView


def complaint_or_404(user, pk: int) -> Complaint:
    complaint = selectors.complaint_queryset(user=user).filter(pk=pk).first()
    if complaint is None:
        raise Http404
    return complaint


class ComplaintFormView(StepFormView):
    """A form page under the complaints section (its navigation tab)."""

    template_name = "complaints/form.html"
    tab = "complaints"


class ComplaintStepView(ComplaintFormView):
    """One step on one complaint (``<pk>`` in the URL)."""

    permission = "complaints.handle"
    capability = ""

    @cached_property
    def complaint(self) -> Complaint:
        return complaint_or_404(self.request.user, self.kwargs["pk"])

    @cached_property
    def can(self) -> dict[str, bool]:
        return selectors.capabilities(self.request.user, self.complaint)

    def get(self, request, *args, **kwargs):
        self.check_capability()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.check_capability()
        return super().post(request, *args, **kwargs)

    def check_capability(self) -> None:
        if self.capability and not self.can.get(self.capability):
            raise PermissionDenied

    def get_context_data(self, **kwargs):
        return super().get_context_data(complaint=self.complaint, **kwargs)

    def get_title(self) -> str:
        return gettext("%(step)s · complaint %(number)s") % {"step": self.title, "number": self.complaint.number}

    def get_cancel_url(self) -> str:
        return self.complaint.get_absolute_url()

    def success_url_for(self, result) -> str:
        return self.complaint.get_absolute_url()

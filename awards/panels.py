"""The awards' dashboard panels: this year's campaign and the phase it is in (CAM-1) for every
employee, with their own study (CAM-2); the office's study progress and selection; the leadership
group's nominations to decide. Each runs a fixed number of queries."""

from __future__ import annotations

from django.utils import timezone

from awards import selectors
from awards.models import Nomination
from tollservice.access.permissions import has_permission
from tollservice.dashboard.panels import register_panel

LIST_LENGTH = 5


@register_panel(order=50)
def campaign_panel(request) -> dict | None:
    """CAM-1: this year's campaign and its current phase, on everyone's dashboard; the reader's
    own study (CAM-2); for the office the study's progress and the nominations; for the leadership
    group the nominations waiting for it."""
    user = request.user
    if not has_permission(user, "portal.use"):
        return None
    campaign = selectors.campaign_current()
    if campaign is None:
        if not has_permission(user, "awards.manage"):
            return None
        return {"template": "awards/panels/campaign.html", "campaign": None, "year": timezone.localdate().year}
    panel = {
        "template": "awards/panels/campaign.html",
        "campaign": campaign,
        "phases": list(campaign.phases.all()),
        "now": selectors.phase_now(campaign),
        "study": selectors.own_study(user=user, campaign=campaign),
        "may_view": has_permission(user, "awards.view"),
        "may_standing": has_permission(user, "awards.standing"),
    }
    if has_permission(user, "awards.manage"):
        panel["progress"] = selectors.study_progress(campaign=campaign)
        panel["selections"] = selectors.selections_of(campaign=campaign)
    if has_permission(user, "awards.approve"):
        queue = selectors.approval_queue(user=user)
        panel["queue"] = list(queue[:LIST_LENGTH])
        panel["queue_count"] = queue.count()
    panel["pending"] = Nomination.Status.NOMINATED
    return panel

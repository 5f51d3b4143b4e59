"""Each employee's own standing (AWD-1, AWD-2): where they — and, for a team leader, their team —
stand in this year's selection, and why when not eligible; their own study record (CAM-2)."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone

from awards import selectors
from awards.models import Campaign
from tollservice.access.views import permission_required


@permission_required("awards.standing")
def standing(request):
    user = request.user
    year = request.GET.get("year", "")
    campaigns = Campaign.objects.prefetch_related("phases").order_by("-year")
    campaign = campaigns.filter(year=int(year)).first() if year.isdigit() else None
    campaign = campaign or campaigns.filter(year=timezone.localdate().year).first() or campaigns.first()
    standings = []
    study = None
    commendation = None
    if campaign is not None:
        standings = selectors.my_standing(user=user, campaign=campaign)
        study = selectors.own_study(user=user, campaign=campaign)
        commendation = selectors.commendation_of(user=user, campaign=campaign)
    return render(
        request,
        "awards/standing.html",
        {
            "tab": "standing",
            "campaign": campaign,
            "now": selectors.phase_now(campaign) if campaign else None,
            "years": list(campaigns.values_list("year", flat=True)),
            "standings": standings,
            "study": study,
            "commendation": commendation,
        },
    )

"""Helpers for the awards' tests. Campaigns, nominations and awards are made through the services
(the only way one comes to exist), so each has its audit trail like a real one."""

from __future__ import annotations

from awards import services
from awards.models import AwardKind, Campaign, Nomination, Selection
from tests.inspections.factories import a_moment, inspection
from tests.penalties.factories import decided_service_code
from tests.roster.factories import LeadershipMembershipFactory, user_with_role

GOLD, STAR = AwardKind.GOLD_TEAM, AwardKind.SERVICE_STAR
CITATION = "全年服务规范，微笑服务、文明用语落实到位，司乘满意。"


def open_campaign(site, year: int) -> Campaign:
    return services.campaign_open(year=year, opened_by=site.office)


def selection(campaign: Campaign, kind: str = GOLD) -> Selection:
    return campaign.selections.get(kind=kind)


def nominate(site, selection: Selection, candidate, *, by=None, reason: str = "", citation: str = CITATION):
    return services.nomination_create(
        selection=selection,
        nominated_by=by or site.office,
        candidate_id=candidate.pk,
        citation=citation,
        out_of_order_reason=reason,
    )


def approve(nomination: Nomination, by, **kwargs):
    return services.nomination_approve(nomination=nomination, approved_by=by, **kwargs)


def director_with_a_leadership_seat():
    """The group office's director who also sits in the leadership group (as the demo's office)."""
    user = user_with_role("office")
    LeadershipMembershipFactory(staff=user.staff_profile)
    return user


def scored_teams(site):
    """Team A inspected twice (97.50 and 97.00: average 97.25), team B once (100): B ranks first."""
    inspection(by=site.office, team=site.team_a, breaches={"JC-02": (5, site.collector)})
    inspection(by=site.office2, team=site.team_a, breaches={"JC-05": (3, site.collector)})
    inspection(by=site.office, team=site.team_b)


def violation(site, staff):
    """A PEN-1 violation decided by the office, on the day of the factories' inspections (so in
    the campaign's year, even on the 1st or 2nd of January)."""
    return decided_service_code(office=site.office, staff=staff, incident_date=a_moment().date())

"""The roster's dashboard panels: the roster at a glance, and "my team" for team leaders."""

from __future__ import annotations

from tollservice.access.permissions import has_permission
from tollservice.access.roles import roles_for
from tollservice.dashboard.panels import register_panel
from tollservice.roster import selectors


@register_panel(order=10)
def roster_overview(request) -> dict | None:
    if not has_permission(request.user, "roster.view"):
        return None
    return {"template": "roster/panels/overview.html", "width": "col-12", **selectors.roster_overview()}


@register_panel(order=20)
def my_team(request) -> dict | None:
    team_ids = roles_for(request.user).led_team_ids
    if not team_ids:
        return None
    return {"template": "roster/panels/my_team.html", "teams": list(selectors.teams_led_by(team_ids=team_ids))}

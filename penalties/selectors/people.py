"""Who can take the leadership group's part in a decision (four eyes)."""

from __future__ import annotations

from tollservice.roster.models import LeadershipMembership


def leadership_users() -> list:
    """Accounts of the current leadership-group members (ORG-1), for notifications and approvals."""
    memberships = LeadershipMembership.objects.current().filter(staff__user__isnull=False, staff__active=True)
    return [m.staff.user for m in memberships.select_related("staff__user").order_by("pk")]


def leadership_users_other_than(*, user_ids, staff_id: int | None = None) -> list:
    """Leadership members with an account, except the users ``user_ids`` (who decided or asked,
    who approved already) and the person ``staff_id`` the decision is about."""
    excluded = set(user_ids)
    memberships = LeadershipMembership.objects.current().filter(staff__user__isnull=False, staff__active=True)
    if staff_id is not None:
        memberships = memberships.exclude(staff_id=staff_id)
    return [
        m.staff.user
        for m in memberships.select_related("staff__user").order_by("pk")
        if m.staff.user_id not in excluded
    ]

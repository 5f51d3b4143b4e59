"""Roles come from the roster, never from hand-managed flags.

A user's roles are computed once per request from what the roster says today:
a current leadership-group seat, a current group-office seat, a post in the finance
office, leading a team, a supervisor's term, being on the staff at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    ADMIN = "admin"
    LEADERSHIP = "leadership"
    OFFICE = "office"
    FINANCE = "finance"
    TEAM_LEADER = "team_leader"
    SUPERVISOR = "supervisor"
    STAFF = "staff"


ROLE_LABELS = {
    Role.ADMIN: _("System administrator"),
    Role.LEADERSHIP: _("Leadership group"),
    Role.OFFICE: _("Group office"),
    Role.FINANCE: _("Finance office"),
    Role.TEAM_LEADER: _("Team leader"),
    Role.SUPERVISOR: _("Supervisor"),
    Role.STAFF: _("Staff"),
}


@dataclass(frozen=True)
class UserRoles:
    """What the roster says about one user today."""

    roles: frozenset[Role] = frozenset()
    staff_id: int | None = None
    supervisor_id: int | None = None
    led_team_ids: frozenset[int] = field(default_factory=frozenset)
    department_id: int | None = None

    def __contains__(self, role: object) -> bool:
        return role in self.roles

    def has_any(self, roles) -> bool:
        return not self.roles.isdisjoint(roles)

    @property
    def labels(self) -> list[str]:
        return [str(ROLE_LABELS[r]) for r in Role if r in self.roles]


_CACHE_ATTR = "_portal_user_roles"


def roles_for(user) -> UserRoles:
    """The user's roles, computed from the roster and cached on the user object for the request."""
    if user is None or not user.is_authenticated:
        return UserRoles()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    result = _compute_roles(user)
    setattr(user, _CACHE_ATTR, result)
    return result


def forget_roles(user) -> None:
    """Drop the cached roles, e.g. after the roster changed within the same request."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def _compute_roles(user) -> UserRoles:
    from tollservice.roster.models import Department, LeadershipMembership, OfficeMembership, Staff, Supervisor

    today = timezone.localdate()
    roles: set[Role] = set()
    if user.is_superuser:
        roles.add(Role.ADMIN)

    staff = Staff.objects.filter(user=user, active=True).select_related("department").first()
    staff_id = department_id = None
    led_team_ids: frozenset[int] = frozenset()
    if staff is not None:
        staff_id, department_id = staff.pk, staff.department_id
        roles.add(Role.STAFF)
        if staff.department.kind == Department.Kind.FINANCE:
            roles.add(Role.FINANCE)
        if LeadershipMembership.objects.current(today).filter(staff=staff).exists():
            roles.add(Role.LEADERSHIP)
        if OfficeMembership.objects.current(today).filter(staff=staff).exists():
            roles.add(Role.OFFICE)
        led_team_ids = frozenset(staff.led_teams.filter(active=True).values_list("pk", flat=True))
        if led_team_ids:
            roles.add(Role.TEAM_LEADER)

    supervisor_id = None
    supervisor = Supervisor.objects.filter(user=user).first()
    if supervisor is not None and supervisor.in_term(today):
        roles.add(Role.SUPERVISOR)
        supervisor_id = supervisor.pk

    return UserRoles(
        roles=frozenset(roles),
        staff_id=staff_id,
        supervisor_id=supervisor_id,
        led_team_ids=led_team_ids,
        department_id=department_id,
    )

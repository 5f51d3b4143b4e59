"""What each role may do, written once.

Every view names one permission from ``PERMISSIONS``; the mixin and decorator in
``tollservice.access.views`` apply it. Object scope (a team leader sees only their team)
is a separate concern handled by the selectors each view uses.
"""

from __future__ import annotations

from tollservice.access.roles import Role, roles_for

A, L, O, F, T, S, ST = (
    Role.ADMIN,
    Role.LEADERSHIP,
    Role.OFFICE,
    Role.FINANCE,
    Role.TEAM_LEADER,
    Role.SUPERVISOR,
    Role.STAFF,
)

# permission name -> the roles that hold it
PERMISSIONS: dict[str, frozenset[Role]] = {
    # The portal itself: anyone with a role at all.
    "portal.use": frozenset({A, L, O, F, T, S, ST}),
    # Roster (ORG-1 … ORG-6): the office manages it, the leadership reads it.
    "roster.view": frozenset({A, L, O}),
    "roster.manage": frozenset({A, O}),
    "roster.import": frozenset({A, O}),
    "audit.view": frozenset({A, L, O}),
    # Penalties (PEN-1 … PEN-5).
    "penalties.view_all": frozenset({A, L, O, F}),
    "penalties.propose": frozenset({A, O}),
    "penalties.decide": frozenset({A, O}),
    "penalties.approve": frozenset({A, L}),
    "penalties.view_own": frozenset({A, L, O, F, T, ST}),
    "penalties.talks": frozenset({A, L, O}),
    "penalties.settings": frozenset({A, L}),
    "ledger.view": frozenset({A, L, O, F}),
    "ledger.collect": frozenset({F}),
    "ledger.waive_request": frozenset({A, O, F}),
    "ledger.waive_approve": frozenset({L}),
    "ledger.reverse": frozenset({F}),
}


def has_permission(user, permission: str) -> bool:
    """True if any of the user's roster roles holds ``permission``."""
    try:
        allowed = PERMISSIONS[permission]
    except KeyError:  # a typo in a view must fail loudly, not silently deny
        raise LookupError(f"Unknown permission {permission!r}") from None
    return roles_for(user).has_any(allowed)

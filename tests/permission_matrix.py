"""The role × URL table, one row per view, gathered from every app.

Each app keeps its rows in ``tests/<app>/permission_matrix.py`` as ``CASES: list[Case]``;
``tests/core/test_permission_matrix.py`` runs them all for every role, and the URL walk
test fails for a named URL that no row covers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ROLES = ("admin", "leadership", "office", "finance", "team_leader", "supervisor", "staff", "none")
EVERYONE = frozenset(ROLES) - {"none"}


@dataclass
class Scene:
    """One signed-in-able user per role, plus the roster objects they are scoped to."""

    users: dict[str, Any]
    team: Any  # the team led by users["team_leader"]
    staff: Any  # a staff member of that team
    supervisor: Any  # the roster entry of users["supervisor"]
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Case:
    url_name: str
    allowed: frozenset[str]
    # Builds the URL kwargs (and any objects they point at) from the scene.
    kwargs: Callable[[Scene], dict] | None = None
    method: str = "get"
    data: Callable[[Scene], dict] | None = None
    # The status an allowed role gets (200 for pages, 302 for a POST that redirects).
    ok_status: int = 200
    # The status a role outside ``allowed`` gets; 404 where scope hides the object itself.
    denied_status: int = 403

    def expected(self, role: str) -> int:
        return self.ok_status if role in self.allowed else self.denied_status

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.url_name}"

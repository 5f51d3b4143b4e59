"""The role × URL table, one row per view, gathered from every app.

Each app keeps its rows in ``tests/<app>/permission_matrix.py`` as ``CASES: list[Case]``;
``tests/core/test_permission_matrix.py`` runs them all for every role, and the URL walk
(``tests/core/test_url_walk.py``) fails for a named URL that no row covers.

A URL that anonymous visitors may open (the sign-in page, the public complaint form) is
listed by name in its app's ``PUBLIC: list[str]`` in the same module instead; the walk checks
that every other URL sends an anonymous visitor to the sign-in page.
"""

from __future__ import annotations

import importlib
import pkgutil
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
    # Exceptions by role, e.g. {"none": 403} where the others see a scoped 404.
    status_for: dict[str, int] = field(default_factory=dict, hash=False, compare=False)

    def expected(self, role: str) -> int:
        if role in self.status_for:
            return self.status_for[role]
        return self.ok_status if role in self.allowed else self.denied_status

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.url_name}"


def _matrix_modules():
    import tests

    for module_info in pkgutil.iter_modules(tests.__path__):
        if not module_info.ispkg:
            continue
        name = f"tests.{module_info.name}.permission_matrix"
        try:
            yield importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:  # a broken import inside the module must not hide its rows
                raise


def all_cases() -> list[Case]:
    """Every app's ``CASES``."""
    return [case for module in _matrix_modules() for case in getattr(module, "CASES", [])]


def public_url_names() -> dict[str, str]:
    """Every app's ``PUBLIC`` URL names, mapped to the module that lists them."""
    return {name: module.__name__ for module in _matrix_modules() for name in getattr(module, "PUBLIC", [])}

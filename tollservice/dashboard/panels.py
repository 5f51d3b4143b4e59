"""The dashboard is a list of panels; each module registers its own.

A panel is a function ``(request) -> dict | None`` returning the template to include and its
context, or None when the user's roles do not allow it.
"""

from __future__ import annotations

from collections.abc import Callable

_PANELS: list[tuple[int, Callable]] = []


def register_panel(order: int):
    def decorator(func):
        _PANELS.append((order, func))
        _PANELS.sort(key=lambda item: item[0])
        return func

    return decorator


def panels_for(request) -> list[dict]:
    return [panel for _, func in _PANELS if (panel := func(request)) is not None]

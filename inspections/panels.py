"""The inspections module's dashboard panels: "my rectification orders" (whoever answers orders)
and the office's coverage of the teams this month, with what waits for it."""

from __future__ import annotations

from django.utils import timezone

from inspections import selectors
from tollservice.access.permissions import has_permission
from tollservice.dashboard.panels import register_panel

ORDERS_SHOWN = 5


@register_panel(order=15)
def my_orders(request) -> dict | None:
    """The open orders the user answers (assigned to them or to a team they lead), soonest first."""
    if not has_permission(request.user, "rectification.answer"):
        return None
    orders = selectors.orders_due_for(user=request.user, limit=ORDERS_SHOWN + 1)
    if not orders:
        return None
    today = timezone.localdate()
    for order in orders:
        order.is_late = order.is_overdue(today)
    return {
        "template": "inspections/panels/my_orders.html",
        "orders": orders[:ORDERS_SHOWN],
        "more": len(orders) > ORDERS_SHOWN,
    }


@register_panel(order=12)
def coverage(request) -> dict | None:
    """The office's view of the month: each team's inspections against the target, the teams
    missed so far, leadership inspections short of inspectors, and what waits for the office."""
    user = request.user
    if not has_permission(user, "inspections.coverage"):
        return None
    return {
        "template": "inspections/panels/coverage.html",
        "width": "col-12",
        "coverage": selectors.coverage(user=user),
        "waiting": selectors.office_waiting(user=user),
    }

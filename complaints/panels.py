"""The dashboard's "my complaints": the open complaints the signed-in user owns or coordinates,
nearest limit first, and, for those who take complaints up, how many web complaints nobody has
taken up yet. A fixed number of queries whatever the number of complaints."""

from __future__ import annotations

from django.utils import timezone

from complaints import selectors
from tollservice.access.permissions import has_permission
from tollservice.dashboard.panels import register_panel

LIST_LENGTH = 8


@register_panel(order=20)
def my_complaints(request) -> dict | None:
    user = request.user
    if not has_permission(user, "complaints.handle"):
        return None
    items = selectors.complaints_open_for(user=user, limit=LIST_LENGTH)
    can_register = has_permission(user, "complaints.register")
    waiting = selectors.complaints_waiting_count(user=user) if can_register else 0
    if not items and not waiting and not can_register:
        return None
    return {
        "template": "complaints/panels/mine.html",
        "items": items,
        "waiting": waiting,
        "can_register": can_register,
        "now": timezone.now(),
    }

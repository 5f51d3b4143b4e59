"""The dashboard's "my deadlines": the open deadlines the signed-in user answers for.

Two queries whatever the number of deadlines (their titles and links are copied onto the rows
when they are set, so no module's objects are read).
"""

from __future__ import annotations

from django.utils import timezone

from tollservice.access.permissions import has_permission
from tollservice.dashboard.panels import register_panel
from tollservice.reminders import selectors

LIST_LENGTH = 5


@register_panel(order=10)
def my_deadlines(request) -> dict | None:
    user = request.user
    items = selectors.upcoming_deadlines(user=user, limit=LIST_LENGTH)
    if not items:
        return None  # nothing due: the dashboard stays as it was
    return {
        "template": "reminders/panels/my_deadlines.html",
        "items": items,
        "count": selectors.open_deadlines(user=user).count(),
        "now": timezone.now(),
        "can_configure": has_permission(user, "reminders.settings"),
    }

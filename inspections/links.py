"""The URL names the inspections screens provide, for the domain to link to.

Services put these links in notifications and reminders; the screens (``inspections/urls.py``)
must define them. A wrong name raises ``NoReverseMatch`` like any ``reverse``:
``tests/inspections/test_links.py`` reverses every name in ``ALL``.
"""

from __future__ import annotations

from django.urls import reverse

INSPECTION_DETAIL = "inspections:inspection_detail"
INSPECTION_FILL = "inspections:inspection_fill"
REVIEW_QUEUE = "inspections:review_queue"
ORDER_DETAIL = "inspections:order_detail"
APPEAL_LIST = "inspections:appeal_list"
REPORT_DETAIL = "inspections:report_detail"
OVERDUE_PROPOSALS = "inspections:overdue_list"

# Every name, with the keyword arguments its URL takes.
ALL: dict[str, tuple[str, ...]] = {
    INSPECTION_DETAIL: ("pk",),
    INSPECTION_FILL: ("pk",),
    REVIEW_QUEUE: (),
    ORDER_DETAIL: ("pk",),
    APPEAL_LIST: (),
    REPORT_DETAIL: ("pk",),
    OVERDUE_PROPOSALS: (),
}


def portal_url(name: str, **kwargs) -> str:
    """The path of a named page (``name`` is one of ``ALL``)."""
    return reverse(name, kwargs=kwargs or None)

"""The penalties' dashboard panels: the office's proposals and the year's fines, the leadership
group's approvals, the finance office's outstanding fines, and a person's own open penalties.

Each panel runs a fixed number of queries, whatever the number of penalties.
"""

from __future__ import annotations

from django.utils import timezone

from penalties import selectors
from penalties.models import Penalty
from tollservice.access.permissions import has_permission
from tollservice.access.roles import roles_for
from tollservice.core.errors import DomainError
from tollservice.dashboard.panels import register_panel

LIST_LENGTH = 5


@register_panel(order=30)
def office_penalties(request) -> dict | None:
    """Office: proposals awaiting its decision (PEN-5) and this year's fines."""
    user = request.user
    if not has_permission(user, "penalties.decide"):
        return None
    proposals = selectors.penalty_list(user=user).filter(status=Penalty.Status.PROPOSED).order_by("created_at", "pk")
    try:
        summary = selectors.year_summary(user=user)
    except DomainError:  # no policy in force yet
        summary = None
    return {
        "template": "penalties/panels/office.html",
        "proposals": list(proposals[:LIST_LENGTH]),
        "proposal_count": proposals.count(),
        "summary": summary,
    }


@register_panel(order=31)
def leadership_approvals(request) -> dict | None:
    """Leadership group: penalties waiting for its decision (PEN-2, PEN-3) and waivers to approve."""
    user = request.user
    if not has_permission(user, "penalties.approve"):
        return None
    queue = selectors.penalty_approval_queue(user=user)
    return {
        "template": "penalties/panels/approvals.html",
        "queue": list(queue[:LIST_LENGTH]),
        "queue_count": queue.count(),
        "waiver_count": selectors.waiver_queue(user=user).count(),
    }


@register_panel(order=32)
def finance_outstanding(request) -> dict | None:
    """Finance office: what is outstanding (PEN-5) and what came in this month."""
    user = request.user
    if not has_permission(user, "ledger.collect"):
        return None
    today = timezone.localdate()
    this_month = selectors.ledger_totals(selectors.ledger_entry_list(user=user, start=today.replace(day=1), end=today))
    return {
        "template": "penalties/panels/finance.html",
        "totals": selectors.ledger_totals(selectors.ledger_entry_list(user=user)),
        "outstanding_count": selectors.penalty_outstanding(user=user).count(),
        "collected_this_month_fen": this_month.collected_fen,
        "waiver_count": selectors.waiver_queue(user=user).count(),
    }


@register_panel(order=33)
def my_open_penalties(request) -> dict | None:
    """Staff: their own penalties with a fine still to pay."""
    user = request.user
    if not roles_for(user).staff_id or not has_permission(user, "penalties.view_own"):
        return None
    mine = selectors.with_balances(selectors.penalty_list(user=user, only_own=True)).filter(outstanding_fen__gt=0)
    items = list(mine[:LIST_LENGTH])
    if not items and has_permission(user, "penalties.view_all"):
        return None  # the office, leadership and finance see their own only when something is open
    return {"template": "penalties/panels/mine.html", "items": items}

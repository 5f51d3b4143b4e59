"""What an inspection's page and an order's page offer, built from ``inspections.permissions`` —
the same checks the services make, so a button is shown exactly when its step would be allowed.

Where a step is not offered although the role could take it, ``notes`` say why (the finding has
no person to penalise, the time to appeal has passed …).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from inspections import permissions
from inspections.models import Appeal, Inspection, InspectionSettings, ItemResult, RectificationOrder
from inspections.selectors.lists import team_open_items
from inspections.selectors.scope import covert_read_log
from tollservice.access.permissions import has_permission


@dataclass
class FindingActions:
    finding: ItemResult
    outcome: bool = False  # suggest or order
    penalty: bool = False
    appeal: bool = False
    pending_appeal: Appeal | None = None
    decide: bool = False  # the pending appeal


@dataclass
class InspectionPage:
    inspection: Inspection
    edit: bool = False
    file: bool = False
    review: bool = False
    void: bool = False
    correct: bool = False
    close: bool = False
    findings: list[FindingActions] = field(default_factory=list)
    without_outcome: list[ItemResult] = field(default_factory=list)
    read_log: list | None = None  # INS-6: who read the visit before it was published
    appeal_until: datetime.datetime | None = None
    recheck: dict | None = None  # the team's open findings and orders, while the inspection is a draft

    @property
    def any_action(self) -> bool:
        return any((self.edit, self.file, self.review, self.void, self.correct, self.close))


def inspection_page(*, user, inspection: Inspection) -> InspectionPage:
    """The steps ``user`` may take on ``inspection`` (loaded by ``inspection_detail``) and its findings."""
    can = permissions.can
    page = InspectionPage(
        inspection=inspection,
        edit=can(permissions.check_edit, user, inspection),
        review=can(permissions.check_review, user, inspection),
        void=can(permissions.check_void, user, inspection),
        correct=can(permissions.check_correct, user, inspection),
        close=can(permissions.check_close, user, inspection),
    )
    page.file = page.edit
    appeal_days = InspectionSettings.current().appeal_days
    if inspection.published_at:
        page.appeal_until = permissions.appeal_window_end(inspection, appeal_days=appeal_days)
    may_propose = has_permission(user, "penalties.propose")
    now = timezone.now()
    for result in inspection.results.all():
        if not result.is_finding:
            continue
        appeals = list(result.appeals.all())
        actions = FindingActions(
            finding=result,
            outcome=can(permissions.check_outcome, user, result),
            appeal=can(permissions.check_appeal, user, result, appeal_days=appeal_days, now=now),
            pending_appeal=next((a for a in appeals if a.status == Appeal.Status.LODGED), None),
        )
        actions.penalty = actions.outcome and may_propose and result.item.is_violation and result.staff_id is not None
        page.findings.append(actions)
        if not result.withdrawn and not list(result.outcomes.all()):
            page.without_outcome.append(result)
    if has_permission(user, "inspections.view_all") or permissions.is_author(user, inspection):
        page.read_log = list(covert_read_log(user=user, inspection=inspection)[:100])
    if page.edit:
        page.recheck = team_open_items(user=user, team=inspection.team)
    return page


@dataclass
class OrderPage:
    order: RectificationOrder
    answer: bool = False
    verify: bool = False
    manage: bool = False
    overdue: bool = False


def order_page(*, user, order: RectificationOrder) -> OrderPage:
    can = permissions.can
    return OrderPage(
        order=order,
        answer=can(permissions.check_answer, user, order),
        verify=can(permissions.check_verify, user, order),
        manage=can(permissions.check_manage_order, user, order),
        overdue=order.is_overdue(),
    )

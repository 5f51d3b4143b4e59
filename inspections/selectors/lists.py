"""Lists of inspections, findings, orders, appeals and reports, each scoped to the user and
built with the joins it needs, so that a page's query count does not grow with its rows.

A list that shows unpublished covert visits to the office is read through
``services.covert_reads_record`` by the page (or export) for the rows it shows (INS-6).
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from inspections.models import (
    Appeal,
    ChecklistVersion,
    FindingOutcome,
    Inspection,
    ItemResult,
    OverdueProposal,
    RectificationOrder,
    SupervisorReport,
)
from inspections.permissions import own_team_ids
from inspections.selectors.scope import (
    finding_visibility_parts,
    findings_visible_to,
    hidden_from,
    inspections_visible_to,
    order_visibility_parts,
    orders_visible_to,
    visibility,
    visibility_parts,
)
from tollservice.access.permissions import has_permission
from tollservice.access.roles import roles_for
from tollservice.core.pagination import in_branches
from tollservice.roster.models import Team

# How far back the open findings of a team are listed for re-checking.
RECHECK_DAYS = 90


def inspection_list(
    *,
    user,
    kind: str | None = None,
    team: Team | None = None,
    status: str | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    lane=None,
) -> QuerySet[Inspection]:
    """Inspections in the user's scope, newest first, with team, place, people and the number of
    findings that stand (constant queries)."""
    inspections = inspections_visible_to(user)
    if kind:
        inspections = inspections.filter(kind=kind)
    if team is not None:
        inspections = inspections.filter(team=team)
    if status:
        inspections = inspections.filter(status=status)
    if start:
        inspections = inspections.filter(shift_date__gte=start)
    if end:
        inspections = inspections.filter(shift_date__lte=end)
    if lane is not None:
        inspections = inspections.filter(lane=lane)
    # Counted per row of the page (a subquery on the results' index), so that the list itself is
    # read through its index in date order, a page at a time, never grouped and sorted whole.
    findings = (
        ItemResult.objects.findings()
        .filter(inspection=OuterRef("pk"))
        .order_by()
        .values("inspection")
        .annotate(n=Count("pk"))
        .values("n")
    )
    inspections = (
        inspections.select_related("team", "lane", "booth", "supervisor", "shift_leader", "team_leader")
        .annotate(finding_count=Coalesce(Subquery(findings), 0))
        .order_by("-occurred_at", "-pk")
    )
    # A reader's scope made of several parts is paged part by part, each through its own index.
    return in_branches(inspections, visibility_parts(user))


def inspections_to_count(*, user) -> QuerySet[Inspection]:
    """The rows of ``inspection_list`` written to be counted (the list's filters apply to it
    alike): for a reader who sees all but a few inspections (``scope.hidden_from``), all but
    those few, read from an index, where the list's own condition (``status <> 'draft'``, for
    one) has none and reads the table; for any other reader the list itself."""
    hidden = hidden_from(user)
    if hidden is None:
        return inspection_list(user=user)
    return Inspection.objects.exclude(pk__in=hidden.values("pk"))


def finding_list(
    *,
    user,
    team: Team | None = None,
    kind: str | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    without_outcome: bool = False,
) -> QuerySet[ItemResult]:
    """Findings that stand, in the user's scope, each with its item, person, inspection and
    outcomes (a penalty's status, an order's state) — constant queries."""
    findings = findings_visible_to(user)
    if team is not None:
        findings = findings.filter(inspection__team=team)
    if kind:
        findings = findings.filter(inspection__kind=kind)
    if start:
        findings = findings.filter(inspection__shift_date__gte=start)
    if end:
        findings = findings.filter(inspection__shift_date__lte=end)
    if without_outcome:
        findings = findings.filter(~Exists(FindingOutcome.objects.filter(finding=OuterRef("pk"))))
    outcomes = FindingOutcome.objects.select_related("penalty", "order").order_by("created_at", "pk")
    findings = (
        findings.select_related("item", "staff", "inspection", "inspection__team")
        .prefetch_related(Prefetch("outcomes", queryset=outcomes))
        .order_by("-occurred_at", "-inspection_id", "position", "pk")
    )
    # A reader's scope made of several parts is paged part by part, each through its own index.
    return in_branches(findings, finding_visibility_parts(user))


def findings_to_count(*, user) -> QuerySet[ItemResult]:
    """The rows of ``finding_list`` written to be counted (the list's filters apply to it alike):
    for a reader who sees all but a few inspections (``scope.hidden_from``), the findings outside
    those few, read from the list's index, where the list's own condition joins every finding
    to its inspection (a capped count of 10,001 findings at 200,000 rows: 26 ms, most of the
    page); for any other reader the list itself."""
    hidden = hidden_from(user)
    if hidden is None:
        return finding_list(user=user)
    return ItemResult.objects.findings().exclude(inspection__in=hidden.values("pk"))


def order_list(
    *,
    user,
    team: Team | None = None,
    status: str | None = None,
    overdue: bool | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> QuerySet[RectificationOrder]:
    """Rectification orders in the user's scope, by deadline; ``overdue`` narrows to those past
    their deadline and still awaiting an answer (``order.overdue`` tells each row)."""
    orders = orders_visible_to(user)
    if team is not None:
        orders = orders.filter(team=team)
    if status:
        orders = orders.filter(status=status)
    if overdue:
        orders = orders.overdue()
    if start:
        orders = orders.filter(deadline__gte=start)
    if end:
        orders = orders.filter(deadline__lte=end)
    orders = orders.select_related(
        "team", "assignee", "finding", "finding__item", "finding__staff", "inspection", "issued_by"
    ).order_by("deadline", "pk")
    return in_branches(orders, order_visibility_parts(user))


def orders_due_for(*, user, limit: int = 10) -> list[RectificationOrder]:
    """The user's open orders and their deadlines, for the dashboard: assigned to them, or to a
    team they lead, awaiting an answer."""
    roles = roles_for(user)
    if not roles.staff_id:
        return []
    mine = Q(assignee_id=roles.staff_id) | Q(team_id__in=roles.led_team_ids)
    orders = orders_visible_to(user).filter(mine, status__in=list(RectificationOrder.AWAITING_ANSWER))
    return list(orders.select_related("team", "finding__item", "inspection").order_by("deadline", "pk")[:limit])


def orders_to_verify(*, user) -> QuerySet[RectificationOrder]:
    """Answered orders the user may verify: all for the office, their own inspections' otherwise."""
    orders = orders_visible_to(user).filter(status=RectificationOrder.Status.ANSWERED).exclude(answered_by=user)
    if not has_permission(user, "rectification.verify"):
        return orders.none()
    roles = roles_for(user)
    if not has_permission(user, "inspections.review"):  # not the office: an inspector of the inspection
        own = Q(inspection__supervisor_id=roles.supervisor_id) if roles.supervisor_id else Q(pk__in=[])
        if roles.staff_id:
            own |= Q(inspection__inspectors=roles.staff_id)
        orders = orders.filter(own).distinct()
    return orders.select_related("team", "assignee", "finding__item", "inspection").order_by("answered_at", "pk")


def team_open_items(*, user, team: Team, today: datetime.date | None = None) -> dict:
    """What an inspector re-checks on opening an inspection of ``team``: its open orders, and its
    recent findings that no re-check found fixed and no verified order closed."""
    today = today or timezone.localdate()
    findings = (
        finding_list(user=user, team=team, start=today - datetime.timedelta(days=RECHECK_DAYS))
        .filter(inspection__status__in=list(Inspection.EFFECTIVE))
        .exclude(rechecks__fixed=True)
        .exclude(orders__status=RectificationOrder.Status.VERIFIED)
        .distinct()
    )
    orders = order_list(user=user, team=team).filter(status__in=list(RectificationOrder.OPEN_STATUSES))
    return {"findings": list(findings), "orders": list(orders)}


def review_queue(*, user) -> QuerySet[Inspection]:
    """INS-6: supervisors' visits awaiting the office's review, oldest first, flagged when the
    same supervisor visited the team again within the configured gap."""
    if not has_permission(user, "inspections.review"):
        return Inspection.objects.none()
    # Who entered a visit and whom its findings name decide whether the reader may review it
    # (``permissions.check_review``): read with the rows, not per row.
    people = ItemResult.objects.only("pk", "inspection_id", "staff_id")
    return (
        inspections_visible_to(user)
        .filter(status=Inspection.Status.SUBMITTED)
        .select_related("team", "supervisor", "lane", "booth")
        .prefetch_related("inspectors", Prefetch("results", queryset=people))
        .order_by("submitted_at", "pk")
    )


def appeal_list(*, user, pending_only: bool = False) -> QuerySet[Appeal]:
    """Appeals on inspections the user sees; the deciders' queue with ``pending_only``."""
    condition = visibility(user, "inspection__")
    if condition is None:
        return Appeal.objects.none()
    appeals = Appeal.objects.filter(condition)
    if pending_only:
        appeals = appeals.filter(status=Appeal.Status.LODGED)
    # Whether the reader may decide each appeal (``permissions.check_appeal_decide``) depends on who
    # made the inspection and whom its findings name: read with the rows.
    people = ItemResult.objects.only("pk", "inspection_id", "staff_id")
    return (
        appeals.select_related("finding__item", "finding__staff", "inspection__team", "lodged_by")
        .prefetch_related("inspection__inspectors", Prefetch("inspection__results", queryset=people))
        .order_by("created_at", "pk")
    )


def supervisor_report_list(*, user) -> QuerySet[SupervisorReport]:
    """Reports the user may read: all for the leadership group and the office, a supervisor's own."""
    if not has_permission(user, "supervisor_reports.view"):
        return SupervisorReport.objects.none()
    reports = SupervisorReport.objects.all()
    if not (has_permission(user, "supervisor_reports.decide") or has_permission(user, "inspections.view_all")):
        reports = reports.filter(supervisor_id=roles_for(user).supervisor_id or 0)
    return (
        reports.select_related("supervisor", "decided_by")
        .prefetch_related("evaluations__team", "penalties")
        .order_by("-submitted_at", "-pk")
    )


def supervisor_report_queue(*, user, today: datetime.date | None = None) -> list[SupervisorReport]:
    """INS-7: the leadership group's queue of reports awaiting a decision, the most urgent first;
    each row says whether its decision is overdue (``decision_overdue``)."""
    if not has_permission(user, "supervisor_reports.decide"):
        return []
    today = today or timezone.localdate()
    reports = list(
        supervisor_report_list(user=user)
        .filter(status=SupervisorReport.Status.SUBMITTED)
        .order_by("decision_due", "pk")
    )
    for report in reports:
        report.decision_overdue = report.decision_due < today
    return reports


def overdue_proposal_list(*, user, open_only: bool = True) -> QuerySet[OverdueProposal]:
    """INS-4 / INS-5: teams put to the office for leaving orders overdue."""
    if not has_permission(user, "rectification.manage"):
        return OverdueProposal.objects.none()
    proposals = OverdueProposal.objects.exclude(team_id__in=own_team_ids(user))
    if open_only:
        proposals = proposals.filter(status=OverdueProposal.Status.OPEN)
    return proposals.select_related("team", "talk", "revocation").prefetch_related("orders").order_by("month", "pk")


def checklist_versions(*, user) -> QuerySet[ChecklistVersion]:
    """Every version (drafts only for the office), newest first, with its number of items."""
    versions = ChecklistVersion.objects.all()
    if not has_permission(user, "inspections.catalog"):
        versions = versions.filter(status=ChecklistVersion.Status.PUBLISHED)
    return (
        versions.select_related("created_by", "published_by")
        .annotate(item_count=Count("items"))
        .order_by("-effective_from", "-pk")
    )


def checklist_items(*, version: ChecklistVersion):
    return version.items.select_related("category", "provision", "prohibition").order_by("order", "code")


def office_waiting(*, user) -> dict[str, int]:
    """What waits for the user's seat, counted (the office's dashboard): visits to review, appeals
    to decide, answered orders to verify, teams put to the office, reports awaiting a decision."""
    counts = {"review": 0, "appeals": 0, "verify": 0, "proposals": 0, "reports": 0}
    if has_permission(user, "inspections.review"):
        counts["review"] = review_queue(user=user).count()
    if has_permission(user, "inspections.appeal_decide"):
        counts["appeals"] = appeal_list(user=user, pending_only=True).count()
    if has_permission(user, "rectification.verify"):
        counts["verify"] = orders_to_verify(user=user).count()
    if has_permission(user, "rectification.manage"):
        counts["proposals"] = overdue_proposal_list(user=user).count()
    if has_permission(user, "supervisor_reports.decide"):
        counts["reports"] = supervisor_report_list(user=user).filter(status=SupervisorReport.Status.SUBMITTED).count()
    return counts

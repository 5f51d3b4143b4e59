"""Who may do what to which inspection, order, appeal or report: written once.

Each ``check_…`` raises ``DomainError`` with the reason; the services call it before they write,
and a page asks ``can(check_…, user, obj)`` to decide whether to offer the button, so a button
and its guard never disagree. Role-level permissions (``inspections.record`` …) live in
``tollservice.access.permissions``; these add the object: whose draft, which kind, four eyes,
nobody deciding on their own team.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspections import rules
from inspections.models import Appeal, ChecklistVersion, Inspection, ItemResult, RectificationOrder, SupervisorReport
from tollservice.access.roles import Role, roles_for
from tollservice.core.errors import DomainError
from tollservice.core.verdicts import require_permission
from tollservice.roster.models import Staff

Kind = Inspection.Kind
Status = Inspection.Status

# Which roles enter which kind. The office also enters a supervisor's visit handed in on paper.
KIND_RECORDERS: dict[str, frozenset[Role]] = {
    Kind.LEADERSHIP: frozenset({Role.LEADERSHIP, Role.OFFICE}),  # INS-1
    Kind.SUPERVISOR_OPEN: frozenset({Role.SUPERVISOR, Role.OFFICE}),  # INS-6
    Kind.SUPERVISOR_COVERT: frozenset({Role.SUPERVISOR, Role.OFFICE}),  # INS-6
    Kind.OFFICE_ROUTINE: frozenset({Role.OFFICE}),
    Kind.CCTV: frozenset({Role.OFFICE}),
}


def _refuse(message=None, **kwargs):
    raise DomainError(
        message or _("You are not allowed to do this."), code=kwargs.pop("code", "permission_denied"), **kwargs
    )


def can(check: Callable, *args, **kwargs) -> bool:
    """Whether ``check`` lets it happen: for pages deciding what to offer."""
    try:
        check(*args, **kwargs)
    except DomainError:
        return False
    return True


_TEAMS_ATTR = "_inspections_own_team_ids"


def own_team_ids(user) -> set[int]:
    """The teams the user leads or belongs to: whose unpublished covert visits they never see.
    Read once per request (kept on the user object, as ``roles_for`` keeps the roles)."""
    cached = getattr(user, _TEAMS_ATTR, None)
    if cached is not None:
        return set(cached)
    roles = roles_for(user)
    teams = set(roles.led_team_ids)
    if roles.staff_id:
        team_id = Staff.objects.filter(pk=roles.staff_id).values_list("team_id", flat=True).first()
        if team_id:
            teams.add(team_id)
    if user is not None and user.is_authenticated:
        setattr(user, _TEAMS_ATTR, frozenset(teams))
    return teams


def _inspector_ids(inspection: Inspection) -> set[int]:
    # Iterating ``all()`` uses the inspectors a page prefetched; a service's fresh row reads them once.
    return {staff.pk for staff in inspection.inspectors.all()}


def is_author(user, inspection: Inspection) -> bool:
    """Who entered the inspection, its supervisor, or one of its inspectors."""
    if inspection.created_by_id == user.pk:
        return True
    roles = roles_for(user)
    if roles.supervisor_id and inspection.supervisor_id == roles.supervisor_id:
        return True
    return bool(roles.staff_id) and roles.staff_id in _inspector_ids(inspection)


def concerns(user, inspection: Inspection) -> bool:
    """The inspection is about the user: their team, or they are named in it (led the team or
    the shift, or a finding names them). They neither review, correct nor decide on it."""
    roles = roles_for(user)
    if not roles.staff_id:
        return False
    if inspection.team_id in own_team_ids(user):
        return True
    if roles.staff_id in (inspection.team_leader_id, inspection.shift_leader_id):
        return True
    return any(result.staff_id == roles.staff_id for result in inspection.results.all())


# --- Entering and filing ----------------------------------------------------------------------------


def check_record_kind(user, kind: str) -> None:
    require_permission(user, "inspections.record")
    if kind not in KIND_RECORDERS:
        raise DomainError(_("Choose the kind of inspection."), field="kind")
    if not roles_for(user).has_any(KIND_RECORDERS[kind]):
        _refuse(_("You cannot enter this kind of inspection."), field="kind")


def check_edit(user, inspection: Inspection) -> None:
    """The authors fill in a draft, or a visit returned to them; nothing once filed."""
    require_permission(user, "inspections.record")
    if inspection.status not in Inspection.EDITABLE:
        raise DomainError(_("A filed inspection is locked; the office corrects it with a reason."), code="locked")
    if not is_author(user, inspection):
        _refuse()


check_file = check_edit


# --- The office's review of a supervisor's visit (INS-6) ------------------------------------------------


def check_review(user, inspection: Inspection, *, statuses=(Status.SUBMITTED,)) -> None:
    require_permission(user, "inspections.review")
    if not inspection.needs_review:
        raise DomainError(_("Only a supervisor's visit is reviewed before it takes effect."))
    if inspection.status not in statuses:
        raise DomainError(_("This visit is not awaiting review."), code="state")
    if is_author(user, inspection):
        _refuse(_("Someone other than whoever entered the visit reviews it."), code="own_case")
    if concerns(user, inspection):
        _refuse(_("You cannot act on an inspection of your own team."), code="own_case")


def check_void(user, inspection: Inspection) -> None:
    check_review(user, inspection, statuses=(Status.SUBMITTED, Status.RETURNED))


# --- After it takes effect ---------------------------------------------------------------------------


def check_correct(user, inspection: Inspection) -> None:
    require_permission(user, "inspections.correct")
    if inspection.status not in Inspection.EFFECTIVE:
        raise DomainError(_("Only an inspection in effect is corrected; a draft is simply edited."), code="state")
    if concerns(user, inspection):
        _refuse(_("You cannot act on an inspection of your own team."), code="own_case")


def check_outcome(user, finding: ItemResult) -> None:
    """INS-2: the office or the leadership group settles what follows a finding."""
    require_permission(user, "inspections.outcomes")
    inspection = finding.inspection
    if inspection.status != Status.FILED:
        if inspection.status == Status.CLOSED:
            raise DomainError(_("This inspection is closed."), code="state")
        raise DomainError(_("Outcomes follow once the inspection is in effect."), code="state")
    if not finding.is_finding or finding.withdrawn:
        raise DomainError(_("Only a finding that stands gets an outcome."), code="state")
    if concerns(user, inspection):
        _refuse(_("You cannot act on an inspection of your own team."), code="own_case")


def check_close(user, inspection: Inspection) -> None:
    require_permission(user, "inspections.close")
    if inspection.status != Status.FILED:
        raise DomainError(_("Only a filed inspection can be closed."), code="state")
    if concerns(user, inspection):
        _refuse(_("You cannot act on an inspection of your own team."), code="own_case")


# --- Rectification orders -------------------------------------------------------------------------------


def leads_or_is_assignee(user, order: RectificationOrder) -> bool:
    roles = roles_for(user)
    return bool(roles.staff_id) and (roles.staff_id == order.assignee_id or order.team_id in roles.led_team_ids)


def check_answer(user, order: RectificationOrder) -> None:
    require_permission(user, "rectification.answer")
    if order.status not in RectificationOrder.AWAITING_ANSWER:
        raise DomainError(_("This order is not waiting for an answer."), code="state")
    if not leads_or_is_assignee(user, order):
        _refuse()


def is_inspector_of(user, inspection: Inspection) -> bool:
    roles = roles_for(user)
    if roles.supervisor_id and inspection.supervisor_id == roles.supervisor_id:
        return True
    return bool(roles.staff_id) and roles.staff_id in _inspector_ids(inspection)


def check_verify(user, order: RectificationOrder) -> None:
    """The office or an inspector of the order's inspection, never whoever answered."""
    require_permission(user, "rectification.verify")
    if order.status != RectificationOrder.Status.ANSWERED:
        raise DomainError(_("Only an answered order is verified."), code="state")
    if order.answered_by_id == user.pk:
        _refuse(_("Someone other than whoever answered verifies the order."), code="own_case")
    if leads_or_is_assignee(user, order):
        _refuse(_("You cannot verify an order to your own team."), code="own_case")
    if not (Role.OFFICE in roles_for(user) or is_inspector_of(user, order.inspection)):
        _refuse()


def check_manage_order(user, order: RectificationOrder) -> None:
    require_permission(user, "rectification.manage")
    if not order.is_open:
        raise DomainError(_("This order is closed."), code="state")
    if leads_or_is_assignee(user, order):
        _refuse(_("You cannot act on an order to your own team."), code="own_case")


# --- Appeals (INS-6) ---------------------------------------------------------------------------------------


def appeal_window_end(inspection: Inspection, *, appeal_days: int) -> datetime.datetime | None:
    return rules.appeal_deadline(inspection.published_at, days=appeal_days) if inspection.published_at else None


def check_appeal(user, finding: ItemResult, *, appeal_days: int, now: datetime.datetime | None = None) -> None:
    require_permission(user, "inspections.appeal")
    inspection = finding.inspection
    if inspection.status not in Inspection.EFFECTIVE:
        raise DomainError(_("An appeal follows the publication of the inspection."), code="state")
    if inspection.team_id not in roles_for(user).led_team_ids:
        _refuse(_("Only the leader of the team inspected appeals its findings."))
    if not finding.is_finding or finding.withdrawn:
        raise DomainError(_("Only a finding that stands can be appealed."), code="state")
    if (now or timezone.now()) > appeal_window_end(inspection, appeal_days=appeal_days):
        raise DomainError(
            _("The time to appeal (%(days)s days after publication) has passed."),
            code="too_late",
            params={"days": appeal_days},
        )
    if finding.appeals.filter(status=Appeal.Status.LODGED).exists():
        raise DomainError(_("An appeal against this finding is already waiting for a decision."), code="pending")


def check_appeal_decide(user, appeal: Appeal) -> None:
    """Someone other than the inspector decides (INS-6), and nobody decides on their own team."""
    require_permission(user, "inspections.appeal_decide")
    if appeal.status != Appeal.Status.LODGED:
        raise DomainError(_("This appeal has been decided."), code="state")
    inspection = appeal.inspection
    if is_author(user, inspection) or appeal.lodged_by_id == user.pk:
        _refuse(_("Someone other than the inspector and the appellant decides the appeal."), code="own_case")
    if concerns(user, inspection):
        _refuse(_("You cannot act on an inspection of your own team."), code="own_case")


# --- Supervisors' reports (INS-6, INS-7) ----------------------------------------------------------------------


def check_report_decide(user, report: SupervisorReport) -> None:
    require_permission(user, "supervisor_reports.decide")
    if report.status != SupervisorReport.Status.SUBMITTED:
        raise DomainError(_("This report has been decided."), code="state")
    if report.submitted_by_id == user.pk:
        _refuse(code="own_case")


# --- The checklist ----------------------------------------------------------------------------------------------


def check_catalog_edit(user, version: ChecklistVersion) -> None:
    """The office changes a draft version only: a published one is never changed again."""
    require_permission(user, "inspections.catalog")
    if version.status != ChecklistVersion.Status.DRAFT:
        raise DomainError(_("A published checklist is never changed; draft a new version."), code="published")

"""What follows a finding (INS-2): a critical suggestion, a penalty proposed through
``penalties.services``, a rectification order with a deadline — and the orders' life: answer,
verify or return, move the deadline; a team that leaves orders overdue is put to the office
(INS-4 talk, INS-5 loss of award eligibility).

Deadline reminders: each order registers its deadline with the reminder engine
(``inspections.reminders``) when it is issued, returned or its deadline moves while it awaits an
answer, and closes it when it is answered, verified or cancelled.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from inspections import permissions, rules
from inspections import reminders as order_reminders
from inspections.links import ORDER_DETAIL, OVERDUE_PROPOSALS, portal_url
from inspections.models import (
    FindingOutcome,
    InspectionSettings,
    ItemResult,
    OverdueProposal,
    RectificationEvent,
    RectificationOrder,
)
from inspections.services._common import office_users, user_of
from penalties import services as penalty_services
from penalties.models import Penalty
from tollservice.audit.models import AuditEntry
from tollservice.audit.services import audit_record, locked, snapshot
from tollservice.core.dates import month_start
from tollservice.core.errors import DomainError
from tollservice.core.validators import text_optional, text_required
from tollservice.core.verdicts import require_permission
from tollservice.notifications.services import notification_send_each
from tollservice.roster.models import Staff

OrderStatus = RectificationOrder.Status
TEXT_MAX = 2000
ANSWER_MAX = 4000
REMINDER_KIND = order_reminders.RECTIFICATION  # the reminder engine's kind for an order's deadline

_ORDER_AUDITED = ["status", "deadline", "assignee", "answered_by", "verified_by"]


def _locked_finding(finding: ItemResult) -> ItemResult:
    return (
        ItemResult.objects.select_for_update(of=("self",))
        .select_related("inspection", "item", "staff")
        .get(pk=finding.pk)
    )


def _outcome(finding: ItemResult, *, kind: str, actor, **links) -> FindingOutcome:
    outcome = FindingOutcome.objects.create(finding=finding, kind=kind, created_by=actor, **links)
    audit_record(
        actor=actor,
        instance=finding.inspection,
        action=AuditEntry.Action.UPDATE,
        after={"outcome": f"{finding.item.code} · {kind}"},
        summary=_("Outcome recorded for a finding"),
    )
    return outcome


def finding_suggest(*, finding: ItemResult, suggested_by, text: str) -> FindingOutcome:
    """INS-2: the mild outcome, a critical suggestion (批评性建议) to the person or team."""
    text = text_required(text, field="text", limit=TEXT_MAX, message=_("Write the suggestion."))
    with transaction.atomic():
        finding = _locked_finding(finding)
        permissions.check_outcome(suggested_by, finding)
        return _outcome(finding, kind=FindingOutcome.Kind.SUGGESTION, actor=suggested_by, text=text)


def finding_penalty_propose(*, finding: ItemResult, proposed_by, description: str = "") -> FindingOutcome:
    """INS-2 / PEN-1: propose a penalty for the person concerned through
    ``penalties.services.penalty_propose``, citing the item's provision of the service code, with
    the finding as the penalty's source (the finding then shows the penalty's status)."""
    with transaction.atomic():
        finding = _locked_finding(finding)
        permissions.check_outcome(proposed_by, finding)
        item, inspection = finding.item, finding.inspection
        if not item.is_violation or item.provision_id is None:
            raise DomainError(
                _("A breach of “%(item)s” is not a violation of the service code; give a suggestion or an order."),
                params={"item": item.title},
            )
        if finding.staff_id is None:
            raise DomainError(_("Name the staff member concerned before proposing a penalty."), field="staff")
        if (
            finding.outcomes.filter(kind=FindingOutcome.Kind.PENALTY)
            .exclude(penalty__status__in=[Penalty.Status.WITHDRAWN, Penalty.Status.REJECTED, Penalty.Status.REVOKED])
            .exists()
        ):
            raise DomainError(_("A penalty has already been proposed for this finding."), code="duplicate")
        description = text_optional(description, field="description", limit=TEXT_MAX)
        if not description:
            description = gettext("%(item)s, found by inspection %(reference)s (%(count)s times).") % {
                "item": item.title,
                "reference": inspection.reference,
                "count": finding.occurrences,
            }
            if finding.note:
                description = f"{description} {finding.note}"
        penalty = penalty_services.penalty_propose(
            proposed_by=proposed_by,
            staff=finding.staff,
            rule=Penalty.Rule.SERVICE_CODE,
            source=Penalty.Source.INSPECTION_FINDING,
            incident_date=inspection.shift_date,
            description=description,
            provisions=[item.provision],
            source_reference=inspection.reference,
            source_object=finding,
        )
        return _outcome(finding, kind=FindingOutcome.Kind.PENALTY, actor=proposed_by, penalty=penalty)


# --- Rectification orders -------------------------------------------------------------------------------


def _order_event(order: RectificationOrder, kind: str, actor, *, text: str = "", deadline=None) -> None:
    RectificationEvent.objects.create(order=order, kind=kind, actor=actor, text=text, deadline=deadline)


def _audit_order(actor, order, before, summary, action=AuditEntry.Action.STATE) -> None:
    audit_record(
        actor=actor,
        instance=order,
        action=action,
        before=before,
        after=snapshot(order, _ORDER_AUDITED),
        summary=summary,
    )


def _check_deadline(deadline: datetime.date | None) -> datetime.date:
    if deadline is None:
        raise DomainError(_("Give the deadline."), field="deadline")
    today = timezone.localdate()
    if deadline < today:
        raise DomainError(_("The deadline cannot be in the past."), field="deadline")
    if deadline > today + datetime.timedelta(days=366):
        raise DomainError(_("The deadline is more than a year away."), field="deadline")
    return deadline


def rectification_order_issue(
    *,
    finding: ItemResult,
    issued_by,
    instructions: str,
    deadline: datetime.date | None = None,
    assignee: Staff | None = None,
) -> RectificationOrder:
    """INS-2: order the team to rectify a finding by a deadline (责令限期整改), assigned to the
    team's leader unless a person is named. The default deadline is the configured number of days."""
    instructions = text_required(
        instructions, field="instructions", limit=TEXT_MAX, message=_("Say what must be rectified.")
    )
    if deadline is None:
        deadline = timezone.localdate() + datetime.timedelta(days=InspectionSettings.current().rectification_days)
    deadline = _check_deadline(deadline)
    with transaction.atomic():
        finding = _locked_finding(finding)
        permissions.check_outcome(issued_by, finding)
        inspection = finding.inspection
        assignee = assignee or inspection.team.leader
        if assignee is None:
            raise DomainError(_("The team has no leader on the roster; name who must rectify."), field="assignee")
        if not assignee.active:
            raise DomainError(_("%(name)s has left the station."), field="assignee", params={"name": assignee.name})
        order = RectificationOrder.objects.create(
            finding=finding,
            inspection=inspection,
            team=inspection.team,
            inspection_team=inspection.team,
            assignee=assignee,
            instructions=instructions,
            deadline=deadline,
            issued_by=issued_by,
        )
        _order_event(order, RectificationEvent.Kind.ISSUED, issued_by, text=instructions, deadline=deadline)
        audit_record(
            actor=issued_by,
            instance=order,
            action=AuditEntry.Action.CREATE,
            after=snapshot(order, _ORDER_AUDITED),
            summary=str(order),
        )
        _outcome(finding, kind=FindingOutcome.Kind.RECTIFICATION, actor=issued_by, order=order)
        order_reminders.order_deadline_set(order=order, actor=issued_by)
        notification_send_each(
            recipients=_responsible(order),
            subject=_("Rectification order due %(date)s") % {"date": deadline.isoformat()},
            body=f"{finding}\n{instructions}",
            url=_order_url(order),
        )
    return order


def _responsible(order: RectificationOrder) -> list:
    """Who answers an order: the assignee and the team's leader (their accounts)."""
    return [u for u in map(user_of, order_reminders.order_responsible(order)) if u is not None]


def _order_url(order: RectificationOrder) -> str:
    return portal_url(ORDER_DETAIL, pk=order.pk)


def rectification_answer(*, order: RectificationOrder, answered_by, answer: str) -> RectificationOrder:
    """The team leader (or the person named) says what was done; evidence photos are added with
    ``evidence_photo_add(order=…)``. The office or an inspector then verifies it."""
    answer = text_required(answer, field="answer", limit=ANSWER_MAX, message=_("Say what was done."))
    with transaction.atomic():
        order = locked(order)
        permissions.check_answer(answered_by, order)
        before = snapshot(order, _ORDER_AUDITED)
        now = timezone.now()
        order.status = OrderStatus.ANSWERED
        order.answer = answer
        order.answered_by = answered_by
        order.answered_at = now
        order.answered_on = timezone.localtime(now).date()
        order.save()
        _order_event(order, RectificationEvent.Kind.ANSWERED, answered_by, text=answer)
        _audit_order(answered_by, order, before, _("Rectification answered"))
        order_reminders.order_deadline_close(order=order, outcome="completed", actor=answered_by)
        notification_send_each(
            recipients=[order.issued_by],
            subject=_("A rectification order was answered"),
            body=str(order),
            url=_order_url(order),
        )
    return order


def rectification_verify(*, order: RectificationOrder, verified_by, note: str = "") -> RectificationOrder:
    """Someone other than whoever answered — the office or an inspector — confirms the rectification."""
    note = text_optional(note, field="note", limit=TEXT_MAX)
    with transaction.atomic():
        order = locked(order)
        permissions.check_verify(verified_by, order)
        before = snapshot(order, _ORDER_AUDITED)
        order.status = OrderStatus.VERIFIED
        order.verified_by = verified_by
        order.verified_at = timezone.now()
        order.verification_note = note
        order.save()
        _order_event(order, RectificationEvent.Kind.VERIFIED, verified_by, text=note)
        _audit_order(verified_by, order, before, _("Rectification verified"))
        order_reminders.order_deadlines_close_all(order=order, outcome="completed", actor=verified_by)
        notification_send_each(
            recipients=_responsible(order),
            subject=_("Your rectification was verified"),
            body=str(order),
            url=_order_url(order),
        )
    return order


def rectification_return(
    *, order: RectificationOrder, returned_by, reasons: str, deadline: datetime.date | None = None
) -> RectificationOrder:
    """The verifier sends the answer back with reasons (and may give a new deadline)."""
    reasons = text_required(reasons, field="reasons", limit=TEXT_MAX)
    with transaction.atomic():
        order = locked(order)
        permissions.check_verify(returned_by, order)
        before = snapshot(order, _ORDER_AUDITED)
        order.status = OrderStatus.RETURNED
        if deadline is not None and deadline != order.deadline:
            order.deadline = _check_deadline(deadline)
        order.save()
        _order_event(order, RectificationEvent.Kind.RETURNED, returned_by, text=reasons, deadline=order.deadline)
        _audit_order(returned_by, order, before, _("Rectification returned"))
        order_reminders.order_deadline_set(order=order, actor=returned_by)
        notification_send_each(
            recipients=_responsible(order),
            subject=_("Your rectification was returned"),
            body=f"{order}\n{reasons}",
            url=_order_url(order),
        )
    return order


def rectification_deadline_change(
    *, order: RectificationOrder, changed_by, deadline: datetime.date, reason: str
) -> RectificationOrder:
    """The office moves an open order's deadline, with a reason; reminders are rescheduled."""
    reason = text_required(reason, field="reason", limit=TEXT_MAX)
    deadline = _check_deadline(deadline)
    with transaction.atomic():
        order = locked(order)
        permissions.check_manage_order(changed_by, order)
        if deadline == order.deadline:
            raise DomainError(_("That is already the deadline."), field="deadline")
        before = snapshot(order, _ORDER_AUDITED)
        order.deadline = deadline
        order.save()
        _order_event(order, RectificationEvent.Kind.DEADLINE, changed_by, text=reason, deadline=deadline)
        _audit_order(changed_by, order, before, reason, action=AuditEntry.Action.UPDATE)
        if order.status in RectificationOrder.AWAITING_ANSWER:  # an answered order waits for the office
            order_reminders.order_deadline_set(order=order, actor=changed_by)
        notification_send_each(
            recipients=_responsible(order),
            subject=_("Rectification order now due %(date)s") % {"date": deadline.isoformat()},
            body=f"{order}\n{reason}",
            url=_order_url(order),
        )
    return order


def rectification_cancel(*, order: RectificationOrder, cancelled_by, reason: str) -> RectificationOrder:
    """An order whose finding no longer stands (withdrawn on appeal) is cancelled, with the reason.
    Called by the appeal decision inside its transaction."""
    reason = text_required(reason, field="reason", limit=TEXT_MAX)
    order = locked(order)
    if not order.is_open:
        return order
    before = snapshot(order, _ORDER_AUDITED)
    order.status = OrderStatus.CANCELLED
    order.save()
    _order_event(order, RectificationEvent.Kind.CANCELLED, cancelled_by, text=reason)
    _audit_order(cancelled_by, order, before, _("Rectification order cancelled"))
    order_reminders.order_deadlines_close_all(order=order, outcome="cancelled", actor=cancelled_by)
    notification_send_each(
        recipients=_responsible(order),
        subject=_("A rectification order was cancelled"),
        body=f"{order}\n{reason}",
        url=_order_url(order),
    )
    return order


# --- Teams that leave orders overdue (INS-4, INS-5) ------------------------------------------------------------


def overdue_proposals_refresh(*, today: datetime.date | None = None) -> list[OverdueProposal]:
    """Put to the office every team with the configured number of late orders whose deadlines
    fell in one month (INS-4 talk or INS-5 loss of eligibility). Run daily (phase 2: a beat task);
    safe to run again: one proposal per team and month, brought up to date while it is open."""
    today = today or timezone.localdate()
    threshold = InspectionSettings.current().overdue_orders_threshold
    late = RectificationOrder.objects.late(today=today).select_related("team").order_by("deadline", "pk")
    by_team_month: dict[tuple[int, datetime.date], list[RectificationOrder]] = defaultdict(list)
    for order in late:
        by_team_month[(order.team_id, month_start(order.deadline))].append(order)
    created = []
    with transaction.atomic():
        for (team_id, month), orders in sorted(by_team_month.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            if not rules.overdue_threshold_reached(len(orders), threshold=threshold):
                continue
            proposal, is_new = OverdueProposal.objects.select_for_update().get_or_create(
                team_id=team_id, month=month, defaults={"late_count": len(orders)}
            )
            if not is_new and (proposal.status != OverdueProposal.Status.OPEN or proposal.late_count == len(orders)):
                continue
            proposal.late_count = len(orders)
            proposal.save()
            proposal.orders.set(orders)
            if is_new:
                created.append(proposal)
                audit_record(
                    actor=None,
                    instance=proposal,
                    action=AuditEntry.Action.CREATE,
                    after=snapshot(proposal, ["team", "month", "late_count"]),
                    summary=_("Team put to the office for overdue rectification orders"),
                )
                notification_send_each(
                    recipients=office_users(excluding_team_id=team_id),
                    subject=_("A team left rectification orders overdue"),
                    body=gettext("%(team)s: %(count)s orders late in %(month)s.")
                    % {"team": orders[0].team.name, "count": len(orders), "month": month.strftime("%Y-%m")},
                    url=portal_url(OVERDUE_PROPOSALS),
                )
    return created


def overdue_proposal_resolve(
    *, proposal: OverdueProposal, resolved_by, action: str, note: str = "", talk: dict | None = None, year=None
) -> OverdueProposal:
    """The office acts on a proposal: ``action`` is ``"talk"`` (INS-4: records the talk through
    ``penalties.services.talk_record`` with ``talk``'s keyword arguments), ``"eligibility"`` (INS-5:
    ``eligibility_revoke`` for ``year``, default the year of the month) or ``"dismiss"`` (with a note)."""
    note = (
        text_required(note, field="note", limit=TEXT_MAX)
        if action == "dismiss"
        else text_optional(note, field="note", limit=TEXT_MAX)
    )
    with transaction.atomic():
        proposal = OverdueProposal.objects.select_for_update(of=("self",)).select_related("team").get(pk=proposal.pk)
        require_permission(resolved_by, "rectification.manage")
        if proposal.team_id in permissions.own_team_ids(resolved_by):
            raise DomainError(_("You cannot act on a decision that concerns your team."), code="own_case")
        if proposal.status != OverdueProposal.Status.OPEN:
            raise DomainError(_("This proposal has been dealt with."), code="state")
        before = snapshot(proposal, ["status", "note"])
        reason = gettext("%(count)s rectification orders left overdue in %(month)s.") % {
            "count": proposal.late_count,
            "month": proposal.month.strftime("%Y-%m"),
        }
        if action == "talk":
            talk_kwargs = {"reason": reason, **(talk or {})}
            proposal.talk = penalty_services.talk_record(recorded_by=resolved_by, team=proposal.team, **talk_kwargs)
            proposal.status = OverdueProposal.Status.TALK
        elif action == "eligibility":
            proposal.revocation = penalty_services.eligibility_revoke(
                decided_by=resolved_by, year=year or proposal.month.year, reason=note or reason, team=proposal.team
            )
            proposal.status = OverdueProposal.Status.ELIGIBILITY
        elif action == "dismiss":
            proposal.status = OverdueProposal.Status.DISMISSED
        else:
            raise DomainError(_("Choose a talk, a loss of award eligibility, or dismissal."), field="action")
        proposal.note = note
        proposal.resolved_by = resolved_by
        proposal.resolved_at = timezone.now()
        proposal.save()
        audit_record(
            actor=resolved_by,
            instance=proposal,
            action=AuditEntry.Action.STATE,
            before=before,
            after=snapshot(proposal, ["status", "note"]),
            summary=_("Proposal on overdue orders dealt with"),
        )
    return proposal

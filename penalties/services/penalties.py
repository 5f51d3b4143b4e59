"""A penalty's life: propose, decide (office, PEN-5), approve or reject (leadership group,
PEN-2 / PEN-3), revoke by a new decision. These are the only ways a penalty comes to exist or
changes; inspections and complaints call ``penalty_propose`` with their finding or complaint.

Who may take each step is ``penalties.permissions`` (the pages show their buttons from the same
checks); which fine applies is ``rules.fine_for``. Coming into force is ``_in_force``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from inspections.models import Prohibition, ServiceProvision
from penalties import links, permissions, rules
from penalties.models import LedgerEntry, Penalty, PenaltyEvent, PenaltyProhibition, PenaltyProvision, WaiverRequest
from penalties.selectors import (
    approval_fine,
    decision_fine,
    leadership_users_other_than,
    penalty_balance,
    penalty_duplicates,
    penalty_records_begin,
    policy_in_force,
)
from penalties.services._common import lock_penalty, lock_staff
from penalties.services._in_force import (
    HANDLING_RULES,
    bring_into_force,
    event,
    notify_revocation,
    retire_circular,
    settle_handling_circular,
)
from penalties.services.ledger import close_waiver, reverse_entry
from tollservice.audit.models import AuditEntry
from tollservice.audit.services import audit_record, snapshot
from tollservice.core.errors import DomainError
from tollservice.core.validators import text_required
from tollservice.core.verdicts import require_permission
from tollservice.notifications.services import notification_send_each
from tollservice.roster.models import Department, Staff

Rule = Penalty.Rule
Status = Penalty.Status

# What the audit trail keeps of a penalty's state changes.
_AUDITED = [
    "status",
    "fine_fen",
    "suspension",
    "dismissal",
    "disciplinary_action",
    "escalated",
    "eligibility_year",
    "policy",
    "responsible_head",  # PEN-3: who is held accountable
]


def _audit_state(actor, penalty: Penalty, before: dict, summary) -> None:
    audit_record(
        actor=actor,
        instance=penalty,
        action=AuditEntry.Action.STATE,
        before=before,
        after=snapshot(penalty, _AUDITED),
        summary=summary,
    )


# --- Propose ----------------------------------------------------------------------------------


def penalty_propose(
    *,
    proposed_by,
    staff: Staff,
    rule: str,
    source: str,
    incident_date: datetime.date,
    description: str,
    provisions: Iterable[ServiceProvision] = (),
    fine_fen: int | None = None,
    suspension: bool = False,
    dismissal: bool = False,
    source_reference: str = "",
    source_object=None,
    joint_with: Penalty | None = None,
    separate_incident: bool = False,
) -> Penalty:
    """Propose a penalty for ``staff`` under ``rule`` (office; PEN-5).

    PEN-1 (``Rule.SERVICE_CODE``): name the provisions breached; the fine is computed, 200 × n
    under the default policy. PEN-3 (``Rule.COMPLAINT``): choose ``fine_fen`` in the policy's
    range, optionally suspension or dismissal. PEN-4 pairs are proposed with
    ``penalty_propose_handling_violation``. The person's team and department are copied as they
    stand today.

    A proposal that repeats an open or decided one (``selectors.penalty_duplicates``: the same
    person, rule and source record, or day and provisions) is refused with its number — a
    proposal posted twice makes one penalty, and a double-click cannot make anyone a repeat
    offender (PEN-2) — unless ``separate_incident`` says it is another incident.
    """
    require_permission(proposed_by, "penalties.propose")
    description = text_required(description, field="description", message=_("Describe what happened."))
    rules.check_incident_date(incident_date, today=timezone.localdate(), records_begin=penalty_records_begin())
    rules.pen5_check_source(rule=rule, source=source)
    provisions = _citable(provisions)
    policy = policy_in_force()
    fine_fen = rules.fine_for(
        rule=rule, policy=policy, provisions_count=len(provisions), chosen_fen=fine_fen
    ).checked()  # PEN-1, PEN-3, PEN-4
    disciplinary_action = rule in HANDLING_RULES  # PEN-4
    rules.check_sanctions(
        rule=rule, escalated=False, suspension=suspension, dismissal=dismissal, disciplinary_action=disciplinary_action
    )
    with transaction.atomic():
        lock_staff(staff.pk)  # one proposal for a person at a time: the second sees the first
        if not separate_incident:
            _refuse_duplicate(
                staff=staff, rule=rule, incident_date=incident_date, provisions=provisions, source_object=source_object
            )
        penalty = _create_proposal(
            proposed_by=proposed_by,
            staff=staff,
            rule=rule,
            source=source,
            source_reference=source_reference,
            source_object=source_object,
            incident_date=incident_date,
            description=description,
            eligibility_year=rules.year_of(incident_date, policy=policy),
            fine_fen=fine_fen,
            suspension=suspension,
            dismissal=dismissal,
            disciplinary_action=disciplinary_action,
            joint_with=joint_with,
        )
        _cite_provisions(penalty, provisions, actor=proposed_by)
    return penalty


def _citable(provisions: Iterable[ServiceProvision]) -> list[ServiceProvision]:
    provisions = list(dict.fromkeys(provisions))
    if any(not p.active for p in provisions):
        raise DomainError(_("A provision that is no longer in force cannot be cited."), field="provisions")
    return provisions


def _refuse_duplicate(*, staff, rule, incident_date, provisions, source_object) -> None:
    duplicates = penalty_duplicates(
        staff=staff,
        rule=rule,
        incident_date=incident_date,
        provision_ids=[p.pk for p in provisions],
        source_object=source_object,
    )
    if duplicates:
        first = duplicates[0]
        raise DomainError(
            _(
                "%(name)s already has this penalty, proposed or decided: no. %(number)s of %(date)s. If this "
                "is a separate incident, confirm it and propose again."
            ),
            field="separate_incident",
            code="duplicate_proposal",
            params={"name": staff.name, "number": first.pk, "date": first.incident_date.isoformat()},
        )


def _create_proposal(*, proposed_by, staff, source_reference, source_object, **values) -> Penalty:
    content_type, object_id = None, ""
    if source_object is not None:
        content_type, object_id = ContentType.objects.get_for_model(source_object), str(source_object.pk)
    penalty = Penalty.objects.create(
        staff=staff,
        team=staff.team,
        department=staff.department,
        source_reference=source_reference.strip(),
        source_content_type=content_type,
        source_object_id=object_id,
        proposed_by=proposed_by,
        **values,
    )
    audit_record(
        actor=proposed_by,
        instance=penalty,
        action=AuditEntry.Action.CREATE,
        after=snapshot(penalty, ["staff", "rule", "source", "incident_date", *_AUDITED]),
        summary=str(penalty),
    )
    return penalty


def _cite_provisions(penalty: Penalty, provisions: list[ServiceProvision], *, actor) -> None:
    PenaltyProvision.objects.bulk_create(
        PenaltyProvision(penalty=penalty, provision=p, code=p.code, text=p.text) for p in provisions
    )
    event(penalty, PenaltyEvent.Kind.PROPOSED, actor, provisions=[p.code for p in provisions])


def penalty_propose_handling_violation(
    *,
    proposed_by,
    handler: Staff,
    incident_date: datetime.date,
    description: str,
    handler_fine_fen: int,
    head_fine_fen: int,
    source: str = Penalty.Source.VERIFIED_COMPLAINT,
    department: Department | None = None,
    source_reference: str = "",
    source_object=None,
    separate_incident: bool = False,
) -> tuple[Penalty, Penalty]:
    """PEN-4: a complaint mishandled so that it grew — the handler and the head of the handling
    department (default: the handler's) are each fined in the complaint range, with disciplinary
    action; one circulated criticism will name both and the department."""
    head = rules.pen4_pair(handler=handler, department=department)
    policy = policy_in_force()
    # Checked before anything is written, so that the error names the right form field.
    for fine_fen, field in ((handler_fine_fen, "handler_fine"), (head_fine_fen, "head_fine")):
        rules.fine_for(rule=Rule.HANDLING_HANDLER, policy=policy, chosen_fen=fine_fen, field=field).checked()
    common = {
        "proposed_by": proposed_by,
        "source": source,
        "incident_date": incident_date,
        "description": description,
        "source_reference": source_reference,
        "source_object": source_object,
        "separate_incident": separate_incident,
    }
    with transaction.atomic():
        lock_staff(handler.pk, head.pk)
        handler_penalty = penalty_propose(
            staff=handler, rule=Rule.HANDLING_HANDLER, fine_fen=handler_fine_fen, **common
        )
        head_penalty = penalty_propose(
            staff=head, rule=Rule.HANDLING_HEAD, fine_fen=head_fine_fen, joint_with=handler_penalty, **common
        )
    return handler_penalty, head_penalty


def penalty_withdraw(*, penalty: Penalty, withdrawn_by, reasons: str) -> Penalty:
    """The office drops a proposal it has not decided, with reasons."""
    require_permission(withdrawn_by, "penalties.decide")
    reasons = text_required(reasons, field="reasons")
    with transaction.atomic():
        penalty = lock_penalty(penalty.pk)
        permissions.can_withdraw(withdrawn_by, penalty).check()  # a withdrawn proposal never counts
        before = snapshot(penalty, _AUDITED)
        penalty.status = Status.WITHDRAWN
        penalty.save()
        event(penalty, PenaltyEvent.Kind.WITHDRAWN, withdrawn_by, reasons=reasons)
        _audit_state(withdrawn_by, penalty, before, _("Proposal withdrawn"))
        if penalty.rule in HANDLING_RULES:  # PEN-4: the partner's circular need not wait any more
            settle_handling_circular(penalty, actor=withdrawn_by)
    return penalty


# --- Decide -----------------------------------------------------------------------------------


def penalty_decide(
    *,
    penalty: Penalty,
    decided_by,
    reasons: str = "",
    fine_fen: int | None = None,
    suspension: bool | None = None,
    dismissal: bool | None = None,
    responsible_head: Staff | None = None,
) -> Penalty:
    """PEN-5: the office decides a proposed penalty under the policy in force now.

    PEN-1 fines are recomputed from the provisions; PEN-3/PEN-4 fines (``fine_fen``, default the
    proposal's) must lie in the range. PEN-2: the person's second violation in the year is
    escalated and waits for the leadership group, as do suspension and dismissal (PEN-3);
    otherwise the penalty comes into force now. PEN-3 names the head held accountable
    (``responsible_head``, default the team leader or department head on the roster).
    """
    require_permission(decided_by, "penalties.decide")
    with transaction.atomic():
        # One decision per person at a time, so that two violations decided together still
        # see each other (PEN-2).
        lock_staff(penalty.staff_id)
        penalty = lock_penalty(penalty.pk)
        permissions.can_decide(decided_by, penalty).check()
        before = snapshot(penalty, _AUDITED)
        now = timezone.now()
        _settle_decision(
            penalty,
            policy=policy_in_force(at=now),
            fine_fen=fine_fen,
            suspension=suspension,
            dismissal=dismissal,
            responsible_head=responsible_head,
        )
        penalty.decided_by, penalty.decided_at = decided_by, now
        if rules.needs_leadership_approval(
            escalated=penalty.escalated, suspension=penalty.suspension, dismissal=penalty.dismissal
        ):
            _send_to_leadership(penalty, decided_by=decided_by, reasons=reasons)
        else:
            penalty.status = Status.DECIDED
            event(penalty, PenaltyEvent.Kind.DECIDED, decided_by, reasons=reasons.strip())
            bring_into_force(penalty, actor=decided_by, at=now)
        _audit_state(decided_by, penalty, before, _("Penalty decided"))
    return penalty


def _settle_decision(penalty: Penalty, *, policy, fine_fen, suspension, dismissal, responsible_head) -> None:
    """The outcome the office decides: policy, year, fine, sanctions, PEN-2 escalation, PEN-3 head."""
    penalty.policy = policy
    penalty.eligibility_year = rules.year_of(penalty.incident_date, policy=policy)
    penalty.fine_fen = decision_fine(penalty, policy=policy, chosen_fen=fine_fen).checked()  # PEN-1, PEN-3, PEN-4
    if suspension is not None:
        penalty.suspension = suspension
    if dismissal is not None:
        penalty.dismissal = dismissal
    penalty.escalated = rules.pen2_is_repeat(  # PEN-2
        staff=penalty.staff, incident_date=penalty.incident_date, policy=policy, exclude=penalty
    )
    rules.check_sanctions(
        rule=penalty.rule,
        escalated=penalty.escalated,
        suspension=penalty.suspension,
        dismissal=penalty.dismissal,
        disciplinary_action=penalty.disciplinary_action,
    )
    if penalty.rule == Rule.COMPLAINT:  # PEN-3: the responsible head is held accountable
        penalty.responsible_head = _responsible_head(penalty.staff, responsible_head)


def _responsible_head(staff: Staff, chosen: Staff | None) -> Staff:
    if chosen is not None:
        if chosen.pk == staff.pk:
            raise DomainError(_("The responsible head must be someone else."), field="responsible_head")
        return chosen
    found = rules.pen3_responsible_head(staff)
    if found is None:
        raise DomainError(
            _("The roster names no team leader or department head for this person; choose the responsible head."),
            field="responsible_head",
        )
    return found[0]


def _send_to_leadership(penalty: Penalty, *, decided_by, reasons: str) -> None:
    """PEN-2 / PEN-3: the decision waits for the leadership group, told of it — four eyes: every
    member but the one who decided (and the person penalized)."""
    penalty.status = Status.AWAITING_APPROVAL
    penalty.save()
    event(penalty, PenaltyEvent.Kind.DECIDED, decided_by, reasons=reasons.strip())
    if penalty.escalated:
        event(penalty, PenaltyEvent.Kind.ESCALATED, decided_by)
    notification_send_each(
        recipients=leadership_users_other_than(user_ids=[decided_by.pk], staff_id=penalty.staff_id),
        subject=_("A penalty waits for the leadership group: %(staff)s") % {"staff": penalty.staff.name},
        body=penalty.description,
        url=links.portal_url(links.APPROVAL_QUEUE),
    )


# --- Leadership -------------------------------------------------------------------------------


def penalty_approve(
    *,
    penalty: Penalty,
    approved_by,
    reasons: str = "",
    fine_fen: int | None = None,
    suspension: bool | None = None,
    dismissal: bool | None = None,
    disciplinary_action: bool | None = None,
    prohibitions: Iterable[Prohibition] = (),
) -> Penalty:
    """PEN-2 / PEN-3: the leadership group decides a penalty waiting for it; it comes into force.

    Four eyes: the member who approves is not the one who decided the penalty for the office,
    even when one person holds a seat in both. For an escalated repeat violation (PEN-2) the
    decision records its reasons, the prohibitions concerned, the sanctions and the fine (from
    the violation's own fine up to the policy's ceiling for repeat violations). Otherwise it
    confirms, or changes within the range, the office's decision on suspension or dismissal
    (PEN-3).
    """
    require_permission(approved_by, "penalties.approve")
    with transaction.atomic():
        penalty = lock_penalty(penalty.pk)
        permissions.can_approve(approved_by, penalty).check()
        before = snapshot(penalty, _AUDITED)
        prohibitions, reasons = _checked_prohibitions(penalty, prohibitions, reasons)
        penalty.fine_fen = approval_fine(penalty, chosen_fen=fine_fen).checked()  # PEN-2, PEN-3
        _set_sanctions(penalty, suspension=suspension, dismissal=dismissal, disciplinary_action=disciplinary_action)
        PenaltyProhibition.objects.bulk_create(
            PenaltyProhibition(penalty=penalty, prohibition=p, number=p.number, text=p.text) for p in prohibitions
        )
        penalty.status = Status.APPROVED
        event(
            penalty,
            PenaltyEvent.Kind.APPROVED,
            approved_by,
            reasons=reasons.strip(),
            prohibitions=[p.number for p in prohibitions],
        )
        bring_into_force(penalty, actor=approved_by, at=timezone.now())
        _audit_state(approved_by, penalty, before, _("Penalty approved by the leadership group"))
    return penalty


def _checked_prohibitions(penalty: Penalty, prohibitions, reasons: str) -> tuple[list[Prohibition], str]:
    """PEN-2: a repeat violation is handled under the ten prohibitions, recorded with its reasons."""
    prohibitions = list(dict.fromkeys(prohibitions))
    if penalty.escalated:
        reasons = text_required(reasons, field="reasons")
        if not prohibitions:
            raise DomainError(_("Name the prohibitions this repeat violation is handled under."), field="prohibitions")
    elif prohibitions:
        raise DomainError(_("Only a repeat violation is handled under the ten prohibitions."))
    return prohibitions, reasons


def _set_sanctions(penalty: Penalty, **sanctions: bool | None) -> None:
    for name, value in sanctions.items():
        if value is not None:
            setattr(penalty, name, value)
    rules.check_sanctions(
        rule=penalty.rule,
        escalated=penalty.escalated,
        suspension=penalty.suspension,
        dismissal=penalty.dismissal,
        disciplinary_action=penalty.disciplinary_action,
    )


def penalty_reject(*, penalty: Penalty, rejected_by, reasons: str) -> Penalty:
    """The leadership group turns down a penalty waiting for it, with reasons (four eyes, as for
    an approval). Nothing is owed."""
    require_permission(rejected_by, "penalties.approve")
    reasons = text_required(reasons, field="reasons")
    with transaction.atomic():
        penalty = lock_penalty(penalty.pk)
        permissions.can_reject(rejected_by, penalty).check()
        before = snapshot(penalty, _AUDITED)
        penalty.status = Status.REJECTED
        penalty.save()
        event(penalty, PenaltyEvent.Kind.REJECTED, rejected_by, reasons=reasons)
        _audit_state(rejected_by, penalty, before, _("Penalty rejected by the leadership group"))
        if penalty.rule in HANDLING_RULES:  # PEN-4: the partner's circular need not wait any more
            settle_handling_circular(penalty, actor=rejected_by)
        notification_send_each(
            recipients=[penalty.decided_by],
            subject=_("The leadership group rejected the penalty of %(staff)s") % {"staff": penalty.staff.name},
            body=reasons,
            url=links.portal_url(links.PENALTY_DETAIL, pk=penalty.pk),
        )
    return penalty


# --- Revoke -----------------------------------------------------------------------------------


def penalty_revoke(*, penalty: Penalty, revoked_by, reasons: str) -> Penalty:
    """Revoke a penalty in force by a new decision with reasons; it is never edited.

    Its assessed fine (and any waiver) is reversed in the ledger in the same transaction, so it
    no longer counts for PEN-2 or award eligibility; its accountability record (PEN-3) stops
    counting with it, and a circular still in draft is withdrawn (PEN-4: redrafted for the
    partner still in force). A fine already collected must first be
    refunded by the finance office (a reversal of the collection). A penalty the leadership group
    approved is revoked by the leadership group; one the office decided, by the office.
    """
    reasons = text_required(reasons, field="reasons")
    with transaction.atomic():
        penalty = lock_penalty(penalty.pk)
        collected_fen = penalty_balance(penalty=penalty).collected_fen
        permissions.can_revoke(revoked_by, penalty, collected_fen=collected_fen).check()
        before = snapshot(penalty, _AUDITED)
        _cancel_fine(penalty, revoked_by=revoked_by, reasons=reasons)
        penalty.status = Status.REVOKED
        penalty.save()
        event(penalty, PenaltyEvent.Kind.REVOKED, revoked_by, reasons=reasons)
        _audit_state(revoked_by, penalty, before, _("Penalty revoked"))
        retire_circular(penalty, actor=revoked_by, reasons=reasons)
        notify_revocation(penalty, reasons=reasons)
    return penalty


def _cancel_fine(penalty: Penalty, *, revoked_by, reasons: str) -> None:
    """Close pending waivers, then reverse the waivers and the assessment, so that the balance
    never goes below zero."""
    for waiver in penalty.waiver_requests.filter(status=WaiverRequest.Status.PENDING):
        close_waiver(waiver, by=revoked_by, reason=gettext("The penalty was revoked."))
    for kind in (LedgerEntry.Kind.WAIVED, LedgerEntry.Kind.ASSESSED):
        for entry in penalty.ledger_entries.filter(kind=kind, reversal__isnull=True).order_by("sequence"):
            reverse_entry(penalty=penalty, entry=entry, reversed_by=revoked_by, reason=reasons)

"""A penalty's life: propose, decide (office, PEN-5), approve or reject (leadership group,
PEN-2 / PEN-3), revoke by a new decision. These are the only ways a penalty comes to exist or
changes; inspections and complaints call ``penalty_propose`` with their finding or complaint.

Coming into force (office decision, or leadership approval where needed) books the fine in the
ledger, drafts the circulated criticism and the accountability record the rule asks for, and
notifies the person (in-app now, email after commit) — all in the same transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from inspections.models import Prohibition, ServiceProvision
from penalties import links, rules
from penalties.models import (
    AccountabilityRecord,
    Circular,
    LedgerEntry,
    Penalty,
    PenaltyEvent,
    PenaltyProhibition,
    PenaltyProvision,
    WaiverRequest,
)
from penalties.selectors import approval_fine_range, leadership_users, penalty_balance, policy_in_force
from penalties.services._common import lock_penalty, notify, refuse_own_case, require_permission, require_text
from penalties.services.ledger import _close_waiver, fine_assess, reverse_entry
from tollservice.audit.models import AuditEntry
from tollservice.audit.services import audit_record, snapshot
from tollservice.core.errors import DomainError
from tollservice.core.money import format_yuan
from tollservice.core.text import join_list, join_sentences
from tollservice.roster.models import Department, Staff

Rule = Penalty.Rule
Status = Penalty.Status
HANDLING_RULES = (Rule.HANDLING_HANDLER, Rule.HANDLING_HEAD)  # PEN-4
UNDECIDED = (Status.PROPOSED, Status.AWAITING_APPROVAL)

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


def _details(penalty: Penalty, **extra) -> dict:
    """What a step settled, kept on the event as it stood."""
    details = {
        "fine_fen": penalty.fine_fen,
        "suspension": penalty.suspension,
        "dismissal": penalty.dismissal,
        "disciplinary_action": penalty.disciplinary_action,
        "escalated": penalty.escalated,
        "eligibility_year": penalty.eligibility_year,
        "policy_id": penalty.policy_id,
        "responsible_head_id": penalty.responsible_head_id,
    }
    details.update(extra)
    return details


def _event(penalty: Penalty, kind: str, actor, *, reasons: str = "", **details) -> PenaltyEvent:
    return PenaltyEvent.objects.create(
        penalty=penalty, kind=kind, actor=actor, reasons=reasons, details=_details(penalty, **details)
    )


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
) -> Penalty:
    """Propose a penalty for ``staff`` under ``rule`` (office; PEN-5).

    PEN-1 (``Rule.SERVICE_CODE``): name the provisions breached; the fine is computed, 200 × n
    under the default policy — ``fine_fen`` is not accepted. PEN-3 (``Rule.COMPLAINT``): choose
    ``fine_fen`` in the policy's range, optionally suspension or dismissal. PEN-4 pairs are
    proposed with ``penalty_propose_handling_violation``. The person's team and department are
    copied as they stand today.
    """
    require_permission(proposed_by, "penalties.propose")
    description = require_text(description, field="description", message=_("Describe what happened."))
    if incident_date > timezone.localdate():
        raise DomainError(_("The incident cannot be in the future."), field="incident_date")
    rules.pen5_check_source(rule=rule, source=source)
    provisions = list(dict.fromkeys(provisions))
    if any(not p.active for p in provisions):
        raise DomainError(_("A provision that is no longer in force cannot be cited."), field="provisions")
    policy = policy_in_force()
    disciplinary_action = rule in HANDLING_RULES  # PEN-4
    if rule == Rule.SERVICE_CODE:
        if fine_fen is not None:
            raise DomainError(_("The fine for a service-code violation is computed by the rule."), field="fine")
        fine_fen = rules.pen1_fine_for(len(provisions), policy)  # PEN-1
    else:
        fine_fen = rules.check_fine_in_range(fine_fen, rules.pen3_fine_range(policy))  # PEN-3 / PEN-4
    rules.check_sanctions(
        rule=rule, escalated=False, suspension=suspension, dismissal=dismissal, disciplinary_action=disciplinary_action
    )
    content_type, object_id = None, ""
    if source_object is not None:
        content_type, object_id = ContentType.objects.get_for_model(source_object), str(source_object.pk)
    with transaction.atomic():
        penalty = Penalty.objects.create(
            staff=staff,
            team=staff.team,
            department=staff.department,
            rule=rule,
            source=source,
            source_reference=source_reference.strip(),
            source_content_type=content_type,
            source_object_id=object_id,
            incident_date=incident_date,
            description=description,
            eligibility_year=rules.year_of(incident_date, policy=policy),
            fine_fen=fine_fen,
            suspension=suspension,
            dismissal=dismissal,
            disciplinary_action=disciplinary_action,
            joint_with=joint_with,
            proposed_by=proposed_by,
        )
        PenaltyProvision.objects.bulk_create(
            PenaltyProvision(penalty=penalty, provision=p, code=p.code, text=p.text) for p in provisions
        )
        _event(penalty, PenaltyEvent.Kind.PROPOSED, proposed_by, provisions=[p.code for p in provisions])
        audit_record(
            actor=proposed_by,
            instance=penalty,
            action=AuditEntry.Action.CREATE,
            after=snapshot(penalty, ["staff", "rule", "source", "incident_date", *_AUDITED]),
            summary=str(penalty),
        )
    return penalty


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
) -> tuple[Penalty, Penalty]:
    """PEN-4: a complaint mishandled so that it grew — the handler and the head of the handling
    department (default: the handler's) are each fined in the complaint range, with disciplinary
    action; one circulated criticism will name both and the department."""
    department = department or handler.department
    head = rules.pen4_department_head(department)
    if head.pk == handler.pk:
        raise DomainError(
            _("The handler heads the department; propose a single penalty for the handler."), field="handler"
        )
    common = {
        "proposed_by": proposed_by,
        "source": source,
        "incident_date": incident_date,
        "description": description,
        "source_reference": source_reference,
        "source_object": source_object,
    }
    with transaction.atomic():
        handler_penalty = penalty_propose(
            staff=handler,
            rule=Rule.HANDLING_HANDLER,
            fine_fen=_checked_fine(handler_fine_fen, "handler_fine"),
            **common,
        )
        head_penalty = penalty_propose(
            staff=head,
            rule=Rule.HANDLING_HEAD,
            fine_fen=_checked_fine(head_fine_fen, "head_fine"),
            joint_with=handler_penalty,
            **common,
        )
    return handler_penalty, head_penalty


def _checked_fine(fine_fen, field: str):
    """Check a PEN-4 fine against the range early, so the error names the right form field."""
    rules.check_fine_in_range(fine_fen, rules.pen3_fine_range(policy_in_force()), field=field)
    return fine_fen


def penalty_withdraw(*, penalty: Penalty, withdrawn_by, reasons: str) -> Penalty:
    """The office drops a proposal it has not decided, with reasons."""
    require_permission(withdrawn_by, "penalties.decide")
    reasons = require_text(reasons, field="reasons")
    with transaction.atomic():
        penalty = lock_penalty(penalty.pk)
        refuse_own_case(withdrawn_by, penalty)  # a withdrawn proposal never counts (PEN-1, PEN-2)
        if penalty.status != Status.PROPOSED:
            raise DomainError(_("Only a proposal can be withdrawn; revoke a decided penalty instead."))
        before = snapshot(penalty, _AUDITED)
        penalty.status = Status.WITHDRAWN
        penalty.save()
        _event(penalty, PenaltyEvent.Kind.WITHDRAWN, withdrawn_by, reasons=reasons)
        _audit_state(withdrawn_by, penalty, before, _("Proposal withdrawn"))
        if penalty.rule in HANDLING_RULES:  # PEN-4: the partner's circular need not wait any more
            _settle_handling_circular(penalty, actor=withdrawn_by)
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
        Staff.objects.select_for_update().filter(pk=penalty.staff_id).first()
        penalty = lock_penalty(penalty.pk)
        if penalty.status != Status.PROPOSED:
            raise DomainError(_("This penalty has already been decided or withdrawn."), code="not_proposed")
        refuse_own_case(decided_by, penalty)
        before = snapshot(penalty, _AUDITED)
        now = timezone.now()
        policy = policy_in_force(at=now)
        penalty.policy = policy
        penalty.eligibility_year = rules.year_of(penalty.incident_date, policy=policy)
        if penalty.rule == Rule.SERVICE_CODE:
            computed = rules.pen1_fine_for(penalty.provision_links.count(), policy)  # PEN-1
            if fine_fen is not None and fine_fen != computed:
                raise DomainError(_("The fine for a service-code violation is computed by the rule."), field="fine")
            penalty.fine_fen = computed
        else:
            chosen = penalty.fine_fen if fine_fen is None else fine_fen
            penalty.fine_fen = rules.check_fine_in_range(chosen, rules.pen3_fine_range(policy))  # PEN-3 / PEN-4
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
        penalty.decided_by, penalty.decided_at = decided_by, now
        needs_approval = rules.needs_leadership_approval(
            escalated=penalty.escalated, suspension=penalty.suspension, dismissal=penalty.dismissal
        )
        if needs_approval:
            penalty.status = Status.AWAITING_APPROVAL
            penalty.save()
            _event(penalty, PenaltyEvent.Kind.DECIDED, decided_by, reasons=reasons.strip())
            if penalty.escalated:
                _event(penalty, PenaltyEvent.Kind.ESCALATED, decided_by)
            notify(
                recipients=leadership_users(),
                subject=_("A penalty waits for the leadership group: %(staff)s") % {"staff": penalty.staff.name},
                body=penalty.description,
                url=links.portal_url(links.APPROVAL_QUEUE),
            )
        else:
            penalty.status = Status.DECIDED
            _event(penalty, PenaltyEvent.Kind.DECIDED, decided_by, reasons=reasons.strip())
            _bring_into_force(penalty, actor=decided_by, at=now)
        _audit_state(decided_by, penalty, before, _("Penalty decided"))
    return penalty


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

    For an escalated repeat violation (PEN-2) the decision records its reasons, the prohibitions
    concerned, the sanctions and the fine (from the violation's own fine up to the policy's
    ceiling for repeat violations). Otherwise it confirms, or changes within the range, the
    office's decision on suspension or dismissal (PEN-3).
    """
    require_permission(approved_by, "penalties.approve")
    with transaction.atomic():
        penalty = lock_penalty(penalty.pk)
        if penalty.status != Status.AWAITING_APPROVAL:
            raise DomainError(_("This penalty is not waiting for the leadership group."), code="not_awaiting")
        refuse_own_case(approved_by, penalty)
        before = snapshot(penalty, _AUDITED)
        prohibitions = list(dict.fromkeys(prohibitions))
        if penalty.escalated:
            reasons = require_text(reasons, field="reasons")  # PEN-2: recorded with its reasons
            if not prohibitions:
                raise DomainError(
                    _("Name the prohibitions this repeat violation is handled under."), field="prohibitions"
                )
        elif prohibitions:
            raise DomainError(_("Only a repeat violation is handled under the ten prohibitions."))
        fine_range = approval_fine_range(penalty)
        chosen = penalty.fine_fen if fine_fen is None else fine_fen
        penalty.fine_fen = rules.check_fine_in_range(chosen, fine_range)
        for name, value in (
            ("suspension", suspension),
            ("dismissal", dismissal),
            ("disciplinary_action", disciplinary_action),
        ):
            if value is not None:
                setattr(penalty, name, value)
        rules.check_sanctions(
            rule=penalty.rule,
            escalated=penalty.escalated,
            suspension=penalty.suspension,
            dismissal=penalty.dismissal,
            disciplinary_action=penalty.disciplinary_action,
        )
        PenaltyProhibition.objects.bulk_create(
            PenaltyProhibition(penalty=penalty, prohibition=p, number=p.number, text=p.text) for p in prohibitions
        )
        now = timezone.now()
        penalty.status = Status.APPROVED
        _event(
            penalty,
            PenaltyEvent.Kind.APPROVED,
            approved_by,
            reasons=reasons.strip(),
            prohibitions=[p.number for p in prohibitions],
        )
        _bring_into_force(penalty, actor=approved_by, at=now)
        _audit_state(approved_by, penalty, before, _("Penalty approved by the leadership group"))
    return penalty


def penalty_reject(*, penalty: Penalty, rejected_by, reasons: str) -> Penalty:
    """The leadership group turns down a penalty waiting for it, with reasons. Nothing is owed."""
    require_permission(rejected_by, "penalties.approve")
    reasons = require_text(reasons, field="reasons")
    with transaction.atomic():
        penalty = lock_penalty(penalty.pk)
        if penalty.status != Status.AWAITING_APPROVAL:
            raise DomainError(_("This penalty is not waiting for the leadership group."), code="not_awaiting")
        refuse_own_case(rejected_by, penalty)
        before = snapshot(penalty, _AUDITED)
        penalty.status = Status.REJECTED
        penalty.save()
        _event(penalty, PenaltyEvent.Kind.REJECTED, rejected_by, reasons=reasons)
        _audit_state(rejected_by, penalty, before, _("Penalty rejected by the leadership group"))
        if penalty.rule in HANDLING_RULES:  # PEN-4: the partner's circular need not wait any more
            _settle_handling_circular(penalty, actor=rejected_by)
        notify(
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
    reasons = require_text(reasons, field="reasons")
    with transaction.atomic():
        penalty = lock_penalty(penalty.pk)
        require_permission(revoked_by, "penalties.approve" if penalty.status == Status.APPROVED else "penalties.decide")
        if penalty.status not in Penalty.IN_FORCE:
            raise DomainError(_("Only a penalty in force can be revoked."), code="not_in_force")
        refuse_own_case(revoked_by, penalty)
        if penalty_balance(penalty=penalty).collected_fen > 0:
            raise DomainError(
                _(
                    "Part of this fine has been collected; the finance office must first refund it "
                    "(reverse the collection)."
                ),
                code="collected",
            )
        before = snapshot(penalty, _AUDITED)
        for waiver in penalty.waiver_requests.filter(status=WaiverRequest.Status.PENDING):
            _close_waiver(waiver, by=revoked_by, reason=gettext("The penalty was revoked."))
        # Waivers first, then the assessment, so that the balance never goes below zero.
        for kind in (LedgerEntry.Kind.WAIVED, LedgerEntry.Kind.ASSESSED):
            for entry in penalty.ledger_entries.filter(kind=kind, reversal__isnull=True).order_by("sequence"):
                reverse_entry(penalty=penalty, entry=entry, reversed_by=revoked_by, reason=reasons)
        penalty.status = Status.REVOKED
        penalty.save()
        _event(penalty, PenaltyEvent.Kind.REVOKED, revoked_by, reasons=reasons)
        _audit_state(revoked_by, penalty, before, _("Penalty revoked"))
        _retire_circular(penalty, actor=revoked_by, reasons=reasons)
        if penalty.staff.user_id:
            notify(
                recipients=[penalty.staff.user],
                subject=_("Your penalty of %(date)s has been revoked") % {"date": penalty.incident_date},
                body=reasons,
                url=links.portal_url(links.PENALTY_DETAIL, pk=penalty.pk),
            )
    return penalty


# --- Coming into force ------------------------------------------------------------------------


def _bring_into_force(penalty: Penalty, *, actor, at: datetime.datetime) -> None:
    """Book the fine, draft what the rule asks for, notify the person (caller holds the lock)."""
    penalty.in_force_from = at
    if penalty.rule == Rule.COMPLAINT:
        penalty.circular = _draft_complaint_circular(penalty, actor=actor)  # PEN-3
    penalty.save()
    if penalty.rule in HANDLING_RULES:
        _settle_handling_circular(penalty, actor=actor)  # PEN-4
    if penalty.rule == Rule.COMPLAINT and penalty.responsible_head_id:  # PEN-3
        record = AccountabilityRecord.objects.create(
            penalty=penalty,
            head=penalty.responsible_head,
            head_role=(
                AccountabilityRecord.HeadRole.TEAM_LEADER
                if penalty.team_id and penalty.team.leader_id == penalty.responsible_head_id
                else AccountabilityRecord.HeadRole.DEPARTMENT_HEAD
            ),
            measures=gettext(
                "Held accountable for the verified complaint against %(staff)s: named in the circulated "
                "criticism and to report in writing on the rectification in the team."
            )
            % {"staff": penalty.staff.name},
            recorded_by=actor,
        )
        audit_record(actor=actor, instance=record, action=AuditEntry.Action.CREATE, summary=str(record))
    fine_assess(penalty=penalty, recorded_by=actor)  # PEN-5: from now the fine is owed
    user = penalty.staff.user
    if user is not None:
        notify(
            recipients=[user],
            subject=_("A penalty has been decided: %(rule)s") % {"rule": penalty.get_rule_display()},
            body=_penalty_summary(penalty),
            url=links.portal_url(links.PENALTY_DETAIL, pk=penalty.pk),
        )
        _event(penalty, PenaltyEvent.Kind.NOTIFIED, actor, recipient=user.pk)


def _penalty_summary(penalty: Penalty) -> str:
    parts = [
        gettext("Date of the incident: %(date)s") % {"date": penalty.incident_date},
        gettext("Fine: %(amount)s yuan") % {"amount": format_yuan(penalty.fine_fen)},
    ]
    if penalty.sanctions:
        parts.append(gettext("Other sanctions: %(list)s") % {"list": join_list(penalty.sanctions)})
    parts.append(penalty.description)
    return "\n".join(parts)


def _draft_complaint_circular(penalty: Penalty, *, actor) -> Circular:
    """PEN-3: draft the circulated criticism (通报批评) of the person complained about."""
    staff = penalty.staff.name
    title = gettext("Circulated criticism of %(staff)s") % {"staff": staff}
    facts = {
        "staff": staff,
        "unit": penalty.team.name if penalty.team_id else penalty.department.name,
        "date": penalty.incident_date,
        "amount": format_yuan(penalty.fine_fen),
        "sanctions": join_list(penalty.sanctions),
    }
    if penalty.sanctions:
        sentence = gettext(
            "Under the station's standardized-service plan, %(staff)s is fined %(amount)s yuan, "
            "with these further sanctions: %(sanctions)s."
        )
    else:
        sentence = gettext("Under the station's standardized-service plan, %(staff)s is fined %(amount)s yuan.")
    sentences = [
        gettext("A complaint about %(staff)s (%(unit)s) concerning the incident of %(date)s was verified.") % facts,
        sentence % facts,
    ]
    if penalty.responsible_head_id:
        sentences.append(
            gettext("%(head)s, the responsible head, is held accountable.") % {"head": penalty.responsible_head.name}
        )
    sentences.append(gettext("All staff are asked to learn from this case."))
    return _create_circular(title=title, body=join_sentences(sentences), actor=actor)


def _settle_handling_circular(penalty: Penalty, *, actor) -> None:
    """PEN-4: one circulated criticism names the handler, the head and the handling department.

    It is drafted once neither penalty of the pair waits for a decision any more, and names
    those in force, so that it never announces a fine that was not (or not yet) decided. A
    partner left without a live circular (its draft was withdrawn when the other penalty was
    revoked) gets a new draft naming only those still in force.
    """
    root_pk = penalty.joint_with_id or penalty.pk
    pair = {
        p.pk: p
        for p in Penalty.objects.select_for_update(of=("self",))
        .filter(Q(pk=root_pk) | Q(joint_with_id=root_pk))
        .select_related("staff", "department", "circular")
        .order_by("pk")
    }
    pair[penalty.pk] = penalty  # the caller's instance, saved and locked
    if any(p.status in UNDECIDED for p in pair.values()):
        return
    named = sorted((p for p in pair.values() if p.is_in_force), key=lambda p: p.rule != Rule.HANDLING_HANDLER)
    uncovered = [p for p in named if p.circular is None or p.circular.status == Circular.Status.WITHDRAWN]
    if not uncovered:
        return
    head_penalty = next((p for p in pair.values() if p.rule == Rule.HANDLING_HEAD), penalty)
    department = head_penalty.department  # the department the head runs
    title = gettext("Circulated criticism of %(department)s for mishandling a complaint") % {
        "department": department.name
    }
    body = ngettext(
        "In handling the complaint concerning the incident of %(date)s, %(department)s broke the "
        "complaint-handling procedure and the matter grew, with bad public impact. %(names)s is "
        "fined and given disciplinary action, and %(department)s is criticised. All departments are "
        "asked to handle complaints strictly by the procedure.",
        "In handling the complaint concerning the incident of %(date)s, %(department)s broke the "
        "complaint-handling procedure and the matter grew, with bad public impact. %(names)s are each "
        "fined and given disciplinary action, and %(department)s is criticised. All departments are "
        "asked to handle complaints strictly by the procedure.",
        len(named),
    ) % {
        "date": penalty.incident_date,
        "department": department.name,
        "names": join_list(p.staff.name for p in named),
    }
    circular = _create_circular(title=title, body=body, actor=actor)
    circular.departments.add(department)
    for member in uncovered:
        before = snapshot(member, ["circular"])
        member.circular = circular
        member.save()
        audit_record(
            actor=actor,
            instance=member,
            action=AuditEntry.Action.UPDATE,
            before=before,
            after=snapshot(member, ["circular"]),
            summary=_("Circulated criticism drafted"),
        )


def _create_circular(*, title: str, body: str, actor) -> Circular:
    circular = Circular.objects.create(title=title, body=body, drafted_by=actor)
    audit_record(actor=actor, instance=circular, action=AuditEntry.Action.CREATE, summary=title)
    return circular


def _retire_circular(penalty: Penalty, *, actor, reasons: str) -> None:
    """A revoked penalty's criticism must not be published: its draft is withdrawn, with the
    reasons (a published circular was announced and stays as it was; the penalty's page shows
    the revocation). PEN-4: the partner still in force gets a new draft naming only them."""
    if penalty.circular_id is None:
        return
    circular = Circular.objects.select_for_update().get(pk=penalty.circular_id)
    if circular.status == Circular.Status.DRAFT:
        before = snapshot(circular, ["status"])
        circular.status = Circular.Status.WITHDRAWN
        circular.withdrawn_at = timezone.now()
        circular.withdrawal_reason = reasons
        circular.save(update_fields=["status", "withdrawn_at", "withdrawal_reason", "updated_at"])
        audit_record(
            actor=actor,
            instance=circular,
            action=AuditEntry.Action.STATE,
            before=before,
            after=snapshot(circular, ["status", "withdrawal_reason"]),
            summary=_("Circular withdrawn: the penalty was revoked"),
        )
        penalty.circular = circular
    if penalty.rule in HANDLING_RULES:
        _settle_handling_circular(penalty, actor=actor)

"""Penalties a complaint leads to, proposed through the penalty services (PEN-5: the office
proposes; the penalties pages decide):

- PEN-3: an upheld complaint against a staff member found at fault, once their own account is
  recorded; the team leader or department head held accountable is recorded with it.
- PEN-4: a missed limit, or handling a review found at fault, turned by the office into a
  proposal against the handler and the head of the handling department.

Each penalty names the complaint as its source (``source_object``) and the complaint links the
penalty (``ComplaintPenalty``): linked both ways.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from complaints import access, rules
from complaints.models import Complaint, ComplaintEvent, ComplaintPenalty
from complaints.services._common import event, lock, refuse_voided, require
from complaints.services.handling import current_verdict
from penalties import rules as penalty_rules
from penalties.models import Penalty
from penalties.services import penalty_propose, penalty_propose_handling_violation
from tollservice.audit.models import AuditEntry
from tollservice.audit.services import audit_record
from tollservice.core.errors import DomainError
from tollservice.core.text import join_list
from tollservice.core.validators import text_required
from tollservice.roster.models import Department, Staff

Kind = ComplaintEvent.Kind
OPEN_OR_IN_FORCE = (Penalty.Status.PROPOSED, Penalty.Status.AWAITING_APPROVAL, *Penalty.IN_FORCE)


def complaint_penalty_propose(
    *,
    complaint: Complaint,
    proposed_by,
    staff: Staff,
    fine_fen: int,
    suspension: bool = False,
    dismissal: bool = False,
    responsible_head: Staff | None = None,
    description: str = "",
) -> ComplaintPenalty:
    """PEN-3: propose the penalty of a staff member the verdict found at fault in an upheld
    complaint (fine in the policy's range, suspension or dismissal for grave cases), and record
    the head held accountable — ``responsible_head``, by default the person's team leader or
    department head (the office passes it on when deciding the penalty)."""
    with transaction.atomic():
        complaint = lock(complaint)
        refuse_voided(complaint)
        require(access.can_propose_penalty(proposed_by, complaint))
        if complaint.primary_id is not None:
            raise DomainError(
                _("The incident is handled on %(number)s; propose the penalty there."),
                code="duplicate",
                params={"number": complaint.primary.number},
            )
        verdict = current_verdict(complaint)
        if verdict is None:
            raise DomainError(_("Record the verdict first."), code="no_verdict")
        link = verdict.staff_links.filter(staff=staff).first()
        rules.pen3_may_propose(
            outcome=verdict.outcome,
            at_fault=link is not None and link.at_fault,
            has_statement=complaint.statements.filter(staff=staff).exists(),
        )
        already = complaint.penalty_links.filter(
            kind=ComplaintPenalty.Kind.VERIFIED_COMPLAINT, penalty__staff=staff, penalty__status__in=OPEN_OR_IN_FORCE
        )
        if already.exists():
            raise DomainError(
                _("A penalty of %(name)s for this complaint is already proposed or decided."),
                field="staff",
                code="already_proposed",
                params={"name": staff.name},
            )
        head, head_role = _responsible_head(staff, responsible_head)
        description = (description or "").strip() or gettext(
            "Complaint %(number)s was verified (%(outcome)s): %(findings)s"
        ) % {"number": complaint.number, "outcome": verdict.get_outcome_display(), "findings": verdict.findings}
        penalty = penalty_propose(
            proposed_by=proposed_by,
            staff=staff,
            rule=Penalty.Rule.COMPLAINT,
            source=Penalty.Source.VERIFIED_COMPLAINT,
            incident_date=timezone.localdate(complaint.incident_at),
            description=description,
            fine_fen=fine_fen,
            suspension=suspension,
            dismissal=dismissal,
            source_reference=complaint.number,
            source_object=complaint,
        )
        record = ComplaintPenalty.objects.create(
            complaint=complaint,
            penalty=penalty,
            kind=ComplaintPenalty.Kind.VERIFIED_COMPLAINT,
            responsible_head=head,
            head_role=head_role,
            created_by=proposed_by,
        )
        event(
            complaint,
            Kind.PENALTY_PROPOSED,
            proposed_by,
            penalty=penalty.pk,
            staff=staff.name,
            responsible_head=head.name if head else "",
        )
        audit_record(
            actor=proposed_by,
            instance=complaint,
            action=AuditEntry.Action.UPDATE,
            summary=_("Penalty proposed for a verified complaint"),
        )
    return record


def _responsible_head(staff: Staff, chosen: Staff | None) -> tuple[Staff | None, str]:
    if chosen is not None:
        if chosen.pk == staff.pk:
            raise DomainError(_("The responsible head must be someone else."), field="responsible_head")
        return chosen, ""
    found = penalty_rules.pen3_responsible_head(staff)  # PEN-3: team leader, else department head
    return found if found is not None else (None, "")


def complaint_handling_violation_propose(
    *,
    complaint: Complaint,
    proposed_by,
    handler: Staff,
    handler_fine_fen: int,
    head_fine_fen: int,
    description: str,
    department: Department | None = None,
) -> tuple[ComplaintPenalty, ComplaintPenalty]:
    """PEN-4: the office turns a missed limit, or handling a review found at fault, into a
    proposal against the handler and the head of the handling department (each fined in the
    complaint range, with disciplinary action)."""
    description = text_required(description, field="description", message=_("Describe how the procedure was broken."))
    with transaction.atomic():
        complaint = lock(complaint)
        refuse_voided(complaint)
        require(access.can_propose_penalty(proposed_by, complaint))
        grounds = rules.pen4_grounds(complaint, now=timezone.now())
        if not grounds:
            raise DomainError(_("No limit was missed and no review found the handling at fault."), code="no_grounds")
        labels = [str(rules.LIMITS[g]) for g in grounds if g in rules.LIMITS]
        if "handling_at_fault" in grounds:
            labels.append(gettext("handling at fault (review)"))
        grounds_text = gettext("Missed or at fault: %(grounds)s") % {"grounds": join_list(labels)}
        handler_penalty, head_penalty = penalty_propose_handling_violation(
            proposed_by=proposed_by,
            handler=handler,
            incident_date=timezone.localdate(complaint.incident_at),
            description=f"{description}\n{grounds_text}",
            handler_fine_fen=handler_fine_fen,
            head_fine_fen=head_fine_fen,
            source=Penalty.Source.VERIFIED_COMPLAINT,
            department=department,
            source_reference=complaint.number,
            source_object=complaint,
        )
        records = tuple(
            ComplaintPenalty.objects.create(
                complaint=complaint,
                penalty=penalty,
                kind=ComplaintPenalty.Kind.HANDLING_VIOLATION,
                grounds=grounds_text,
                created_by=proposed_by,
            )
            for penalty in (handler_penalty, head_penalty)
        )
        event(
            complaint,
            Kind.PENALTY_PROPOSED,
            proposed_by,
            note=grounds_text,
            penalties=[handler_penalty.pk, head_penalty.pk],
            staff=[handler_penalty.staff.name, head_penalty.staff.name],
        )
        audit_record(
            actor=proposed_by,
            instance=complaint,
            action=AuditEntry.Action.UPDATE,
            summary=_("Penalty proposed for mishandling a complaint"),
        )
    return records

"""A penalty coming into force, and the notices that follow it.

When the office decides a penalty (or the leadership group approves one that waited for it),
in one transaction: the fine is booked in the ledger (PEN-5), the circulated criticism and the
accountability record the rule asks for are drafted (PEN-3, PEN-4), and the person is told —
in the portal, by email to the address on the roster, or, with neither, the penalty's page says
so and points to the printable notice. A revoked penalty's draft criticism is withdrawn.
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from penalties import links
from penalties.models import AccountabilityRecord, Circular, Penalty, PenaltyEvent
from penalties.services._common import notify_staff
from penalties.services.ledger import fine_assess
from tollservice.audit.models import AuditEntry
from tollservice.audit.services import audit_record, audited_change, audited_create, snapshot
from tollservice.core.money import format_yuan
from tollservice.core.text import join_list, join_sentences
from tollservice.notifications.services import Reach

Rule = Penalty.Rule
Status = Penalty.Status
HANDLING_RULES = (Rule.HANDLING_HANDLER, Rule.HANDLING_HEAD)  # PEN-4
UNDECIDED = (Status.PROPOSED, Status.AWAITING_APPROVAL)


def event(penalty: Penalty, kind: str, actor, *, reasons: str = "", **extra) -> PenaltyEvent:
    """Record a step with what it settled, as it stood."""
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
    return PenaltyEvent.objects.create(penalty=penalty, kind=kind, actor=actor, reasons=reasons, details=details)


def bring_into_force(penalty: Penalty, *, actor, at: datetime.datetime) -> None:
    """Book the fine, draft what the rule asks for, tell the person (the caller holds the lock)."""
    penalty.in_force_from = at
    if penalty.rule == Rule.COMPLAINT:
        penalty.circular = _draft_complaint_circular(penalty, actor=actor)  # PEN-3
    penalty.save()
    if penalty.rule in HANDLING_RULES:
        settle_handling_circular(penalty, actor=actor)  # PEN-4
    if penalty.rule == Rule.COMPLAINT and penalty.responsible_head_id:  # PEN-3
        _record_accountability(penalty, actor=actor)
    fine_assess(penalty=penalty, recorded_by=actor)  # PEN-5: from now the fine is owed
    _notify_decision(penalty, actor=actor)


def _record_accountability(penalty: Penalty, *, actor) -> AccountabilityRecord:
    """PEN-3: the responsible head answers for the verified complaint."""
    if penalty.team_id and penalty.team.leader_id == penalty.responsible_head_id:
        head_role = AccountabilityRecord.HeadRole.TEAM_LEADER
    else:
        head_role = AccountabilityRecord.HeadRole.DEPARTMENT_HEAD
    measures = gettext(
        "Held accountable for the verified complaint against %(staff)s: named in the circulated "
        "criticism and to report in writing on the rectification in the team."
    ) % {"staff": penalty.staff.name}
    return audited_create(
        actor=actor,
        model=AccountabilityRecord,
        summary=_("Responsible head held accountable"),
        penalty=penalty,
        head=penalty.responsible_head,
        head_role=head_role,
        measures=measures,
        recorded_by=actor,
    )


def _notify_decision(penalty: Penalty, *, actor) -> None:
    """Tell the person, however the roster lets us reach them, and record how (or that we could not)."""
    notice = notify_staff(
        penalty.staff,
        subject=_("A penalty has been decided: %(rule)s") % {"rule": penalty.get_rule_display()},
        body=_penalty_summary(penalty),
        url=links.portal_url(links.PENALTY_DETAIL, pk=penalty.pk),
    )
    if notice.reach == Reach.NONE:
        event(penalty, PenaltyEvent.Kind.NOT_NOTIFIED, actor)
        return
    recipient = notice.notification.recipient_id if notice.reach == Reach.INBOX else None
    event(
        penalty, PenaltyEvent.Kind.NOTIFIED, actor, recipient=recipient, reach=str(notice.reach), email=notice.address
    )


def notify_revocation(penalty: Penalty, *, reasons: str) -> None:
    notify_staff(
        penalty.staff,
        subject=_("Your penalty of %(date)s has been revoked") % {"date": penalty.incident_date},
        body=reasons,
        url=links.portal_url(links.PENALTY_DETAIL, pk=penalty.pk),
    )


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


def settle_handling_circular(penalty: Penalty, *, actor) -> None:
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
    title, body = _handling_circular_text(department=department, date=penalty.incident_date, named=named)
    circular = _create_circular(title=title, body=body, actor=actor)
    circular.departments.add(department)
    for member in uncovered:
        # The penalty's own audited fields, not every column (``audited_change`` would read each
        # related row of the penalty to name it).
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


def _handling_circular_text(*, department, date, named: list[Penalty]) -> tuple[str, str]:
    """PEN-4: the title and text of the criticism of a department that mishandled a complaint."""
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
    ) % {"date": date, "department": department.name, "names": join_list(p.staff.name for p in named)}
    return title, body


def _create_circular(*, title: str, body: str, actor) -> Circular:
    return audited_create(actor=actor, model=Circular, summary=title, title=title, body=body, drafted_by=actor)


def retire_circular(penalty: Penalty, *, actor, reasons: str) -> None:
    """A revoked penalty's criticism must not be published: its draft is withdrawn, with the
    reasons (a published circular was announced and stays as it was; the penalty's page shows
    the revocation). PEN-4: the partner still in force gets a new draft naming only them."""
    if penalty.circular_id is None:
        return
    circular = Circular.objects.select_for_update().get(pk=penalty.circular_id)
    if circular.status == Circular.Status.DRAFT:
        audited_change(
            actor=actor,
            instance=circular,
            action=AuditEntry.Action.STATE,
            summary=_("Circular withdrawn: the penalty was revoked"),
            status=Circular.Status.WITHDRAWN,
            withdrawn_at=timezone.now(),
            withdrawal_reason=reasons,
        )
        penalty.circular = circular
    if penalty.rule in HANDLING_RULES:
        settle_handling_circular(penalty, actor=actor)

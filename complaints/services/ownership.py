"""Who is responsible for a complaint: handovers (CMP-8), escalation along the chain (CMP-3,
CMP-5) and the persons the complaint is about."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from complaints import access, rules
from complaints.models import Complaint, ComplaintEvent, ComplaintSubject, Escalation, Handover
from complaints.services import _deadlines
from complaints.services._common import (
    audit_state,
    before,
    event,
    lock,
    notify,
    office_users,
    refuse_voided,
    require,
)
from tollservice.access.permissions import has_permission
from tollservice.core.errors import DomainError
from tollservice.core.validators import text_required
from tollservice.roster.models import OfficeMembership, Staff
from tollservice.roster.names import person_name
from tollservice.roster.selectors import department_toll_office, shift_leader_on_duty

Level = Complaint.Level
Kind = ComplaintEvent.Kind


def _check_open(complaint: Complaint) -> None:
    refuse_voided(complaint)
    if complaint.status == Complaint.Status.CLOSED:
        raise DomainError(_("The complaint is closed."), code="closed")


# --- Handover (CMP-8) -------------------------------------------------------------------------------


def complaint_hand_over(*, complaint: Complaint, by, to, reason: str) -> Handover:
    """CMP-8: ownership passes only by a recorded handover with a reason; the first responder
    stays on the record. The owner hands over their own complaint, the group office anyone's; the
    new owner is someone who handles complaints and is not complained about in this one."""
    reason = text_required(reason, field="reason", message=_("Say why the complaint is handed over."))
    with transaction.atomic():
        complaint = lock(complaint)
        _check_open(complaint)
        require(access.can_hand_over(by, complaint))
        if to is None or not to.is_active or not has_permission(to, "complaints.handle"):
            raise DomainError(_("Choose a member of staff who handles complaints."), field="to")
        if to.pk == complaint.owner_id:
            raise DomainError(_("That person already owns the complaint."), field="to")
        if access.is_subject(to, complaint):
            raise DomainError(_("The complaint is about that person; choose someone else."), field="to")
        snapshot_before = before(complaint)
        handover = Handover.objects.create(
            complaint=complaint, from_user=complaint.owner, to_user=to, reason=reason, by=by
        )
        previous = complaint.owner
        complaint.owner = to
        complaint.save()
        event(complaint, Kind.HANDED_OVER, by, note=reason, to=person_name(to))
        audit_state(by, complaint, snapshot_before, _("Complaint handed over"))
        notify(
            recipients=[to],
            subject=_("A complaint has been handed over to you: %(number)s") % {"number": complaint.number},
            body=reason,
            complaint=complaint,
        )
        if previous is not None and previous.pk != by.pk:
            notify(
                recipients=[previous],
                subject=_("Your complaint %(number)s was handed over") % {"number": complaint.number},
                body=reason,
                complaint=complaint,
            )
        _deadlines.refresh_limits(complaint, actor=by)
    return handover


# --- Escalation (CMP-3, CMP-5) ----------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    level: int
    staff: Staff | None
    missing: str = ""  # why nobody was found at this level


def _office_coordinator(complaint: Complaint, escalated_by) -> Staff | None:
    """The group office's director — or, when the director is the one escalating (or is
    complained about), the next member of the office."""
    seats = sorted(
        OfficeMembership.objects.current().filter(staff__active=True).select_related("staff"),
        key=lambda s: (s.role != OfficeMembership.Role.DIRECTOR, s.start_date, s.pk),
    )
    subjects = set(complaint.subjects.values_list("staff_id", flat=True))
    by_pk = getattr(escalated_by, "pk", None)
    eligible = [s.staff for s in seats if s.staff_id not in subjects and s.staff.user_id != by_pk]
    return eligible[0] if eligible else (seats[0].staff if seats else None)


def escalation_candidate(complaint: Complaint, level: int, *, escalated_by=None) -> Candidate:
    """Who takes the complaint over at ``level``: the shift leader on duty at the incident's time
    (from the roster), the head of the toll-collection office, or the director of the group
    office (another member when the director escalates). Nobody, with the reason, when the
    roster names nobody or names a person the complaint is about."""
    if level == Level.SHIFT_LEADER:
        on_duty = shift_leader_on_duty(moment=complaint.incident_at)
        staff = on_duty.staff if on_duty else None
        missing = gettext("The roster names no shift leader for the incident's shift.")
    elif level == Level.TOLL_OFFICE_HEAD:
        office = department_toll_office()
        staff = office.head if office else None
        missing = gettext("The roster names no head of the toll-collection office.")
    else:
        staff = _office_coordinator(complaint, escalated_by)
        missing = gettext("The group office has nobody on the roster.")
    if staff is None or not staff.active:
        return Candidate(level, None, missing)
    if complaint.subjects.filter(staff=staff).exists():
        return Candidate(level, None, gettext("%(name)s is complained about.") % {"name": staff.name})
    return Candidate(level, staff)


def complaint_escalate(*, complaint: Complaint, by, reason: str, to_level: int | None = None) -> Escalation:
    """CMP-3 / CMP-5: the complaint goes up the chain — toll collector → shift leader on duty at
    the incident's time → head of the toll-collection office → the leadership group's office —
    to the next level, or straight to ``to_level``. A level where nobody can take it is passed
    over, and the record says why. The person reached takes it over and coordinates (the owner
    stays responsible, CMP-8) and is notified; it shows on the timeline."""
    reason = text_required(reason, field="reason", message=_("Say why the complaint is escalated."))
    with transaction.atomic():
        complaint = lock(complaint)
        _check_open(complaint)
        # The owner reports upwards even when the complaint turns out to be about them (CMP-3).
        require(access.is_handler(by, complaint) or has_permission(by, "complaints.manage"))
        skipped, chosen = [], None
        for level in rules.escalation_levels(complaint.level, to_level):
            candidate = escalation_candidate(complaint, level, escalated_by=by)
            staff = candidate.staff
            if staff is not None and staff.pk != complaint.escalated_to_id and staff.user_id != by.pk:
                chosen = candidate
                break
            # Nobody there, or the person who already coordinates it (or escalates it).
            skipped.append(candidate.missing or gettext("%(name)s already has the complaint.") % {"name": staff.name})
        if chosen is None:
            raise DomainError(
                _("Nobody above can take the complaint: %(why)s"), code="nobody", params={"why": " ".join(skipped)}
            )
        snapshot_before = before(complaint)
        escalation = Escalation.objects.create(
            complaint=complaint,
            from_level=complaint.level,
            to_level=chosen.level,
            to_staff=chosen.staff,
            reason=reason,
            skipped=" ".join(skipped),
            by=by,
        )
        complaint.level, complaint.escalated_to = chosen.level, chosen.staff
        complaint.save()
        event(
            complaint,
            Kind.ESCALATED,
            by,
            note=reason,
            level=chosen.level,
            to=chosen.staff.name,
            skipped=escalation.skipped,
        )
        audit_state(by, complaint, snapshot_before, _("Complaint escalated"))
        subject = _("A complaint has been escalated to you: %(number)s") % {"number": complaint.number}
        if chosen.staff.user_id:
            notify(recipients=[chosen.staff.user], subject=subject, body=reason, complaint=complaint)
        else:
            # No portal account: the group office passes it on (and the timeline says so).
            notify(
                recipients=office_users(),
                subject=_("Pass on complaint %(number)s to %(name)s (no portal account)")
                % {"number": complaint.number, "name": chosen.staff.name},
                body=reason,
                complaint=complaint,
            )
        _deadlines.refresh_limits(complaint, actor=by)
    return escalation


# --- The persons complained about ---------------------------------------------------------------------


def complaint_subjects_set(*, complaint: Complaint, by, staff: Iterable[Staff]) -> list[ComplaintSubject]:
    """Record which staff members the complaint is about. They never see the driver's name, phone
    or plate, never handle the complaint and are never escalated to."""
    staff = list(dict.fromkeys(staff))
    with transaction.atomic():
        complaint = lock(complaint)
        _check_open(complaint)
        require(access.can_handle(by, complaint))
        _add_subjects(complaint, staff, by=by, replace=True)
    return list(complaint.subjects.select_related("staff"))


def _add_subjects(complaint: Complaint, staff: list[Staff], *, by, replace: bool = False) -> None:
    current = {s.staff_id: s for s in complaint.subjects.all()}
    wanted = {s.pk for s in staff}
    added = [s for s in staff if s.pk not in current]
    removed = [s for pk, s in current.items() if pk not in wanted] if replace else []
    if not added and not removed:
        return
    ComplaintSubject.objects.bulk_create(ComplaintSubject(complaint=complaint, staff=s, added_by=by) for s in added)
    for subject in removed:
        subject.delete()
    names = sorted(complaint.subjects.values_list("staff__name", flat=True))
    event(complaint, Kind.SUBJECTS, by, staff=names)

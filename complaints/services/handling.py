"""Investigating a complaint: contacts with the driver, the staff member's account, waiting on
the driver (the clock stops), extensions (延期), the verdict with its evidence and the apology
the station owes when it was at fault (CMP-4)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from complaints import access, rules
from complaints.models import (
    Apology,
    Complaint,
    ComplaintEvent,
    ComplaintMessage,
    Contact,
    Extension,
    Pause,
    StaffStatement,
    Verdict,
    VerdictStaff,
)
from complaints.services import _deadlines
from complaints.services._common import (
    audit_state,
    before,
    event,
    lock,
    message_to_driver,
    notify,
    office_users,
    refuse_voided,
    require,
    step,
)
from complaints.services.intake import accept
from complaints.services.ownership import _add_subjects
from tollservice.core.calendar.workdays import working_calendar
from tollservice.core.errors import DomainError
from tollservice.core.validators import text_optional, text_required
from tollservice.core.verdicts import require_permission
from tollservice.roster.models import Lane, ShiftLeaderAssignment, Staff
from tollservice.roster.selectors import department_toll_office

Kind = ComplaintEvent.Kind
Status = Complaint.Status


def _handling(complaint: Complaint, by) -> Complaint:
    """Lock the complaint and check that ``by`` may handle it and that it is being handled. The
    first to act on a complaint nobody has taken up yet (the group office, on a web complaint)
    accepts it: they become its first responder and owner (CMP-8)."""
    complaint = lock(complaint)
    refuse_voided(complaint)
    require(access.can_handle(by, complaint))
    if complaint.status not in Complaint.BEFORE_ANSWER:
        raise DomainError(_("The complaint has been answered; reopen it to handle it again."), code="answered")
    if complaint.owner_id is None and access.can_take_up(by, complaint):
        accept(complaint, by=by)
    return complaint


def _primary_only(complaint: Complaint) -> None:
    """CMP-1: the incident is investigated once, on the primary complaint."""
    if complaint.primary_id is not None:
        raise DomainError(
            _("This complaint is a duplicate of %(number)s: the incident is handled there."),
            code="duplicate",
            params={"number": complaint.primary.number},
        )


def _start_investigating(complaint: Complaint, by) -> None:
    if complaint.status == Status.REGISTERED:
        step(complaint, Status.INVESTIGATING)
        event(complaint, Kind.INVESTIGATING, by)


def recompute_answer_due(complaint: Complaint) -> None:
    """The answer limit from what the complaint records now (the caller saves)."""
    pauses = complaint.pauses.filter(started_at__gte=complaint.answer_clock_from).values_list("started_at", "ended_at")
    complaint.answer_due = rules.answer_due(
        accepted_at=complaint.answer_clock_from,
        working_days=complaint.answer_working_days,
        calendar=working_calendar(),
        pauses=list(pauses),
        order_deadline=complaint.work_order_deadline,
        extended_to=complaint.extended_to,
    )


def _past(at: datetime.datetime | None, *, field: str, not_before: datetime.datetime) -> datetime.datetime:
    now = timezone.now()
    at = at or now
    if at > now + rules.CLOCK_TOLERANCE:
        raise DomainError(_("That time is in the future."), field=field)
    if at < not_before:
        raise DomainError(_("That time is before the complaint arrived."), field=field)
    return at


# --- Contact, investigation, the staff member's account -----------------------------------------


def complaint_contact_record(
    *, complaint: Complaint, by, method: str, note: str = "", at: datetime.datetime | None = None
) -> Contact:
    """A contact with the driver; the first one meets the first-contact limit (24 hours by
    default). The complaint is then being investigated."""
    if method not in Contact.Method.values:
        raise DomainError(_("Choose how the driver was contacted."), field="method")
    note = text_optional(note, field="note", limit=rules.NOTE_MAX)
    with transaction.atomic():
        complaint = _handling(complaint, by)
        at = _past(at, field="at", not_before=complaint.received_at)
        snapshot_before = before(complaint)
        contact = Contact.objects.create(complaint=complaint, method=method, note=note, by=by, at=at)
        first = complaint.first_contact_at is None
        if first:
            complaint.first_contact_at = at
        _start_investigating(complaint, by)
        complaint.save()
        event(complaint, Kind.CONTACT, by, method=method, first=first)  # the note may name the driver
        audit_state(by, complaint, snapshot_before, _("Driver contacted"))
        if first:
            _deadlines.limit_closed(complaint, kind=_deadlines.FIRST_CONTACT, actor=by)
    return contact


def complaint_investigation_start(*, complaint: Complaint, by) -> Complaint:
    with transaction.atomic():
        complaint = _handling(complaint, by)
        if complaint.status != Status.REGISTERED:
            raise DomainError(_("The complaint is already being investigated."), code="investigating")
        snapshot_before = before(complaint)
        _start_investigating(complaint, by)
        complaint.save()
        audit_state(by, complaint, snapshot_before, _("Investigation started"))
    return complaint


def complaint_statement_record(*, complaint: Complaint, by, staff: Staff, account: str) -> StaffStatement:
    """The staff member's own account of the incident, recorded before a verdict that leads to a
    penalty. The staff member is recorded as a person the complaint is about."""
    account = text_required(account, field="account", message=_("Write down the staff member's account."))
    with transaction.atomic():
        complaint = _handling(complaint, by)
        _primary_only(complaint)
        if staff.user_id is not None and staff.user_id == by.pk:
            raise DomainError(_("Someone else records your account."), field="staff")
        snapshot_before = before(complaint)
        statement = StaffStatement.objects.create(complaint=complaint, staff=staff, account=account, recorded_by=by)
        _add_subjects(complaint, [staff], by=by)
        _start_investigating(complaint, by)
        complaint.save()
        event(complaint, Kind.STATEMENT, by, staff=staff.name)
        audit_state(by, complaint, snapshot_before, _("Staff member's account recorded"))
    return statement


# --- Waiting on the driver ---------------------------------------------------------------------------


def complaint_pause(*, complaint: Complaint, by, reason: str, request_to_driver: str = "") -> Pause:
    """The station waits on the driver (information, a document): the answer clock stops until
    the driver answers or the handler resumes it. ``request_to_driver``, if given, is what the
    driver is asked for on their look-up page (and by email)."""
    reason = text_required(reason, field="reason", message=_("Say what the station is waiting for."))
    request_to_driver = text_optional(request_to_driver, field="request_to_driver", limit=1000)
    with transaction.atomic():
        complaint = _handling(complaint, by)
        _primary_only(complaint)
        if complaint.paused_since is not None:
            raise DomainError(_("The clock is already stopped."), code="paused")
        snapshot_before = before(complaint)
        now = timezone.now()
        pause = Pause.objects.create(complaint=complaint, reason=reason, started_at=now, started_by=by)
        complaint.paused_since = now
        recompute_answer_due(complaint)
        _start_investigating(complaint, by)
        complaint.save()
        event(complaint, Kind.PAUSED, by, note=reason)
        audit_state(by, complaint, snapshot_before, _("Waiting on the driver"))
        if request_to_driver:
            message_to_driver(
                complaint, kind=ComplaintMessage.Kind.INFORMATION_REQUEST, body=request_to_driver, author=by
            )
        _deadlines.limit_moved(complaint, kind=_deadlines.ANSWER, actor=by)
    return pause


def complaint_resume(*, complaint: Complaint, by=None, note: str = "") -> Complaint:
    """The clock runs again (the driver answered, or the handler stops waiting). ``by`` is
    ``None`` when the driver's own information resumes it."""
    with transaction.atomic():
        complaint = lock(complaint)
        refuse_voided(complaint)
        if by is not None:
            require(access.can_handle(by, complaint))
        _resume(complaint, by=by, note=note)
    return complaint


def _resume(complaint: Complaint, *, by, note: str = "") -> bool:
    """End the open pause of a locked complaint and move its answer limit; ``False`` if none."""
    pause = complaint.pauses.filter(ended_at__isnull=True).first()
    if pause is None:
        if by is not None:
            raise DomainError(_("The clock is running."), code="running")
        return False
    snapshot_before = before(complaint)
    pause.ended_at, pause.ended_by = max(timezone.now(), pause.started_at), by
    pause.save(update_fields=["ended_at", "ended_by"])
    complaint.paused_since = None
    recompute_answer_due(complaint)
    complaint.save()
    event(complaint, Kind.RESUMED, by, note=note)
    audit_state(by, complaint, snapshot_before, _("Clock running again"))
    if complaint.status in Complaint.BEFORE_ANSWER:
        _deadlines.limit_moved(complaint, kind=_deadlines.ANSWER, actor=by)
    return True


# --- Extension (延期) ---------------------------------------------------------------------------------


def complaint_extension_request(*, complaint: Complaint, by, reason: str, new_due: datetime.date) -> Extension:
    """A complex case asks for a later answer date, with a reason, before the limit."""
    reason = text_required(reason, field="reason", message=_("Say why more time is needed."))
    with transaction.atomic():
        complaint = _handling(complaint, by)
        rules.check_extension(now=timezone.now(), answer_due=complaint.answer_due, new_due=new_due)
        if complaint.extensions.filter(status=Extension.Status.PENDING).exists():
            raise DomainError(_("An extension is already waiting for approval."), code="pending")
        extension = Extension.objects.create(
            complaint=complaint, reason=reason, new_due=new_due, previous_due=complaint.answer_due, requested_by=by
        )
        event(complaint, Kind.EXTENSION_REQUESTED, by, note=reason, new_due=new_due.isoformat())
        approvers = [user for user in office_users() if user.pk != by.pk]
        notify(
            recipients=approvers,
            subject=_("An extension waits for approval: %(number)s") % {"number": complaint.number},
            body=reason,
            complaint=complaint,
        )
    return extension


def complaint_extension_decide(*, extension: Extension, by, approve: bool, note: str = "") -> Extension:
    """Approve (before the limit) or refuse an extension; never one's own request. The driver is
    told the new date; the requester is told either way."""
    require_permission(by, "complaints.approve_extension")
    note = text_optional(note, field="note", limit=rules.NOTE_MAX)
    if not approve and not note:
        raise DomainError(_("Say why the extension is refused."), field="note")
    with transaction.atomic():
        complaint = lock(extension.complaint)
        refuse_voided(complaint)
        extension = Extension.objects.select_for_update().get(pk=extension.pk)
        if extension.status != Extension.Status.PENDING:
            raise DomainError(_("This extension has already been decided."), code="decided")
        if extension.requested_by_id == by.pk:
            raise DomainError(_("Someone else approves your own request."), code="own_request")
        require(not access.is_subject(by, complaint))
        now = timezone.now()
        snapshot_before = before(complaint)
        extension.decided_by, extension.decided_at, extension.decision_note = by, now, note
        if approve:
            if complaint.status not in Complaint.BEFORE_ANSWER:
                raise DomainError(_("The complaint has been answered; it needs no more time."), code="answered")
            rules.check_extension(now=now, answer_due=complaint.answer_due, new_due=extension.new_due)
            extension.status = Extension.Status.APPROVED
            complaint.extended_to = extension.new_due
            recompute_answer_due(complaint)
            complaint.save()
            event(complaint, Kind.EXTENSION_APPROVED, by, note=note, new_due=extension.new_due.isoformat())
            message_to_driver(
                complaint,
                kind=ComplaintMessage.Kind.EXTENSION,
                body=gettext("Your complaint needs more time to look into. The station will answer by %(date)s.")
                % {"date": extension.new_due.isoformat()},
                author=by,
            )
            _deadlines.limit_moved(complaint, kind=_deadlines.ANSWER, actor=by)
        else:
            extension.status = Extension.Status.REFUSED
            event(complaint, Kind.EXTENSION_REFUSED, by, note=note)
        extension.save()
        audit_state(by, complaint, snapshot_before, _("Extension decided"))
        notify(
            recipients=[extension.requested_by],
            subject=(_("Extension approved: %(number)s") if approve else _("Extension refused: %(number)s"))
            % {"number": complaint.number},
            body=note,
            complaint=complaint,
        )
    return extension


# --- Verdict and apology (CMP-4) ----------------------------------------------------------------------


def complaint_verdict_record(
    *,
    complaint: Complaint,
    by,
    outcome: str,
    fault: str,
    findings: str,
    cctv_reference: str = "",
    lane: Lane | None = None,
    shift_date: datetime.date | None = None,
    shift: str = "",
    staff_involved: Iterable[Staff] = (),
    staff_at_fault: Iterable[Staff] = (),
) -> Verdict:
    """The verdict — upheld, partly upheld, not upheld — with its evidence (CCTV reference, lane,
    shift, staff involved) and who was at fault. Staff found at fault must have given their own
    account first (their verdict can lead to a penalty, PEN-3). The latest verdict stands."""
    if outcome not in Verdict.Outcome.values:
        raise DomainError(_("Choose the outcome."), field="outcome")
    if fault not in Verdict.Fault.values:
        raise DomainError(_("Choose who was at fault."), field="fault")
    if shift and shift not in ShiftLeaderAssignment.Shift.values:
        raise DomainError(_("Choose the shift."), field="shift")
    findings = text_required(findings, field="findings", message=_("Write down what the investigation found."))
    cctv_reference = text_optional(cctv_reference, field="cctv_reference", limit=100)
    at_fault = list(dict.fromkeys(staff_at_fault))
    involved = list(dict.fromkeys([*staff_involved, *at_fault]))
    rules.check_verdict(outcome=outcome, fault=fault, staff_at_fault=at_fault)
    with transaction.atomic():
        complaint = _handling(complaint, by)
        _primary_only(complaint)
        heard = set(complaint.statements.values_list("staff_id", flat=True))
        unheard = [s.name for s in at_fault if s.pk not in heard]
        if unheard:
            raise DomainError(
                _("Record the own account of %(names)s before a verdict that leads to a penalty."),
                field="staff_at_fault",
                code="statement_missing",
                params={"names": "、".join(unheard)},
            )
        snapshot_before = before(complaint)
        verdict = Verdict.objects.create(
            complaint=complaint,
            outcome=outcome,
            fault=fault,
            findings=findings,
            cctv_reference=cctv_reference,
            lane=lane or complaint.lane,
            shift_date=shift_date,
            shift=shift,
            recorded_by=by,
        )
        VerdictStaff.objects.bulk_create(
            VerdictStaff(verdict=verdict, staff=s, at_fault=s in at_fault) for s in involved
        )
        _add_subjects(complaint, involved, by=by)
        complaint.verdict_outcome = outcome
        _start_investigating(complaint, by)
        complaint.save()
        event(
            complaint,
            Kind.VERDICT,
            by,
            outcome=outcome,
            fault=fault,
            staff_at_fault=[s.name for s in at_fault],
        )
        audit_state(by, complaint, snapshot_before, _("Verdict recorded"))
    return verdict


def current_verdict(complaint: Complaint) -> Verdict | None:
    return complaint.verdicts.order_by("-recorded_at", "-pk").first()


def complaint_apology_record(
    *,
    complaint: Complaint,
    by,
    apologised_by: Staff,
    role: str,
    method: str,
    apologised_at: datetime.datetime | None = None,
    note: str = "",
) -> Apology:
    """CMP-4: the station at fault apologises — the person concerned, the team leader or the
    head of the toll-collection office; both at fault, for the station's part. Recorded (who,
    how, when) before the reply is sent."""
    if role not in Apology.Role.values:
        raise DomainError(_("Choose in which capacity the person apologised."), field="role")
    if method not in Apology.Method.values:
        raise DomainError(_("Choose how the apology was made."), field="method")
    note = text_optional(note, field="note", limit=rules.NOTE_MAX)
    with transaction.atomic():
        complaint = _handling(complaint, by)
        _primary_only(complaint)
        verdict = current_verdict(complaint)
        if verdict is None:
            raise DomainError(_("Record the verdict first."), code="no_verdict")
        apologised_at = _past(apologised_at, field="apologised_at", not_before=complaint.received_at)
        _check_apologiser(verdict, apologised_by, role)
        apology = Apology.objects.create(
            complaint=complaint,
            verdict=verdict,
            apologised_by=apologised_by,
            role=role,
            method=method,
            apologised_at=apologised_at,
            note=note,
            recorded_by=by,
        )
        event(complaint, Kind.APOLOGY, by, note=note, by_staff=apologised_by.name, role=role, method=method)
    return apology


def _check_apologiser(verdict: Verdict, staff: Staff, role: str) -> None:
    """CMP-4 names who apologises: the person concerned, the team leader or the toll-office head."""
    if role == Apology.Role.PERSON_CONCERNED:
        ok = verdict.staff_links.filter(staff=staff).exists()
    elif role == Apology.Role.TEAM_LEADER:
        ok = staff.led_teams.filter(active=True).exists()
    else:
        office = department_toll_office()
        ok = office is not None and office.head_id == staff.pk
    if not ok:
        raise DomainError(
            _("%(name)s is not %(role)s in this case."),
            field="apologised_by",
            params={"name": staff.name, "role": Apology.Role(role).label},
        )


def apology_missing(complaint: Complaint, verdict: Verdict | None) -> bool:
    """CMP-4: the verdict puts the station at fault and no apology follows it yet."""
    return verdict is not None and rules.apology_required(verdict.fault) and not verdict.apologies.exists()

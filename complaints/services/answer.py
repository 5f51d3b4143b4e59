"""Answering: the reply to the driver — and to every driver whose complaint is linked to the
same incident (CMP-1) — and, for an upstream hotline work order, the report back to its centre
(报结) by the centre's deadline, which the centre may return for redoing."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints import access, rules
from complaints.models import Complaint, ComplaintEvent, ComplaintMessage, ComplaintSettings, WorkOrderReport
from complaints.services import _deadlines
from complaints.services._common import (
    audit_state,
    before,
    counts_changed,
    event,
    lock,
    message_to_driver,
    notify,
    refuse_voided,
    require,
    step,
)
from complaints.services.handling import _primary_only, _resume, apology_missing, current_verdict, recompute_answer_due
from tollservice.access.permissions import has_permission
from tollservice.core.errors import DomainError
from tollservice.core.validators import text_required

Kind = ComplaintEvent.Kind
Status = Complaint.Status


def _report_text(facts: str, handling: str, grounds: str) -> tuple[str, str, str]:
    return (
        text_required(facts, field="facts", message=_("State the facts established.")),
        text_required(handling, field="handling", message=_("Say how the complaint was handled.")),
        text_required(grounds, field="grounds", message=_("Give the grounds of the handling.")),
    )


def _report_create(complaint: Complaint, *, by, at: datetime.datetime, text: tuple[str, str, str]) -> WorkOrderReport:
    """The report back to the hotline centre (报结), on time if it meets the answer limit."""
    facts, handling, grounds = text
    return WorkOrderReport.objects.create(
        complaint=complaint,
        facts=facts,
        handling=handling,
        grounds=grounds,
        submitted_by=by,
        submitted_at=at,
        on_time=complaint.answer_due is None or at <= complaint.answer_due,
    )


def _mark_answered(complaint: Complaint, *, by, at: datetime.datetime, settings: ComplaintSettings) -> None:
    """The answer limit is met (or missed) now; the return visit is due next (caller saves)."""
    step(complaint, Status.ANSWERED)
    complaint.answered_at = at
    complaint.answered_on_time = complaint.answer_due is None or at <= complaint.answer_due
    complaint.return_visit_due = rules.return_visit_due(answered_at=at, days=settings.return_visit_days)
    complaint.return_visited_at, complaint.return_visit_result = None, ""
    _deadlines.limit_closed(complaint, kind=_deadlines.FIRST_CONTACT, actor=by)  # if nobody had called yet
    _deadlines.limit_closed(complaint, kind=_deadlines.ANSWER, actor=by)
    _deadlines.limit_moved(complaint, kind=_deadlines.RETURN_VISIT, actor=by)


def complaint_answer(
    *, complaint: Complaint, by, reply: str, facts: str = "", handling: str = "", grounds: str = ""
) -> Complaint:
    """Send the answer to the driver, after the verdict and — when the station was at fault —
    the apology (CMP-4). A hotline work order is reported back to its centre at the same time
    (``facts``, ``handling``, ``grounds``). Every complaint linked to this one as a duplicate
    gets the same answer (CMP-1); a linked hotline order still owes its own report."""
    reply = text_required(reply, field="reply", message=_("Write the answer to the driver."))
    with transaction.atomic():
        complaint = lock(complaint)
        refuse_voided(complaint)
        require(access.can_handle(by, complaint))
        _primary_only(complaint)
        if complaint.status not in Complaint.BEFORE_ANSWER:
            raise DomainError(_("The complaint has already been answered."), code="answered")
        verdict = current_verdict(complaint)
        if verdict is None:
            raise DomainError(_("Record the verdict before answering."), code="no_verdict")
        if apology_missing(complaint, verdict):  # CMP-4
            raise DomainError(
                _("The station was at fault: record the apology before the answer is sent."), code="apology_missing"
            )
        report = None
        if complaint.is_work_order:
            facts, handling, grounds = _report_text(facts, handling, grounds)
        now = timezone.now()
        settings = ComplaintSettings.load()
        _resume(complaint, by=None, note=str(_("Answered")))  # a stopped clock ends with the answer
        snapshot_before = before(complaint)
        if complaint.is_work_order:
            report = _report_create(complaint, by=by, at=now, text=(facts, handling, grounds))
        _mark_answered(complaint, by=by, at=now, settings=settings)
        complaint.save()
        message_to_driver(complaint, kind=ComplaintMessage.Kind.ANSWER, body=reply, author=by)
        event(complaint, Kind.ANSWERED, by, on_time=complaint.answered_on_time)
        if report is not None:
            event(complaint, Kind.WORK_ORDER_REPORTED, by, on_time=report.on_time)
        audit_state(by, complaint, snapshot_before, _("Complaint answered"))
        duplicates = list(complaint.duplicates.live().exclude(status=Status.CLOSED).select_for_update())
        counts_changed(*duplicates)
        for duplicate in duplicates:
            _answer_duplicate(duplicate, primary=complaint, reply=reply, by=by, at=now, settings=settings)
    return complaint


def _answer_duplicate(duplicate: Complaint, *, primary: Complaint, reply: str, by, at, settings) -> None:
    """CMP-1: each linked driver still gets the answer; the incident was answered once."""
    message_to_driver(duplicate, kind=ComplaintMessage.Kind.ANSWER, body=reply, author=by)
    if duplicate.status not in Complaint.BEFORE_ANSWER or duplicate.is_work_order:
        # Answered before (a reopened primary answers again), or a work order whose own report
        # to its centre is still due.
        event(duplicate, Kind.ANSWERED, by, shared_from=primary.number, report_due=duplicate.is_work_order)
        return
    snapshot_before = before(duplicate)
    _resume(duplicate, by=None)
    _mark_answered(duplicate, by=by, at=at, settings=settings)
    duplicate.save()
    event(duplicate, Kind.ANSWERED, by, shared_from=primary.number, on_time=duplicate.answered_on_time)
    audit_state(by, duplicate, snapshot_before, _("Complaint answered"))
    if duplicate.owner_id and duplicate.owner_id != by.pk:
        notify(
            recipients=[duplicate.owner],
            subject=_("Complaint %(number)s was answered with %(primary)s")
            % {"number": duplicate.number, "primary": primary.number},
            complaint=duplicate,
        )


def complaint_work_order_report(
    *, complaint: Complaint, by, facts: str, handling: str, grounds: str
) -> WorkOrderReport:
    """报结 of a hotline work order linked as a duplicate: each upstream order gets its own
    report by its own deadline, once the incident has been answered on the primary complaint.
    (A work order that is itself the primary is reported with its answer.)"""
    facts, handling, grounds = _report_text(facts, handling, grounds)
    with transaction.atomic():
        complaint = lock(complaint)
        refuse_voided(complaint)
        require(access.can_handle(by, complaint))
        if not complaint.is_work_order:
            raise DomainError(_("Only a hotline work order is reported back to a centre."), code="not_work_order")
        if complaint.status not in Complaint.BEFORE_ANSWER:
            raise DomainError(_("The work order has already been reported back."), code="answered")
        if complaint.primary_id is None:
            raise DomainError(_("Answer the complaint: the report goes with the answer."), code="primary")
        if complaint.primary.answered_at is None:
            raise DomainError(
                _("Complaint %(number)s, the one handling the incident, has not been answered yet."),
                code="primary_unanswered",
                params={"number": complaint.primary.number},
            )
        now = timezone.now()
        snapshot_before = before(complaint)
        _resume(complaint, by=None)
        report = _report_create(complaint, by=by, at=now, text=(facts, handling, grounds))
        _mark_answered(complaint, by=by, at=now, settings=ComplaintSettings.load())
        complaint.save()
        event(complaint, Kind.WORK_ORDER_REPORTED, by, on_time=report.on_time)
        audit_state(by, complaint, snapshot_before, _("Reported back to the hotline centre"))
    return report


def complaint_work_order_return(
    *, complaint: Complaint, by, reason: str, new_deadline: datetime.datetime
) -> WorkOrderReport:
    """The hotline centre returns the report for redoing: the complaint is reopened, with the
    centre's new deadline."""
    reason = text_required(reason, field="reason", message=_("Say why the centre returned the report."))
    with transaction.atomic():
        complaint = lock(complaint)
        refuse_voided(complaint)
        require(access.can_handle(by, complaint) or has_permission(by, "complaints.manage"))
        report = complaint.work_order_reports.select_for_update().order_by("-submitted_at", "-pk").first()
        if report is None or report.returned_at is not None:
            raise DomainError(_("There is no report to the centre to return."), code="no_report")
        if new_deadline is None or new_deadline <= timezone.now():
            raise DomainError(_("Give the centre's new deadline."), field="new_deadline")
        now = timezone.now()
        report.returned_at, report.return_reason, report.return_recorded_by = now, reason, by
        report.save(update_fields=["returned_at", "return_reason", "return_recorded_by"])
        snapshot_before = before(complaint)
        complaint.work_order_deadline = new_deadline
        reopen(complaint, by=by, at=now)
        complaint.save()
        event(complaint, Kind.WORK_ORDER_RETURNED, by, note=reason, new_deadline=new_deadline.isoformat())
        audit_state(by, complaint, snapshot_before, _("Returned by the hotline centre"))
        if complaint.owner_id:
            notify(
                recipients=[complaint.owner],
                subject=_("The hotline centre returned complaint %(number)s") % {"number": complaint.number},
                body=reason,
                complaint=complaint,
            )
    return report


def reopen(complaint: Complaint, *, by, at: datetime.datetime) -> None:
    """Back to investigating (a review found the handling at fault, or a centre returned its
    order): the answer limit counts afresh from now (caller saves)."""
    step(complaint, Status.INVESTIGATING)
    complaint.reopened_count += 1
    complaint.answered_at = complaint.answered_on_time = complaint.return_visit_due = None
    complaint.return_visited_at = complaint.closed_at = None
    complaint.return_visit_result = ""
    complaint.extended_to = None
    complaint.answer_clock_from = at
    recompute_answer_due(complaint)
    event(complaint, Kind.REOPENED, by)
    _deadlines.limit_closed(complaint, kind=_deadlines.RETURN_VISIT, outcome=_deadlines.CANCELLED, actor=by)
    _deadlines.limit_moved(complaint, kind=_deadlines.ANSWER, actor=by)

"""After the answer: the return visit (回访) — by phone, or the driver's own rating online — the
review (复核) of a dissatisfied driver's complaint by the head of the toll-collection office,
and closing."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints import access, rules
from complaints.models import Complaint, ComplaintEvent, ComplaintSettings, ReturnVisit, Review
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
    step,
)
from complaints.services.answer import reopen
from tollservice.core.calendar.workdays import working_calendar
from tollservice.core.errors import DomainError
from tollservice.core.validators import text_optional, text_required
from tollservice.roster.selectors import department_toll_office

Kind = ComplaintEvent.Kind
Status = Complaint.Status
Result = ReturnVisit.Result


def _visit_allowed(complaint: Complaint) -> None:
    if complaint.status not in (Status.ANSWERED, Status.RETURN_VISIT):
        raise DomainError(_("A return visit follows the answer."), code="not_answered")
    if complaint.reviews.filter(status=Review.Status.PENDING).exists():
        raise DomainError(_("The complaint waits for its review."), code="review_pending")


def complaint_return_visit_record(*, complaint: Complaint, by, result: str, method: str, note: str = "") -> ReturnVisit:
    """The station asks the driver whether they are satisfied (within 3 days of the answer by
    default). A driver who could not be reached may be visited again."""
    if result not in Result.values:
        raise DomainError(_("Choose the driver's answer."), field="result")
    if method not in ReturnVisit.Method.values or method == ReturnVisit.Method.ONLINE:
        raise DomainError(_("Choose how the driver was asked."), field="method")
    note = text_optional(note, field="note", limit=rules.NOTE_MAX)
    with transaction.atomic():
        complaint = lock(complaint)
        refuse_voided(complaint)
        require(access.can_handle(by, complaint))
        _visit_allowed(complaint)
        if complaint.return_visit_result and complaint.return_visit_result != Result.UNREACHABLE:
            raise DomainError(_("The driver has already given their answer."), code="visited")
        return _record_visit(complaint, result=result, method=method, note=note, by=by)


def complaint_rate_by_driver(*, complaint: Complaint, result: str, comment: str = "") -> ReturnVisit:
    """The driver rates the outcome online (called after the look-up has checked the code). Once
    per answer; it counts as the return visit."""
    if result not in ReturnVisit.REACHED:
        raise DomainError(_("Choose how satisfied you are."), field="result")
    comment = text_optional(comment, field="comment", limit=1000)
    with transaction.atomic():
        complaint = lock(complaint)
        refuse_voided(complaint)
        _visit_allowed(complaint)
        if complaint.return_visit_result and complaint.return_visit_result != Result.UNREACHABLE:
            raise DomainError(_("You have already rated this answer. Thank you."), code="visited")
        return _record_visit(complaint, result=result, method=ReturnVisit.Method.ONLINE, note=comment, by=None)


def _record_visit(complaint: Complaint, *, result: str, method: str, note: str, by) -> ReturnVisit:
    snapshot_before = before(complaint)
    now = timezone.now()
    visit = ReturnVisit.objects.create(
        complaint=complaint, result=result, method=method, note=note, recorded_by=by, at=now
    )
    if complaint.status == Status.ANSWERED:
        step(complaint, Status.RETURN_VISIT)
    complaint.return_visit_result = result
    if result != Result.UNREACHABLE:
        complaint.return_visited_at = now
    event(complaint, Kind.RETURN_VISIT, by, result=result, method=method)  # the note may name the driver
    if rules.needs_review(result):
        _open_review(complaint, visit, by=by, at=now)
    complaint.save()
    audit_state(by, complaint, snapshot_before, _("Return visit recorded"))
    if result != Result.UNREACHABLE:
        _deadlines.limit_closed(complaint, kind=_deadlines.RETURN_VISIT, actor=by)
    return visit


def _open_review(complaint: Complaint, visit: ReturnVisit, *, by, at) -> Review:
    """A dissatisfied driver: the head of the toll-collection office reviews the handling."""
    office = department_toll_office()
    reviewer = office.head if office is not None and office.head_id else None
    settings = ComplaintSettings.load()
    review = Review.objects.create(
        complaint=complaint,
        return_visit=visit,
        reviewer=reviewer,
        due_at=rules.review_due(opened_at=at, working_days=settings.review_working_days, calendar=working_calendar()),
    )
    complaint.review_status = Review.Status.PENDING
    event(complaint, Kind.REVIEW_OPENED, by, reviewer=reviewer.name if reviewer else "")
    recipients = [reviewer.user] if reviewer is not None and reviewer.user_id else office_users()
    notify(
        recipients=recipients,
        subject=_("A dissatisfied driver: review complaint %(number)s") % {"number": complaint.number},
        complaint=complaint,
    )
    _deadlines.limit_set(review, kind=_deadlines.REVIEW, due_at=review.due_at, responsible=recipients, actor=by)
    return review


def complaint_review_decide(*, review: Review, by, reopen_case: bool, reasons: str) -> Review:
    """复核: the head of the toll-collection office reopens the complaint when the handling was at
    fault, or records why the handling stands. The owner is told either way."""
    reasons = text_required(reasons, field="reasons", message=_("Give the reasons of the review."))
    with transaction.atomic():
        complaint = lock(review.complaint)
        refuse_voided(complaint)
        review = Review.objects.select_for_update(of=("self",)).select_related("reviewer").get(pk=review.pk)
        require(access.can_decide_review(by, review))
        if review.status != Review.Status.PENDING:
            raise DomainError(_("This review has already been decided."), code="decided")
        now = timezone.now()
        snapshot_before = before(complaint)
        review.status = Review.Status.REOPENED if reopen_case else Review.Status.STANDS
        review.reasons, review.decided_by, review.decided_at = reasons, by, now
        review.save()
        complaint.review_status = review.status
        event(complaint, Kind.REVIEW_DECIDED, by, note=reasons, status=review.status)
        if reopen_case:
            complaint.handling_at_fault = True
            reopen(complaint, by=by, at=now)
        complaint.save()
        audit_state(by, complaint, snapshot_before, _("Review decided"))
        _deadlines.limit_closed(review, kind=_deadlines.REVIEW, actor=by)
        if complaint.owner_id:
            notify(
                recipients=[complaint.owner],
                subject=(
                    _("Complaint %(number)s reopened by the review")
                    if reopen_case
                    else _("The review of complaint %(number)s: the handling stands")
                )
                % {"number": complaint.number},
                body=reasons,
                complaint=complaint,
            )
    return review


def complaint_close(*, complaint: Complaint, by, note: str = "") -> Complaint:
    """Close a complaint after its return visit (and its review, if the driver was dissatisfied).
    A duplicate closes on its own once its driver has been visited."""
    note = text_optional(note, field="note", limit=rules.NOTE_MAX)
    with transaction.atomic():
        complaint = lock(complaint)
        refuse_voided(complaint)
        require(access.can_handle(by, complaint))
        if complaint.status != Status.RETURN_VISIT:
            raise DomainError(_("A complaint is closed after its return visit."), code="no_return_visit")
        if complaint.review_status == Review.Status.PENDING:
            raise DomainError(_("The complaint waits for its review."), code="review_pending")
        if complaint.is_work_order:
            report = complaint.work_order_reports.order_by("-submitted_at", "-pk").first()
            if report is None or report.returned_at is not None:
                raise DomainError(_("Report the work order back to its centre first."), code="report_missing")
        snapshot_before = before(complaint)
        step(complaint, Status.CLOSED)
        complaint.closed_at = timezone.now()
        complaint.save()
        event(complaint, Kind.CLOSED, by, note=note)
        audit_state(by, complaint, snapshot_before, _("Complaint closed"))
        _deadlines.close_all(complaint, actor=by)  # nothing remains due on a closed complaint
    return complaint

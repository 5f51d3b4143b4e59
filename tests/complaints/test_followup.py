"""After the answer: the return visit (回访) by phone or the driver's own rating, the review
(复核) of a dissatisfied driver's complaint by the toll-office head, and closing."""

import pytest

from complaints import services
from complaints.models import Complaint, ComplaintEvent, Review
from complaints.services import _deadlines
from tests.complaints.factories import answered, register, submit_online
from tollservice.core.errors import DomainError
from tollservice.notifications.models import Notification

Status = Complaint.Status


def test_a_satisfied_driver_by_phone_and_the_complaint_closes(people, deadline_calls):
    complaint = answered(people, register(people).complaint)
    with pytest.raises(DomainError) as too_early:
        services.complaint_close(complaint=complaint, by=people.office)
    assert too_early.value.code == "no_return_visit"
    services.complaint_return_visit_record(complaint=complaint, by=people.office, result="satisfied", method="phone")
    complaint.refresh_from_db()
    assert complaint.status == Status.RETURN_VISIT and complaint.return_visit_result == "satisfied"
    assert ("closed", _deadlines.RETURN_VISIT, complaint.pk, "completed") in deadline_calls
    with pytest.raises(DomainError):  # the driver answered once
        services.complaint_return_visit_record(
            complaint=complaint, by=people.office, result="dissatisfied", method="phone"
        )
    services.complaint_close(complaint=complaint, by=people.office)
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED and complaint.closed_at is not None


def test_a_driver_who_could_not_be_reached_is_visited_again(people):
    complaint = answered(people, register(people).complaint)
    services.complaint_return_visit_record(complaint=complaint, by=people.office, result="unreachable", method="phone")
    complaint.refresh_from_db()
    assert complaint.return_visited_at is None
    services.complaint_return_visit_record(complaint=complaint, by=people.office, result="basically", method="phone")
    complaint.refresh_from_db()
    assert complaint.return_visit_result == "basically" and complaint.return_visited_at is not None


def test_the_driver_rates_online_once(people):
    registration = submit_online(people)
    complaint = registration.complaint
    services.complaint_take_up(complaint=complaint, by=people.office)
    with pytest.raises(DomainError):  # nothing to rate before the answer
        services.complaint_driver_rate(number=complaint.number, code=registration.access_code, result="satisfied")
    answered(people, complaint)
    visit = services.complaint_driver_rate(
        number=complaint.number, code=registration.access_code, result="satisfied", comment="处理及时"
    )
    assert visit.method == "online" and visit.recorded_by is None
    with pytest.raises(DomainError):
        services.complaint_driver_rate(number=complaint.number, code=registration.access_code, result="dissatisfied")


def test_dissatisfied_leads_to_a_review_that_reopens_the_complaint(people, deadline_calls):
    complaint = answered(people, register(people, by=people.office2).complaint)
    services.complaint_return_visit_record(
        complaint=complaint, by=people.office2, result="dissatisfied", method="phone", note="对处理结果不满意"
    )
    review = Review.objects.get(complaint=complaint)
    assert review.reviewer == people.head and review.status == Review.Status.PENDING
    assert Notification.objects.filter(recipient=people.head.user, subject__contains=complaint.number).exists()
    assert ("set", _deadlines.REVIEW, review.pk, review.due_at) in deadline_calls
    with pytest.raises(DomainError):  # closing waits for the review
        services.complaint_close(complaint=complaint, by=people.office2)
    with pytest.raises(DomainError):  # the toll-office head reviews, not the office
        services.complaint_review_decide(review=review, by=people.office, reopen_case=True, reasons="x")
    services.complaint_review_decide(review=review, by=people.head.user, reopen_case=True, reasons="处理过于简单")
    complaint.refresh_from_db()
    assert complaint.status == Status.INVESTIGATING and complaint.handling_at_fault and complaint.reopened_count == 1
    assert complaint.answered_at is None and complaint.answer_due > complaint.accepted_at
    assert complaint.events.filter(kind=ComplaintEvent.Kind.REOPENED).exists()
    # The owner is told.
    assert Notification.objects.filter(recipient=people.office2, subject__contains="重新办理").exists()
    assert ("set", _deadlines.ANSWER, complaint.pk, complaint.answer_due) in deadline_calls
    # Handled again and answered again; the verdict may be recorded anew.
    services.complaint_answer(complaint=complaint, by=people.office2, reply="重新调查后答复")
    complaint.refresh_from_db()
    assert complaint.status == Status.ANSWERED


def test_dissatisfied_and_the_review_lets_the_handling_stand(people):
    complaint = answered(people, register(people, by=people.office2).complaint)
    services.complaint_return_visit_record(
        complaint=complaint, by=people.office2, result="dissatisfied", method="phone"
    )
    review = Review.objects.get(complaint=complaint)
    with pytest.raises(DomainError):
        services.complaint_review_decide(review=review, by=people.head.user, reopen_case=False, reasons=" ")
    services.complaint_review_decide(review=review, by=people.head.user, reopen_case=False, reasons="处理符合规定")
    complaint.refresh_from_db()
    assert complaint.review_status == Review.Status.STANDS and not complaint.handling_at_fault
    assert Notification.objects.filter(recipient=people.office2, subject__contains="维持原处理").exists()
    services.complaint_close(complaint=complaint, by=people.office2)


def test_without_a_head_with_an_account_the_group_office_reviews(people):
    people.head.user = None
    people.head.save()
    complaint = answered(people, register(people).complaint)
    services.complaint_return_visit_record(complaint=complaint, by=people.office, result="dissatisfied", method="phone")
    review = Review.objects.get(complaint=complaint)
    services.complaint_review_decide(review=review, by=people.office2, reopen_case=False, reasons="维持")


def test_a_work_order_closes_only_once_reported_back(people):
    order = answered(people, register(people, channel=Complaint.Channel.HOTLINE).complaint)
    services.complaint_return_visit_record(complaint=order, by=people.office, result="satisfied", method="phone")
    services.complaint_close(complaint=order, by=people.office)

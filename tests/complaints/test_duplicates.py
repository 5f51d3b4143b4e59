"""CMP-1: one incident complained of through several channels is handled once — suggested at
intake, linked, investigated, answered and counted once — and every linked driver gets the
answer; a linked hotline work order still gets its own report by its own deadline."""

import datetime

import pytest
from django.utils import timezone

from complaints import selectors, services
from complaints.models import Complaint, ComplaintEvent, ComplaintMessage, WorkOrderReport
from complaints.services import _deadlines
from tests.complaints.factories import answered, investigated, register, submit_online
from tollservice.core.errors import DomainError

Kind = ComplaintEvent.Kind
REPORT = {"facts": "经核实属实。", "handling": "已批评教育当事人并致歉。", "grounds": "收费所规范化服务实施方案。"}


def test_cmp1_likely_duplicates_are_suggested_at_intake_with_their_reasons(people):  # CMP-1
    web = submit_online(people, plate="赣A12345").complaint
    unrelated = register(
        people,
        lane=people.other_lane,
        phone="13700000000",
        plate="",
        description="服务区卫生差",
        incident_at=timezone.now() - datetime.timedelta(hours=20),
    ).complaint
    # The office types the phone complaint about the same incident: suggestions come before saving.
    candidates = selectors.duplicate_candidates(
        user=people.office,
        plate="赣a12345",
        phone="13812345678",
        lane=people.lane,
        incident_at=timezone.now() - datetime.timedelta(minutes=70),
        text="收费员态度生硬，不解释收费标准，还呵斥我。",
    )
    assert [c.complaint for c in candidates] == [web]
    reasons = dict(candidates[0].reasons)
    assert {"相同车牌号", "相同车道"} <= set(reasons) and any("分钟" in r for r in reasons)
    assert candidates[0].points == sum(reasons.values())
    assert unrelated not in [c.complaint for c in candidates]
    # And for a registered complaint.
    phone = register(people).complaint
    assert [c.complaint for c in selectors.duplicate_candidates(user=people.office, complaint=phone)] == [web]


def test_cmp1_suggestions_are_only_what_the_reader_may_see(people):  # CMP-1
    # Two days ago nobody was on duty: the web complaint is no team's, and the team leader
    # does not see it (the office does).
    moment = timezone.now() - datetime.timedelta(days=2)
    web = submit_online(people, incident_at=moment).complaint
    complaint = register(people, by=people.team_leader.user, incident_at=moment).complaint
    assert selectors.duplicate_candidates(user=people.team_leader.user, complaint=complaint) == []
    assert [c.complaint for c in selectors.duplicate_candidates(user=people.office, complaint=complaint)] == [web]


def test_cmp1_linked_complaints_are_answered_once_and_every_driver_gets_the_answer(people, deadline_calls):  # CMP-1
    primary = register(people).complaint
    web = submit_online(people).complaint
    services.complaint_take_up(complaint=web, by=people.office2)
    services.complaint_link_duplicate(complaint=web, primary=primary, by=people.office, reason="同一事件")
    web.refresh_from_db()
    assert web.primary == primary
    assert ("closed", _deadlines.ANSWER, web.pk, "cancelled") in deadline_calls  # counted once
    assert web.events.filter(kind=Kind.LINKED).exists() and primary.events.filter(kind=Kind.LINKED).exists()
    with pytest.raises(DomainError) as elsewhere:  # investigated once, on the primary
        services.complaint_verdict_record(
            complaint=web, by=people.office, outcome="upheld", fault="station", findings="x"
        )
    assert elsewhere.value.code == "duplicate"
    answered(people, primary)
    web.refresh_from_db()
    assert web.status == Complaint.Status.ANSWERED and web.answered_at is not None
    answers = ComplaintMessage.objects.filter(kind=ComplaintMessage.Kind.ANSWER)
    assert answers.filter(complaint=web).get().body == answers.filter(complaint=primary).get().body
    # Each driver is asked for their own return visit.
    assert web.return_visit_due is not None


def test_cmp1_linking_after_the_answer_gives_the_driver_the_answer_at_once(people):  # CMP-1
    primary = answered(people, register(people).complaint)
    late = submit_online(people).complaint
    services.complaint_link_duplicate(complaint=late, primary=primary, by=people.office)
    late.refresh_from_db()
    assert late.status == Complaint.Status.ANSWERED
    assert late.messages.filter(kind=ComplaintMessage.Kind.ANSWER).exists()


def test_cmp1_a_duplicate_of_a_duplicate_is_linked_to_the_primary(people):  # CMP-1
    primary = register(people).complaint
    second = submit_online(people).complaint
    third = submit_online(people).complaint
    services.complaint_link_duplicate(complaint=second, primary=primary, by=people.office)
    services.complaint_link_duplicate(complaint=third, primary=second, by=people.office)
    third.refresh_from_db()
    assert third.primary == primary


def test_cmp1_unlinking_and_changing_the_primary_are_recorded(people):  # CMP-1
    primary = register(people).complaint
    second = submit_online(people).complaint
    third = submit_online(people).complaint
    for duplicate in (second, third):
        services.complaint_link_duplicate(complaint=duplicate, primary=primary, by=people.office)
    services.complaint_change_primary(new_primary=second, by=people.office, reason="网上投诉信息更全")
    for complaint in (primary, second, third):
        complaint.refresh_from_db()
    assert second.primary is None and primary.primary == second and third.primary == second
    assert primary.events.filter(kind=Kind.PRIMARY_CHANGED).exists()
    # The old primary may now be voided (a mistaken registration).
    services.complaint_unlink_duplicate(complaint=primary, by=people.office, reason="误关联")
    primary.refresh_from_db()
    assert primary.primary is None and primary.events.filter(kind=Kind.UNLINKED).exists()
    with pytest.raises(DomainError):
        services.complaint_unlink_duplicate(complaint=primary, by=people.office, reason="再次")


def test_cmp1_linking_refuses_what_makes_no_sense(people):  # CMP-1
    primary = register(people).complaint
    with pytest.raises(DomainError):
        services.complaint_link_duplicate(complaint=primary, primary=primary, by=people.office)
    answered_alone = answered(people, register(people).complaint)
    with pytest.raises(DomainError) as already:
        services.complaint_link_duplicate(complaint=answered_alone, primary=primary, by=people.office)
    assert already.value.code == "answered"
    with pytest.raises(DomainError):  # a stranger to both
        services.complaint_link_duplicate(complaint=submit_online(people).complaint, primary=primary, by=people.leader)
    duplicate = submit_online(people).complaint
    services.complaint_link_duplicate(complaint=duplicate, primary=primary, by=people.office)
    with pytest.raises(DomainError) as has_duplicates:
        services.complaint_void(complaint=primary, by=people.office, reason="误登记")
    assert has_duplicates.value.code == "has_duplicates"


def test_each_linked_work_order_gets_its_own_report_by_its_own_deadline(people):
    primary = register(people).complaint
    deadline = timezone.now() + datetime.timedelta(days=2)
    order = register(people, channel=Complaint.Channel.HOTLINE, work_order_deadline=deadline).complaint
    services.complaint_link_duplicate(complaint=order, primary=primary, by=people.office)
    order.refresh_from_db()
    assert order.answer_due == deadline  # its own deadline, still running
    with pytest.raises(DomainError) as too_early:
        services.complaint_work_order_report(complaint=order, by=people.office, **REPORT)
    assert too_early.value.code == "primary_unanswered"
    answered(people, primary)
    order.refresh_from_db()
    # The driver has the answer; the order still owes its report to the centre.
    assert order.messages.filter(kind=ComplaintMessage.Kind.ANSWER).exists()
    assert order.status in Complaint.BEFORE_ANSWER
    report = services.complaint_work_order_report(complaint=order, by=people.office, **REPORT)
    order.refresh_from_db()
    assert report.on_time and order.status == Complaint.Status.ANSWERED and order.answered_on_time


def test_a_work_order_that_is_the_primary_is_reported_with_its_answer(people):
    order = register(people, channel=Complaint.Channel.HOTLINE).complaint
    investigated(people, order)
    services.complaint_apology_record(
        complaint=order, by=people.office, apologised_by=people.collector, role="person_concerned", method="phone"
    )
    with pytest.raises(DomainError) as missing:
        services.complaint_answer(complaint=order, by=people.office, reply="已处理")
    assert missing.value.field == "facts"
    services.complaint_answer(complaint=order, by=people.office, reply="已处理", **REPORT)
    report = WorkOrderReport.objects.get(complaint=order)
    assert (report.facts, report.handling, report.grounds) == (REPORT["facts"], REPORT["handling"], REPORT["grounds"])


def test_the_centre_returns_a_report_for_redoing_which_reopens_the_complaint(people):
    order = answered(people, register(people, channel=Complaint.Channel.HOTLINE).complaint)
    new_deadline = timezone.now() + datetime.timedelta(days=2)
    services.complaint_work_order_return(
        complaint=order, by=people.office, reason="处理依据不充分", new_deadline=new_deadline
    )
    order.refresh_from_db()
    assert order.status == Complaint.Status.INVESTIGATING and order.reopened_count == 1
    assert order.answer_due == new_deadline and order.answered_at is None
    assert WorkOrderReport.objects.get(complaint=order).returned_at is not None
    with pytest.raises(DomainError):  # nothing left to return
        services.complaint_work_order_return(
            complaint=order, by=people.office, reason="再退", new_deadline=new_deadline
        )
    services.complaint_answer(complaint=order, by=people.office, reply="重新答复", **REPORT)
    assert WorkOrderReport.objects.filter(complaint=order).count() == 2

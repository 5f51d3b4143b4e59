"""Handling a complaint: first contact, the staff member's account, waiting on the driver (the
clock stops), extensions, the verdict, the apology (CMP-4), the answer, and the penalties a
complaint leads to (PEN-3, PEN-4)."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from complaints import rules, services
from complaints.models import Complaint, ComplaintMessage, ComplaintPenalty, Extension
from complaints.services import _deadlines
from penalties.models import Penalty
from tests.complaints.conftest import at
from tests.complaints.factories import answered, investigated, register
from tollservice.core.errors import DomainError

D = datetime.date


def _end(day):
    return rules.end_of_day(day)


# --- First contact and the clock -------------------------------------------------------------------


def test_the_first_contact_meets_its_limit_and_starts_the_investigation(people, deadline_calls):
    complaint = register(people).complaint
    assert ("set", _deadlines.FIRST_CONTACT, complaint.pk, complaint.first_contact_due) in deadline_calls
    services.complaint_contact_record(complaint=complaint, by=people.office, method="phone", note="已致电")
    complaint.refresh_from_db()
    assert complaint.first_contact_at is not None and complaint.status == Complaint.Status.INVESTIGATING
    assert ("closed", _deadlines.FIRST_CONTACT, complaint.pk, "completed") in deadline_calls
    services.complaint_contact_record(complaint=complaint, by=people.office, method="sms")
    complaint.refresh_from_db()
    assert complaint.contacts.count() == 2  # the first contact time stays the first one


def test_answer_limit_counts_working_days_over_the_2026_spring_festival(people, clock):
    clock.set(at(2026, 2, 12, 9))  # Thursday before the Spring Festival
    complaint = register(people).complaint
    # Fri 13, Sat 14 (make-up day), holiday 15–23, Tue 24, Wed 25, Thu 26.
    assert complaint.answer_due == _end(D(2026, 2, 26))


def test_the_clock_stops_while_the_station_waits_on_the_driver(people, clock, deadline_calls):
    clock.set(at(2026, 2, 12, 9))
    complaint = register(people).complaint
    services.complaint_contact_record(complaint=complaint, by=people.office, method="phone")
    clock.set(at(2026, 2, 13, 15))
    services.complaint_pause(
        complaint=complaint, by=people.office, reason="等待司机提供通行凭证", request_to_driver="请补充通行凭证照片。"
    )
    complaint.refresh_from_db()
    assert complaint.answer_due is None and complaint.paused_since == clock.now
    assert ("closed", _deadlines.ANSWER, complaint.pk, "cancelled") in deadline_calls
    request = complaint.messages.get(kind=ComplaintMessage.Kind.INFORMATION_REQUEST)
    assert request.body == "请补充通行凭证照片。"
    assert not Complaint.objects.overdue(at(2026, 3, 30)).filter(pk=complaint.pk).exists()
    clock.set(at(2026, 2, 25, 9))
    services.complaint_resume(complaint=complaint, by=people.office)
    complaint.refresh_from_db()
    # Fri 13 (1), 14 waiting, holiday, Wed 25 (2), Thu 26 (3), Fri 27 (4), Sat 28 make-up (5).
    assert complaint.answer_due == _end(D(2026, 2, 28)) and complaint.paused_since is None
    assert ("set", _deadlines.ANSWER, complaint.pk, complaint.answer_due) in deadline_calls


def test_the_drivers_information_restarts_the_clock(people, clock):
    registration = register(people)
    complaint = registration.complaint
    services.complaint_pause(complaint=complaint, by=people.office, reason="等待司机补充")
    clock.advance(days=3)
    services.complaint_driver_add_information(
        number=registration.tracking_number, code=registration.access_code, text="我是早上8点经过的。"
    )
    complaint.refresh_from_db()
    assert complaint.paused_since is None and complaint.answer_due is not None
    assert complaint.messages.filter(direction=ComplaintMessage.Direction.FROM_DRIVER).count() == 1


def test_pausing_twice_or_resuming_a_running_clock_is_refused(people):
    complaint = register(people).complaint
    with pytest.raises(DomainError):
        services.complaint_resume(complaint=complaint, by=people.office)
    services.complaint_pause(complaint=complaint, by=people.office, reason="等待")
    with pytest.raises(DomainError):
        services.complaint_pause(complaint=complaint, by=people.office, reason="等待")


# --- Extensions ---------------------------------------------------------------------------------------


def test_an_extension_is_approved_before_the_limit_by_someone_else_and_the_driver_is_told(people, clock):
    clock.set(at(2026, 12, 7, 10))
    complaint = register(people, by=people.office2).complaint
    assert complaint.answer_due == _end(D(2026, 12, 14))
    extension = services.complaint_extension_request(
        complaint=complaint, by=people.office2, reason="需调取多日监控", new_due=D(2026, 12, 21)
    )
    with pytest.raises(DomainError) as own:
        services.complaint_extension_decide(extension=extension, by=people.office2, approve=True)
    assert own.value.code == "own_request"
    with pytest.raises(DomainError):
        services.complaint_extension_decide(extension=extension, by=people.staff_user, approve=True)
    services.complaint_extension_decide(extension=extension, by=people.leader, approve=True)
    complaint.refresh_from_db()
    assert complaint.extended_to == D(2026, 12, 21) and complaint.answer_due == _end(D(2026, 12, 21))
    told = complaint.messages.get(kind=ComplaintMessage.Kind.EXTENSION)
    assert "2026-12-21" in told.body


def test_an_extension_after_the_limit_is_refused(people, clock):
    clock.set(at(2026, 12, 7, 10))
    complaint = register(people, by=people.office2).complaint
    extension = services.complaint_extension_request(
        complaint=complaint, by=people.office2, reason="复杂", new_due=D(2026, 12, 21)
    )
    clock.set(at(2026, 12, 15, 9))  # the limit (14th) has passed
    with pytest.raises(DomainError) as late:
        services.complaint_extension_decide(extension=extension, by=people.office, approve=True)
    assert late.value.code == "limit_passed"
    with pytest.raises(DomainError):  # a new request is too late as well
        services.complaint_extension_request(
            complaint=complaint, by=people.office2, reason="复杂", new_due=D(2026, 12, 28)
        )
    services.complaint_extension_decide(extension=extension, by=people.office, approve=False, note="已超期")
    assert Extension.objects.get().status == Extension.Status.REFUSED


# --- Verdict and apology (CMP-4) -------------------------------------------------------------------------


def _verdict(people, complaint, **kwargs):
    values = {
        "outcome": "upheld",
        "fault": "station",
        "findings": "监控显示收费员语气生硬。",
        "staff_involved": [people.collector],
        "staff_at_fault": [people.collector],
    }
    values.update(kwargs)
    return services.complaint_verdict_record(complaint=complaint, by=people.office, **values)


def test_the_staff_members_account_comes_before_a_verdict_that_leads_to_a_penalty(people):
    complaint = register(people).complaint
    with pytest.raises(DomainError) as missing:
        _verdict(people, complaint)
    assert missing.value.code == "statement_missing"
    with pytest.raises(DomainError):  # nobody records their own account
        services.complaint_statement_record(
            complaint=complaint, by=people.collector.user, staff=people.collector, account="我没有"
        )
    services.complaint_statement_record(complaint=complaint, by=people.office, staff=people.collector, account="车多")
    verdict = _verdict(people, complaint, cctv_reference="CAM-05", shift_date=D(2026, 12, 2), shift="day")
    complaint.refresh_from_db()
    assert complaint.verdict_outcome == "upheld"
    assert verdict.lane == people.lane and verdict.cctv_reference == "CAM-05"
    assert list(verdict.staff_links.values_list("staff__name", "at_fault")) == [("收费员甲", True)]
    # The staff involved are recorded as persons the complaint is about.
    assert list(complaint.subjects.values_list("staff", flat=True)) == [people.collector.pk]


def test_a_verdict_not_upheld_needs_no_account_and_no_apology(people):
    complaint = register(people).complaint
    _verdict(people, complaint, outcome="not_upheld", fault="driver", staff_at_fault=[])
    services.complaint_answer(complaint=complaint, by=people.office, reply="经调查，收费员按规定操作。")
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.ANSWERED


def test_cmp4_the_answer_waits_for_the_apology_when_the_station_was_at_fault(people):  # CMP-4
    complaint = investigated(people, register(people).complaint)
    with pytest.raises(DomainError) as missing:
        services.complaint_answer(complaint=complaint, by=people.office, reply="已处理。")
    assert missing.value.code == "apology_missing"
    with pytest.raises(DomainError) as wrong_role:  # a collector is not the toll-office head
        services.complaint_apology_record(
            complaint=complaint,
            by=people.office,
            apologised_by=people.collector,
            role="toll_office_head",
            method="phone",
        )
    assert wrong_role.value.field == "apologised_by"
    services.complaint_apology_record(
        complaint=complaint, by=people.office, apologised_by=people.team_leader, role="team_leader", method="phone"
    )
    services.complaint_answer(complaint=complaint, by=people.office, reply="我们已向您致歉。")
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.ANSWERED


def test_cmp4_both_at_fault_also_needs_the_apology_for_our_part(people):  # CMP-4
    complaint = investigated(people, register(people).complaint, outcome="partly_upheld", fault="both")
    with pytest.raises(DomainError):
        services.complaint_answer(complaint=complaint, by=people.office, reply="已处理。")
    services.complaint_apology_record(
        complaint=complaint, by=people.office, apologised_by=people.head, role="toll_office_head", method="in_person"
    )
    services.complaint_answer(complaint=complaint, by=people.office, reply="我方有不当之处，已致歉。")


def test_the_answer_reaches_the_driver_and_sets_the_return_visit(people, clock, deadline_calls):
    complaint = answered(people, register(people).complaint)
    assert complaint.answered_at == clock.now and complaint.answered_on_time is True
    assert complaint.return_visit_due == _end(timezone.localdate(clock.now) + datetime.timedelta(days=3))
    assert complaint.messages.filter(kind=ComplaintMessage.Kind.ANSWER).count() == 1
    assert ("closed", _deadlines.ANSWER, complaint.pk, "completed") in deadline_calls
    assert ("set", _deadlines.RETURN_VISIT, complaint.pk, complaint.return_visit_due) in deadline_calls


def test_an_answer_after_the_limit_is_recorded_as_late(people, clock):
    complaint = investigated(people, register(people).complaint, outcome="not_upheld", fault="driver", at_fault=False)
    clock.advance(days=30)
    services.complaint_answer(complaint=complaint, by=people.office, reply="答复")
    complaint.refresh_from_db()
    assert complaint.answered_on_time is False
    assert "answer" in rules.missed_limits(complaint, now=clock.now)


def test_only_those_handling_a_complaint_record_its_steps(people):
    complaint = register(people).complaint
    for user in (people.staff_user, people.leader, people.team_leader.user):
        with pytest.raises(DomainError):
            services.complaint_contact_record(complaint=complaint, by=user, method="phone")


def test_the_person_complained_about_cannot_handle_it_even_in_the_office(people):
    complaint = register(people).complaint
    services.complaint_subjects_set(complaint=complaint, by=people.office, staff=[people.office2.staff_profile])
    with pytest.raises(DomainError):
        services.complaint_contact_record(complaint=complaint, by=people.office2, method="phone")


# --- PEN-3 ------------------------------------------------------------------------------------------


def test_pen3_an_upheld_complaint_proposes_a_penalty_linked_both_ways(people):  # PEN-3
    complaint = investigated(people, register(people).complaint)
    link = services.complaint_penalty_propose(
        complaint=complaint, proposed_by=people.office, staff=people.collector, fine_fen=30000
    )
    penalty = link.penalty
    assert (penalty.rule, penalty.source, penalty.status) == (
        Penalty.Rule.COMPLAINT,
        Penalty.Source.VERIFIED_COMPLAINT,
        Penalty.Status.PROPOSED,
    )
    assert penalty.staff == people.collector and penalty.fine_fen == 30000
    assert penalty.source_object == complaint and penalty.source_reference == complaint.number
    assert penalty.source_content_type == ContentType.objects.get_for_model(Complaint)
    assert list(complaint.penalty_links.values_list("penalty", flat=True)) == [penalty.pk]
    assert penalty.complaint_link.complaint == complaint
    # The head held accountable: the collector's team leader.
    assert link.responsible_head == people.team_leader and link.head_role == "team_leader"


def test_pen3_refused_without_an_upheld_verdict_against_the_person_or_twice(people):  # PEN-3
    complaint = investigated(people, register(people).complaint, outcome="not_upheld", fault="driver", at_fault=False)
    with pytest.raises(DomainError):
        services.complaint_penalty_propose(
            complaint=complaint, proposed_by=people.office, staff=people.collector, fine_fen=30000
        )
    upheld = investigated(people, register(people).complaint)
    with pytest.raises(DomainError):  # the other collector was not found at fault
        services.complaint_penalty_propose(
            complaint=upheld, proposed_by=people.office, staff=people.other, fine_fen=30000
        )
    services.complaint_penalty_propose(
        complaint=upheld, proposed_by=people.office, staff=people.collector, fine_fen=30000
    )
    with pytest.raises(DomainError) as twice:
        services.complaint_penalty_propose(
            complaint=upheld, proposed_by=people.office, staff=people.collector, fine_fen=30000
        )
    assert twice.value.code == "already_proposed"
    with pytest.raises(DomainError):  # the fine lies in the policy's range (PEN-3)
        services.complaint_penalty_propose(
            complaint=upheld, proposed_by=people.office, staff=people.collector, fine_fen=1
        )


def test_pen3_only_the_office_proposes(people):  # PEN-3
    complaint = investigated(people, register(people).complaint)
    services.complaint_hand_over(complaint=complaint, by=people.office, to=people.team_leader.user, reason="跟进")
    with pytest.raises(DomainError):
        services.complaint_penalty_propose(
            complaint=complaint, proposed_by=people.team_leader.user, staff=people.collector, fine_fen=30000
        )


def test_pen3_the_penalty_is_decided_with_the_head_the_complaint_named(people):  # PEN-3
    complaint = investigated(people, register(people).complaint)
    link = services.complaint_penalty_propose(
        complaint=complaint,
        proposed_by=people.office,
        staff=people.collector,
        fine_fen=30000,
        responsible_head=people.head,
    )
    from penalties.services import penalty_decide

    penalty = penalty_decide(penalty=link.penalty, decided_by=people.office2, responsible_head=link.responsible_head)
    assert penalty.responsible_head == people.head
    assert penalty.accountability_records.get().head == people.head


# --- PEN-4 ------------------------------------------------------------------------------------------


def test_pen4_a_missed_limit_becomes_a_proposal_against_the_handler_and_the_head(people, clock):  # PEN-4
    complaint = register(people).complaint
    with pytest.raises(DomainError) as no_grounds:
        services.complaint_handling_violation_propose(
            complaint=complaint,
            proposed_by=people.office,
            handler=people.collector,
            handler_fine_fen=20000,
            head_fine_fen=20000,
            description="未按时联系司机",
        )
    assert no_grounds.value.code == "no_grounds"
    clock.advance(days=2)  # the first contact (24 hours) was missed
    handler_link, head_link = services.complaint_handling_violation_propose(
        complaint=complaint,
        proposed_by=people.office,
        handler=people.collector,
        handler_fine_fen=20000,
        head_fine_fen=30000,
        description="受理后未在24小时内联系司机，导致司机再次投诉。",
    )
    assert handler_link.penalty.rule == Penalty.Rule.HANDLING_HANDLER and handler_link.penalty.staff == people.collector
    assert head_link.penalty.rule == Penalty.Rule.HANDLING_HEAD and head_link.penalty.staff == people.head
    assert head_link.penalty.joint_with == handler_link.penalty
    assert {link.kind for link in complaint.penalty_links.all()} == {ComplaintPenalty.Kind.HANDLING_VIOLATION}
    assert all(link.penalty.source_object == complaint for link in (handler_link, head_link))
    assert "首次联系" in handler_link.grounds

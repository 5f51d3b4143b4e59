"""Who answers for a complaint: CMP-8 (first responder, handovers) and the escalation chain of
CMP-3 and CMP-5 (shift leader on duty at the incident's time → head of the toll-collection
office → the leadership group's office)."""

import datetime

import pytest
from django.utils import timezone

from complaints import selectors, services
from complaints.models import Complaint, ComplaintEvent, Escalation, Handover
from tests.complaints.factories import register, submit_online
from tests.roster.factories import ShiftLeaderAssignmentFactory, StaffFactory, UserFactory
from tollservice.core.errors import DomainError
from tollservice.notifications.models import Notification
from tollservice.roster.selectors import shift_at

Level = Complaint.Level


def test_cmp8_ownership_passes_only_by_a_recorded_handover_and_the_first_responder_stays(people):  # CMP-8
    complaint = register(people, by=people.office2).complaint
    with pytest.raises(DomainError) as no_reason:
        services.complaint_hand_over(complaint=complaint, by=people.office2, to=people.team_leader.user, reason=" ")
    assert no_reason.value.field == "reason"
    services.complaint_hand_over(
        complaint=complaint, by=people.office2, to=people.team_leader.user, reason="事发班组班长跟进"
    )
    complaint.refresh_from_db()
    assert complaint.owner == people.team_leader.user
    assert complaint.first_responder == people.office2  # CMP-8: stays on the record
    handover = Handover.objects.get(complaint=complaint)
    assert (handover.from_user, handover.to_user, handover.reason, handover.by) == (
        people.office2,
        people.team_leader.user,
        "事发班组班长跟进",
        people.office2,
    )
    assert complaint.events.filter(kind=ComplaintEvent.Kind.HANDED_OVER).exists()
    assert Notification.objects.filter(recipient=people.team_leader.user).exists()


def test_cmp8_only_the_owner_or_the_group_office_hands_over(people):  # CMP-8
    complaint = register(people, by=people.office2).complaint
    with pytest.raises(DomainError):
        services.complaint_hand_over(complaint=complaint, by=people.leader, to=people.team_leader.user, reason="x")
    # The group office may hand over anyone's complaint.
    services.complaint_hand_over(complaint=complaint, by=people.office, to=people.team_leader.user, reason="调整")


def test_cmp8_never_to_someone_without_a_role_nor_to_the_person_complained_about(people):  # CMP-8
    complaint = register(people).complaint
    with pytest.raises(DomainError) as nobody:
        services.complaint_hand_over(complaint=complaint, by=people.office, to=UserFactory(), reason="x")
    assert nobody.value.field == "to"
    services.complaint_subjects_set(complaint=complaint, by=people.office, staff=[people.collector])
    with pytest.raises(DomainError) as subject:
        services.complaint_hand_over(complaint=complaint, by=people.office, to=people.collector.user, reason="x")
    assert subject.value.field == "to"


def test_cmp3_escalation_reaches_the_shift_leader_on_duty_at_the_incidents_time(people):  # CMP-3
    complaint = register(people).complaint
    escalation = services.complaint_escalate(complaint=complaint, by=people.office, reason="司机仍不满意")
    complaint.refresh_from_db()
    assert (escalation.from_level, escalation.to_level, escalation.to_staff) == (
        Level.FRONT_LINE,
        Level.SHIFT_LEADER,
        people.shift_leader,
    )
    assert complaint.level == Level.SHIFT_LEADER and complaint.escalated_to == people.shift_leader
    assert complaint.owner == people.office  # the owner stays responsible (CMP-8)
    assert Notification.objects.filter(recipient=people.shift_leader.user).count() == 1
    event = complaint.events.get(kind=ComplaintEvent.Kind.ESCALATED)
    assert event.details["to"] == people.shift_leader.name and event.note == "司机仍不满意"
    # The shift leader now sees the complaint and may handle it.
    assert selectors.complaint_list(user=people.shift_leader.user).filter(pk=complaint.pk).exists()
    services.complaint_contact_record(complaint=complaint, by=people.shift_leader.user, method="phone")


def test_cmp3_cmp5_then_the_toll_office_head_then_the_group_office(people):  # CMP-3
    complaint = register(people, by=people.office2).complaint
    for reason in ("司机仍不满意", "需征费室协调", "需领导小组办公室处理"):
        services.complaint_escalate(complaint=complaint, by=people.office2, reason=reason)
    chain = list(Escalation.objects.filter(complaint=complaint).values_list("to_level", "to_staff"))
    assert chain == [
        (Level.SHIFT_LEADER, people.shift_leader.pk),
        (Level.TOLL_OFFICE_HEAD, people.head.pk),
        (Level.GROUP_OFFICE, people.director.pk),
    ]
    with pytest.raises(DomainError) as top:
        services.complaint_escalate(complaint=complaint, by=people.office, reason="再次上报")
    assert top.value.code == "top_level"
    # CMP-5: at the leadership group's office the leadership group sees the case.
    assert selectors.complaint_list(user=people.leader).filter(pk=complaint.pk).exists()


def test_cmp5_the_director_escalating_reaches_another_member_of_the_group_office(people):  # CMP-5
    complaint = register(people).complaint
    escalation = services.complaint_escalate(
        complaint=complaint, by=people.office, reason="上报", to_level=Level.GROUP_OFFICE
    )
    assert escalation.to_staff == people.office2.staff_profile


def test_cmp5_straight_to_the_group_office(people):  # CMP-5
    complaint = register(people, by=people.office2).complaint
    services.complaint_escalate(
        complaint=complaint, by=people.office2, reason="司机无理取闹", to_level=Level.GROUP_OFFICE
    )
    complaint.refresh_from_db()
    assert complaint.level == Level.GROUP_OFFICE and complaint.escalated_to == people.director


def test_a_level_with_nobody_is_passed_over_and_the_record_says_why(people):
    # An incident in a shift the roster assigns to nobody.
    moment = timezone.now() - datetime.timedelta(days=3)
    complaint = register(people, incident_at=moment).complaint
    escalation = services.complaint_escalate(complaint=complaint, by=people.office, reason="上报")
    assert escalation.to_level == Level.TOLL_OFFICE_HEAD and escalation.to_staff == people.head
    assert "当班负责人" in escalation.skipped


def test_the_person_complained_about_is_never_escalated_to(people):
    complaint = register(people).complaint
    services.complaint_subjects_set(complaint=complaint, by=people.office, staff=[people.shift_leader])
    escalation = services.complaint_escalate(complaint=complaint, by=people.office, reason="上报")
    assert escalation.to_staff == people.head
    assert people.shift_leader.name in escalation.skipped


def test_escalating_to_someone_without_an_account_tells_the_group_office(people):
    date, shift = shift_at(moment=timezone.now() - datetime.timedelta(days=2))
    no_account = StaffFactory(department=people.toll_office, name="无账号负责人")
    ShiftLeaderAssignmentFactory(date=date, shift=shift, staff=no_account)
    complaint = register(people, incident_at=timezone.now() - datetime.timedelta(days=2)).complaint
    services.complaint_escalate(complaint=complaint, by=people.office, reason="上报")
    assert Notification.objects.filter(recipient=people.office, subject__contains="无账号负责人").exists()


def test_a_collector_who_owns_a_complaint_reports_it_upwards(people):
    # CMP-3: the staff member reports at once to the shift leader, even about themselves.
    complaint = register(people, by=people.team_leader.user).complaint
    services.complaint_subjects_set(complaint=complaint, by=people.office, staff=[people.team_leader])
    services.complaint_escalate(complaint=complaint, by=people.team_leader.user, reason="司机对我不满意")
    with pytest.raises(DomainError):
        services.complaint_contact_record(complaint=complaint, by=people.team_leader.user, method="phone")


def test_strangers_cannot_escalate(people):
    complaint = register(people).complaint
    with pytest.raises(DomainError):
        services.complaint_escalate(complaint=complaint, by=people.staff_user, reason="x")


def test_the_first_to_act_on_a_web_complaint_accepts_it(people):
    # CMP-8: the group office handling a web complaint nobody took up becomes its first responder.
    complaint = submit_online(people).complaint
    services.complaint_contact_record(complaint=complaint, by=people.office, method="phone")
    complaint.refresh_from_db()
    assert complaint.first_responder == complaint.owner == people.office
    assert complaint.events.filter(kind="taken_up", actor=people.office).exists()

"""A penalty's life through the services: PEN-1 … PEN-5, approvals, revocation, history."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone, translation

from inspections.models import Prohibition
from penalties import services
from penalties.models import AccountabilityRecord, Circular, LedgerEntry, Penalty, PenaltyEvent
from penalties.selectors import award_eligibility, penalty_balance, penalty_list, penalty_preview
from tests.penalties.factories import (
    decided_service_code,
    proposed_complaint,
    proposed_service_code,
)
from tests.roster.factories import user_with_role
from tollservice.audit.selectors import history_for
from tollservice.audit.templatetags.audit_tags import audit_summary
from tollservice.core.append_only import AppendOnlyError
from tollservice.core.errors import DomainError
from tollservice.notifications.models import Notification

Status = Penalty.Status
LAST_YEAR = timezone.localdate().replace(month=6, day=1) - datetime.timedelta(days=366)


def kinds(penalty):
    return list(penalty.events.values_list("kind", flat=True))


# --- PEN-1 -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("n", "fen"), [(1, 20000), (3, 60000)])
def test_pen1_fine_is_computed_and_booked(people, n, fen):
    # PEN-1: 1 provision → 200 yuan, 3 → 600 yuan; the fine is owed once decided (PEN-5).
    penalty = decided_service_code(office=people.office, staff=people.collector, n=n)
    assert penalty.status == Status.DECIDED
    assert penalty.fine_fen == fen
    assert penalty.provision_links.count() == n
    entry = penalty.ledger_entries.get()
    assert (entry.kind, entry.amount_fen) == (LedgerEntry.Kind.ASSESSED, fen)
    assert kinds(penalty) == ["proposed", "decided", "notified"]


def test_pen1_violation_removes_award_eligibility_for_that_year(people):
    # PEN-1 / AWD-2: eligibility is lost for the year of the violation, not the next.
    penalty = decided_service_code(office=people.office, staff=people.collector)
    year = penalty.eligibility_year
    result = award_eligibility(staff=people.collector, year=year)
    assert not result.eligible
    assert [reason.obj for reason in result.reasons] == [penalty]
    assert result.reasons[0].url_name == "penalties:penalty_detail"
    assert award_eligibility(staff=people.collector, year=year + 1).eligible
    assert award_eligibility(staff=people.other, year=year).eligible


def test_pen1_fine_cannot_be_chosen(people):
    # PEN-1: the rule computes the fine.
    with pytest.raises(DomainError):
        proposed_service_code(office=people.office, staff=people.collector, fine_fen=10000)
    penalty = proposed_service_code(office=people.office, staff=people.collector)
    with pytest.raises(DomainError):
        services.penalty_decide(penalty=penalty, decided_by=people.office, fine_fen=10000)


def test_preview_shows_the_fine_before_saving(people):
    # PEN-1 / PEN-2: what the screen shows before saving.
    preview = penalty_preview(
        staff=people.collector,
        rule=Penalty.Rule.SERVICE_CODE,
        incident_date=timezone.localdate(),
        provisions_count=3,
    )
    assert (preview.fine_fen, preview.is_repeat, preview.needs_approval) == (60000, False, False)
    decided_service_code(office=people.office, staff=people.collector)
    preview = penalty_preview(
        staff=people.collector, rule=Penalty.Rule.COMPLAINT, incident_date=timezone.localdate(), suspension=True
    )
    assert preview.fine_range == (20000, 50000)
    assert preview.is_repeat and preview.needs_approval


# --- PEN-2 -------------------------------------------------------------------------------------


def test_pen2_second_violation_in_the_year_is_escalated(people):
    # PEN-2: the second violation waits for a leadership decision; nothing is owed until then.
    decided_service_code(office=people.office, staff=people.collector)
    second = decided_service_code(office=people.office, staff=people.collector, n=2)
    assert second.escalated
    assert second.status == Status.AWAITING_APPROVAL
    assert not second.ledger_entries.exists()
    assert kinds(second) == ["proposed", "decided", "escalated"]
    # Leadership members are told.
    assert Notification.objects.filter(recipient=people.leader).exists()


def test_pen2_leadership_decision_records_reasons_sanctions_prohibitions_and_fine(people):
    # PEN-2
    decided_service_code(office=people.office, staff=people.collector)
    second = decided_service_code(office=people.office, staff=people.collector, n=2)
    prohibitions = list(Prohibition.objects.all()[:2])
    with pytest.raises(DomainError):  # reasons are required
        services.penalty_approve(penalty=second, approved_by=people.leader, prohibitions=prohibitions)
    with pytest.raises(DomainError):  # so are the prohibitions concerned
        services.penalty_approve(penalty=second, approved_by=people.leader, reasons="屡犯")
    with pytest.raises(DomainError) as caught:  # below the violation's own fine (2 × 200)
        services.penalty_approve(
            penalty=second, approved_by=people.leader, reasons="屡犯", prohibitions=prohibitions, fine_fen=30000
        )
    assert "400.00" in str(caught.value) and "1,000.00" in str(caught.value)
    approved = services.penalty_approve(
        penalty=second,
        approved_by=people.leader,
        reasons="一年内第二次违反规范化服务准则，按十不准处理。",
        prohibitions=prohibitions,
        fine_fen=80000,
        suspension=True,
    )
    assert approved.status == Status.APPROVED
    assert (approved.fine_fen, approved.suspension) == (80000, True)
    assert [link.number for link in approved.prohibition_links.all()] == [p.number for p in prohibitions]
    event = approved.events.get(kind=PenaltyEvent.Kind.APPROVED)
    assert event.actor == people.leader and "十不准" in event.reasons
    assert event.details["fine_fen"] == 80000 and event.details["suspension"] is True
    assert penalty_balance(penalty=approved).outstanding_fen == 80000


def test_pen2_repeat_complaint_is_escalated_and_fine_not_below_the_offices(people):
    # PEN-2 with PEN-3: a verified complaint after a violation in the same year.
    decided_service_code(office=people.office, staff=people.collector)
    penalty = proposed_complaint(office=people.office, staff=people.collector, fine_fen=40000)
    penalty = services.penalty_decide(penalty=penalty, decided_by=people.office)
    assert penalty.escalated and penalty.status == Status.AWAITING_APPROVAL
    prohibitions = list(Prohibition.objects.all()[:1])
    with pytest.raises(DomainError, match="400.00"):
        services.penalty_approve(
            penalty=penalty, approved_by=people.leader, reasons="屡犯", prohibitions=prohibitions, fine_fen=30000
        )
    approved = services.penalty_approve(
        penalty=penalty, approved_by=people.leader, reasons="屡犯", prohibitions=prohibitions, dismissal=True
    )
    assert (approved.fine_fen, approved.dismissal) == (40000, True)
    assert approved.accountability_records.count() == 1 and approved.circular is not None


def test_pen2_violations_in_different_years_are_not_escalated(people):
    # PEN-2
    decided_service_code(office=people.office, staff=people.collector, incident_date=LAST_YEAR)
    this_year = decided_service_code(office=people.office, staff=people.collector)
    assert not this_year.escalated and this_year.status == Status.DECIDED


def test_pen2_revoked_first_violation_does_not_count(people):
    # PEN-2: a revoked violation is no violation.
    first = decided_service_code(office=people.office, staff=people.collector)
    services.penalty_revoke(penalty=first, revoked_by=people.office2, reasons="检查记录有误")
    second = decided_service_code(office=people.office, staff=people.collector)
    assert not second.escalated


def test_pen2_other_persons_violations_do_not_count(people):
    # PEN-2: the same person.
    decided_service_code(office=people.office, staff=people.other)
    assert not decided_service_code(office=people.office, staff=people.collector).escalated


def test_pen2_year_follows_the_policy(people):
    # PEN-2: with a year from July, March and August of one calendar year are different years.
    services.penalty_policy_change(
        changed_by=people.leader,
        base_fine_fen=20000,
        complaint_fine_min_fen=20000,
        complaint_fine_max_fen=50000,
        repeat_fine_max_fen=100000,
        year_start_month=7,
        note="按考核年度（7月起）计算",
    )
    year = timezone.localdate().year - 1
    decided_service_code(office=people.office, staff=people.collector, incident_date=datetime.date(year, 3, 1))
    august = decided_service_code(office=people.office, staff=people.collector, incident_date=datetime.date(year, 8, 1))
    assert not august.escalated and august.eligibility_year == year


@pytest.mark.parametrize(("later_incident", "repeat"), [((5, 1), True), ((8, 1), False)])
def test_pen2_year_moved_between_two_violations(people, later_incident, repeat):
    # PEN-2: a violation decided while the year was the calendar year still counts in the year
    # its date falls in once the year starts in July: 1 March and 1 May are one year (July to
    # June), 1 March and 1 August are two. The first penalty's award year stays as decided.
    year = timezone.localdate().year - 1
    march = decided_service_code(office=people.office, staff=people.collector, incident_date=datetime.date(year, 3, 1))
    services.penalty_policy_change(
        changed_by=people.leader,
        base_fine_fen=20000,
        complaint_fine_min_fen=20000,
        complaint_fine_max_fen=50000,
        repeat_fine_max_fen=100000,
        year_start_month=7,
        note="考核年度改为7月起",
    )
    later = decided_service_code(
        office=people.office, staff=people.collector, incident_date=datetime.date(year, *later_incident)
    )
    assert later.escalated is repeat
    assert later.status == (Status.AWAITING_APPROVAL if repeat else Status.DECIDED)
    march.refresh_from_db()
    assert march.eligibility_year == year


def test_leadership_can_reject_with_reasons(people):
    # PEN-2: the leadership may turn the escalation down; nothing is owed.
    decided_service_code(office=people.office, staff=people.collector)
    second = decided_service_code(office=people.office, staff=people.collector)
    with pytest.raises(DomainError):
        services.penalty_reject(penalty=second, rejected_by=people.leader, reasons=" ")
    rejected = services.penalty_reject(penalty=second, rejected_by=people.leader, reasons="情节轻微")
    assert rejected.status == Status.REJECTED
    assert not rejected.ledger_entries.exists()


# --- PEN-3 -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("fen", "ok"), [(19900, False), (20000, True), (50000, True), (50100, False)])
def test_pen3_fine_range_is_enforced(people, fen, ok):
    # PEN-3: 199 / 501 refused with the range named, 200 / 500 accepted.
    if not ok:
        with pytest.raises(DomainError, match="200.00"):
            proposed_complaint(office=people.office, staff=people.collector, fine_fen=fen)
        return
    penalty = proposed_complaint(office=people.office, staff=people.collector, fine_fen=fen)
    assert services.penalty_decide(penalty=penalty, decided_by=people.office).fine_fen == fen


def test_pen3_decision_out_of_range_is_refused(people):
    # PEN-3
    penalty = proposed_complaint(office=people.office, staff=people.collector)
    with pytest.raises(DomainError, match="500.00"):
        services.penalty_decide(penalty=penalty, decided_by=people.office, fine_fen=50001)
    penalty.refresh_from_db()
    assert penalty.status == Status.PROPOSED


def test_pen3_accountability_record_and_circular(people):
    # PEN-3: the responsible head is held accountable; a circulated criticism is drafted.
    penalty = proposed_complaint(office=people.office, staff=people.collector, fine_fen=30000)
    penalty = services.penalty_decide(penalty=penalty, decided_by=people.office)
    assert penalty.status == Status.DECIDED
    record = AccountabilityRecord.objects.get(penalty=penalty)
    assert (record.head, record.head_role) == (people.team_leader, AccountabilityRecord.HeadRole.TEAM_LEADER)
    circular = penalty.circular
    assert circular.status == Circular.Status.DRAFT and circular.kind == Circular.Kind.CRITICISM
    assert people.collector.name in circular.body and people.team_leader.name in circular.body
    # Who is held accountable is part of the decision's record and of its history.
    decided = penalty.events.get(kind=PenaltyEvent.Kind.DECIDED)
    assert decided.details["responsible_head_id"] == people.team_leader.pk
    changes = history_for(penalty).filter(changes__has_key="responsible_head").get().changes
    assert changes["responsible_head"][1] == str(people.team_leader)


def test_pen3_revocation_withdraws_the_draft_circular_and_the_accountability(people):
    # PEN-3: once the penalty is revoked, its criticism cannot be published and the head no
    # longer answers for it; both stay on record.
    penalty = proposed_complaint(office=people.office, staff=people.collector, fine_fen=30000)
    penalty = services.penalty_decide(penalty=penalty, decided_by=people.office)
    services.penalty_revoke(penalty=penalty, revoked_by=people.office2, reasons="复核认定投诉不实")
    circular = Circular.objects.get()
    assert circular.status == Circular.Status.WITHDRAWN
    assert circular.withdrawal_reason == "复核认定投诉不实" and circular.withdrawn_at is not None
    for step in (
        lambda: services.circular_publish(circular=circular, published_by=people.office),
        lambda: services.circular_update(circular=circular, updated_by=people.office, title="t", body="b"),
    ):
        with pytest.raises(DomainError) as caught:
            step()
        assert caught.value.code == "withdrawn"
    circular.title = "改"
    with pytest.raises(AppendOnlyError):
        circular.save()
    record = AccountabilityRecord.objects.get(penalty=penalty)
    assert not record.in_force


def test_pen3_published_circular_stays_as_announced_after_revocation(people):
    # PEN-3: a circular read out at the meeting is history; revocation does not rewrite it.
    penalty = proposed_complaint(office=people.office, staff=people.collector, fine_fen=30000)
    penalty = services.penalty_decide(penalty=penalty, decided_by=people.office)
    services.circular_publish(circular=penalty.circular, published_by=people.office)
    services.penalty_revoke(penalty=penalty, revoked_by=people.office2, reasons="复核")
    assert Circular.objects.get().status == Circular.Status.PUBLISHED


def test_pen3_suspension_needs_leadership_approval(people):
    # PEN-3: suspension (or dismissal) waits for the leadership group.
    penalty = proposed_complaint(office=people.office, staff=people.collector, suspension=True)
    penalty = services.penalty_decide(penalty=penalty, decided_by=people.office)
    assert penalty.status == Status.AWAITING_APPROVAL and not penalty.escalated
    assert not penalty.ledger_entries.exists() and penalty.circular is None
    with pytest.raises(DomainError):  # the office cannot approve
        services.penalty_approve(penalty=penalty, approved_by=people.office2)
    approved = services.penalty_approve(penalty=penalty, approved_by=people.leader, reasons="同意待岗一个月")
    assert approved.status == Status.APPROVED and approved.suspension
    assert approved.circular is not None and approved.accountability_records.count() == 1
    assert penalty_balance(penalty=approved).assessed_fen == 30000


def test_pen3_circular_reads_as_one_paragraph_in_either_language(people):
    # PEN-3: the drafted criticism names the fine, each further sanction and the head held accountable.
    penalty = proposed_complaint(office=people.office, staff=people.collector, suspension=True, fine_fen=30000)
    penalty = services.penalty_decide(penalty=penalty, decided_by=people.office)
    with translation.override("zh-hans"):
        approved = services.penalty_approve(penalty=penalty, approved_by=people.leader, reasons="同意")
    body = approved.circular.body
    assert f"对{people.collector.name}罚款300.00元，并给予以下处理：待岗。" in body
    assert f"同时追究责任领导{people.team_leader.name}的责任。望全体员工引以为戒。" in body
    assert " " not in body and "，，" not in body

    other = proposed_complaint(office=people.office, staff=people.other, fine_fen=20000)
    with translation.override("en"):
        decided = services.penalty_decide(penalty=other, decided_by=people.office)
    assert decided.circular.body.endswith(
        f"{people.other.name} is fined 200.00 yuan. "
        f"{decided.responsible_head.name}, the responsible head, is held accountable. "
        "All staff are asked to learn from this case."
    )


def test_pen3_dismissal_and_suspension_exclude_each_other(people):
    # PEN-3
    with pytest.raises(DomainError):
        proposed_complaint(office=people.office, staff=people.collector, suspension=True, dismissal=True)


def test_pen3_rests_on_a_verified_complaint(people):
    # PEN-3 / PEN-5
    with pytest.raises(DomainError):
        services.penalty_propose(
            proposed_by=people.office,
            staff=people.collector,
            rule=Penalty.Rule.COMPLAINT,
            source=Penalty.Source.SUPERVISOR_SUGGESTION,
            incident_date=timezone.localdate(),
            description="x",
            fine_fen=20000,
        )


# --- PEN-4 -------------------------------------------------------------------------------------


def test_pen4_handler_and_department_head_each_penalized_with_one_circular(people):
    # PEN-4: two penalties in the range, disciplinary action, one circular naming the department.
    handler_penalty, head_penalty = services.penalty_propose_handling_violation(
        proposed_by=people.office,
        handler=people.collector,
        incident_date=timezone.localdate(),
        description="未按程序处理投诉，导致司机多头投诉，造成不良影响。",
        handler_fine_fen=30000,
        head_fine_fen=20000,
        source_reference="TS-2024-009",
    )
    assert head_penalty.staff == people.head and head_penalty.joint_with == handler_penalty
    for penalty in (handler_penalty, head_penalty):
        services.penalty_decide(penalty=penalty, decided_by=people.office)
    handler_penalty.refresh_from_db()
    head_penalty.refresh_from_db()
    assert handler_penalty.disciplinary_action and head_penalty.disciplinary_action
    assert (handler_penalty.fine_fen, head_penalty.fine_fen) == (30000, 20000)
    assert handler_penalty.circular_id == head_penalty.circular_id
    circular = handler_penalty.circular
    assert list(circular.departments.all()) == [people.toll_office]
    assert people.collector.name in circular.body and people.head.name in circular.body
    assert Circular.objects.count() == 1


def _handling_pair(people):
    return services.penalty_propose_handling_violation(
        proposed_by=people.office,
        handler=people.collector,
        incident_date=timezone.localdate(),
        description="未按程序处理投诉，导致司机多头投诉。",
        handler_fine_fen=30000,
        head_fine_fen=20000,
    )


def test_pen4_circular_waits_until_both_penalties_are_decided(people):
    # PEN-4: the circular never announces the head's fine before the head's penalty is decided.
    handler_penalty, head_penalty = _handling_pair(people)
    handler_penalty = services.penalty_decide(penalty=handler_penalty, decided_by=people.office)
    assert handler_penalty.circular is None and not Circular.objects.exists()
    services.penalty_decide(penalty=head_penalty, decided_by=people.office)
    circular = Circular.objects.get()
    assert set(circular.penalties.all()) == {handler_penalty, head_penalty}


@pytest.mark.parametrize("end_of_head_penalty", ["withdrawn", "rejected"])
def test_pen4_circular_names_only_the_penalty_that_stands(people, end_of_head_penalty):
    # PEN-4: if the head's penalty is withdrawn, or (escalated under PEN-2 by an earlier
    # violation) rejected by the leadership group, the circular names the handler alone.
    if end_of_head_penalty == "rejected":
        decided_service_code(office=people.office, staff=people.head)
    handler_penalty, head_penalty = _handling_pair(people)
    services.penalty_decide(penalty=handler_penalty, decided_by=people.office)
    if end_of_head_penalty == "withdrawn":
        services.penalty_withdraw(penalty=head_penalty, withdrawn_by=people.office, reasons="主任已调离")
    else:
        head_penalty = services.penalty_decide(penalty=head_penalty, decided_by=people.office)
        assert head_penalty.status == Status.AWAITING_APPROVAL  # PEN-2
        assert not Circular.objects.exists()
        services.penalty_reject(penalty=head_penalty, rejected_by=people.leader, reasons="主任已尽责")
    handler_penalty.refresh_from_db()
    circular = Circular.objects.get()
    assert handler_penalty.circular == circular and circular.status == Circular.Status.DRAFT
    assert people.collector.name in circular.body and people.head.name not in circular.body


def test_pen4_revoking_one_penalty_redrafts_the_circular_for_the_other(people):
    # PEN-4: the draft naming both is withdrawn; the handler still in force gets a new draft.
    handler_penalty, head_penalty = _handling_pair(people)
    services.penalty_decide(penalty=handler_penalty, decided_by=people.office)
    services.penalty_decide(penalty=head_penalty, decided_by=people.office)
    first = Circular.objects.get()
    services.penalty_revoke(penalty=head_penalty, revoked_by=people.office2, reasons="主任当时休假")
    first.refresh_from_db()
    handler_penalty.refresh_from_db()
    assert first.status == Circular.Status.WITHDRAWN
    redraft = handler_penalty.circular
    assert redraft != first and redraft.status == Circular.Status.DRAFT
    assert people.head.name not in redraft.body and people.collector.name in redraft.body
    assert list(redraft.departments.all()) == [people.toll_office]


def test_pen4_fines_in_range(people):
    # PEN-4
    with pytest.raises(DomainError) as caught:
        services.penalty_propose_handling_violation(
            proposed_by=people.office,
            handler=people.collector,
            incident_date=timezone.localdate(),
            description="x",
            handler_fine_fen=30000,
            head_fine_fen=60000,
        )
    assert caught.value.field == "head_fine"
    assert not Penalty.objects.exists()


# --- Who may ----------------------------------------------------------------------------------


def test_only_the_office_proposes_and_decides(people):
    # PEN-5: decided by the office.
    with pytest.raises(DomainError):
        proposed_service_code(office=people.staff_user, staff=people.other)
    penalty = proposed_service_code(office=people.office, staff=people.other)
    for user in (people.leader, people.finance, people.staff_user):
        with pytest.raises(DomainError):
            services.penalty_decide(penalty=penalty, decided_by=user)


def test_the_system_administrator_neither_decides_nor_approves(people):
    # PEN-5 and PEN-2: the office decides and the leadership group approves, as the roster says;
    # the superuser flag alone is neither.
    admin = user_with_role("admin")
    with pytest.raises(DomainError) as caught:
        proposed_service_code(office=admin, staff=people.other)
    assert caught.value.code == "permission_denied"
    decided_service_code(office=people.office, staff=people.other)
    second = decided_service_code(office=people.office, staff=people.other)
    assert second.status == Status.AWAITING_APPROVAL
    for step in (
        lambda: services.penalty_approve(penalty=second, approved_by=admin, reasons="同意"),
        lambda: services.penalty_reject(penalty=second, rejected_by=admin, reasons="不同意"),
    ):
        with pytest.raises(DomainError) as caught:
            step()
        assert caught.value.code == "permission_denied"
    second.refresh_from_db()
    assert second.status == Status.AWAITING_APPROVAL


def test_nobody_decides_their_own_penalty(people):
    office_staff = people.office.staff_profile
    penalty = proposed_service_code(office=people.office2, staff=office_staff)
    with pytest.raises(DomainError):
        services.penalty_decide(penalty=penalty, decided_by=people.office)


# --- Notification -----------------------------------------------------------------------------


def test_person_is_notified_in_app_and_by_email_on_commit(people, django_capture_on_commit_callbacks):
    penalty = proposed_service_code(office=people.office, staff=people.collector, n=2)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.penalty_decide(penalty=penalty, decided_by=people.office)
        assert mail.outbox == []  # nothing leaves before the commit
    assert callbacks
    notification = Notification.objects.get(recipient=people.staff_user)
    assert "400.00" in notification.body
    assert [m.to for m in mail.outbox] == [[people.staff_user.email]]


def test_person_reads_own_penalties_only(people):
    mine = decided_service_code(office=people.office, staff=people.collector)
    decided_service_code(office=people.office, staff=people.other)
    proposed_service_code(office=people.office, staff=people.collector)  # not told yet
    assert list(penalty_list(user=people.staff_user)) == [mine]
    assert penalty_list(user=people.team_leader.user).count() == 2  # the team's
    assert penalty_list(user=people.finance).count() == 3


# --- Revocation and immutability ----------------------------------------------------------------


def test_revocation_is_a_new_decision_that_reverses_the_fine(people):
    penalty = decided_service_code(office=people.office, staff=people.collector, n=2)
    with pytest.raises(DomainError):
        services.penalty_revoke(penalty=penalty, revoked_by=people.office2, reasons="")
    revoked = services.penalty_revoke(penalty=penalty, revoked_by=people.office2, reasons="认定有误")
    assert revoked.status == Status.REVOKED
    assert revoked.fine_fen == 40000  # the decision stays as it was
    balance = penalty_balance(penalty=revoked)
    assert (balance.assessed_fen, balance.outstanding_fen) == (0, 0)
    reversal = revoked.ledger_entries.get(kind=LedgerEntry.Kind.REVERSAL)
    assert reversal.reason == "认定有误" and reversal.reverses.kind == LedgerEntry.Kind.ASSESSED
    event = revoked.events.get(kind=PenaltyEvent.Kind.REVOKED)
    assert (event.actor, event.reasons) == (people.office2, "认定有误")
    assert award_eligibility(staff=people.collector, year=revoked.eligibility_year).eligible
    with pytest.raises(DomainError):
        services.penalty_revoke(penalty=revoked, revoked_by=people.office2, reasons="again")


def test_collected_fine_must_be_refunded_before_revocation(people):
    penalty = decided_service_code(office=people.office, staff=people.collector)
    entry = services.fine_collect(penalty=penalty, collected_by=people.finance, receipt_number="R-1")
    with pytest.raises(DomainError):
        services.penalty_revoke(penalty=penalty, revoked_by=people.office2, reasons="有误")
    services.ledger_entry_reverse(entry=entry, reversed_by=people.finance, reason="退款")
    services.penalty_revoke(penalty=penalty, revoked_by=people.office2, reasons="有误")
    assert penalty_balance(penalty=penalty).outstanding_fen == 0


def test_approved_penalty_is_revoked_by_the_leadership(people):
    penalty = proposed_complaint(office=people.office, staff=people.collector, dismissal=True)
    services.penalty_decide(penalty=penalty, decided_by=people.office)
    services.penalty_approve(penalty=penalty, approved_by=people.leader, reasons="同意")
    with pytest.raises(DomainError):
        services.penalty_revoke(penalty=penalty, revoked_by=people.office2, reasons="复核")
    assert services.penalty_revoke(penalty=penalty, revoked_by=people.leader2, reasons="复核").status == Status.REVOKED


def test_decided_penalty_cannot_be_edited_or_deleted(people):
    penalty = decided_service_code(office=people.office, staff=people.collector)
    penalty.fine_fen = 1
    with pytest.raises(AppendOnlyError):
        penalty.save()
    penalty.refresh_from_db()
    penalty.status = Status.PROPOSED
    with pytest.raises(AppendOnlyError):
        penalty.save()
    with pytest.raises(AppendOnlyError):
        Penalty.objects.filter(pk=penalty.pk).update(fine_fen=1)
    with pytest.raises(AppendOnlyError):
        penalty.delete()
    with pytest.raises(AppendOnlyError):
        penalty.events.first().delete()
    assert Penalty.objects.get(pk=penalty.pk).fine_fen == 20000


def test_withdrawn_proposal_counts_for_nothing(people):
    penalty = proposed_service_code(office=people.office, staff=people.collector)
    services.penalty_withdraw(penalty=penalty, withdrawn_by=people.office2, reasons="重复录入")
    assert award_eligibility(staff=people.collector, year=penalty.eligibility_year).eligible
    with pytest.raises(DomainError):
        services.penalty_decide(penalty=penalty, decided_by=people.office)


def test_nobody_withdraws_a_proposal_against_themselves(people):
    # PEN-1 / PEN-2: a withdrawn proposal never counts, so the person concerned cannot withdraw it.
    penalty = proposed_service_code(office=people.office, staff=people.office2.staff_profile)
    with pytest.raises(DomainError) as refused:
        services.penalty_withdraw(penalty=penalty, withdrawn_by=people.office2, reasons="重复录入")
    assert refused.value.code == "own_case"
    assert Penalty.objects.get(pk=penalty.pk).status == Penalty.Status.PROPOSED


# --- Policy history ---------------------------------------------------------------------------


def test_policy_change_applies_only_to_penalties_decided_after_it(people):
    # PEN-1 with policy history: earlier penalties keep the policy they were decided under.
    earlier = decided_service_code(office=people.office, staff=people.collector, n=3)
    old_policy = earlier.policy
    new_policy = services.penalty_policy_change(
        changed_by=people.leader,
        base_fine_fen=30000,
        complaint_fine_min_fen=30000,
        complaint_fine_max_fen=60000,
        repeat_fine_max_fen=150000,
        year_start_month=1,
        note="所务会决定提高标准",
    )
    later = decided_service_code(office=people.office, staff=people.other, n=3)
    earlier.refresh_from_db()
    assert (earlier.fine_fen, earlier.policy) == (60000, old_policy)
    assert (later.fine_fen, later.policy) == (90000, new_policy)
    assert penalty_balance(penalty=earlier).assessed_fen == 60000


def test_policy_change_is_checked(people):
    valid = {
        "base_fine_fen": 20000,
        "complaint_fine_min_fen": 20000,
        "complaint_fine_max_fen": 50000,
        "repeat_fine_max_fen": 100000,
        "year_start_month": 1,
        "note": "x",
    }
    with pytest.raises(DomainError):  # only the leadership group sets it
        services.penalty_policy_change(changed_by=people.office, **valid)
    with pytest.raises(DomainError):
        services.penalty_policy_change(
            changed_by=people.leader, effective_from=timezone.now() - datetime.timedelta(days=1), **valid
        )
    with pytest.raises(DomainError):
        services.penalty_policy_change(changed_by=people.leader, **{**valid, "complaint_fine_max_fen": 10000})
    with pytest.raises(DomainError):
        services.penalty_policy_change(changed_by=people.leader, **{**valid, "year_start_month": 13})


def test_the_penalty_history_reads_in_the_readers_language(people):
    # A decision made by someone reading Chinese reads in English to an English reader, and back.
    with translation.override("zh-hans"):
        penalty = decided_service_code(office=people.office, staff=people.collector)
    entries = history_for(penalty)
    with translation.override("en"):
        assert "Penalty decided" in [audit_summary(entry) for entry in entries]
    with translation.override("zh-hans"):
        assert translation.gettext("Penalty decided") in [audit_summary(entry) for entry in entries]
        assert "Penalty decided" not in [audit_summary(entry) for entry in entries]

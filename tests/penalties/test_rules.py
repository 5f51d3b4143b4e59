"""The rules of §8, called directly (PEN-1 … PEN-5)."""

import datetime
from types import SimpleNamespace

import pytest

from penalties import rules
from penalties.models import AccountabilityRecord, Penalty, PenaltyPolicy
from tollservice.core.errors import DomainError

Rule = Penalty.Rule


@pytest.fixture
def policy():
    # Unsaved: the rules read the amounts only.
    return PenaltyPolicy(
        base_fine_fen=20000,
        complaint_fine_min_fen=20000,
        complaint_fine_max_fen=50000,
        repeat_fine_max_fen=100000,
        year_start_month=1,
    )


@pytest.mark.parametrize(("count", "fen"), [(1, 20000), (2, 40000), (3, 60000)])
def test_pen1_fine_is_200_yuan_per_provision(policy, count, fen):
    # PEN-1: 1 provision → 200 yuan; several add up (3 → 600).
    assert rules.pen1_fine_for(count, policy) == fen


def test_pen1_needs_a_provision(policy):
    # PEN-1
    with pytest.raises(DomainError):
        rules.pen1_fine_for(0, policy)


def test_pen1_fine_follows_the_policy(policy):
    # PEN-1: the base amount is configuration, not a literal.
    policy.base_fine_fen = 30000
    assert rules.pen1_fine_for(2, policy) == 60000


@pytest.mark.parametrize(("fen", "ok"), [(19900, False), (20000, True), (35000, True), (50000, True), (50100, False)])
def test_pen3_range_is_enforced(policy, fen, ok):
    # PEN-3: 199 and 501 yuan refused, 200 and 500 accepted.
    if ok:
        assert rules.check_fine_in_range(fen, rules.pen3_fine_range(policy)) == fen
    else:
        with pytest.raises(DomainError) as caught:
            rules.check_fine_in_range(fen, rules.pen3_fine_range(policy))
        assert "200.00" in str(caught.value) and "500.00" in str(caught.value)
        assert caught.value.field == "fine"


def test_pen2_fine_range_never_below_the_violations_own_fine(policy):
    # PEN-2
    assert rules.pen2_fine_range(rule_fine_fen=20000, policy=policy) == (20000, 100000)
    assert rules.pen2_fine_range(rule_fine_fen=120000, policy=policy) == (120000, 120000)


@pytest.mark.parametrize(
    ("start_month", "day", "year"),
    [
        (1, datetime.date(2024, 1, 1), 2024),
        (1, datetime.date(2024, 12, 31), 2024),
        (7, datetime.date(2024, 6, 30), 2023),
        (7, datetime.date(2024, 7, 1), 2024),
    ],
)
def test_what_counts_as_a_year_is_configured(policy, start_month, day, year):
    # PEN-2 / AWD-2: "one year" as the policy defines it.
    policy.year_start_month = start_month
    assert rules.year_of(day, policy=policy) == year
    first, last = rules.year_bounds(year, policy=policy)
    assert first <= day <= last


def test_approval_needed_for_escalation_suspension_dismissal():
    # PEN-2, PEN-3
    assert not rules.needs_leadership_approval(escalated=False, suspension=False, dismissal=False)
    assert rules.needs_leadership_approval(escalated=True, suspension=False, dismissal=False)
    assert rules.needs_leadership_approval(escalated=False, suspension=True, dismissal=False)
    assert rules.needs_leadership_approval(escalated=False, suspension=False, dismissal=True)


def test_sanctions_allowed_by_rule():
    # PEN-3: suspension or dismissal, not both; PEN-4: disciplinary action always.
    rules.check_sanctions(
        rule=Rule.COMPLAINT, escalated=False, suspension=True, dismissal=False, disciplinary_action=False
    )
    with pytest.raises(DomainError):
        rules.check_sanctions(
            rule=Rule.COMPLAINT, escalated=False, suspension=True, dismissal=True, disciplinary_action=False
        )
    with pytest.raises(DomainError):
        rules.check_sanctions(
            rule=Rule.HANDLING_HANDLER, escalated=False, suspension=False, dismissal=False, disciplinary_action=False
        )
    with pytest.raises(DomainError):  # PEN-1: a first violation carries the fine only
        rules.check_sanctions(
            rule=Rule.SERVICE_CODE, escalated=False, suspension=True, dismissal=False, disciplinary_action=False
        )
    rules.check_sanctions(  # PEN-2: an escalated repeat may carry any of them
        rule=Rule.SERVICE_CODE, escalated=True, suspension=True, dismissal=False, disciplinary_action=True
    )


def test_pen3_responsible_head_is_team_leader_else_department_head(people):
    # PEN-3
    head, role = rules.pen3_responsible_head(people.collector)
    assert (head, role) == (people.team_leader, AccountabilityRecord.HeadRole.TEAM_LEADER)
    head, role = rules.pen3_responsible_head(people.team_leader)
    assert (head, role) == (people.head, AccountabilityRecord.HeadRole.DEPARTMENT_HEAD)


def test_pen5_penalties_rest_on_findings_or_verified_complaints():
    # PEN-5: a complaint penalty rests on a verified complaint.
    rules.pen5_check_source(rule=Rule.COMPLAINT, source=Penalty.Source.VERIFIED_COMPLAINT)
    with pytest.raises(DomainError):
        rules.pen5_check_source(rule=Rule.COMPLAINT, source=Penalty.Source.SUPERVISOR_SUGGESTION)


# --- Which fine applies: one function for the proposal, the decision, the approval and previews ---


def test_fine_for_pen1_is_computed_and_not_chosen(policy):
    # PEN-1
    assert rules.fine_for(rule=Rule.SERVICE_CODE, policy=policy, provisions_count=3).checked() == 60000
    assert rules.fine_for(rule=Rule.SERVICE_CODE, policy=policy, provisions_count=3, chosen_fen=60000).fine_fen == 60000
    wrong = rules.fine_for(rule=Rule.SERVICE_CODE, policy=policy, provisions_count=3, chosen_fen=50000)
    assert wrong.fine_fen == 60000 and wrong.error.field == "fine"
    none = rules.fine_for(rule=Rule.SERVICE_CODE, policy=policy)
    assert none.fine_fen is None and none.error.field == "provisions"
    with pytest.raises(DomainError):
        none.checked()


@pytest.mark.parametrize("rule", [Rule.COMPLAINT, Rule.HANDLING_HANDLER, Rule.HANDLING_HEAD])
def test_fine_for_pen3_and_pen4_is_chosen_in_the_complaint_range(policy, rule):
    # PEN-3, PEN-4
    fine = rules.fine_for(rule=rule, policy=policy, chosen_fen=30000)
    assert (fine.fine_fen, fine.fine_range, fine.error) == (30000, (20000, 50000), None)
    for chosen in (None, 19999, 50001):
        refused = rules.fine_for(rule=rule, policy=policy, chosen_fen=chosen, field="head_fine")
        assert refused.error.code == "fine_out_of_range" and refused.error.field == "head_fine"


def test_fine_for_pen2_runs_from_the_violations_own_fine_to_the_ceiling(policy):
    # PEN-2: a repeat service-code violation of two provisions (400) up to 1,000; a repeat
    # complaint from the office's fine.
    repeat = rules.fine_for(rule=Rule.SERVICE_CODE, policy=policy, provisions_count=2, repeat=True, chosen_fen=80000)
    assert repeat.fine_range == (40000, 100000) and repeat.error is None
    assert rules.fine_for(
        rule=Rule.SERVICE_CODE, policy=policy, provisions_count=2, repeat=True, chosen_fen=39999
    ).error
    complaint = rules.fine_for(
        rule=Rule.COMPLAINT, policy=policy, repeat=True, violation_fine_fen=45000, chosen_fen=45000
    )
    assert complaint.fine_range == (45000, 100000) and complaint.checked() == 45000


def test_pen4_pair_names_the_head_and_refuses_a_handler_who_is_the_head():
    # PEN-4
    department = SimpleNamespace(head_id=2, head=SimpleNamespace(pk=2), name="征费室")
    handler = SimpleNamespace(pk=1, department=department)
    assert rules.pen4_pair(handler=handler).pk == 2
    with pytest.raises(DomainError) as refused:
        rules.pen4_pair(handler=SimpleNamespace(pk=2, department=department))
    assert refused.value.code == "handler_is_head"
    with pytest.raises(DomainError):
        rules.pen4_pair(handler=handler, department=SimpleNamespace(head_id=None, name="监控室"))


@pytest.mark.parametrize("day", [datetime.date(1, 1, 1), datetime.date(1900, 1, 1), datetime.date(2022, 12, 31)])
def test_an_incident_before_the_penalty_records_begin_is_refused(day):
    with pytest.raises(DomainError) as refused:
        rules.check_incident_date(day, today=datetime.date(2026, 5, 1), records_begin=datetime.date(2023, 1, 1))
    assert refused.value.code == "before_records" and refused.value.field == "incident_date"
    assert "2023-01-01" in str(refused.value)


def test_an_incident_in_the_future_is_refused_and_the_days_between_are_accepted():
    today = datetime.date(2026, 5, 1)
    with pytest.raises(DomainError):
        rules.check_incident_date(today + datetime.timedelta(days=1), today=today, records_begin=None)
    for day in (datetime.date(2023, 1, 1), today):
        assert rules.check_incident_date(day, today=today, records_begin=datetime.date(2023, 1, 1)) == day

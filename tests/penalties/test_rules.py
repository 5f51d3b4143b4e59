"""The rules of §8, called directly (PEN-1 … PEN-5)."""

import datetime

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

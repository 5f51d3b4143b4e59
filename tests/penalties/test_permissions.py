"""A button and its guard cannot disagree: for every user, penalty state and step, the penalty's
page offers the step exactly when the service would take it (``penalties.permissions``)."""

import itertools

import pytest
from django.db import transaction

from inspections.models import Prohibition
from penalties import permissions, selectors, services
from penalties.models import Penalty
from tests.penalties.factories import decided_service_code, proposed_service_code
from tests.roster.factories import LeadershipMembershipFactory, user_with_role
from tollservice.access.roles import forget_roles
from tollservice.core.errors import DomainError

pytestmark = pytest.mark.django_db


class _Undo(Exception):
    """Raised to roll a successful attempt back."""


def _attempt(step, penalty, user) -> bool:
    try:
        with transaction.atomic():
            step(penalty, user)
            raise _Undo
    except _Undo:
        return True
    except DomainError:
        return False


@pytest.fixture
def users(people):
    director = user_with_role("office")
    LeadershipMembershipFactory(staff=director.staff_profile)
    forget_roles(director)
    return {
        "office": people.office,
        "director": director,  # office and leadership seats at once
        "leader": people.leader,
        "finance": people.finance,
        "person": people.collector.user,  # the person penalized
        "team_leader": people.team_leader.user,
        "admin": user_with_role("admin"),
    }


@pytest.fixture
def penalties(people, users):
    collector = people.collector
    decided_service_code(office=users["director"], staff=people.other)
    repeat = decided_service_code(office=users["director"], staff=people.other)
    collected = decided_service_code(office=people.office, staff=collector)
    services.fine_collect(penalty=collected, collected_by=people.finance, receipt_number="R-0", amount_fen=100)
    grid = {
        "proposed": proposed_service_code(office=people.office, staff=collector),
        "awaiting": repeat,
        "decided": decided_service_code(office=people.office, staff=people.head),
        "part-collected": collected,
        "own proposal": proposed_service_code(office=people.office, staff=users["office"].staff_profile),
    }
    assert grid["awaiting"].status == Penalty.Status.AWAITING_APPROVAL
    assert grid["decided"].status == grid["part-collected"].status == Penalty.Status.DECIDED
    return grid


STEPS = {
    "decide": lambda p, u: services.penalty_decide(penalty=p, decided_by=u),
    "withdraw": lambda p, u: services.penalty_withdraw(penalty=p, withdrawn_by=u, reasons="撤回"),
    "approve": lambda p, u: services.penalty_approve(
        penalty=p, approved_by=u, reasons="屡犯", prohibitions=list(Prohibition.objects.all()[:1])
    ),
    "reject": lambda p, u: services.penalty_reject(penalty=p, rejected_by=u, reasons="不同意"),
    "revoke": lambda p, u: services.penalty_revoke(penalty=p, revoked_by=u, reasons="撤销"),
    "collect": lambda p, u: services.fine_collect(penalty=p, collected_by=u, receipt_number=f"R-{p.pk}-{u.pk}"),
    "request_waiver": lambda p, u: services.waiver_request(penalty=p, requested_by=u, reason="困难"),
}


def test_the_page_offers_a_step_exactly_when_the_service_takes_it(people, users, penalties):
    reader = people.office  # loads each penalty with its balance, as its page does
    disagreements, offered = [], set()
    for (who, user), (state, penalty), step in itertools.product(users.items(), penalties.items(), STEPS):
        shown = getattr(
            selectors.penalty_actions(user=user, penalty=selectors.penalty_detail(user=reader, pk=penalty.pk)), step
        )
        taken = _attempt(STEPS[step], penalty, user)
        if shown:
            offered.add(step)
        if bool(shown) != taken:
            disagreements.append((who, state, step, bool(shown), taken, getattr(shown, "message", "")))
    assert disagreements == []
    assert offered == set(STEPS)  # each step is offered to someone, somewhere in the grid


def test_your_own_case_is_decided_by_the_roster_entry_once(people):
    # The one definition: the user's roster entry is the person penalized (before, one check
    # compared user ids and another staff ids).
    penalty = decided_service_code(office=people.office, staff=people.collector)
    assert permissions.is_own_case(people.collector.user, penalty.staff_id)
    assert not permissions.is_own_case(people.other.user, penalty.staff_id)
    assert not permissions.is_own_case(user_with_role("admin"), penalty.staff_id)
    assert permissions.not_own_case(people.collector.user, penalty).code == "own_case"

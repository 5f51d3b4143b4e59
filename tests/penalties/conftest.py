"""A small station for the penalties tests: a team with its leader, the toll-collection office
with its head, the finance office, leadership-group members and office members."""

from types import SimpleNamespace

import pytest

from tests.penalties.factories import ensure_policy
from tests.roster.factories import DepartmentFactory, StaffFactory, TeamFactory, UserFactory, user_with_role


@pytest.fixture
def people(db):
    ensure_policy()
    toll_office = DepartmentFactory()
    head = StaffFactory(department=toll_office, name="征费室主任", user=UserFactory())
    toll_office.head = head
    toll_office.save()
    team_leader = StaffFactory(department=toll_office, name="班长", user=UserFactory())
    team = TeamFactory(department=toll_office, leader=team_leader)
    team_leader.team = team
    team_leader.save()
    collector = StaffFactory(department=toll_office, team=team, name="收费员甲", user=UserFactory())
    other = StaffFactory(department=toll_office, team=team, name="收费员乙", user=UserFactory())
    return SimpleNamespace(
        toll_office=toll_office,
        head=head,
        team=team,
        team_leader=team_leader,
        collector=collector,
        other=other,
        office=user_with_role("office"),
        office2=user_with_role("office"),
        leader=user_with_role("leadership"),
        leader2=user_with_role("leadership"),
        finance=user_with_role("finance"),
        finance2=user_with_role("finance"),
        staff_user=collector.user,
    )

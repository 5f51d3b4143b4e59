"""A small station for the inspections tests: two teams with leaders and collectors, a shift
leader on duty, the office (one of its members sits in team A), the leadership group, two
supervisors, and the checklist the migration seeds."""

from types import SimpleNamespace

import pytest

from tests.inspections.factories import a_moment
from tests.penalties.factories import ensure_policy
from tests.roster.factories import (
    DepartmentFactory,
    LeadershipMembershipFactory,
    OfficeMembershipFactory,
    ShiftLeaderAssignmentFactory,
    StaffFactory,
    TeamFactory,
    UserFactory,
    user_with_role,
)
from tollservice.roster.models import ShiftLeaderAssignment


@pytest.fixture
def site(db, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    ensure_policy()
    toll_office = DepartmentFactory()
    leader_a = StaffFactory(department=toll_office, name="一班班长", user=UserFactory())
    team_a = TeamFactory(department=toll_office, leader=leader_a, name="收费一班")
    leader_a.team = team_a
    leader_a.save()
    leader_b = StaffFactory(department=toll_office, name="二班班长", user=UserFactory())
    team_b = TeamFactory(department=toll_office, leader=leader_b, name="收费二班")
    leader_b.team = team_b
    leader_b.save()
    collector = StaffFactory(department=toll_office, team=team_a, name="收费员甲", user=UserFactory())
    collector2 = StaffFactory(department=toll_office, team=team_a, name="收费员乙")  # no account
    collector_b = StaffFactory(department=toll_office, team=team_b, name="收费员丙", user=UserFactory())
    shift_leader = StaffFactory(department=toll_office, name="值班站长", user=UserFactory())
    moment = a_moment()
    ShiftLeaderAssignmentFactory(
        date=moment.date(), shift=ShiftLeaderAssignment.Shift.DAY, staff=shift_leader, team=team_a
    )
    # An office member who is also a collector in team A: office seat or not, a covert visit of
    # team A stays hidden from her until it is published (INS-6).
    office_in_team = StaffFactory(department=toll_office, team=team_a, name="办公室成员", user=UserFactory())
    OfficeMembershipFactory(staff=office_in_team)
    supervisor_user = user_with_role("supervisor")
    supervisor2_user = user_with_role("supervisor")
    leader_user = user_with_role("leadership")
    return SimpleNamespace(
        toll_office=toll_office,
        team_a=team_a,
        team_b=team_b,
        leader_a=leader_a,
        leader_b=leader_b,
        collector=collector,
        collector2=collector2,
        collector_b=collector_b,
        shift_leader=shift_leader,
        moment=moment,
        office=user_with_role("office"),
        office2=user_with_role("office"),
        office_in_team=office_in_team.user,
        leader=leader_user,
        leader2=user_with_role("leadership"),
        leader_staff=leader_user.staff_profile,
        supervisor=supervisor_user,
        supervisor_profile=supervisor_user.supervisor_profile,
        supervisor2=supervisor2_user,
        admin=user_with_role("admin"),
        finance=user_with_role("finance"),
        outsider=user_with_role("none"),
    )


@pytest.fixture
def leadership_member_of_team_b(site):
    """A leadership-group member who leads team B's shift as a collector (for four-eyes tests)."""
    LeadershipMembershipFactory(staff=site.collector_b)
    return site.collector_b.user

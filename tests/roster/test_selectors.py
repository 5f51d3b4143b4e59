import datetime
import zoneinfo

import pytest

from tests.roster.factories import (
    DepartmentFactory,
    LeadershipMembershipFactory,
    OfficeMembershipFactory,
    ShiftLeaderAssignmentFactory,
    StaffFactory,
    SupervisorFactory,
    TeamFactory,
)
from tollservice.roster import selectors
from tollservice.roster.models import Department, LeadershipMembership, OfficeMembership, ShiftLeaderAssignment

pytestmark = pytest.mark.django_db

D = datetime.date
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
Shift = ShiftLeaderAssignment.Shift


def test_every_moment_falls_in_one_shift():
    def at(hour, minute=0):
        return selectors.shift_at(moment=datetime.datetime(2024, 5, 1, hour, minute, tzinfo=SHANGHAI))

    assert at(0) == at(7, 59) == (D(2024, 5, 1), Shift.NIGHT)
    assert at(8) == at(15, 59) == (D(2024, 5, 1), Shift.DAY)
    assert at(16) == at(23, 59) == (D(2024, 5, 1), Shift.MIDDLE)
    # A UTC moment is read in the station's time: 2024-04-30 17:00 UTC is 01:00 on 1 May in Jiangxi.
    utc = datetime.datetime(2024, 4, 30, 17, tzinfo=datetime.UTC)
    assert selectors.shift_at(moment=utc) == (D(2024, 5, 1), Shift.NIGHT)


def test_the_shift_leader_on_duty_at_a_moment():
    # ORG-5 / CMP-3: a complaint goes to the shift leader on duty at the time of the incident.
    day = ShiftLeaderAssignmentFactory(date=D(2024, 5, 1), shift=Shift.DAY)
    ShiftLeaderAssignmentFactory(date=D(2024, 5, 1), shift=Shift.MIDDLE)
    assert selectors.shift_leader_on_duty(moment=datetime.datetime(2024, 5, 1, 9, 30, tzinfo=SHANGHAI)) == day
    assert selectors.shift_leader_on_duty(moment=datetime.datetime(2024, 5, 1, 3, tzinfo=SHANGHAI)) is None


def test_shift_leaders_of_a_date_come_in_shift_order():
    for shift in (Shift.MIDDLE, Shift.DAY, Shift.NIGHT):
        ShiftLeaderAssignmentFactory(date=D(2024, 5, 1), shift=shift)
    assert [a.shift for a in selectors.shift_leaders_on(date=D(2024, 5, 1))] == ["night", "day", "middle"]


def test_supervisors_in_term():
    # ORG-6
    in_term = SupervisorFactory(term_start=D(2024, 1, 1), term_end=D(2025, 12, 31))
    SupervisorFactory(term_start=D(2022, 1, 1), term_end=D(2023, 12, 31))
    SupervisorFactory(term_start=D(2024, 1, 1), active=False)
    SupervisorFactory(term_start=D(2025, 1, 1))
    assert list(selectors.supervisors_in_term(on=D(2024, 6, 1))) == [in_term]


def test_the_office_is_seated_in_the_toll_collection_office(station):
    # ORG-2
    DepartmentFactory(station=station, name="办公室", kind=Department.Kind.GENERAL_OFFICE)
    toll = DepartmentFactory(station=station, name="征费室", kind=Department.Kind.TOLL_OFFICE)
    assert selectors.department_toll_office(station=station) == toll


def test_current_group_orders_leader_deputies_members():
    # ORG-1
    member = LeadershipMembershipFactory(role=LeadershipMembership.Role.MEMBER)
    leader = LeadershipMembershipFactory(role=LeadershipMembership.Role.LEADER)
    deputy = LeadershipMembershipFactory(role=LeadershipMembership.Role.DEPUTY)
    LeadershipMembershipFactory(role=LeadershipMembership.Role.DEPUTY, end_date=D(2023, 6, 30))
    assert selectors.leadership_current(on=D(2024, 1, 1)) == [leader, deputy, member]
    office_member = OfficeMembershipFactory()
    director = OfficeMembershipFactory(role=OfficeMembership.Role.DIRECTOR, concurrent=True)
    assert selectors.office_current(on=D(2024, 1, 1)) == [director, office_member]


def test_the_overview_counts_active_staff_by_department_and_team(station):
    # ORG-5
    toll = DepartmentFactory(station=station, name="征费室", kind=Department.Kind.TOLL_OFFICE)
    finance = DepartmentFactory(station=station, name="财务室", kind=Department.Kind.FINANCE)
    team = TeamFactory(department=toll, station=station)
    StaffFactory.create_batch(3, department=toll, team=team)
    StaffFactory(department=toll, team=team, active=False)
    StaffFactory(department=finance)
    overview = selectors.roster_overview(on=D(2024, 1, 1))
    assert {d.name: d.active_staff_count for d in overview["departments"]} == {"征费室": 3, "财务室": 1}
    assert [(t.name, t.active_member_count) for t in overview["teams"]] == [(team.name, 3)]
    assert overview["staff_total"] == 4
    assert overview["office_seat"] == toll


def test_a_team_leader_sees_only_their_teams_members():
    team = TeamFactory()
    other = TeamFactory(department=team.department)
    mine = StaffFactory(department=team.department, team=team)
    StaffFactory(department=team.department, team=team, active=False)
    StaffFactory(department=team.department, team=other)
    [result] = selectors.teams_led_by(team_ids=[team.pk])
    assert result.active_members == [mine]


def test_org5_shifts_without_a_leader_are_listed_in_shift_order(db, django_assert_num_queries):
    # ORG-5 / CMP-3: every shift needs a shift leader for complaints to be routed to.
    Shift = ShiftLeaderAssignment.Shift
    first = datetime.date(2026, 12, 1)
    ShiftLeaderAssignmentFactory(date=first, shift=Shift.DAY)
    ShiftLeaderAssignmentFactory(date=first + datetime.timedelta(days=1), shift=Shift.NIGHT)
    with django_assert_num_queries(1):
        gaps = selectors.shifts_without_leader(date_from=first, date_to=first + datetime.timedelta(days=1))
    assert gaps == [
        (first, Shift.NIGHT),
        (first, Shift.MIDDLE),
        (first + datetime.timedelta(days=1), Shift.DAY),
        (first + datetime.timedelta(days=1), Shift.MIDDLE),
    ]
    assert selectors.shifts_without_leader(date_from=first, date_to=first, shift=Shift.DAY) == []
    too_long = first + datetime.timedelta(days=selectors.SHIFT_GAPS_MAX_DAYS)
    assert selectors.shifts_without_leader(date_from=first, date_to=too_long) == []

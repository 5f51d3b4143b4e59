import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from tests.roster.factories import (
    DEFAULT_PASSWORD,
    DepartmentFactory,
    LeadershipMembershipFactory,
    OfficeMembershipFactory,
    ShiftLeaderAssignmentFactory,
    StaffFactory,
    SupervisorFactory,
    TeamFactory,
    UserFactory,
)
from tollservice.access.roles import Role, roles_for
from tollservice.audit.models import AuditEntry
from tollservice.audit.selectors import history_for
from tollservice.core.errors import DomainError
from tollservice.roster import selectors, services
from tollservice.roster.models import Department, LeadershipMembership, OfficeMembership, ShiftLeaderAssignment

pytestmark = pytest.mark.django_db

D = datetime.date
Leader = LeadershipMembership.Role


@pytest.fixture
def actor():
    return UserFactory(is_superuser=True)


@pytest.fixture
def toll_office(station):
    return DepartmentFactory(station=station, name="征费室", kind=Department.Kind.TOLL_OFFICE)


@pytest.fixture
def finance(station):
    return DepartmentFactory(station=station, name="财务室", kind=Department.Kind.FINANCE)


# Staff ---------------------------------------------------------------------------------------


def test_staff_create_records_who_and_the_values(actor, toll_office):
    staff = services.staff_create(
        actor=actor, employee_number="CT0100", name="王伟", position="收费员", department=toll_office
    )
    entry = history_for(staff).get()
    assert entry.actor == actor
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.changes["name"] == ["", "王伟"]
    assert entry.changes["department"] == ["", "征费室"]


def test_staff_update_records_before_and_after(actor, toll_office):
    staff = StaffFactory(department=toll_office, position="收费员")
    services.staff_update(
        actor=actor,
        staff=staff,
        employee_number=staff.employee_number,
        name=staff.name,
        position="副班长",
        department=toll_office,
        team=None,
        phone=staff.phone,
        email="",
    )
    entry = history_for(staff).get()
    assert entry.action == AuditEntry.Action.UPDATE
    assert entry.changes == {"position": ["收费员", "副班长"]}


def test_a_new_email_on_the_roster_becomes_the_accounts_email(actor, toll_office):
    # Notifications are emailed to the account's address: it must not keep the old one.
    user = UserFactory(email="old@station.invalid")
    staff = StaffFactory(department=toll_office, user=user, email="old@station.invalid")
    services.staff_update(
        actor=actor,
        staff=staff,
        employee_number=staff.employee_number,
        name=staff.name,
        position=staff.position,
        department=toll_office,
        team=None,
        phone=staff.phone,
        email="new@station.invalid",
    )
    user.refresh_from_db()
    assert user.email == "new@station.invalid"
    account_entry = history_for(staff).get(summary="Account email updated")
    assert account_entry.actor == actor
    assert account_entry.changes == {"email": ["old@station.invalid", "new@station.invalid"]}


def test_the_accounts_email_is_updated_in_the_same_transaction(actor, toll_office, monkeypatch):
    user = UserFactory(email="old@station.invalid")
    staff = StaffFactory(department=toll_office, user=user, email="old@station.invalid")

    def fail(**kwargs):
        raise RuntimeError("audit trail unavailable")

    monkeypatch.setattr("tollservice.roster.services.accounts.audit_record", fail)
    with pytest.raises(RuntimeError):
        services.staff_update(
            actor=actor,
            staff=staff,
            employee_number=staff.employee_number,
            name=staff.name,
            position=staff.position,
            department=toll_office,
            team=None,
            phone=staff.phone,
            email="new@station.invalid",
        )
    staff.refresh_from_db()
    user.refresh_from_db()
    assert staff.email == user.email == "old@station.invalid"


def test_an_account_whose_email_already_matches_is_left_alone(actor, toll_office):
    user = UserFactory(email="same@station.invalid")
    staff = StaffFactory(department=toll_office, user=user, email="same@station.invalid")
    services.staff_update(
        actor=actor,
        staff=staff,
        employee_number=staff.employee_number,
        name=staff.name,
        position="副班长",
        department=toll_office,
        team=None,
        phone=staff.phone,
        email="same@station.invalid",
    )
    assert history_for(staff).get().changes == {"position": ["收费员", "副班长"]}


def test_an_update_that_changes_nothing_records_nothing(actor, toll_office):
    staff = StaffFactory(department=toll_office)
    services.staff_update(
        actor=actor,
        staff=staff,
        employee_number=staff.employee_number,
        name=staff.name,
        position=staff.position,
        department=toll_office,
        team=None,
        phone=staff.phone,
        email=staff.email,
    )
    assert not history_for(staff).exists()


def test_employee_numbers_are_unique(actor, toll_office):
    StaffFactory(employee_number="CT0001", department=toll_office)
    with pytest.raises(DomainError) as error:
        services.staff_create(actor=actor, employee_number="CT0001", name="李娜", department=toll_office)
    assert error.value.field == "employee_number"


def test_a_team_belongs_to_one_department(actor, toll_office, finance):
    # ORG-5: front-line staff work in teams of their department.
    team = TeamFactory(department=toll_office)
    with pytest.raises(DomainError) as error:
        services.staff_create(actor=actor, employee_number="CT0200", name="张敏", department=finance, team=team)
    assert error.value.field == "team"


def test_deactivating_a_staff_member_keeps_the_entry_and_ends_their_posts(actor, toll_office):
    user = UserFactory()
    staff = StaffFactory(department=toll_office, user=user)
    seat = LeadershipMembershipFactory(staff=staff, role=Leader.MEMBER, start_date=D(2023, 1, 1))
    office_seat = OfficeMembershipFactory(staff=staff, start_date=D(2023, 1, 1))
    team = TeamFactory(department=toll_office, leader=staff)
    toll_office.head = staff
    toll_office.save()

    services.staff_deactivate(actor=actor, staff=staff, left_on=D(2024, 5, 31))

    staff.refresh_from_db()
    assert (staff.active, staff.left_on) == (False, D(2024, 5, 31))
    seat.refresh_from_db()
    office_seat.refresh_from_db()
    assert seat.end_date == office_seat.end_date == D(2024, 5, 31)  # ORG-1: history kept
    team.refresh_from_db()
    toll_office.refresh_from_db()
    assert team.leader is None and toll_office.head is None
    user.refresh_from_db()
    assert not user.is_active
    assert ModelBackend().authenticate(None, username=user.username, password=DEFAULT_PASSWORD) is None
    assert history_for(staff).filter(action=AuditEntry.Action.DEACTIVATE).exists()


def test_a_person_who_leads_a_later_shift_cannot_leave_before_it_is_reassigned(actor, toll_office):
    staff = StaffFactory(department=toll_office)
    ShiftLeaderAssignmentFactory(staff=staff, date=D(2024, 6, 2))
    with pytest.raises(DomainError) as error:
        services.staff_deactivate(actor=actor, staff=staff, left_on=D(2024, 6, 1))
    assert error.value.field == "left_on"
    staff.refresh_from_db()
    assert staff.active


def test_reactivating_restores_the_account(actor, toll_office):
    user = UserFactory()
    staff = StaffFactory(department=toll_office, user=user)
    services.staff_deactivate(actor=actor, staff=staff, left_on=D(2024, 1, 1))
    services.staff_reactivate(actor=actor, staff=staff)
    staff.refresh_from_db()
    user.refresh_from_db()
    assert staff.active and staff.left_on is None and user.is_active


def test_reactivating_records_that_the_account_can_sign_in_again(actor, toll_office):
    user = UserFactory()
    staff = StaffFactory(department=toll_office, user=user)
    services.staff_deactivate(actor=actor, staff=staff, left_on=D(2024, 1, 1))
    services.staff_reactivate(actor=actor, staff=staff)
    enabled = history_for(staff).get(summary="Account enabled")
    assert (enabled.actor, enabled.action) == (actor, AuditEntry.Action.STATE)


def test_reactivating_someone_without_an_account_records_no_account_change(actor, toll_office):
    staff = StaffFactory(department=toll_office)
    services.staff_deactivate(actor=actor, staff=staff, left_on=D(2024, 1, 1))
    services.staff_reactivate(actor=actor, staff=staff)
    assert not history_for(staff).filter(summary="Account enabled").exists()


# Teams (ORG-5) -------------------------------------------------------------------------------


def test_a_team_leader_joins_the_team_they_lead(actor, toll_office):
    # ORG-5: front-line staff work in teams under a team leader.
    leader = StaffFactory(department=toll_office)
    team = services.team_create(actor=actor, name="收费七班", department=toll_office, leader=leader)
    leader.refresh_from_db()
    assert leader.team == team


def test_a_team_leader_leads_one_team(actor, toll_office):
    leader = StaffFactory(department=toll_office)
    TeamFactory(department=toll_office, leader=leader)
    with pytest.raises(DomainError) as error:
        services.team_create(actor=actor, name="收费八班", department=toll_office, leader=leader)
    assert error.value.field == "leader"


def test_a_team_leader_cannot_be_moved_out_of_their_team(actor, toll_office):
    leader = StaffFactory(department=toll_office)
    team = services.team_create(actor=actor, name="收费一班", department=toll_office, leader=leader)
    other = TeamFactory(department=toll_office)
    leader.refresh_from_db()
    with pytest.raises(DomainError) as error:
        services.staff_update(
            actor=actor,
            staff=leader,
            employee_number=leader.employee_number,
            name=leader.name,
            position="",
            department=toll_office,
            team=other,
            phone="",
            email="",
        )
    assert error.value.field == "team"
    assert team.name in str(error.value)


def test_a_team_with_members_cannot_be_disbanded(actor, toll_office):
    team = TeamFactory(department=toll_office)
    StaffFactory(department=toll_office, team=team)
    with pytest.raises(DomainError) as error:
        services.team_update(actor=actor, team=team, name=team.name, department=toll_office, leader=None, active=False)
    assert error.value.field == "active"


def test_a_team_moving_department_takes_its_members(actor, toll_office, station):
    monitoring = DepartmentFactory(station=station, name="监控室", kind=Department.Kind.OTHER)
    team = TeamFactory(department=toll_office)
    member = StaffFactory(department=toll_office, team=team)
    services.team_update(actor=actor, team=team, name=team.name, department=monitoring, leader=None, active=True)
    member.refresh_from_db()
    assert member.department == monitoring
    assert history_for(member).get().changes == {"department": ["征费室", "监控室"]}


def test_a_department_with_active_staff_cannot_close(actor, toll_office):
    StaffFactory(department=toll_office)
    with pytest.raises(DomainError) as error:
        services.department_update(
            actor=actor,
            department=toll_office,
            name="征费室",
            kind=toll_office.kind,
            head=None,
            hotline="",
            active=False,
        )
    assert error.value.field == "active"


def test_department_names_are_unique_per_station(actor, station, toll_office):
    with pytest.raises(DomainError) as error:
        services.department_create(actor=actor, station=station, name="征费室")
    assert error.value.field == "name"


# Leadership group (ORG-1) and office (ORG-2) ---------------------------------------------------


def test_leadership_group_has_a_leader_deputies_and_members_and_keeps_history(actor, toll_office):
    # ORG-1: one leader, deputy leaders, members; membership changes over time and history is kept.
    first, second, deputy, member = StaffFactory.create_batch(4, department=toll_office)
    old = services.leadership_membership_add(actor=actor, staff=first, role=Leader.LEADER, start_date=D(2023, 8, 1))
    services.leadership_membership_add(actor=actor, staff=deputy, role=Leader.DEPUTY, start_date=D(2023, 8, 1))
    services.leadership_membership_add(actor=actor, staff=member, role=Leader.MEMBER, start_date=D(2023, 8, 1))

    with pytest.raises(DomainError) as error:  # one leader at a time
        services.leadership_membership_add(actor=actor, staff=second, role=Leader.LEADER, start_date=D(2024, 3, 1))
    assert error.value.field == "role"

    services.leadership_membership_end(actor=actor, membership=old, end_date=D(2024, 2, 29))
    services.leadership_membership_add(actor=actor, staff=second, role=Leader.LEADER, start_date=D(2024, 3, 1))

    then = selectors.leadership_current(on=D(2024, 1, 1))
    now = selectors.leadership_current(on=D(2024, 6, 1))
    assert [(s.staff, s.role) for s in then] == [(first, "leader"), (deputy, "deputy"), (member, "member")]
    assert [(s.staff, s.role) for s in now] == [(second, "leader"), (deputy, "deputy"), (member, "member")]
    assert LeadershipMembership.objects.count() == 4  # nothing deleted


def test_a_person_holds_one_seat_at_a_time(actor, toll_office):
    staff = StaffFactory(department=toll_office)
    services.leadership_membership_add(actor=actor, staff=staff, role=Leader.MEMBER, start_date=D(2023, 1, 1))
    with pytest.raises(DomainError) as error:
        services.leadership_membership_add(actor=actor, staff=staff, role=Leader.DEPUTY, start_date=D(2024, 1, 1))
    assert error.value.field == "staff"


def test_a_seat_cannot_end_before_it_starts_or_end_twice(actor, toll_office):
    seat = services.leadership_membership_add(
        actor=actor, staff=StaffFactory(department=toll_office), role=Leader.MEMBER, start_date=D(2024, 1, 1)
    )
    with pytest.raises(DomainError):
        services.leadership_membership_end(actor=actor, membership=seat, end_date=D(2023, 12, 31))
    services.leadership_membership_end(actor=actor, membership=seat, end_date=D(2024, 6, 30))
    with pytest.raises(DomainError):
        services.leadership_membership_end(actor=actor, membership=seat, end_date=D(2024, 7, 31))


def test_a_leaver_cannot_take_a_seat(actor, toll_office):
    staff = StaffFactory(department=toll_office, active=False)
    with pytest.raises(DomainError) as error:
        services.leadership_membership_add(actor=actor, staff=staff, role=Leader.MEMBER, start_date=D(2024, 1, 1))
    assert error.value.field == "staff"


def test_the_office_director_holds_the_post_concurrently_and_there_is_one(actor, toll_office):
    # ORG-2: the office is seated in the toll-collection office; its director (主任) is a concurrent post (兼).
    head, other, member = StaffFactory.create_batch(3, department=toll_office)
    director = services.office_membership_add(
        actor=actor, staff=head, role=OfficeMembership.Role.DIRECTOR, start_date=D(2023, 8, 1)
    )
    seat = services.office_membership_add(
        actor=actor, staff=member, role=OfficeMembership.Role.MEMBER, start_date=D(2023, 8, 1)
    )
    assert director.concurrent and not seat.concurrent
    with pytest.raises(DomainError):
        services.office_membership_add(
            actor=actor, staff=other, role=OfficeMembership.Role.DIRECTOR, start_date=D(2024, 1, 1)
        )
    assert selectors.department_toll_office() == toll_office
    assert [s.role for s in selectors.office_current(on=D(2024, 1, 1))] == ["director", "member"]


def test_a_seat_gives_the_role_from_that_day(actor, toll_office):
    user = UserFactory()
    staff = StaffFactory(department=toll_office, user=user)
    services.office_membership_add(
        actor=actor, staff=staff, role=OfficeMembership.Role.MEMBER, start_date=D(2020, 1, 1)
    )
    assert Role.OFFICE in roles_for(get_user_model().objects.get(pk=user.pk))


# Supervisors (ORG-6) -------------------------------------------------------------------------


def test_supervisors_are_appointed_for_a_term_with_a_unique_pass(actor):
    # ORG-6: hired external supervisors, with an appointment term and a pass number.
    supervisor = services.supervisor_create(
        actor=actor, name="周强", pass_number="JD-2024-001", term_start=D(2024, 1, 1), term_end=D(2025, 12, 31)
    )
    assert supervisor.in_term(D(2024, 6, 1)) and not supervisor.in_term(D(2026, 1, 1))
    with pytest.raises(DomainError) as error:
        services.supervisor_create(actor=actor, name="孙丽", pass_number="JD-2024-001", term_start=D(2024, 1, 1))
    assert error.value.field == "pass_number"
    with pytest.raises(DomainError) as error:
        services.supervisor_create(
            actor=actor, name="孙丽", pass_number="JD-2024-002", term_start=D(2024, 1, 1), term_end=D(2023, 1, 1)
        )
    assert error.value.field == "term_end"


def test_a_supervisors_new_email_becomes_the_accounts_email(actor):
    user = UserFactory(email="old@example.invalid")
    supervisor = SupervisorFactory(user=user, email="old@example.invalid", term_start=D(2024, 1, 1))
    services.supervisor_update(
        actor=actor,
        supervisor=supervisor,
        name=supervisor.name,
        pass_number=supervisor.pass_number,
        term_start=supervisor.term_start,
        term_end=supervisor.term_end,
        organisation=supervisor.organisation,
        phone=supervisor.phone,
        email="new@example.invalid",
    )
    user.refresh_from_db()
    assert user.email == "new@example.invalid"
    assert history_for(supervisor).filter(summary="Account email updated").exists()


def test_ending_an_appointment_disables_the_account(actor):
    user = UserFactory()
    supervisor = SupervisorFactory(user=user, term_start=D(2023, 1, 1))
    services.supervisor_deactivate(actor=actor, supervisor=supervisor, term_end=D(2024, 3, 31))
    supervisor.refresh_from_db()
    user.refresh_from_db()
    assert not supervisor.active and supervisor.term_end == D(2024, 3, 31) and not user.is_active


# Shift leaders (ORG-5) -----------------------------------------------------------------------


def test_one_shift_leader_per_date_and_shift(actor, toll_office):
    # ORG-5: each shift has a shift leader (当班负责人).
    team = TeamFactory(department=toll_office)
    first = StaffFactory(department=toll_office, team=team, name="刘洋")
    second = StaffFactory(department=toll_office)
    assignment = services.shift_leader_assignment_create(
        actor=actor, date=D(2024, 5, 1), shift=ShiftLeaderAssignment.Shift.DAY, staff=first
    )
    assert assignment.team == team  # the shift leader's own team by default
    with pytest.raises(DomainError) as error:
        services.shift_leader_assignment_create(
            actor=actor, date=D(2024, 5, 1), shift=ShiftLeaderAssignment.Shift.DAY, staff=second
        )
    assert error.value.field == "shift"
    assert "刘洋" in str(error.value)
    services.shift_leader_assignment_create(
        actor=actor, date=D(2024, 5, 1), shift=ShiftLeaderAssignment.Shift.NIGHT, staff=second
    )


# Accounts ------------------------------------------------------------------------------------


def test_account_link_validates_the_password_and_the_username(actor, toll_office):
    staff = StaffFactory(department=toll_office, email="wang@station.invalid")
    with pytest.raises(DomainError) as error:
        services.account_link(actor=actor, person=staff, username="wang", password="123")
    assert error.value.field == "password1"
    UserFactory(username="taken")
    with pytest.raises(DomainError) as error:
        services.account_link(actor=actor, person=staff, username="Taken", password="a-good-pass-2026")
    assert error.value.field == "username"

    user = services.account_link(actor=actor, person=staff, username="wang", password="a-good-pass-2026")
    staff.refresh_from_db()
    assert staff.user == user and user.check_password("a-good-pass-2026")
    assert Role.STAFF in roles_for(user)
    assert history_for(staff).filter(changes__has_key="user").exists()


def test_only_an_administrator_resets_an_administrators_password(toll_office):
    office_user = UserFactory()
    admin_user = UserFactory(is_superuser=True)
    staff = StaffFactory(department=toll_office, user=admin_user)
    with pytest.raises(DomainError):
        services.account_password_reset(actor=office_user, person=staff, password="another-pass-2026")
    services.account_password_reset(actor=admin_user, person=staff, password="another-pass-2026")
    admin_user.refresh_from_db()
    assert admin_user.check_password("another-pass-2026")

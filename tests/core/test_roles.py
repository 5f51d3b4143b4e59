"""Roles come from the roster (ORG-1 … ORG-6), computed per request, never cached beyond it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.roster.factories import (
    DepartmentFactory,
    LeadershipMembershipFactory,
    OfficeMembershipFactory,
    StaffFactory,
    SupervisorFactory,
    TeamFactory,
    UserFactory,
    user_with_role,
)
from tollservice.access.permissions import PERMISSIONS, has_permission
from tollservice.access.roles import Role, roles_for
from tollservice.roster.models import Department

pytestmark = pytest.mark.django_db


# Worked out when each roster state is built, not when the module is imported: a run that
# crosses midnight would otherwise build yesterday's roster and ask about today's roles.
def _today() -> datetime.date:
    return timezone.localdate()


def _yesterday() -> datetime.date:
    return _today() - datetime.timedelta(days=1)


def _tomorrow() -> datetime.date:
    return _today() + datetime.timedelta(days=1)


LONG_AGO = datetime.date(2020, 1, 1)


def _staff(**kwargs):
    return StaffFactory(user=UserFactory(), **kwargs)


def leadership_current():  # ORG-1
    return LeadershipMembershipFactory(staff=_staff(), start_date=LONG_AGO).staff.user


def leadership_ending_today():
    return LeadershipMembershipFactory(staff=_staff(), start_date=LONG_AGO, end_date=_today()).staff.user


def leadership_ended():
    return LeadershipMembershipFactory(staff=_staff(), start_date=LONG_AGO, end_date=_yesterday()).staff.user


def leadership_not_started():
    return LeadershipMembershipFactory(staff=_staff(), start_date=_tomorrow()).staff.user


def office_current():  # ORG-2
    return OfficeMembershipFactory(staff=_staff(), start_date=LONG_AGO).staff.user


def office_ended():
    return OfficeMembershipFactory(staff=_staff(), start_date=LONG_AGO, end_date=_yesterday()).staff.user


def finance_department():  # ORG-5
    return _staff(department=DepartmentFactory(name="财务室", kind=Department.Kind.FINANCE)).user


def leads_active_team():  # ORG-5
    staff = _staff()
    TeamFactory(leader=staff, department=staff.department)
    return staff.user


def leads_inactive_team():
    staff = _staff()
    TeamFactory(leader=staff, department=staff.department, active=False)
    return staff.user


def team_member_only():
    staff = _staff()
    staff.team = TeamFactory(department=staff.department)
    staff.save()
    return staff.user


def supervisor_in_term():  # ORG-6
    return SupervisorFactory(user=UserFactory(), term_start=LONG_AGO, term_end=_tomorrow()).user


def supervisor_open_ended_term():
    return SupervisorFactory(user=UserFactory(), term_start=LONG_AGO, term_end=None).user


def supervisor_term_expired():
    return SupervisorFactory(user=UserFactory(), term_start=LONG_AGO, term_end=_yesterday()).user


def supervisor_term_not_started():
    return SupervisorFactory(user=UserFactory(), term_start=_tomorrow()).user


def supervisor_inactive():
    return SupervisorFactory(user=UserFactory(), term_start=LONG_AGO, active=False).user


def inactive_staff_with_every_post():
    staff = _staff(department=DepartmentFactory(name="财务室", kind=Department.Kind.FINANCE))
    LeadershipMembershipFactory(staff=staff, start_date=LONG_AGO)
    OfficeMembershipFactory(staff=staff, start_date=LONG_AGO)
    TeamFactory(leader=staff, department=staff.department)
    staff.active, staff.left_on = False, _yesterday()
    staff.save()
    return staff.user


def superuser_without_roster_entry():
    return UserFactory(is_superuser=True, is_staff=True)


def account_without_roster_entry():
    return UserFactory()


def leader_and_office_director():
    staff = _staff()
    LeadershipMembershipFactory(staff=staff, start_date=LONG_AGO)
    OfficeMembershipFactory(staff=staff, start_date=LONG_AGO)
    return staff.user


ROSTER_STATES = [
    (leadership_current, {Role.LEADERSHIP, Role.STAFF}),
    (leadership_ending_today, {Role.LEADERSHIP, Role.STAFF}),
    (leadership_ended, {Role.STAFF}),
    (leadership_not_started, {Role.STAFF}),
    (office_current, {Role.OFFICE, Role.STAFF}),
    (office_ended, {Role.STAFF}),
    (finance_department, {Role.FINANCE, Role.STAFF}),
    (leads_active_team, {Role.TEAM_LEADER, Role.STAFF}),
    (leads_inactive_team, {Role.STAFF}),
    (team_member_only, {Role.STAFF}),
    (supervisor_in_term, {Role.SUPERVISOR}),
    (supervisor_open_ended_term, {Role.SUPERVISOR}),
    (supervisor_term_expired, set()),
    (supervisor_term_not_started, set()),
    (supervisor_inactive, set()),
    (inactive_staff_with_every_post, set()),
    (superuser_without_roster_entry, {Role.ADMIN}),
    (account_without_roster_entry, set()),
    (leader_and_office_director, {Role.LEADERSHIP, Role.OFFICE, Role.STAFF}),
]


@pytest.mark.parametrize(("build", "expected"), ROSTER_STATES, ids=[build.__name__ for build, _ in ROSTER_STATES])
def test_roster_state_gives_roles(build, expected):
    user = build()
    assert roles_for(user).roles == frozenset(expected)


def test_scope_ids_come_with_the_roles():
    leader = user_with_role("team_leader")
    roles = roles_for(leader)
    staff = leader.staff_profile
    assert roles.staff_id == staff.pk
    assert roles.department_id == staff.department_id
    assert roles.led_team_ids == frozenset(staff.led_teams.values_list("pk", flat=True))

    supervisor = user_with_role("supervisor")
    assert roles_for(supervisor).supervisor_id == supervisor.supervisor_profile.pk


def test_anonymous_user_has_no_roles():
    from django.contrib.auth.models import AnonymousUser

    assert roles_for(AnonymousUser()).roles == frozenset()
    assert not has_permission(AnonymousUser(), "portal.use")


def test_roles_are_cached_on_the_user_object_only(django_assert_num_queries):
    user = user_with_role("office")
    roles_for(user)
    with django_assert_num_queries(0):
        roles_for(user)


def test_ending_a_membership_removes_the_role_on_the_next_request(client):
    user = user_with_role("office")
    client.force_login(user)
    assert Role.OFFICE in client.get(reverse("dashboard:home")).context["user_roles"]

    user.staff_profile.office_memberships.update(end_date=_yesterday())

    roles = client.get(reverse("dashboard:home")).context["user_roles"]
    assert Role.OFFICE not in roles
    assert Role.STAFF in roles


def test_leaving_the_station_removes_every_role_on_the_next_request(client):
    user = user_with_role("leadership")
    client.force_login(user)
    assert client.get(reverse("dashboard:home")).status_code == 200

    user.staff_profile.__class__.objects.filter(pk=user.staff_profile.pk).update(active=False, left_on=_yesterday())

    assert client.get(reverse("dashboard:home")).status_code == 403


def test_unknown_permission_fails_loudly():
    with pytest.raises(LookupError):
        has_permission(user_with_role("admin"), "roster.mange")


def test_every_permission_names_known_roles():
    for permission, roles in PERMISSIONS.items():
        assert roles, permission
        assert all(isinstance(role, Role) for role in roles), permission

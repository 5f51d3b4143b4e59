"""factory_boy factories for the roster, shared by every app's tests."""

import datetime

import factory
from django.contrib.auth import get_user_model

from tollservice.roster.models import (
    Department,
    LeadershipMembership,
    OfficeMembership,
    ShiftLeaderAssignment,
    Staff,
    Station,
    Supervisor,
    Team,
)

DEFAULT_PASSWORD = "test-pass-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@station.invalid")
    password = factory.django.Password(DEFAULT_PASSWORD)


class StationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Station
        django_get_or_create = ("code",)

    name = "昌泰高速公路收费所"
    code = "changtai"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("station", "name")

    station = factory.SubFactory(StationFactory)
    name = "征费室"
    kind = Department.Kind.TOLL_OFFICE


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    station = factory.SubFactory(StationFactory)
    department = factory.SubFactory(DepartmentFactory)
    name = factory.Sequence(lambda n: f"收费{n + 1}班")


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Staff

    employee_number = factory.Sequence(lambda n: f"E{n + 1:04d}")
    name = factory.Sequence(lambda n: f"员工{n + 1}")
    position = "收费员"
    department = factory.SubFactory(DepartmentFactory)
    phone = "13800000000"


class LeadershipMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LeadershipMembership

    staff = factory.SubFactory(StaffFactory)
    role = LeadershipMembership.Role.MEMBER
    start_date = datetime.date(2023, 1, 1)


class OfficeMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficeMembership

    staff = factory.SubFactory(StaffFactory)
    role = OfficeMembership.Role.MEMBER
    start_date = datetime.date(2023, 1, 1)


class SupervisorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supervisor

    name = factory.Sequence(lambda n: f"监督员{n + 1}")
    pass_number = factory.Sequence(lambda n: f"JD-{n + 1:03d}")
    term_start = datetime.date(2023, 1, 1)


def user_with_role(role: str, **staff_kwargs):
    """A signed-in-able user holding one roster role: admin, leadership, office, finance,
    team_leader, supervisor, staff, or "none" (an account with no roster entry)."""
    user = UserFactory()
    if role == "admin":
        user.is_superuser = user.is_staff = True
        user.save()
        return user
    if role == "none":
        return user
    if role == "supervisor":
        SupervisorFactory(user=user)
        return user
    if role == "finance":
        staff_kwargs.setdefault("department", DepartmentFactory(name="财务室", kind=Department.Kind.FINANCE))
    staff = StaffFactory(user=user, **staff_kwargs)
    if role == "leadership":
        LeadershipMembershipFactory(staff=staff)
    elif role == "office":
        OfficeMembershipFactory(staff=staff)
    elif role == "team_leader":
        TeamFactory(leader=staff, department=staff.department)
    return user


ROLES = ["admin", "leadership", "office", "finance", "team_leader", "supervisor", "staff", "none"]


class ShiftLeaderAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShiftLeaderAssignment

    date = factory.Sequence(lambda n: datetime.date(2024, 1, 1) + datetime.timedelta(days=n))
    shift = ShiftLeaderAssignment.Shift.DAY
    staff = factory.SubFactory(StaffFactory)

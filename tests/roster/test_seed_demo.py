from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction

from tollservice.access.roles import Role, roles_for
from tollservice.audit.models import AuditEntry
from tollservice.roster import selectors
from tollservice.roster.demo import DEMO_PASSWORD
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

pytestmark = pytest.mark.django_db

SEEN: list = []


def recording_seeder(*, station, stdout):
    """A later module's seeder, as settings.DEMO_SEEDERS lists them."""
    SEEN.append(station)
    stdout.write("recording seeder ran")


def _counts():
    models = [
        Station,
        Department,
        Team,
        Staff,
        LeadershipMembership,
        OfficeMembership,
        Supervisor,
        ShiftLeaderAssignment,
        AuditEntry,
        get_user_model(),
    ]
    return {model.__name__: model.objects.count() for model in models}


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_loads_a_realistic_station_once_and_prints_the_logins_every_time(settings):
    settings.DEMO_SEEDERS = [*settings.DEMO_SEEDERS, "tests.roster.test_seed_demo.recording_seeder"]
    SEEN.clear()
    first = _seed()
    counts = _counts()
    second = _seed()

    assert _counts() == counts  # idempotent
    assert len(SEEN) == 1 and SEEN[0].name == "昌泰高速公路收费所"
    assert "recording seeder ran" in first and "recording seeder ran" not in second
    for output in (first, second):
        for username in ("admin", "leader", "office", "finance", "teamleader", "supervisor"):
            assert f"  {username} " in output
        assert DEMO_PASSWORD in output

    assert counts["Team"] == 6
    assert 55 <= Staff.objects.filter(active=True).count() <= 65
    assert {d.name for d in Department.objects.all()} >= {"征费室", "财务室", "办公室"}
    assert 3 <= counts["Supervisor"] <= 4
    # ORG-1: a full group, with one seat ended so that history shows.
    roles = [seat.role for seat in selectors.leadership_current()]
    assert roles.count("leader") == 1 and roles.count("deputy") >= 2 and roles.count("member") >= 3
    assert LeadershipMembership.objects.filter(end_date__isnull=False).exists()
    # ORG-2: the office's director holds the post concurrently and heads the toll-collection office.
    director = next(seat for seat in selectors.office_current() if seat.role == "director")
    assert director.concurrent and director.staff.department.kind == Department.Kind.TOLL_OFFICE
    # Shift leaders for the last 30 and the next 7 days, three shifts a day.
    assert counts["ShiftLeaderAssignment"] == 38 * 3
    assert all(team.leader_id for team in Team.objects.all())


def test_the_demo_accounts_have_the_roles_the_logins_promise():
    _seed()
    User = get_user_model()
    expected = {
        "leader": Role.LEADERSHIP,
        "office": Role.OFFICE,
        "finance": Role.FINANCE,
        "teamleader": Role.TEAM_LEADER,
        "supervisor": Role.SUPERVISOR,
        "staff1": Role.STAFF,
        "admin": Role.ADMIN,
    }
    for username, role in expected.items():
        user = User.objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD)
        assert role in roles_for(user), username
    assert Role.LEADERSHIP not in roles_for(User.objects.get(username="finance"))


def test_the_demo_is_the_same_every_time():
    def roster() -> list:
        return list(
            Staff.objects.order_by("employee_number").values_list("employee_number", "name", "phone", "team__name")
        )

    with transaction.atomic():
        _seed()
        first = roster()
        transaction.set_rollback(True)
    assert not Station.objects.exists()
    _seed()
    assert roster() == first

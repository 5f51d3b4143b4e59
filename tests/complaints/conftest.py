"""A small station for the complaints tests: the toll-collection office with its head, a team
with its leader and two collectors, the shift leader on duty two hours ago, a lane, the group
office (director and member) and the leadership group, and a clock tests can set."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from complaints.services import _deadlines
from tests.complaints.factories import LaneFactory
from tests.penalties.factories import ensure_policy
from tests.roster.factories import (
    DepartmentFactory,
    LeadershipMembershipFactory,
    OfficeMembershipFactory,
    ShiftLeaderAssignmentFactory,
    StaffFactory,
    StationFactory,
    TeamFactory,
    UserFactory,
    user_with_role,
)
from tollservice.roster.models import OfficeMembership
from tollservice.roster.selectors import shift_at


def _staff_user(**kwargs):
    return StaffFactory(user=UserFactory(), **kwargs)


@pytest.fixture
def people(db):
    ensure_policy()
    station = StationFactory()
    toll_office = DepartmentFactory(station=station)
    head = _staff_user(department=toll_office, name="征费室主任")
    toll_office.head = head
    toll_office.save()
    team_leader = _staff_user(department=toll_office, name="班长")
    team = TeamFactory(station=station, department=toll_office, leader=team_leader)
    team_leader.team = team
    team_leader.save()
    collector = _staff_user(department=toll_office, team=team, name="收费员甲")
    other = _staff_user(department=toll_office, team=team, name="收费员乙")
    shift_leader = _staff_user(department=toll_office, name="当班负责人")
    for hours in (1, 2, 3):  # the shifts of the default incidents (one to three hours ago)
        date, shift = shift_at(moment=timezone.now() - datetime.timedelta(hours=hours))
        if not shift_leader.shift_leader_assignments.filter(date=date, shift=shift).exists():
            ShiftLeaderAssignmentFactory(date=date, shift=shift, staff=shift_leader, team=team)
    director = _staff_user(department=toll_office, name="办公室主任")
    OfficeMembershipFactory(staff=director, role=OfficeMembership.Role.DIRECTOR)
    leader = _staff_user(department=toll_office, name="组长")
    LeadershipMembershipFactory(staff=leader)
    return SimpleNamespace(
        station=station,
        lane=LaneFactory(station=station, number="05"),
        other_lane=LaneFactory(station=station, number="06"),
        toll_office=toll_office,
        head=head,
        team=team,
        team_leader=team_leader,
        collector=collector,
        other=other,
        shift_leader=shift_leader,
        director=director,
        office=director.user,
        office2=user_with_role("office", department=toll_office),
        leader=leader.user,
        leader2=user_with_role("leadership", department=toll_office),
        staff_user=other.user,
    )


class Clock:
    """``timezone.now()`` as the test sets it (services, models' auto_now and defaults alike)."""

    def __init__(self, monkeypatch, start: datetime.datetime):
        self.now = start
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def set(self, moment: datetime.datetime) -> None:
        self.now = moment

    def advance(self, **kwargs) -> datetime.datetime:
        self.now += datetime.timedelta(**kwargs)
        return self.now


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, timezone.now())


def at(year, month, day, hour=0, minute=0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


@pytest.fixture
def deadline_calls(monkeypatch):
    """Every ``limit_set`` / ``limit_closed`` call, as (what, kind, object, due or outcome)."""
    calls = []
    real_set = _deadlines.limit_set

    def record_set(obj, *, kind, due_at, responsible, actor):
        calls.append(("set", kind, obj.pk, due_at))
        real_set(obj, kind=kind, due_at=due_at, responsible=responsible, actor=actor)

    def record_closed(obj, *, kind, outcome="completed", actor):
        calls.append(("closed", kind, obj.pk, outcome))

    monkeypatch.setattr(_deadlines, "limit_set", record_set)
    monkeypatch.setattr(_deadlines, "limit_closed", record_closed)
    return calls


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The rate limits count in the cache, which outlives a test: each test starts at zero."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def png_upload(name="photo.png", size=(40, 30), color=(200, 30, 30)):
    """A real (small) PNG, as a phone would send it."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")

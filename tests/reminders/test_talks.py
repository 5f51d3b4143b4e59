"""INS-4: the follow-up of a talk is reminded until it is confirmed, and escalated when overdue."""

import datetime
from types import SimpleNamespace

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from penalties import services
from penalties.reminders import TALK_FOLLOW_UP
from tests.roster.factories import (
    LeadershipMembershipFactory,
    OfficeMembershipFactory,
    StaffFactory,
    TeamFactory,
    UserFactory,
    user_with_role,
)
from tollservice.notifications.models import Notification
from tollservice.reminders import rules, selectors
from tollservice.reminders.models import Deadline
from tollservice.reminders.services import reminders_send_due
from tollservice.roster.models import OfficeMembership

pytestmark = pytest.mark.django_db


@pytest.fixture
def station(db):
    director = UserFactory(username="director", email="director@station.invalid")
    OfficeMembershipFactory(staff=StaffFactory(user=director, name="主任"), role=OfficeMembership.Role.DIRECTOR)
    leaders = [UserFactory(username=f"leader{n}") for n in (1, 2)]
    for leader in leaders:
        LeadershipMembershipFactory(staff=StaffFactory(user=leader))
    team_leader = StaffFactory(name="班长", user=UserFactory(username="teamleader"))
    return SimpleNamespace(
        director=director,
        leaders=leaders,
        office=user_with_role("office"),
        conducted_by=StaffFactory(name="谈话人"),
        person=StaffFactory(name="收费员甲", user=UserFactory(username="collector", email="collector@station.invalid")),
        no_account=StaffFactory(name="收费员乙"),
        team=TeamFactory(name="收费6班", leader=team_leader),
        team_leader=team_leader,
    )


def record_talk(station, due_in: int | None = 3, **who):
    who = who or {"staff": station.person}
    return services.talk_record(
        recorded_by=station.office,
        kind="admonishment",
        held_at=timezone.now() - datetime.timedelta(hours=1),
        conducted_by=station.conducted_by,
        reason="年内两次违反规范化服务准则。",
        summary="要求当事人认真学习文明用语规范。",
        follow_up="班长每周检查其文明用语执行情况。",
        follow_up_due=None if due_in is None else timezone.localdate() + datetime.timedelta(days=due_in),
        **who,
    )


def deadline_of(talk) -> Deadline:
    return selectors.deadlines_for(obj=talk).get()


def send_next(deadline) -> datetime.datetime:
    first = deadline.reminders.pending().order_by("due_at").first()
    now = max(first.due_at, timezone.now())
    assert reminders_send_due(now=now) >= 1
    return now


def test_ins4_a_talk_with_a_follow_up_due_in_three_days_reminds_its_people_once(
    station, django_capture_on_commit_callbacks
):
    # INS-4: the person talked to and whoever recorded the talk are reminded, in the inbox and by email.
    talk = record_talk(station)
    deadline = deadline_of(talk)
    assert deadline.kind == TALK_FOLLOW_UP and deadline.is_open
    assert deadline.due_at == rules.end_of_day(talk.follow_up_due)  # the end of that day, station time
    assert set(deadline.responsible.all()) == {station.person.user, station.office}
    assert "收费员甲" in deadline.title and deadline.url == reverse("penalties:talk_detail", args=[talk.pk])
    assert list(deadline.reminders.pending().values_list("step", "days")) == [
        ("before", 3),
        ("before", 1),
        ("due", 0),
        ("overdue", 1),
        ("escalation", 3),
        ("escalation", 6),
    ]

    with django_capture_on_commit_callbacks(execute=True):
        now = send_next(deadline)
        assert reminders_send_due(now=now) == 0  # the next run sends nothing more
    notices = Notification.objects.order_by("recipient__username")
    assert [n.recipient for n in notices] == sorted([station.person.user, station.office], key=lambda u: u.username)
    for notice in notices:
        assert "收费员甲" in notice.subject
        assert "班长每周检查其文明用语执行情况。" in notice.body and f"{talk.follow_up_due:%Y-%m-%d}" in notice.body
    # The talk's page is the office's: the collector is reminded without a link that would answer 403.
    assert {n.recipient: n.url for n in notices} == {
        station.office: reverse("penalties:talk_detail", args=[talk.pk]),
        station.person.user: "",
    }
    assert sorted(message.to[0] for message in mail.outbox) == [
        "collector@station.invalid",
        station.office.email,
    ]


def test_ins4_a_team_talk_reminds_the_team_leader_and_the_recorder(station):
    # INS-4
    deadline = deadline_of(record_talk(station, team=station.team))
    assert set(deadline.responsible.all()) == {station.team_leader.user, station.office}


def test_ins4_a_person_without_an_account_is_skipped_and_the_recorder_still_reminded(station):
    # INS-4
    deadline = deadline_of(record_talk(station, staff=station.no_account))
    assert list(deadline.responsible.all()) == [station.office]


def test_ins4_confirming_the_follow_up_cancels_what_is_unsent(station):
    # INS-4
    talk = record_talk(station)
    deadline = deadline_of(talk)
    services.talk_follow_up_complete(talk=talk, completed_by=station.office, note="已按要求检查四次。")
    deadline.refresh_from_db()
    assert deadline.status == Deadline.Status.COMPLETED and deadline.closed_by == station.office
    assert not deadline.reminders.pending().exists()
    assert reminders_send_due(now=timezone.now() + datetime.timedelta(days=30)) == 0
    assert Notification.objects.count() == 0


def test_ins4_an_overdue_follow_up_escalates_to_the_director_then_the_leadership_group(station):
    # INS-4: three days overdue the director of the group office hears of it, six days the leadership group.
    deadline = deadline_of(record_talk(station))
    level_1, level_2 = deadline.reminders.pending().filter(step="escalation").order_by("level")
    reminders_send_due(now=level_1.due_at)
    assert list(Notification.objects.filter(recipient=station.director).values_list("subject", flat=True)) != []
    assert not Notification.objects.filter(recipient__in=station.leaders).exists()
    reminders_send_due(now=level_2.due_at)
    for leader in station.leaders:
        [notice] = Notification.objects.filter(recipient=leader)
        assert "收费员甲" in notice.subject and "收费员甲" in notice.body  # who answers for it
    assert Notification.objects.filter(recipient=station.director).count() == 1


def test_ins4_a_talk_without_a_follow_up_date_sets_no_deadline(station):
    # INS-4
    talk = record_talk(station, due_in=None)
    assert not selectors.deadlines_for(obj=talk).exists()

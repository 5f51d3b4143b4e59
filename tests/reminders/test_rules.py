"""The schedule arithmetic: when each reminder of a deadline goes out (pure functions, no database)."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given
from hypothesis import strategies as st

from tollservice.reminders import rules
from tollservice.reminders.registry import ReminderDefaults, days
from tollservice.reminders.rules import Schedule, Step, StepKind

DEFAULT = Schedule()
DUE_DAY = datetime.date(2026, 5, 5)


def local(month, day, hour=0, minute=0, year=2026) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=rules.local_zone())


def steps(planned) -> list[tuple[Step, datetime.datetime]]:
    return [(p.step, p.due_at) for p in planned]


BEFORE_3 = (Step(StepKind.BEFORE, 3), local(5, 2, 8))
BEFORE_1 = (Step(StepKind.BEFORE, 1), local(5, 4, 8))
ON_THE_DAY = (Step(StepKind.DUE, 0), local(5, 5, 8))
OVERDUE_1 = (Step(StepKind.OVERDUE, 1), local(5, 6, 8))
LEVEL_1 = (Step(StepKind.ESCALATION, 3, 1), local(5, 8, 8))
LEVEL_2 = (Step(StepKind.ESCALATION, 6, 2), local(5, 11, 8))


def test_a_date_is_due_at_the_end_of_that_day_station_time():
    due = rules.due_time(DUE_DAY)
    assert due == datetime.datetime(2026, 5, 5, 23, 59, 59, 999999, tzinfo=rules.local_zone())
    assert due.utcoffset() == datetime.timedelta(hours=8)  # Asia/Shanghai
    assert rules.due_time(local(5, 5, 15)) == local(5, 5, 15)
    with pytest.raises(ValueError):
        rules.due_time(datetime.datetime(2026, 5, 5, 15))  # naive: whose 15:00?


def test_the_defaults_are_three_days_one_day_and_the_day_itself_then_daily_then_escalation():
    assert (
        Schedule(
            before_days=(3, 1, 0),
            send_at=datetime.time(8),
            overdue_every_days=1,
            escalate_after_days=3,
            escalate_every_days=3,
            escalation_levels=2,
        )
        == DEFAULT
    )
    assert ReminderDefaults().schedule() == DEFAULT
    series = rules.responsible_steps(rules.end_of_day(DUE_DAY), DEFAULT)
    first = [next(series) for _ in range(6)]
    assert steps(first) == [
        BEFORE_3,
        BEFORE_1,
        ON_THE_DAY,
        OVERDUE_1,
        (Step(StepKind.OVERDUE, 2), local(5, 7, 8)),
        (Step(StepKind.OVERDUE, 3), local(5, 8, 8)),
    ]
    assert steps(rules.escalation_steps(rules.end_of_day(DUE_DAY), DEFAULT)) == [LEVEL_1, LEVEL_2]


def test_a_deadline_set_well_ahead_holds_every_step_and_the_next_overdue_one():
    planned = rules.plan(due_at=rules.end_of_day(DUE_DAY), schedule=DEFAULT, now=local(4, 28, 10))
    assert steps(planned) == [BEFORE_3, BEFORE_1, ON_THE_DAY, OVERDUE_1, LEVEL_1, LEVEL_2]


def test_a_deadline_set_late_sends_the_latest_missed_reminder_at_once_and_not_the_earlier_ones():
    # Set on 4 May at 10:00, due on the 5th: "3 days before" is long gone, "1 day before" (08:00
    # today) is due now, and is the only one of the past.
    planned = rules.plan(due_at=rules.end_of_day(DUE_DAY), schedule=DEFAULT, now=local(5, 4, 10))
    assert steps(planned) == [BEFORE_1, ON_THE_DAY, OVERDUE_1, LEVEL_1, LEVEL_2]


def test_a_deadline_set_before_the_hour_on_the_day_of_a_step_sends_that_step_at_once():
    # Recorded at 06:00 on 2 May, due on the 5th: today is "3 days before"; it goes now, not at 08:00.
    now = local(5, 2, 6)
    planned = rules.plan(due_at=rules.end_of_day(DUE_DAY), schedule=DEFAULT, now=now)
    assert steps(planned) == [(Step(StepKind.BEFORE, 3), now), BEFORE_1, ON_THE_DAY, OVERDUE_1, LEVEL_1, LEVEL_2]
    # Moved again at 06:10, after that reminder went out at 06:01: it is not sent twice that day.
    again = rules.plan(
        due_at=rules.end_of_day(DUE_DAY),
        schedule=DEFAULT,
        now=local(5, 2, 6, 10),
        last_sent_to_responsible=local(5, 2, 6, 1),
    )
    assert steps(again) == [BEFORE_1, ON_THE_DAY, OVERDUE_1, LEVEL_1, LEVEL_2]


def test_a_reminder_sent_since_the_latest_step_is_not_repeated_when_the_deadline_moves():
    # "1 day before" went out at 08:00; the deadline is moved by an hour at 10:00: nothing again now.
    planned = rules.plan(
        due_at=local(5, 5, 23),
        schedule=DEFAULT,
        now=local(5, 4, 10),
        last_sent_to_responsible=local(5, 4, 8, 1),
    )
    assert steps(planned) == [(Step(StepKind.DUE, 0), local(5, 5, 8)), OVERDUE_1, LEVEL_1, LEVEL_2]


def test_a_deadline_already_overdue_sends_one_overdue_reminder_and_one_escalation_now():
    now = local(5, 12, 9)  # 7 days overdue: both escalation levels have passed
    planned = rules.plan(due_at=rules.end_of_day(DUE_DAY), schedule=DEFAULT, now=now)
    assert steps(planned) == [
        LEVEL_2,  # the latest level only: the leadership group, not the director first
        (Step(StepKind.OVERDUE, 7), local(5, 12, 8)),
        (Step(StepKind.OVERDUE, 8), local(5, 13, 8)),
    ]
    assert [p.due_at <= now for p in planned] == [True, True, False]


def test_a_deadline_with_a_time_counts_local_days_and_reminds_on_its_day_no_later_than_it():
    afternoon = rules.plan(due_at=local(5, 5, 15), schedule=DEFAULT, now=local(4, 1))
    assert steps(afternoon)[:3] == [BEFORE_3, BEFORE_1, ON_THE_DAY]
    early = rules.plan(due_at=local(5, 5, 7), schedule=DEFAULT, now=local(4, 1))
    assert steps(early)[2] == (Step(StepKind.DUE, 0), local(5, 5, 7))  # not after the due time
    # 01:00 local on the 5th is still 4 May in UTC: days are the station's.
    assert rules.due_day(local(5, 5, 1)) == DUE_DAY


def test_the_office_settings_change_the_steps():
    schedule = Schedule(
        before_days=(7, 2),
        send_at=datetime.time(9, 30),
        overdue_every_days=2,
        escalate_after_days=5,
        escalate_every_days=2,
        escalation_levels=3,
    )
    planned = rules.plan(due_at=rules.end_of_day(DUE_DAY), schedule=schedule, now=local(4, 1))
    assert steps(planned) == [
        (Step(StepKind.BEFORE, 7), local(4, 28, 9, 30)),
        (Step(StepKind.BEFORE, 2), local(5, 3, 9, 30)),
        (Step(StepKind.OVERDUE, 2), local(5, 7, 9, 30)),
        (Step(StepKind.ESCALATION, 5, 1), local(5, 10, 9, 30)),
        (Step(StepKind.ESCALATION, 7, 2), local(5, 12, 9, 30)),
        (Step(StepKind.ESCALATION, 9, 3), local(5, 14, 9, 30)),
    ]
    quiet = Schedule(before_days=(1,), overdue_every_days=None, escalate_after_days=None)
    assert steps(rules.plan(due_at=rules.end_of_day(DUE_DAY), schedule=quiet, now=local(4, 1))) == [BEFORE_1]


def test_the_next_overdue_reminder_is_counted_from_now_not_from_the_one_just_sent():
    due = rules.end_of_day(DUE_DAY)
    assert rules.next_overdue(due_at=due, schedule=DEFAULT, after=local(5, 6, 8)).due_at == local(5, 7, 8)
    # The worker was down for two weeks: the next one is tomorrow, not the fourteen it missed.
    later = rules.next_overdue(due_at=due, schedule=DEFAULT, after=local(5, 20, 10))
    assert (later.step, later.due_at) == (Step(StepKind.OVERDUE, 16), local(5, 21, 8))
    every_other = Schedule(overdue_every_days=2)
    assert rules.next_overdue(due_at=due, schedule=every_other, after=local(5, 9, 10)).due_at == local(5, 11, 8)
    assert rules.next_overdue(due_at=due, schedule=Schedule(overdue_every_days=None), after=local(5, 9)) is None


def test_days_left_counts_station_days():
    due = rules.end_of_day(DUE_DAY)
    assert rules.days_left(due, local(5, 2, 23, 59)) == 3
    assert rules.days_left(due, local(5, 5, 0, 1)) == 0
    assert rules.days_left(due, local(5, 8, 12)) == -3


def test_defaults_in_code_must_be_whole_days():
    assert ReminderDefaults(before=(days(2),), overdue_every=None).schedule().before_days == (2,)
    with pytest.raises(ImproperlyConfigured):
        ReminderDefaults(before=(datetime.timedelta(hours=36),)).schedule()
    with pytest.raises(ImproperlyConfigured):
        ReminderDefaults(escalate_after=days(400)).schedule()


schedules = st.builds(
    Schedule,
    before_days=st.lists(st.integers(0, 30), max_size=5).map(lambda values: tuple(sorted(set(values), reverse=True))),
    send_at=st.times().map(lambda t: t.replace(microsecond=0)),
    overdue_every_days=st.none() | st.integers(1, 7),
    escalate_after_days=st.none() | st.integers(1, 10),
    escalate_every_days=st.integers(1, 7),
    escalation_levels=st.integers(1, 3),
)
moments = st.datetimes(
    min_value=datetime.datetime(2026, 1, 1),
    max_value=datetime.datetime(2026, 12, 31),
    timezones=st.just(rules.local_zone()),
)


@given(schedule=schedules, due_at=moments, now=moments)
def test_a_plan_holds_at_most_one_past_reminder_per_audience_and_one_future_overdue_one(schedule, due_at, now):
    planned = rules.plan(due_at=due_at, schedule=schedule, now=now)
    assert [p.due_at for p in planned] == sorted(p.due_at for p in planned)
    responsible = [p for p in planned if not p.step.is_escalation]
    escalations = [p for p in planned if p.step.is_escalation]
    for audience in (responsible, escalations):
        assert sum(p.due_at <= now for p in audience) <= 1
        assert len({p.step for p in audience}) == len(audience)
    assert sum(p.step.kind == StepKind.OVERDUE and p.due_at > now for p in planned) <= 1
    # Something is always held while anything is left to remind of.
    if schedule.overdue_every_days:
        assert any(p.due_at > now and not p.step.is_escalation for p in planned)

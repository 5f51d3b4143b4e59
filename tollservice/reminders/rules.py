"""The schedule arithmetic of reminders: pure functions of a due time, a schedule and "now".

Reminders go out at one time of day (08:00 local time unless the office sets another), counted in
calendar days of the station's time zone (Asia/Shanghai): "1 day before" a deadline due on 5 May
is 4 May at 08:00, "on the day" is 5 May at 08:00 (or the due time itself if that is earlier),
"overdue by 2 days" is 7 May at 08:00. Counting in whole local days, not in 24-hour periods from
the due time, is what makes a deadline given as a date (due at the end of its day) remind in the
morning rather than just before midnight.

Two series of reminders belong to a deadline, each with its own audience:

- the responsible people: before the deadline (the policy's days, 0 being the day itself), then
  every ``overdue_every_days`` once it has passed, without end until the deadline is closed;
- the escalation: level 1 once it is ``escalate_after_days`` overdue, each further level
  ``escalate_every_days`` later, up to ``escalation_levels``; the kind says who each level reaches.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The longest a schedule may count, in days (a year): beyond it a reminder stops being one.
MAX_DAYS = 365
MAX_LEVELS = 5


class StepKind(models.TextChoices):
    BEFORE = "before", _("Before the deadline")
    DUE = "due", _("On the day")
    OVERDUE = "overdue", _("Overdue")
    ESCALATION = "escalation", _("Escalation")


@dataclass(frozen=True)
class Step:
    """What one reminder is: the kind's ``message`` and ``escalation_recipients`` receive it.

    ``days`` counts whole local days: before the due day (BEFORE), after it (OVERDUE and
    ESCALATION), 0 on the day (DUE). ``level`` is the escalation level, 1, 2, … (ESCALATION only).
    """

    kind: str
    days: int = 0
    level: int = 0

    @property
    def is_escalation(self) -> bool:
        return self.kind == StepKind.ESCALATION

    @property
    def is_overdue(self) -> bool:
        return self.kind in (StepKind.OVERDUE, StepKind.ESCALATION)


@dataclass(frozen=True)
class Schedule:
    """When a kind's reminders go out; the defaults are the plan's sensible ones."""

    before_days: tuple[int, ...] = (3, 1, 0)
    send_at: datetime.time = datetime.time(8, 0)
    overdue_every_days: int | None = 1  # None: nothing after the deadline
    escalate_after_days: int | None = 3  # None: never escalated
    escalate_every_days: int = 3
    escalation_levels: int = 2


@dataclass(frozen=True)
class Planned:
    step: Step
    due_at: datetime.datetime


def local_zone():
    # The station's zone (settings.TIME_ZONE), never the zone a request may have activated.
    return timezone.get_default_timezone()


def end_of_day(day: datetime.date) -> datetime.datetime:
    """A deadline given as a date is due at the END of that day in the station's time zone
    (Asia/Shanghai): 23:59:59.999999 local time, so that whatever is done that day is in time."""
    return datetime.datetime.combine(day, datetime.time.max, tzinfo=local_zone())


def due_time(value: datetime.date | datetime.datetime) -> datetime.datetime:
    """The due moment of a deadline given as an aware datetime or as a date (see ``end_of_day``)."""
    if isinstance(value, datetime.datetime):
        if timezone.is_naive(value):
            raise ValueError("A deadline's due time must be timezone-aware (or a date).")
        return value
    if isinstance(value, datetime.date):
        return end_of_day(value)
    raise TypeError(f"A deadline is due at a date or an aware datetime, not {value!r}")


def due_day(due_at: datetime.datetime) -> datetime.date:
    return due_at.astimezone(local_zone()).date()


def days_left(due_at: datetime.datetime, now: datetime.datetime) -> int:
    """Whole local days from today to the due day: 0 on the day, negative once it has passed."""
    return (due_day(due_at) - now.astimezone(local_zone()).date()).days


def _at(day: datetime.date, schedule: Schedule) -> datetime.datetime:
    return datetime.datetime.combine(day, schedule.send_at, tzinfo=local_zone())


def _overdue_at(day: datetime.date, days: int, schedule: Schedule) -> datetime.datetime | None:
    try:
        return _at(day + datetime.timedelta(days=days), schedule)
    except OverflowError:  # past the year 9999: no such day, no such reminder
        return None


def responsible_steps(due_at: datetime.datetime, schedule: Schedule) -> Iterator[Planned]:
    """The responsible people's reminders in time order; endless when overdue ones repeat."""
    day = due_day(due_at)
    for days in sorted(set(schedule.before_days), reverse=True):
        try:
            moment = min(_at(day - datetime.timedelta(days=days), schedule), due_at)
        except OverflowError:  # before the year 1
            continue
        yield Planned(Step(StepKind.DUE if days == 0 else StepKind.BEFORE, days), moment)
    if not schedule.overdue_every_days:
        return
    days = schedule.overdue_every_days
    while (moment := _overdue_at(day, days, schedule)) is not None:
        yield Planned(Step(StepKind.OVERDUE, days), moment)
        days += schedule.overdue_every_days


def escalation_steps(due_at: datetime.datetime, schedule: Schedule) -> list[Planned]:
    if not schedule.escalate_after_days:
        return []
    day = due_day(due_at)
    planned = []
    for level in range(1, schedule.escalation_levels + 1):
        days = schedule.escalate_after_days + (level - 1) * schedule.escalate_every_days
        if (moment := _overdue_at(day, days, schedule)) is not None:
            planned.append(Planned(Step(StepKind.ESCALATION, days, level), moment))
    return planned


def _start_of_day(moment: datetime.datetime) -> datetime.datetime:
    return datetime.datetime.combine(due_day(moment), datetime.time.min, tzinfo=local_zone())


def _hold(
    series, *, now: datetime.datetime, last_sent: datetime.datetime | None, stop_after_overdue: bool
) -> list[Planned]:
    today = due_day(now)
    reached, held = None, []
    for planned in series:
        if planned.due_at <= now or due_day(planned.due_at) <= today:
            reached = planned
            continue
        held.append(planned)
        if stop_after_overdue and planned.step.kind == StepKind.OVERDUE:
            break  # the next overdue reminder is added when this one is sent (next_overdue)
    # The latest step whose day has come is sent at once, unless a reminder went out on or after
    # that day began (then it was this step's, or a later one's).
    if reached is not None and (last_sent is None or last_sent < _start_of_day(reached.due_at)):
        held.insert(0, Planned(reached.step, min(reached.due_at, now)))
    return held


def plan(
    *,
    due_at: datetime.datetime,
    schedule: Schedule,
    now: datetime.datetime,
    last_sent_to_responsible: datetime.datetime | None = None,
    last_escalation_sent: datetime.datetime | None = None,
) -> list[Planned]:
    """The reminders a deadline holds from ``now`` on, for a deadline set or moved at ``now``.

    Every step of a day still to come is held, except that of the endless overdue repetition only
    the next one is. Of the steps whose day has come (today's too, even before its hour), only the
    latest of each series is kept, due at once, and only if nothing went to that audience since
    that day began: a deadline set or moved late sends one reminder saying how things stand, not a
    burst of those it missed, and moving a deadline by an hour does not repeat the reminder just
    sent. (The hour of day paces the reminders that are planned ahead; it does not hold back the
    one a deadline set today already calls for.)
    """
    held = _hold(
        responsible_steps(due_at, schedule), now=now, last_sent=last_sent_to_responsible, stop_after_overdue=True
    )
    held += _hold(escalation_steps(due_at, schedule), now=now, last_sent=last_escalation_sent, stop_after_overdue=False)
    return sorted(held, key=lambda planned: planned.due_at)


def next_overdue(*, due_at: datetime.datetime, schedule: Schedule, after: datetime.datetime) -> Planned | None:
    """The first overdue reminder after ``after``: the one to hold once an overdue one is sent.

    Counted from ``after`` rather than from the reminder just sent, so that a worker that was
    down for a week sends one reminder when it returns, not seven in seven minutes.
    """
    every = schedule.overdue_every_days
    if not every:
        return None
    day = due_day(due_at)
    elapsed = (after.astimezone(local_zone()).date() - day).days
    days = max(every, elapsed // every * every)
    while (moment := _overdue_at(day, days, schedule)) is not None:
        if moment > after:
            return Planned(Step(StepKind.OVERDUE, days), moment)
        days += every
    return None

"""What a module's deadlines mean, registered once in its ``AppConfig.ready()``.

::

    register_kind(DeadlineKind(
        key="inspections.rectification",
        label=_("Rectification order"),
        message=lambda deadline, step: ReminderMessage(subject=..., body=..., url=...),
        escalation_recipients=escalate_to_office_then_leadership,
        defaults=ReminderDefaults(before=(days(3), days(1), days(0)), overdue_every=days(1),
                                  escalate_after=days(3)),
    ))

``message`` and ``escalation_recipients`` are called when a reminder is sent, in the worker, so
that people who changed posts are found as they are then. The defaults are copied into a
``ReminderPolicy`` row the first time the kind is used; the office edits that row in the portal.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured

from tollservice.reminders.rules import MAX_DAYS, Schedule, Step, StepKind

if TYPE_CHECKING:
    from tollservice.reminders.models import Deadline

__all__ = [
    "DeadlineKind",
    "ReminderDefaults",
    "ReminderMessage",
    "Step",
    "StepKind",
    "days",
    "get_kind",
    "register_kind",
    "registered_kinds",
]


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def _whole_days(value: datetime.timedelta | None, name: str) -> int | None:
    if value is None:
        return None
    if value % datetime.timedelta(days=1) or not 0 <= value.days <= MAX_DAYS:
        raise ImproperlyConfigured(f"Reminder {name} must be whole days from 0 to {MAX_DAYS}, not {value!r}")
    return value.days


@dataclass(frozen=True)
class ReminderDefaults:
    """A kind's schedule in code (see ``rules``); whole days, reminders at ``send_at`` local time."""

    before: tuple[datetime.timedelta, ...] = (days(3), days(1), days(0))
    overdue_every: datetime.timedelta | None = days(1)  # None: no reminders once it has passed
    escalate_after: datetime.timedelta | None = days(3)  # None: never escalated
    escalate_every: datetime.timedelta = days(3)  # from one escalation level to the next
    escalation_levels: int = 2
    send_at: datetime.time = datetime.time(8, 0)

    def schedule(self) -> Schedule:
        overdue_every = _whole_days(self.overdue_every, "overdue_every")
        escalate_after = _whole_days(self.escalate_after, "escalate_after")
        return Schedule(
            before_days=tuple(sorted({_whole_days(offset, "before") for offset in self.before}, reverse=True)),
            send_at=self.send_at,
            overdue_every_days=overdue_every or None,
            escalate_after_days=escalate_after or None,
            escalate_every_days=max(1, _whole_days(self.escalate_every, "escalate_every")),
            escalation_levels=self.escalation_levels,
        )


@dataclass(frozen=True)
class ReminderMessage:
    subject: str
    body: str = ""
    url: str = ""  # a path inside the portal; the email adds the portal's address


def _nobody(deadline: Deadline, step: Step) -> Iterable[Any]:
    return []


@dataclass(frozen=True)
class DeadlineKind:
    key: str  # unique, "<app>.<what>"
    label: str  # shown on the settings page and the dashboard
    message: Callable[[Deadline, Step], ReminderMessage]
    escalation_recipients: Callable[[Deadline, Step], Iterable[Any]] = _nobody
    defaults: ReminderDefaults = field(default_factory=ReminderDefaults)
    # The permission a reader needs for the deadline's page; a reminder or the dashboard shows
    # the link only to those who hold it (a responsible collector may not open a talk's page).
    link_permission: str | None = None


_KINDS: dict[str, DeadlineKind] = {}


def register_kind(kind: DeadlineKind) -> DeadlineKind:
    if "." not in kind.key or len(kind.key) > 100:
        raise ImproperlyConfigured(f"A deadline kind's key is '<app>.<what>' (100 characters at most): {kind.key!r}")
    existing = _KINDS.get(kind.key)
    if existing is not None and existing != kind:
        raise ImproperlyConfigured(f"Deadline kind {kind.key!r} is registered twice")
    kind.defaults.schedule()  # a bad default fails at start-up, not in the worker
    _KINDS[kind.key] = kind
    return kind


def get_kind(key: str) -> DeadlineKind:
    try:
        return _KINDS[key]
    except KeyError:
        raise LookupError(f"No deadline kind {key!r} is registered (register_kind in the app's ready())") from None


def registered_kinds() -> list[DeadlineKind]:
    return sorted(_KINDS.values(), key=lambda kind: kind.key)

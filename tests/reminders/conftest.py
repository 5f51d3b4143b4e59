"""A deadline kind of the tests' own ("tests.sample"), registered for the test that asks for it."""

import datetime
from types import SimpleNamespace

import pytest

from tests.roster.factories import TeamFactory, UserFactory, user_with_role
from tollservice.reminders import registry
from tollservice.reminders.registry import DeadlineKind, ReminderMessage

SAMPLE = "tests.sample"

# A schedule the office might set (reminder_policy_change keyword arguments).
POLICY = {
    "before_days": [5, 2],
    "send_at": datetime.time(9, 30),
    "overdue_every_days": 2,
    "escalate_after_days": 4,
    "escalate_every_days": 2,
    "escalation_levels": 1,
}


@pytest.fixture
def sample(db, monkeypatch):
    """The sample kind, an object to set its deadline on, two responsible accounts, an escalation
    chain (``escalate_to``: level → accounts, read when the reminder is sent) and the office."""
    escalate_to = {1: [UserFactory(username="director")], 2: [UserFactory(username="leader")]}

    def message(deadline, step):
        return ReminderMessage(subject=f"{deadline.title} {step.kind} {step.days}", body="请按时完成。")

    kind = DeadlineKind(
        key=SAMPLE,
        label="Sample",
        message=message,
        escalation_recipients=lambda deadline, step: escalate_to.get(step.level, []),
        link_permission="roster.view",
    )
    monkeypatch.setitem(registry._KINDS, SAMPLE, kind)
    return SimpleNamespace(
        kind=kind,
        obj=TeamFactory(name="收费3班"),
        alice=UserFactory(username="alice"),
        bob=UserFactory(username="bob"),
        escalate_to=escalate_to,
        office=user_with_role("office"),
    )

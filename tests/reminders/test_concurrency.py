"""Exactly once under real concurrency, on PostgreSQL: each call in its own thread and connection
(tests/penalties/concurrency.py's ``race``)."""

import dataclasses
import datetime
import threading
import time

import pytest
from django.utils import timezone

from tests.penalties.concurrency import race
from tests.reminders.conftest import SAMPLE
from tests.roster.factories import TeamFactory
from tests.services import require_postgres
from tollservice.notifications.models import Notification
from tollservice.reminders import registry
from tollservice.reminders.models import Reminder
from tollservice.reminders.services import deadline_close, deadline_set, reminder_send, sending
from tollservice.reminders.tasks import send_due_reminders

pytestmark = pytest.mark.postgres

DEADLINES = 8


def _due_soon(sample, obj=None):
    # Due in an hour: the latest of its reminders is due now.
    return deadline_set(
        obj=obj or TeamFactory(),
        kind=SAMPLE,
        due_at=timezone.now() + datetime.timedelta(hours=1),
        responsible=[sample.alice, sample.bob],
        actor=None,
    )


def test_two_overlapping_runs_of_the_task_send_each_reminder_once(transactional_db, sample, monkeypatch):
    require_postgres()
    for _ in range(DEADLINES):
        _due_soon(sample)
    due = Reminder.objects.pending().filter(due_at__lte=timezone.now())
    assert due.count() == DEADLINES
    send = sending.notification_send

    def slow_send(**kwargs):  # both runs certainly overlap: each holds its reminders a while
        time.sleep(0.02)
        return send(**kwargs)

    monkeypatch.setattr(sending, "notification_send", slow_send)
    outcomes = race([send_due_reminders, send_due_reminders])

    assert [kind for kind, _ in outcomes] == ["ok", "ok"], outcomes
    assert sum(sent for _, sent in outcomes) == DEADLINES
    assert Reminder.objects.filter(sent_at__isnull=False).count() == DEADLINES
    for user in (sample.alice, sample.bob):
        assert Notification.objects.filter(recipient=user).count() == DEADLINES  # once per deadline


def test_closing_a_deadline_while_its_reminder_is_being_sent_sends_nothing(transactional_db, sample, monkeypatch):
    require_postgres()
    deadline = _due_soon(sample, obj=sample.obj)
    [due] = deadline.reminders.pending().filter(due_at__lte=timezone.now())
    sending_started, closed = threading.Event(), threading.Event()
    message = sample.kind.message

    def waits_for_the_close(deadline, step):
        sending_started.set()
        assert closed.wait(10)
        return message(deadline, step)

    monkeypatch.setitem(registry._KINDS, SAMPLE, dataclasses.replace(sample.kind, message=waits_for_the_close))

    def close():
        assert sending_started.wait(10)
        deadline_close(obj=sample.obj, kind=SAMPLE, outcome="completed", actor=sample.office)
        closed.set()

    outcomes = race([lambda: reminder_send(reminder_id=due.pk), close])

    assert sorted(outcomes, key=str) == [("ok", False), ("ok", None)], outcomes
    due.refresh_from_db()
    assert due.sent_at is None and due.cancel_reason == Reminder.CancelReason.CLOSED
    assert Notification.objects.count() == 0  # the worker's notifications were rolled back

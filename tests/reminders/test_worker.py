"""Reminders sent by a real Celery worker (tests/celery_worker.py), exactly once.

Two runs of the beat task are queued for one due reminder, as when beat fires again before the
first run finished: the worker runs both, the reminder reaches each responsible person once in
the inbox, and each of them gets one email (sent by the notification's own task on the worker).
"""

from __future__ import annotations

import datetime
import threading

import pytest
from celery.signals import task_postrun
from django.core import mail
from django.utils import timezone

from tests.celery_worker import portal_worker_app, running_worker, wait_until
from tests.reminders.conftest import SAMPLE
from tollservice.notifications.models import Notification
from tollservice.reminders.models import Reminder
from tollservice.reminders.services import deadline_set
from tollservice.reminders.tasks import send_due_reminders

pytestmark = pytest.mark.worker


@pytest.fixture
def worker_app(tmp_path):
    with portal_worker_app(tmp_path) as app:
        yield app


def test_two_runs_of_the_task_on_a_real_worker_send_a_due_reminder_once(transactional_db, sample, worker_app):
    # Due in an hour: its latest reminder is due now.
    deadline = deadline_set(
        obj=sample.obj,
        kind=SAMPLE,
        due_at=timezone.now() + datetime.timedelta(hours=1),
        responsible=[sample.alice, sample.bob],
        actor=sample.office,
    )
    [due] = deadline.reminders.pending().filter(due_at__lte=timezone.now())
    runs: list[tuple[object, bool, bool]] = []  # (sent, eager?, in the test's own thread?)

    def record(sender=None, task=None, retval=None, **kwargs):
        if task is not None and task.name == send_due_reminders.name:
            runs.append((retval, bool(task.request.is_eager), threading.current_thread() is threading.main_thread()))

    task_postrun.connect(record, weak=False)
    try:
        with running_worker(worker_app):
            assert send_due_reminders.app is worker_app
            send_due_reminders.delay()
            send_due_reminders.delay()
            wait_until(
                lambda: len(runs) == 2 and Notification.objects.filter(emailed_at__isnull=False).count() == 2,
                "run the task twice and email the reminder",
            )
    finally:
        task_postrun.disconnect(record)

    assert sorted(runs, key=str) == [(0, False, False), (1, False, False)]  # one run sent it, by the worker
    due.refresh_from_db()
    assert due.sent_at is not None and due.recipient_count == 2
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 1
    inbox = Notification.objects.order_by("recipient__username").values_list("recipient__username", "subject")
    assert [name for name, _ in inbox] == ["alice", "bob"]
    assert sorted(message.to[0] for message in mail.outbox) == ["alice@station.invalid", "bob@station.invalid"]

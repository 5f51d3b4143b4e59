"""The Celery path end to end with a real worker, not eager mode (tests/celery_worker.py).

A notification sent inside a transaction is published only on commit; the worker emails it and
marks it sent.
"""

from __future__ import annotations

import threading
import time

import pytest
from celery.signals import task_postrun
from django.core import mail
from django.db import transaction

from tests.celery_worker import portal_worker_app, running_worker, wait_until
from tests.roster.factories import UserFactory
from tollservice.notifications.models import Notification
from tollservice.notifications.services import notification_send
from tollservice.notifications.tasks import deliver_email

pytestmark = pytest.mark.worker


@pytest.fixture
def worker_app(tmp_path):
    with portal_worker_app(tmp_path) as app:
        yield app


def test_notification_is_delivered_by_a_real_worker_after_commit(transactional_db, worker_app):
    user = UserFactory(email="office@station.invalid")
    executed_by: list[tuple[bool, bool]] = []  # (eager?, in the test's own thread?)

    def record(sender=None, task=None, **kwargs):
        if task is not None and task.name == deliver_email.name:
            executed_by.append((bool(task.request.is_eager), threading.current_thread() is threading.main_thread()))

    task_postrun.connect(record, weak=False)
    try:
        with running_worker(worker_app):
            assert deliver_email.app is worker_app, "tasks are not published to the test worker's broker"
            with transaction.atomic():
                notification = notification_send(
                    recipient=user, subject="限期整改通知", body="收费3班：请于三日内完成整改。", url="/roster/"
                )
                time.sleep(0.5)
                # Not before commit: the message is not even on the broker yet.
                assert executed_by == []

            wait_until(
                lambda: (
                    bool(executed_by)
                    and Notification.objects.filter(pk=notification.pk, emailed_at__isnull=False).exists()
                ),
                "deliver the notification",
            )
    finally:
        task_postrun.disconnect(record)

    assert executed_by == [(False, False)]  # run once, by the worker, not eagerly in this thread
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert list(Notification.objects.filter(recipient=user, read_at__isnull=True)) == [notification]
    [message] = mail.outbox
    assert message.to == ["office@station.invalid"]
    assert message.subject == "限期整改通知"

"""The Celery path end to end with a real worker, not eager mode.

A worker thread consumes from a real broker: Redis when REDIS_URL is set (CI's second run),
else the filesystem broker `make run` uses, in a temporary folder. A notification sent inside
a transaction is published only on commit; the worker emails it and marks it sent.
"""

from __future__ import annotations

import threading
import time
import uuid

import pytest
from celery import Celery
from celery.contrib.testing.worker import TestWorkController, start_worker
from celery.signals import task_postrun
from django.conf import settings
from django.core import mail
from django.db import transaction

from tests.roster.factories import UserFactory
from tests.services import redis_url
from tollservice.celery import app as portal_app
from tollservice.celery import ensure_broker_folders
from tollservice.notifications.models import Notification
from tollservice.notifications.services import notification_send
from tollservice.notifications.tasks import deliver_email

pytestmark = pytest.mark.worker

START_TIMEOUT = 30.0
DELIVERY_TIMEOUT = 30.0


class BoundedWorkController(TestWorkController):
    """Celery's test worker waits for start-up forever; a broken broker must fail, not hang."""

    def ensure_started(self):
        if not self._on_started.wait(START_TIMEOUT):
            raise RuntimeError(f"The Celery worker did not start within {START_TIMEOUT} seconds")


@pytest.fixture
def worker_app(tmp_path):
    """A Celery app configured like the portal's, on a broker of its own, never eager."""
    app = Celery("tollservice-worker-test", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    # A queue of its own: nothing else on the broker can take the test's message.
    overrides = {
        "task_always_eager": False,
        "task_default_queue": f"worker-test-{uuid.uuid4().hex[:12]}",
        "worker_hijack_root_logger": False,
        "broker_connection_retry_on_startup": False,
        "broker_connection_max_retries": 2,
        "broker_connection_timeout": 5,
    }
    if settings.REDIS_URL:
        overrides |= {"broker_url": redis_url(), "broker_transport_options": {}}
    else:
        folder = tmp_path / "broker"
        overrides |= {
            "broker_url": "filesystem://localhost//",
            "broker_transport_options": {
                "data_folder_in": str(folder / "queue"),
                "data_folder_out": str(folder / "queue"),
                "processed_folder": str(folder / "processed"),
                "control_folder": str(folder / "control"),
                "polling_interval": 0.1,
            },
        }
        # The portal's own hook creates the folders when the configuration is read (make run).
        app.on_after_configure.connect(ensure_broker_folders, weak=False)
    app.conf.update(overrides)
    assert app.conf.task_always_eager is False  # the first read configures the app
    if not settings.REDIS_URL:
        assert (tmp_path / "broker" / "queue").is_dir(), "the broker folders were not created on configuration"
        # The portal's own transport, which never hands the worker a half-written message.
        assert app.conf.broker_transport == "tollservice.core.broker:Transport"
    try:
        yield app
    finally:
        # start_worker made the test app the current and default one; give the portal its app back.
        portal_app.set_current()
        portal_app.set_default()
        app.close()


def test_notification_is_delivered_by_a_real_worker_after_commit(transactional_db, worker_app):
    user = UserFactory(email="office@station.invalid")
    executed_by: list[tuple[bool, bool]] = []  # (eager?, in the test's own thread?)

    def record(sender=None, task=None, **kwargs):
        if task is not None and task.name == deliver_email.name:
            executed_by.append((bool(task.request.is_eager), threading.current_thread() is threading.main_thread()))

    task_postrun.connect(record, weak=False)
    try:
        with start_worker(
            worker_app,
            pool="solo",
            perform_ping_check=False,
            shutdown_timeout=20.0,
            WorkController=BoundedWorkController,
        ):
            assert deliver_email.app is worker_app, "tasks are not published to the test worker's broker"
            with transaction.atomic():
                notification = notification_send(
                    recipient=user, subject="限期整改通知", body="收费3班：请于三日内完成整改。", url="/roster/"
                )
                time.sleep(0.5)
                # Not before commit: the message is not even on the broker yet.
                assert executed_by == []

            deadline = time.monotonic() + DELIVERY_TIMEOUT
            while time.monotonic() < deadline:
                if Notification.objects.filter(pk=notification.pk, emailed_at__isnull=False).exists() and executed_by:
                    break
                time.sleep(0.1)
            else:
                pytest.fail(f"The worker did not deliver the notification within {DELIVERY_TIMEOUT} seconds")
    finally:
        task_postrun.disconnect(record)

    assert executed_by == [(False, False)]  # run once, by the worker, not eagerly in this thread
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert list(Notification.objects.filter(recipient=user, read_at__isnull=True)) == [notification]
    [message] = mail.outbox
    assert message.to == ["office@station.invalid"]
    assert message.subject == "限期整改通知"

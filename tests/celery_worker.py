"""A real Celery worker for tests that must not run tasks eagerly.

A worker thread consumes from a real broker: Redis when REDIS_URL is set (CI's second run),
else the filesystem broker `make run` uses, in a temporary folder. Each test module keeps a
two-line fixture::

    @pytest.fixture
    def worker_app(tmp_path):
        with portal_worker_app(tmp_path) as app:
            yield app

and runs its tasks inside ``with running_worker(worker_app):``.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from contextlib import contextmanager

import pytest
from celery import Celery
from celery.contrib.testing.worker import TestWorkController, start_worker
from django.conf import settings

from tests.services import redis_url
from tollservice.celery import app as portal_app
from tollservice.celery import ensure_broker_folders

START_TIMEOUT = 30.0
DELIVERY_TIMEOUT = 30.0


class BoundedWorkController(TestWorkController):
    """Celery's test worker waits for start-up forever; a broken broker must fail, not hang."""

    def ensure_started(self):
        if not self._on_started.wait(START_TIMEOUT):
            raise RuntimeError(f"The Celery worker did not start within {START_TIMEOUT} seconds")


@contextmanager
def portal_worker_app(tmp_path):
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


def running_worker(app):
    """One worker thread (the solo pool, as `make run`) consuming ``app``'s queue."""
    return start_worker(
        app, pool="solo", perform_ping_check=False, shutdown_timeout=20.0, WorkController=BoundedWorkController
    )


def wait_until(condition: Callable[[], bool], what: str, timeout: float = DELIVERY_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(f"The worker did not {what} within {timeout} seconds")

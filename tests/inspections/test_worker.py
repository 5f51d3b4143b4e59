"""End to end with a real Celery worker (tests/celery_worker.py): a rectification order due in
three days is reminded once — in the inbox and by one email to each person answering for it —
however often the beat's task runs."""

from __future__ import annotations

import datetime
import threading

import pytest
from celery.signals import task_postrun
from django.core import mail
from django.utils import timezone

from inspections import services
from tests.celery_worker import portal_worker_app, running_worker, wait_until
from tests.inspections.factories import finding, inspection
from tollservice.notifications.models import Notification
from tollservice.reminders.models import Reminder
from tollservice.reminders.tasks import send_due_reminders

pytestmark = pytest.mark.worker


@pytest.fixture
def worker_app(tmp_path):
    with portal_worker_app(tmp_path) as app:
        yield app


def test_a_real_worker_sends_the_reminder_of_an_order_due_in_three_days_once(
    transactional_db, standard, site, worker_app
):
    filed = inspection(by=site.office, team=site.team_a, breaches={"JC-01": (1, site.collector)})
    order = services.rectification_order_issue(
        finding=finding(filed, "JC-01"),
        issued_by=site.office,
        instructions="佩戴工号牌上岗。",
        deadline=timezone.localdate() + datetime.timedelta(days=3),
        assignee=site.collector,
    )
    [due] = Reminder.objects.filter(deadline__object_id=order.pk, due_at__lte=timezone.now(), sent_at=None)
    assert (due.step, due.days) == ("before", 3)  # set on the day of its step: due at once
    Notification.objects.all().delete()
    mail.outbox.clear()
    runs = []

    def record(sender=None, task=None, retval=None, **kwargs):
        if task is not None and task.name == send_due_reminders.name:
            runs.append((retval, bool(task.request.is_eager), threading.current_thread() is threading.main_thread()))

    task_postrun.connect(record, weak=False)
    try:
        with running_worker(worker_app):
            send_due_reminders.delay()
            send_due_reminders.delay()  # beat fires again before the first run finished
            wait_until(
                lambda: len(runs) == 2 and Notification.objects.filter(emailed_at__isnull=False).count() == 2,
                "run the task twice and email the reminder",
            )
    finally:
        task_postrun.disconnect(record)

    assert sorted(runs, key=str) == [(0, False, False), (1, False, False)]  # one run sent it, on the worker
    due.refresh_from_db()
    assert due.sent_at is not None and due.recipient_count == 2
    notices = Notification.objects.order_by("recipient__username")
    assert {n.recipient for n in notices} == {site.collector.user, site.leader_a.user}
    assert all("3天后到期" in n.body for n in notices)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([site.collector.user.email, site.leader_a.user.email])

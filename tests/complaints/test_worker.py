"""The answer reminder of a complaint sent by a real Celery worker (tests/celery_worker.py), once,
although beat's task runs twice: the issue's "the answer reminder is sent once by the worker"."""

from __future__ import annotations

import datetime

import pytest
from celery.signals import task_postrun
from django.utils import timezone

from complaints import reminders
from complaints.models import Complaint
from tests.celery_worker import portal_worker_app, running_worker, wait_until
from tests.complaints.factories import register
from tollservice.notifications.models import Notification
from tollservice.reminders.models import Deadline
from tollservice.reminders.tasks import send_due_reminders

pytestmark = pytest.mark.worker


@pytest.fixture
def worker_app(tmp_path):
    with portal_worker_app(tmp_path) as app:
        yield app


def test_the_answer_reminder_is_sent_once_by_a_real_worker(transactional_db, people, worker_app):
    # A hotline work order due back at its centre in two hours: its answer reminder is due now.
    complaint = register(
        people,
        channel=Complaint.Channel.HOTLINE,
        work_order_deadline=timezone.now() + datetime.timedelta(hours=2),
    ).complaint
    answer = Deadline.objects.get(object_id=str(complaint.pk), kind=reminders.ANSWER)
    [due] = answer.reminders.pending().filter(due_at__lte=timezone.now())
    subject = "答复司机"
    runs = []

    def record(sender=None, task=None, retval=None, **kwargs):
        if task is not None and task.name == send_due_reminders.name:
            runs.append(retval)

    def answer_notices():
        return Notification.objects.filter(subject__contains=complaint.number).filter(subject__contains=subject)

    task_postrun.connect(record, weak=False)
    try:
        with running_worker(worker_app):
            assert send_due_reminders.app is worker_app
            send_due_reminders.delay()
            send_due_reminders.delay()
            wait_until(
                lambda: len(runs) == 2 and answer_notices().filter(emailed_at__isnull=False).exists(),
                "run the task twice and email the answer reminder",
            )
    finally:
        task_postrun.disconnect(record)

    assert sorted(runs) == [0, 1]  # one run sent it; the other found nothing due

    due.refresh_from_db()
    assert due.sent_at is not None and due.recipient_count == 1
    assert list(answer_notices().values_list("recipient", flat=True)) == [people.office.pk]

"""Notifications: inbox first, email from a task after commit, sent once however often it runs."""

import ast
import datetime
from pathlib import Path

import pytest
from celery import current_app
from django.core import mail
from django.db import transaction
from django.utils import timezone

from tests.notifications.factories import NotificationFactory
from tests.roster.factories import UserFactory
from tollservice.notifications import services
from tollservice.notifications.models import Notification
from tollservice.notifications.services import (
    CLAIM_TIMEOUT,
    DELIVER_EMAIL_TASK,
    notification_email_deliver,
    notification_mark_read,
    notification_send,
)
from tollservice.notifications.tasks import deliver_email

pytestmark = pytest.mark.django_db


def test_send_puts_it_in_the_inbox_and_queues_the_email_for_after_commit(django_capture_on_commit_callbacks):
    user = UserFactory(email="office@station.invalid")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification = notification_send(recipient=user, subject="整改通知", body="请整改。", url="/roster/")

    assert Notification.objects.filter(recipient=user).get() == notification
    assert len(callbacks) == 1
    assert mail.outbox == []  # nothing leaves before the transaction commits

    callbacks[0]()  # the commit; tasks run eagerly in the test settings

    notification.refresh_from_db()
    assert notification.emailed_at is not None
    [message] = mail.outbox
    assert message.to == ["office@station.invalid"]
    assert message.subject == "整改通知"
    assert "请整改。" in message.body
    assert message.body.rstrip().endswith("/roster/")


def test_nothing_is_queued_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    user = UserFactory()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notification_send(recipient=user, subject="never")
        raise RuntimeError("the service failed after sending")
    assert callbacks == []
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_email_is_sent_exactly_once_even_if_the_task_runs_twice():
    notification = NotificationFactory(recipient=UserFactory(email="a@station.invalid"))
    assert deliver_email.delay(notification.pk).get() is True
    assert deliver_email.delay(notification.pk).get() is False
    assert notification_email_deliver(notification_id=notification.pk) is False
    assert len(mail.outbox) == 1


def test_a_claim_held_by_another_worker_is_respected_until_it_goes_stale():
    notification = NotificationFactory(recipient=UserFactory(email="a@station.invalid"))
    Notification.objects.filter(pk=notification.pk).update(email_claimed_at=timezone.now())
    assert notification_email_deliver(notification_id=notification.pk) is False
    assert mail.outbox == []

    # The worker that claimed it died: after CLAIM_TIMEOUT someone else may send it.
    stale = timezone.now() - CLAIM_TIMEOUT - datetime.timedelta(seconds=1)
    Notification.objects.filter(pk=notification.pk).update(email_claimed_at=stale)
    assert notification_email_deliver(notification_id=notification.pk) is True
    assert len(mail.outbox) == 1


def test_recipient_without_email_gets_the_inbox_only():
    notification = NotificationFactory(recipient=UserFactory(email=""))
    assert notification_email_deliver(notification_id=notification.pk) is True
    notification.refresh_from_db()
    assert mail.outbox == []
    # Marked done, so the safety net does not try again every five minutes.
    assert notification.emailed_at is not None


def test_long_subjects_are_cut_to_fit():
    notification = notification_send(recipient=UserFactory(), subject="长" * 300)
    assert len(notification.subject) == 200


def test_mark_read_touches_only_the_users_own_notifications():
    user, other = UserFactory(), UserFactory()
    mine = NotificationFactory.create_batch(2, recipient=user)
    theirs = NotificationFactory(recipient=other)

    assert notification_mark_read(user=user, notification_ids=[mine[0].pk, theirs.pk]) == 1
    assert notification_mark_read(user=user) == 1
    assert notification_mark_read(user=user) == 0

    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_services_queue_the_email_task_by_its_registered_name_without_importing_it():
    # The task module imports the services; the services look the task up by name, so the two
    # modules do not import each other (not even inside a function).
    assert deliver_email.name == DELIVER_EMAIL_TASK
    assert current_app.tasks[DELIVER_EMAIL_TASK].name == DELIVER_EMAIL_TASK  # registered at start-up
    tree = ast.parse(Path(services.__file__).read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert not {name for name in imported if name and "tasks" in name}, imported

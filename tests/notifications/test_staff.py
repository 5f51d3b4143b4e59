"""Telling a person on the roster something, with or without a portal account
(``notification_send_to_staff``): the inbox, else the email on the roster, else nobody — and
the caller is told which, so that it never says "notified" of someone it could not reach."""

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from tests.roster.factories import StaffFactory, UserFactory
from tollservice.notifications.models import Notification
from tollservice.notifications.services import Reach, notification_email_deliver, notification_send_to_staff
from tollservice.notifications.tasks import deliver_pending_email

pytestmark = pytest.mark.django_db


def _send(staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return notification_send_to_staff(staff=staff, subject="处分决定", body="罚款200元。", url="/penalties/1/")


def test_a_person_with_an_account_gets_it_in_the_inbox_and_by_email(django_capture_on_commit_callbacks):
    staff = StaffFactory(user=UserFactory(email="a@station.invalid"), email="roster@station.invalid")
    notice = _send(staff, django_capture_on_commit_callbacks)
    assert notice.reach == Reach.INBOX and notice.reached and notice.address == "a@station.invalid"
    assert notice.notification.recipient == staff.user
    [message] = mail.outbox
    assert message.to == ["a@station.invalid"] and "/penalties/1/" in message.body


def test_an_account_without_an_address_is_emailed_at_the_roster_address(django_capture_on_commit_callbacks):
    staff = StaffFactory(user=UserFactory(email=""), email="roster@station.invalid")
    notice = _send(staff, django_capture_on_commit_callbacks)
    assert notice.reach == Reach.INBOX and notice.address == "roster@station.invalid"
    assert [m.to for m in mail.outbox] == [["roster@station.invalid"]]


def test_a_person_without_an_account_is_emailed_at_the_roster_address_once(django_capture_on_commit_callbacks):
    staff = StaffFactory(email="roster@station.invalid")
    notice = _send(staff, django_capture_on_commit_callbacks)
    assert notice.reach == Reach.EMAIL and notice.reached
    notification = Notification.objects.get()
    assert notification.recipient is None and notification.recipient_email == "roster@station.invalid"
    [message] = mail.outbox
    # No link: without an account the person cannot open the portal's pages.
    assert message.to == ["roster@station.invalid"] and "/penalties/1/" not in message.body
    # Exactly once, as every notification: a task run twice, and beat's safety net, send nothing more.
    assert not notification_email_deliver(notification_id=notification.pk)
    assert deliver_pending_email() == 0
    assert len(mail.outbox) == 1


def test_an_inactive_account_is_no_way_to_reach_a_person(django_capture_on_commit_callbacks):
    staff = StaffFactory(user=UserFactory(is_active=False), email="roster@station.invalid")
    assert _send(staff, django_capture_on_commit_callbacks).reach == Reach.EMAIL


def test_with_neither_an_account_nor_an_address_nobody_is_told_and_the_caller_knows(
    django_capture_on_commit_callbacks,
):
    staff = StaffFactory(email="")
    notice = _send(staff, django_capture_on_commit_callbacks)
    assert notice.reach == Reach.NONE and not notice.reached and notice.notification is None
    assert not Notification.objects.exists() and mail.outbox == []


def test_a_notification_has_an_account_or_an_address():
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(recipient=None, recipient_email="", subject="?")

"""The one way anything in the portal tells a person something.

``notification_send`` writes to the inbox and queues the email task by its name: the task module
(``tasks.py``) imports this one to call ``notification_email_deliver``, never the other way round.
"""

from __future__ import annotations

import datetime
import logging

from celery import current_app
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from tollservice.notifications.models import Notification

logger = logging.getLogger(__name__)

# A claim older than this is considered abandoned (the worker died mid-send) and may be retried.
CLAIM_TIMEOUT = datetime.timedelta(minutes=10)
# ``tasks.deliver_email``, queued by name; the app registers it at start-up (``apps.py``).
DELIVER_EMAIL_TASK = "tollservice.notifications.tasks.deliver_email"


def notification_send(*, recipient, subject: str, body: str = "", url: str = "") -> Notification:
    """Put a notification in the recipient's inbox and queue its email for after commit."""
    notification = Notification.objects.create(recipient=recipient, subject=str(subject)[:200], body=str(body), url=url)
    transaction.on_commit(lambda: current_app.tasks[DELIVER_EMAIL_TASK].delay(notification.pk))
    return notification


def notification_mark_read(*, user, notification_ids=None) -> int:
    """Mark the user's notifications read (all unread ones when no ids are given)."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=timezone.now())


def notification_email_deliver(*, notification_id: int) -> bool:
    """Email one notification exactly once; returns True if this call sent it.

    The claim is a conditional UPDATE, so two workers that pick up the same notification
    cannot both send it.
    """
    now = timezone.now()
    claimed = (
        Notification.objects.filter(pk=notification_id, emailed_at__isnull=True)
        .exclude(email_claimed_at__gt=now - CLAIM_TIMEOUT)
        .update(email_claimed_at=now)
    )
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    address = notification.recipient.email
    if address:
        body = notification.body
        if notification.url:
            body = f"{body}\n\n{settings.PORTAL_BASE_URL.rstrip('/')}{notification.url}"
        send_mail(notification.subject, body, None, [address])
    else:
        logger.info("Notification %s: recipient has no email address; inbox only", notification_id)
    Notification.objects.filter(pk=notification_id).update(emailed_at=timezone.now())
    return True

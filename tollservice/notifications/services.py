"""The one way anything in the portal tells a person something.

``notification_send`` writes to the inbox and queues the email task by its name: the task module
(``tasks.py``) imports this one to call ``notification_email_deliver``, never the other way round.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from enum import StrEnum

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
    return _notification_create(recipient=recipient, subject=subject, body=body, url=url)


def _notification_create(*, recipient, subject, body: str, url: str, email: str = "") -> Notification:
    notification = Notification.objects.create(
        recipient=recipient, recipient_email=email, subject=str(subject)[:200], body=str(body), url=url
    )
    transaction.on_commit(lambda: current_app.tasks[DELIVER_EMAIL_TASK].delay(notification.pk))
    return notification


class Reach(StrEnum):
    """How a person on the roster was told something."""

    INBOX = "inbox"  # the inbox of their portal account (and its email, if there is an address)
    EMAIL = "email"  # no portal account: by email to the address on the roster
    NONE = "none"  # neither an account nor an email address: not told; hand them a printed notice


@dataclass(frozen=True)
class StaffNotice:
    """What ``notification_send_to_staff`` did."""

    reach: Reach
    notification: Notification | None = None
    address: str = ""  # the email address written to, if any

    @property
    def reached(self) -> bool:
        return self.reach != Reach.NONE


def notification_send_each(*, recipients, subject, body: str = "", url: str = "") -> int:
    """``notification_send`` to each user of ``recipients`` once (``None`` skipped); how many."""
    seen = set()
    for user in recipients:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        notification_send(recipient=user, subject=str(subject), body=str(body), url=url)
    return len(seen)


def notification_send_to_staff(*, staff, subject: str, body: str = "", url: str = "") -> StaffNotice:
    """Tell a person on the roster (``roster.Staff``) something, whether or not they have an account.

    - With an active portal account: the inbox, and email to the account's address (or, if the
      account has none, the roster's).
    - Without one: email to the address on the roster, without the link (they cannot sign in).
    - With neither: nothing is sent (``Reach.NONE``); the caller says so and points to a
      printable notice.

    The email is sent exactly once, after commit, like every notification.
    """
    user = staff.user if staff.user_id else None
    roster_address = (staff.email or "").strip()
    if user is not None and user.is_active:
        # An account without an address is emailed at the roster's (delivery prefers the account's).
        email = "" if user.email else roster_address
        notification = _notification_create(recipient=user, subject=subject, body=body, url=url, email=email)
        return StaffNotice(Reach.INBOX, notification, user.email or roster_address)
    if not roster_address:
        return StaffNotice(Reach.NONE)
    notification = _notification_create(recipient=None, subject=subject, body=body, url="", email=roster_address)
    return StaffNotice(Reach.EMAIL, notification, roster_address)


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
    address = notification.email_address
    if address:
        body = notification.body
        if notification.url:
            body = f"{body}\n\n{settings.PORTAL_BASE_URL.rstrip('/')}{notification.url}"
        send_mail(notification.subject, body, None, [address])
    else:
        logger.info("Notification %s: recipient has no email address; inbox only", notification_id)
    Notification.objects.filter(pk=notification_id).update(emailed_at=timezone.now())
    return True

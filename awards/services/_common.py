"""What the awards services share: telling people. (Text checks: ``tollservice.core.validators``.)"""

from __future__ import annotations

from tollservice.notifications.services import StaffNotice, notification_send, notification_send_to_staff
from tollservice.roster.models import Staff


def notify_users(users, *, subject, body, url: str = "") -> None:
    """Portal users, each once: the inbox now (in the transaction), email after commit."""
    seen = set()
    for user in users:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        notification_send(recipient=user, subject=str(subject), body=str(body), url=url)


def notify_staff(staff: Staff, *, subject, body, url: str = "") -> StaffNotice:
    """A person on the roster, with or without an account (email when they have none)."""
    return notification_send_to_staff(staff=staff, subject=str(subject), body=str(body), url=url)

"""Sending due reminders exactly once; the beat task calls ``reminders_send_due`` every minute.

Exactly once, even when two runs overlap or a worker dies mid-send, as
``notifications.services.notification_email_deliver`` does it:

1. A conditional UPDATE claims the reminder (``claimed_at``), committed at once: of two runs that
   reach it together, one updates a row and the other none, and skips it.
2. In one transaction, the notifications are written (their email is queued for after commit) and
   the reminder is marked sent by a second conditional UPDATE, which only succeeds if this run's
   claim still stands and nobody cancelled the reminder meanwhile; otherwise it all rolls back.
3. A worker that dies between 1 and 2 leaves a claim and nothing else; once the claim is older
   than ``CLAIM_TIMEOUT`` a later run claims the reminder again and sends it.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from tollservice.access.permissions import has_permission
from tollservice.notifications.services import notification_send
from tollservice.reminders import rules
from tollservice.reminders.models import Deadline, Reminder
from tollservice.reminders.registry import DeadlineKind, get_kind
from tollservice.reminders.services.policies import policy_for

logger = logging.getLogger(__name__)

# A claim older than this was abandoned (its worker died) and the reminder is sent again. Sending
# one reminder takes well under a second; the margin is for a database under load.
CLAIM_TIMEOUT = datetime.timedelta(minutes=10)
# The most reminders one run takes on; the rest wait a minute for the next run.
BATCH_SIZE = 200


def reminders_send_due(*, now: datetime.datetime | None = None, limit: int = BATCH_SIZE) -> int:
    """Send every due reminder (up to ``limit``); the number this run sent."""
    now = now or timezone.now()
    due = Reminder.objects.sendable(now).order_by("due_at", "pk").values_list("pk", flat=True)[:limit]
    sent = 0
    for reminder_id in list(due):
        try:
            sent += reminder_send(reminder_id=reminder_id, now=now)
        except Exception:
            # One broken reminder must not hold up the others; its claim expires and it is retried.
            logger.exception("Reminder %s failed; it is retried once its claim expires", reminder_id)
    return sent


def reminder_send(*, reminder_id: int, now: datetime.datetime | None = None) -> bool:
    """Send one due reminder to its recipients exactly once; True if this call sent it."""
    now = now or timezone.now()
    if not Reminder.objects.sendable(now).filter(pk=reminder_id).update(claimed_at=now):
        return False  # not due, already sent or cancelled, or another run holds it
    with transaction.atomic():
        reminder = Reminder.objects.select_related("deadline").get(pk=reminder_id)
        deadline = reminder.deadline
        try:
            kind = get_kind(deadline.kind)
        except LookupError:
            logger.error("Reminder %s: no module registers deadline kind %r; cancelled", reminder_id, deadline.kind)
            return _cancel(reminder, now, Reminder.CancelReason.UNKNOWN_KIND)
        if deadline.status != Deadline.Status.OPEN:
            return _cancel(reminder, now, Reminder.CancelReason.CLOSED)
        if _superseded(reminder, now):
            return _cancel(reminder, now, Reminder.CancelReason.SUPERSEDED)
        step = reminder.as_step
        recipients = _recipients(kind, deadline, step)
        # The worker has no request: the reminder is worded in the station's language.
        with translation.override(settings.LANGUAGE_CODE):
            message = kind.message(deadline, step)
            subject, body = str(message.subject), str(message.body)
        url = message.url or deadline.url
        for user in recipients:
            may_open = kind.link_permission is None or has_permission(user, kind.link_permission)
            notification_send(recipient=user, subject=subject, body=body, url=url if may_open else "")
        if not _mark(reminder, now, sent_at=now, recipient_count=len(recipients)):
            transaction.set_rollback(True)  # cancelled or re-claimed meanwhile: nothing is sent
            return False
        if step.kind == rules.StepKind.OVERDUE:
            _hold_next_overdue(deadline, now)
    if not recipients:
        logger.warning("Reminder %s of %s (%s) reached nobody", reminder_id, deadline.kind, deadline.pk)
    return True


def _mark(reminder: Reminder, now: datetime.datetime, **values) -> bool:
    # Only while this run's claim stands and the reminder is neither sent nor cancelled.
    mine = Reminder.objects.filter(pk=reminder.pk, claimed_at=now).pending()
    return bool(mine.update(**values))


def _cancel(reminder: Reminder, now: datetime.datetime, reason: str) -> bool:
    _mark(reminder, now, cancelled_at=now, cancel_reason=reason)
    return False


def _audience(queryset, reminder: Reminder):
    escalation = Q(step=rules.StepKind.ESCALATION)
    return queryset.filter(escalation) if reminder.step == rules.StepKind.ESCALATION else queryset.exclude(escalation)


def _superseded(reminder: Reminder, now: datetime.datetime) -> bool:
    """A later reminder to the same audience is due as well (the worker was down, say): only
    that one is sent, so that nobody gets "due in 3 days" and "due tomorrow" in one minute."""
    later = Q(due_at__gt=reminder.due_at) | Q(due_at=reminder.due_at, pk__gt=reminder.pk)
    due = Reminder.objects.filter(deadline_id=reminder.deadline_id, due_at__lte=now).pending().filter(later)
    return _audience(due, reminder).exists()


def _recipients(kind: DeadlineKind, deadline: Deadline, step: rules.Step) -> list:
    people = kind.escalation_recipients(deadline, step) if step.is_escalation else deadline.responsible.all()
    recipients, seen = [], set()
    for user in people:
        if user is not None and user.is_active and user.pk not in seen:
            seen.add(user.pk)
            recipients.append(user)
    return recipients


def _hold_next_overdue(deadline: Deadline, now: datetime.datetime) -> None:
    """Overdue reminders repeat until the deadline is closed; only the next one is ever held."""
    ahead = Reminder.objects.filter(deadline=deadline, due_at__gt=now).pending().exclude(step=rules.StepKind.ESCALATION)
    if ahead.exists():
        return
    planned = rules.next_overdue(due_at=deadline.due_at, schedule=policy_for(deadline.kind).schedule, after=now)
    if planned is not None:
        Reminder.objects.create(
            deadline=deadline, step=planned.step.kind, days=planned.step.days, due_at=planned.due_at
        )

"""Turning a deadline's due time and its kind's schedule into reminder rows."""

from __future__ import annotations

import datetime

from django.db.models import Max, Q

from tollservice.reminders import rules
from tollservice.reminders.models import Deadline, Reminder


def replan(deadline: Deadline, *, schedule: rules.Schedule, now: datetime.datetime, fresh: bool = False) -> None:
    """Replace the unsent reminders of ``deadline`` with those its due time and ``schedule`` give.

    Sent ones stay as history; one being sent right now is cancelled too, and its worker, which
    marks it sent only if it is still uncancelled, rolls its notifications back.
    """
    last_responsible = last_escalation = None
    if not fresh:
        Reminder.objects.filter(deadline=deadline).pending().update(
            cancelled_at=now, cancel_reason=Reminder.CancelReason.RESCHEDULED
        )
        escalation = Q(step=rules.StepKind.ESCALATION)
        last = Reminder.objects.filter(deadline=deadline, sent_at__isnull=False).aggregate(
            responsible=Max("sent_at", filter=~escalation), escalation=Max("sent_at", filter=escalation)
        )
        last_responsible, last_escalation = last["responsible"], last["escalation"]
    planned = rules.plan(
        due_at=deadline.due_at,
        schedule=schedule,
        now=now,
        last_sent_to_responsible=last_responsible,
        last_escalation_sent=last_escalation,
    )
    Reminder.objects.bulk_create(
        Reminder(deadline=deadline, step=p.step.kind, days=p.step.days, level=p.step.level, due_at=p.due_at)
        for p in planned
    )

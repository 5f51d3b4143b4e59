"""The office's settings of when each kind's reminders go out."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tollservice.audit.models import AuditEntry
from tollservice.audit.services import audit_record, snapshot
from tollservice.core.errors import DomainError
from tollservice.core.verdicts import require_permission
from tollservice.reminders.models import Deadline, ReminderPolicy
from tollservice.reminders.registry import get_kind
from tollservice.reminders.rules import MAX_DAYS, MAX_LEVELS, Schedule
from tollservice.reminders.services.planning import replan

FIELDS = [
    "before_days",
    "send_at",
    "overdue_every_days",
    "escalate_after_days",
    "escalate_every_days",
    "escalation_levels",
]


def policy_for(kind: str) -> ReminderPolicy:
    """The kind's policy row, created from the kind's defaults the first time it is used; from
    then on the row (as the office edits it) wins over the code's defaults."""
    defaults = ReminderPolicy.values_of(get_kind(kind).defaults.schedule())
    policy, _created = ReminderPolicy.objects.get_or_create(kind=kind, defaults=defaults)
    return policy


def _days(value: int | None, *, field: str, minimum: int = 1, required: bool = False) -> int | None:
    if value is None:
        if required:
            raise DomainError(_("Enter a number of days."), field=field, code="required")
        return None
    if not minimum <= value <= MAX_DAYS:
        raise DomainError(
            _("Enter a number of days from %(min)s to %(max)s."),
            field=field,
            code="out_of_range",
            params={"min": minimum, "max": MAX_DAYS},
        )
    return value


def _validated(
    *,
    before_days,
    send_at: datetime.time,
    overdue_every_days: int | None,
    escalate_after_days: int | None,
    escalate_every_days: int,
    escalation_levels: int,
) -> Schedule:
    before = sorted({_days(days, field="before_days", minimum=0, required=True) for days in before_days}, reverse=True)
    if len(before) > 10:
        raise DomainError(_("Ten reminders before a deadline are the most."), field="before_days", code="too_many")
    if not 1 <= escalation_levels <= MAX_LEVELS:
        raise DomainError(
            _("Enter a number of levels from 1 to %(max)s."),
            field="escalation_levels",
            code="out_of_range",
            params={"max": MAX_LEVELS},
        )
    if not before and overdue_every_days is None and escalate_after_days is None:
        raise DomainError(
            _("With no reminder before, after or above the deadline, nobody would ever be reminded."),
            field="before_days",
            code="nothing",
        )
    return Schedule(
        before_days=tuple(before),
        send_at=send_at.replace(second=0, microsecond=0, tzinfo=None),
        overdue_every_days=_days(overdue_every_days, field="overdue_every_days"),
        escalate_after_days=_days(escalate_after_days, field="escalate_after_days"),
        escalate_every_days=_days(escalate_every_days, field="escalate_every_days", required=True),
        escalation_levels=escalation_levels,
    )


def reminder_policy_change(*, kind: str, changed_by, **values) -> ReminderPolicy:
    """The office sets when the reminders of ``kind`` go out (the fields of ``ReminderPolicy``).

    Every open deadline of the kind is replanned at once: its unsent reminders are replaced by
    those of the new schedule.
    """
    require_permission(changed_by, "reminders.settings")
    get_kind(kind)
    schedule = _validated(**values)
    now = timezone.now()
    with transaction.atomic():
        policy_for(kind)
        policy = ReminderPolicy.objects.select_for_update().get(kind=kind)
        before = snapshot(policy, FIELDS)
        for name, value in ReminderPolicy.values_of(schedule).items():
            setattr(policy, name, value)
        if snapshot(policy, FIELDS) == before:
            return policy
        policy.updated_by = changed_by
        policy.save()
        audit_record(
            actor=changed_by,
            instance=policy,
            action=AuditEntry.Action.UPDATE,
            before=before,
            after=snapshot(policy, FIELDS),
            summary=_("Reminder settings changed"),
        )
        open_deadlines = Deadline.objects.select_for_update().filter(kind=kind, status=Deadline.Status.OPEN)
        for deadline in open_deadlines.order_by("pk"):
            replan(deadline, schedule=policy.schedule, now=now)
    return policy

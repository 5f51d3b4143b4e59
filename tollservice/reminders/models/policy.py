"""When a kind's reminders go out, as the office has set it (the kind's code gives the defaults)."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from tollservice.core.models import TimeStampedModel, user_reference
from tollservice.reminders.rules import Schedule


class ReminderPolicy(TimeStampedModel):
    """One row per deadline kind, created from the kind's defaults the first time it is used."""

    kind = models.CharField(_("kind of deadline"), max_length=100, unique=True)
    before_days = models.JSONField(_("days before the deadline"), default=list)
    send_at = models.TimeField(_("reminders go out at"), default=datetime.time(8, 0))
    overdue_every_days = models.PositiveSmallIntegerField(_("when overdue, remind every (days)"), null=True, blank=True)
    escalate_after_days = models.PositiveSmallIntegerField(_("escalate when overdue by (days)"), null=True, blank=True)
    escalate_every_days = models.PositiveSmallIntegerField(_("next escalation level after (days)"), default=3)
    escalation_levels = models.PositiveSmallIntegerField(_("escalation levels"), default=2)
    updated_by = user_reference(_("changed by"), optional=True)

    class Meta:
        verbose_name = _("reminder policy")
        verbose_name_plural = _("reminder policies")
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.kind

    @property
    def schedule(self) -> Schedule:
        return Schedule(
            before_days=tuple(sorted({int(days) for days in self.before_days}, reverse=True)),
            send_at=self.send_at,
            overdue_every_days=self.overdue_every_days or None,
            escalate_after_days=self.escalate_after_days or None,
            escalate_every_days=max(1, self.escalate_every_days),
            escalation_levels=self.escalation_levels,
        )

    @classmethod
    def values_of(cls, schedule: Schedule) -> dict:
        """The field values that hold ``schedule``."""
        return {
            "before_days": list(schedule.before_days),
            "send_at": schedule.send_at,
            "overdue_every_days": schedule.overdue_every_days,
            "escalate_after_days": schedule.escalate_after_days,
            "escalate_every_days": schedule.escalate_every_days,
            "escalation_levels": schedule.escalation_levels,
        }

"""The office's form for when a kind's reminders go out. It checks the shape of the input; the
ranges and rules are the service's (``services.policies``), whose errors land on these fields."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tollservice.core.forms import TimeInput
from tollservice.reminders.rules import MAX_DAYS, MAX_LEVELS, Schedule

# "3, 1, 0" as typed with an English or a Chinese keyboard (，、) or with spaces only.
_SEPARATORS = re.compile(r"[\s,，、;；]+")


def _days_field(label, help_text="", *, required: bool = False, minimum: int = 1) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, help_text=help_text, required=required, min_value=minimum, max_value=MAX_DAYS
    )


class ReminderPolicyForm(forms.Form):
    before_days = forms.CharField(
        label=_("Remind before the deadline, days"),
        help_text=_("Whole days before the day it is due, separated by commas; 0 is the day itself. E.g. 3, 1, 0"),
        max_length=100,
        required=False,
    )
    send_at = forms.TimeField(
        label=_("Reminders go out at"), help_text=_("Local time, on each day a reminder is due."), widget=TimeInput()
    )
    overdue_every_days = _days_field(
        _("Once overdue, remind every (days)"), _("Leave empty for no reminders after the deadline.")
    )
    escalate_after_days = _days_field(_("Escalate when overdue by (days)"), _("Leave empty never to escalate."))
    escalate_every_days = _days_field(
        _("Next escalation level after (days)"), _("Days from one escalation level to the next."), required=True
    )
    escalation_levels = forms.IntegerField(
        label=_("Escalation levels"),
        help_text=_("Level 1 goes to the director of the group office, level 2 to the leadership group."),
        min_value=1,
        max_value=MAX_LEVELS,
    )

    @classmethod
    def initial_for(cls, schedule: Schedule) -> dict:
        return {
            "before_days": ", ".join(str(days) for days in schedule.before_days),
            "send_at": schedule.send_at,
            "overdue_every_days": schedule.overdue_every_days,
            "escalate_after_days": schedule.escalate_after_days,
            "escalate_every_days": schedule.escalate_every_days,
            "escalation_levels": schedule.escalation_levels,
        }

    def clean_before_days(self) -> list[int]:
        text = self.cleaned_data["before_days"].strip()
        parts = [part for part in _SEPARATORS.split(text) if part]
        if not all(part.isdecimal() for part in parts):
            raise ValidationError(
                _("Enter whole numbers of days, separated by commas, for example: 3, 1, 0"), code="invalid"
            )
        return [int(part) for part in parts]

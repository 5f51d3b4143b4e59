"""The November reminder to enter the coming year's holidays and make-up working days.

Each November the State Council publishes the next year's holidays. A daily beat task
(``tasks.remind_next_year``) sets a deadline of the reminder engine on the coming year's
``CalendarYear`` — due 1 December, for the group office — as soon as November has come and the
year is not confirmed; confirming the year (``calendar_year_confirm``) closes it. Until then
time limits count that year's Mondays to Fridays as working days.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tollservice.core.calendar.models import CalendarYear
from tollservice.core.calendar.selectors import calendar_next_year_missing
from tollservice.reminders.recipients import escalate_to_office_then_leadership
from tollservice.reminders.registry import DeadlineKind, ReminderDefaults, ReminderMessage, Step, days
from tollservice.reminders.services import deadline_set
from tollservice.reminders.texts import standard_message
from tollservice.roster.models import OfficeMembership

NEXT_YEAR = "core.calendar_next_year"
DUE_MONTH, DUE_DAY = 12, 1


def _what(year: int) -> str:
    return gettext("Working calendar of %(year)s: holidays and make-up working days") % {"year": year}


def _message(deadline, step: Step) -> ReminderMessage:
    year = CalendarYear.objects.get(pk=deadline.object_id).year
    details = gettext(
        "Enter the public holidays and make-up working days the State Council published, then confirm the "
        "year; until then the time limits of %(year)s count every Monday to Friday."
    ) % {"year": year}
    return standard_message(deadline, step, what=_what(year), details=details)


NEXT_YEAR_KIND = DeadlineKind(
    key=NEXT_YEAR,
    label=_("Working calendar of the coming year"),
    message=_message,
    escalation_recipients=escalate_to_office_then_leadership,
    defaults=ReminderDefaults(before=(days(14), days(3), days(0)), overdue_every=days(7), escalate_after=days(14)),
    link_permission="calendar.manage",
)


def _office_accounts() -> list:
    seats = OfficeMembership.objects.current().filter(staff__active=True, staff__user__isnull=False)
    return [seat.staff.user for seat in seats.select_related("staff__user")]


def next_year_reminder_set(*, today: datetime.date | None = None) -> CalendarYear | None:
    """From November on, the coming year's reminder (idempotent: a second run moves nothing)."""
    from django.urls import reverse

    today = today or timezone.localdate()
    year = calendar_next_year_missing(today=today)
    if year is None:
        return None
    entry, _created = CalendarYear.objects.get_or_create(year=year)
    deadline_set(
        obj=entry,
        kind=NEXT_YEAR,
        due_at=datetime.date(year - 1, DUE_MONTH, DUE_DAY),
        responsible=_office_accounts(),
        actor=None,
        title=lambda: _what(year),
        url=f"{reverse('calendar:index')}?year={year}",
    )
    return entry

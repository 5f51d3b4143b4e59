"""Reading the working calendar."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from tollservice.core.calendar.models import CalendarDay, CalendarYear


def calendar_days(*, user, year: int) -> QuerySet[CalendarDay]:
    """The days of ``year`` that differ from the Monday-to-Friday week. The calendar is public
    within the portal (everyone's time limits depend on it), so ``user`` narrows nothing."""
    return CalendarDay.objects.filter(date__year=year).order_by("date")


def calendar_year_entered(*, year: int) -> bool:
    """Has the office confirmed that ``year``'s holidays and make-up days are all entered?"""
    return CalendarYear.objects.filter(year=year, confirmed_at__isnull=False).exists()


def calendar_next_year_missing(*, today: datetime.date) -> int | None:
    """From November on, the coming year when its calendar is not confirmed yet (the office is
    reminded to enter it); otherwise ``None``."""
    if today.month < 11 or calendar_year_entered(year=today.year + 1):
        return None
    return today.year + 1

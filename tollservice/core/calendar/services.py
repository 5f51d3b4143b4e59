"""Editing the working calendar (the office, each year when the State Council publishes the
holidays). Every change is audited.

Time limits already computed keep the date they were given (a driver may have been told it);
days entered later count for the limits computed after them.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tollservice.audit.models import AuditEntry
from tollservice.audit.services import audit_record, audited_change, audited_create, locked, snapshot
from tollservice.core.calendar.models import CalendarDay, CalendarYear
from tollservice.core.calendar.reminders import NEXT_YEAR
from tollservice.core.errors import DomainError
from tollservice.core.verdicts import require_permission
from tollservice.reminders.services import deadline_close

# The calendar concerns the present and the near future; anything else is a typing error.
FIRST_YEAR, YEARS_AHEAD = 2000, 2


def _check_year(year: int, *, field: str) -> None:
    if not FIRST_YEAR <= year <= timezone.localdate().year + YEARS_AHEAD:
        raise DomainError(
            _("Enter a year between %(first)s and %(last)s."),
            field=field,
            params={"first": FIRST_YEAR, "last": timezone.localdate().year + YEARS_AHEAD},
        )


def calendar_day_set(*, actor, date: datetime.date, kind: str, name: str) -> CalendarDay:
    """Mark ``date`` a public holiday or a make-up working day (or change what it is)."""
    require_permission(actor, "calendar.manage")
    _check_year(date.year, field="date")
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Name the holiday the day belongs to."), field="name")
    if len(name) > 50:
        raise DomainError(_("Keep the name under 50 characters."), field="name")
    if kind not in CalendarDay.Kind.values:
        raise DomainError(_("Choose holiday or make-up working day."), field="kind")
    if kind == CalendarDay.Kind.WORKDAY and date.weekday() < 5:
        raise DomainError(_("A make-up working day is a Saturday or a Sunday."), field="date")
    with transaction.atomic():
        existing = CalendarDay.objects.select_for_update().filter(date=date).first()
        if existing is None:
            return audited_create(
                actor=actor, model=CalendarDay, summary=_("Calendar day entered"), date=date, kind=kind, name=name
            )
        audited_change(actor=actor, instance=existing, summary=_("Calendar day changed"), kind=kind, name=name)
        return existing


def calendar_day_remove(*, actor, date: datetime.date) -> None:
    """Remove a day entered by mistake: it becomes what its weekday says again."""
    require_permission(actor, "calendar.manage")
    with transaction.atomic():
        day = CalendarDay.objects.select_for_update().filter(date=date).first()
        if day is None:
            raise DomainError(_("Nothing is entered for that day."), field="date")
        audit_record(
            actor=actor,
            instance=day,
            action=AuditEntry.Action.DEACTIVATE,
            before=snapshot(day, ["date", "kind", "name"]),
            after={},
            summary=_("Calendar day removed"),
        )
        day.delete()


def calendar_year_confirm(*, actor, year: int, source: str = "") -> CalendarYear:
    """The office states that ``year``'s holidays and make-up days are all entered (this ends
    the November reminder)."""
    require_permission(actor, "calendar.manage")
    _check_year(year, field="year")
    source = (source or "").strip()[:200]
    with transaction.atomic():
        entry, created = CalendarYear.objects.get_or_create(year=year)
        entry = locked(entry)
        if entry.confirmed:
            raise DomainError(_("The calendar of %(year)s is already confirmed."), params={"year": year})
        before = snapshot(entry, ["confirmed_at", "source"])
        entry.confirmed_by, entry.confirmed_at, entry.source = actor, timezone.now(), source
        entry.save()
        audit_record(
            actor=actor,
            instance=entry,
            action=AuditEntry.Action.STATE,
            before=before,
            after=snapshot(entry, ["confirmed_at", "source"]),
            summary=_("Calendar of the year confirmed as entered"),
        )
        deadline_close(obj=entry, kind=NEXT_YEAR, outcome="completed", actor=actor)  # the November reminder
    return entry

"""Thin tasks: take nothing, call a service."""

from __future__ import annotations

from celery import shared_task

from tollservice.core.calendar.reminders import next_year_reminder_set


@shared_task
def remind_next_year() -> int | None:
    """Daily (beat): from November on, remind the office to enter the coming year's calendar."""
    entry = next_year_reminder_set()
    return entry.year if entry is not None else None

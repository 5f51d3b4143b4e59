"""Thin task: beat runs it every minute (tollservice/celery.py); the service does the work."""

from celery import shared_task

from tollservice.reminders.services import reminders_send_due


@shared_task
def send_due_reminders() -> int:
    """Send the reminders that are due, each exactly once, even if two runs overlap."""
    return reminders_send_due()

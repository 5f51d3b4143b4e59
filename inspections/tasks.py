"""Thin tasks: call a service. The beat schedule (``tollservice/celery.py``) runs them; phase 2
adds the entry ``"inspections-overdue-proposals": {"task": "inspections.tasks.refresh_overdue_proposals",
"schedule": crontab(hour=7, minute=0)}`` when the reminder engine's schedule lands."""

from celery import shared_task

from inspections.services import overdue_proposals_refresh


@shared_task
def refresh_overdue_proposals() -> int:
    """INS-4 / INS-5: put to the office each team with the configured number of late orders."""
    return len(overdue_proposals_refresh())

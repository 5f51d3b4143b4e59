"""Thin tasks: call a service. The beat schedule (``tollservice/celery.py``) runs them.

Rectification orders' and supervisors' reports' deadlines need no task of their own: the reminder
engine's one beat run sends them (``inspections.reminders``)."""

from celery import shared_task

from inspections.services import overdue_proposals_refresh


@shared_task
def refresh_overdue_proposals() -> int:
    """INS-4 / INS-5: put to the office each team with the configured number of late orders."""
    return len(overdue_proposals_refresh())

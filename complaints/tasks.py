"""Thin tasks: take ids, call a service."""

from __future__ import annotations

from celery import shared_task

from complaints.services import complaints_anonymise_expired
from complaints.services.mail import driver_email_deliver


@shared_task
def anonymise_expired_complaints() -> int:
    """Daily (beat): PIPL retention — the driver's data of long-closed complaints is removed."""
    return complaints_anonymise_expired()


@shared_task(acks_late=True)
def deliver_driver_email(email_id: int) -> bool:
    return driver_email_deliver(email_id=email_id)

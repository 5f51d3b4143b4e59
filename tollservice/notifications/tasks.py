"""Thin tasks: take ids, call a service."""

from celery import shared_task
from django.utils import timezone

from tollservice.notifications.models import Notification
from tollservice.notifications.services import CLAIM_TIMEOUT, notification_email_deliver


@shared_task(acks_late=True)
def deliver_email(notification_id: int) -> bool:
    return notification_email_deliver(notification_id=notification_id)


@shared_task
def deliver_pending_email() -> int:
    """Beat's safety net: email whatever was not sent (broker was down, worker died)."""
    stale = timezone.now() - CLAIM_TIMEOUT
    pending = Notification.objects.filter(emailed_at__isnull=True, created_at__lt=timezone.now() - CLAIM_TIMEOUT)
    pending = pending.exclude(email_claimed_at__gt=stale).values_list("pk", flat=True)[:500]
    return sum(notification_email_deliver(notification_id=pk) for pk in pending)

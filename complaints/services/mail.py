"""Email to drivers, sent from the outbox by a task."""

from __future__ import annotations

import datetime

from django.core.mail import send_mail
from django.utils import timezone
from django.utils.translation import gettext, override

from complaints.models import DriverEmail

CLAIM_TIMEOUT = datetime.timedelta(minutes=10)


def driver_email_deliver(*, email_id: int) -> bool:
    """Email one message to the driver exactly once: the claim is a conditional UPDATE, as for
    notifications, so two workers cannot both send it; a claim older than ``CLAIM_TIMEOUT`` (a
    worker that died) may be taken again. Returns whether this call sent it."""
    now = timezone.now()
    claimed = (
        DriverEmail.objects.filter(pk=email_id, sent_at__isnull=True)
        .exclude(claimed_at__gt=now - CLAIM_TIMEOUT)
        .update(claimed_at=now)
    )
    if not claimed:
        return False
    outbox = DriverEmail.objects.select_related("message__complaint").get(pk=email_id)
    complaint = outbox.message.complaint
    if complaint.email and complaint.anonymised_at is None:
        # Drivers read the portal in Chinese first; the message body is in the language it was
        # written in.
        with override("zh-hans"):
            subject = gettext("Your complaint %(number)s: %(kind)s") % {
                "number": complaint.number,
                "kind": outbox.message.get_kind_display(),
            }
        send_mail(subject, outbox.message.body, None, [complaint.email])
    DriverEmail.objects.filter(pk=email_id).update(sent_at=timezone.now())
    return True

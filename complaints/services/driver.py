"""What a driver does with the tracking number and access code (no account): add information,
and rate the outcome. Each call checks the code again (the pages post both every time); a wrong
code and an unknown number are refused alike."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from complaints.models import Complaint, ComplaintEvent, ComplaintMessage, ReturnVisit
from complaints.selectors import complaint_lookup
from complaints.services._common import event, lock, notify, refuse_voided, responsible_users
from complaints.services.followup import complaint_rate_by_driver
from complaints.services.handling import _resume
from tollservice.core.errors import DomainError
from tollservice.core.validators import text_required

Kind = ComplaintEvent.Kind


def _looked_up(number: str, code: str) -> Complaint:
    complaint = complaint_lookup(number=number, code=code)
    if complaint is None:
        raise DomainError(
            _("No complaint matches this tracking number and access code."), code="not_found", field="code"
        )
    return complaint


def complaint_driver_add_information(*, number: str, code: str, text: str) -> ComplaintMessage:
    """The driver adds information. If the station was waiting on the driver, the clock runs
    again; the people handling the complaint are told."""
    text = text_required(text, field="text", message=_("Write what you want to add."), limit=1000)
    complaint = _looked_up(number, code)
    with transaction.atomic():
        complaint = lock(complaint)
        refuse_voided(complaint)
        if complaint.status == Complaint.Status.CLOSED:
            raise DomainError(
                _("The complaint is closed. Call the hotline if something is still wrong."), code="closed"
            )
        message = ComplaintMessage.objects.create(
            complaint=complaint,
            direction=ComplaintMessage.Direction.FROM_DRIVER,
            kind=ComplaintMessage.Kind.INFORMATION,
            body=text,
        )
        event(complaint, Kind.DRIVER_INFORMATION, None)
        _resume(complaint, by=None, note=str(_("The driver added information.")))
        notify(
            recipients=responsible_users(complaint),
            subject=_("The driver added information to complaint %(number)s") % {"number": complaint.number},
            complaint=complaint,
        )
    return message


def complaint_driver_rate(*, number: str, code: str, result: str, comment: str = "") -> ReturnVisit:
    """The driver rates the outcome online: it counts as the return visit."""
    return complaint_rate_by_driver(complaint=_looked_up(number, code), result=result, comment=comment)

"""The driver's personal data (PIPL): revealing a full phone number or email is logged, and
the data of complaints closed longer than the retention period is removed, while the
registration entry (number, dates, channel, category, lane, verdict) stays in the ledger."""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints import access, rules
from complaints.models import (
    Complaint,
    ComplaintEvent,
    ComplaintSettings,
    PersonalDataAccess,
)
from complaints.services._common import audit_state, before, event, lock, require
from tollservice.access.permissions import has_permission
from tollservice.core.errors import DomainError
from tollservice.core.validators import text_required

logger = logging.getLogger("complaints")
Kind = ComplaintEvent.Kind
BATCH = 200


def complaint_contact_reveal(*, complaint: Complaint, user, field: str, reason: str) -> str:
    """The driver's full phone number (or email), for whoever handles the complaint — logged
    with who, when and why. Never for a person the complaint is about."""
    if field not in PersonalDataAccess.Field.values:
        raise DomainError(_("Choose what to show."), field="field")
    reason = text_required(reason, field="reason", message=_("Say why you need it."), limit=200)
    with transaction.atomic():
        complaint = lock(complaint)
        require(
            access.can_see_complainant(user, complaint)
            and (access.can_handle(user, complaint) or has_permission(user, "complaints.manage"))
        )
        value = getattr(complaint, field)
        if not value:
            raise DomainError(_("The driver gave none, or it has been removed."), code="empty")
        PersonalDataAccess.objects.create(complaint=complaint, user=user, field=field, reason=reason)
        event(complaint, Kind.CONTACT_REVEALED, user, note=reason, field=field)
    return value


def complaints_anonymise_expired(*, now: datetime.datetime | None = None) -> int:
    """Remove the driver's personal data from complaints closed (or voided) more than the
    retention period ago: name, phone, email and plate are blanked, what the driver wrote and
    the notes about them lose phone numbers, plates, addresses and the name, photos are deleted
    and the access code stops working. Returns how many complaints were anonymised."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=ComplaintSettings.load().retention_days)
    due = Complaint.objects.filter(
        Q(closed_at__lt=cutoff) | Q(voided_at__lt=cutoff), anonymised_at__isnull=True
    ).values_list("pk", flat=True)
    done = 0
    while batch := list(due[:BATCH]):
        for pk in batch:
            _anonymise(Complaint(pk=pk), now=now)
            done += 1
    return done


def _anonymise(complaint: Complaint, *, now: datetime.datetime) -> None:
    files = []
    with transaction.atomic():
        complaint = lock(complaint)
        if complaint.anonymised_at is not None:
            return
        snapshot_before = before(complaint)
        names = [complaint.complainant_name]
        complaint.description = rules.redact(complaint.description, names=names)
        complaint.remedy = rules.redact(complaint.remedy, names=names)
        complaint.complainant_name = complaint.phone = complaint.email = complaint.plate = ""
        complaint.access_code_salt = complaint.access_code_hash = ""
        complaint.anonymised_at = now
        complaint.save()
        for related in (complaint.messages.all(), complaint.contacts.all(), complaint.return_visits.all()):
            for row in related:
                text_field = "body" if hasattr(row, "body") else "note"
                redacted = rules.redact(getattr(row, text_field), names=names)
                if redacted != getattr(row, text_field):
                    type(row).objects.filter(pk=row.pk).update(**{text_field: redacted})
        for photo in complaint.photos.all():
            files.append(photo.file)
            photo.delete()
        event(complaint, Kind.ANONYMISED, None)
        audit_state(None, complaint, snapshot_before, _("Driver's personal data removed"))
        transaction.on_commit(lambda: _delete_files(files))


def _delete_files(files) -> None:
    for file in files:
        try:
            file.storage.delete(file.name)
        except OSError:
            logger.warning("Could not delete a complaint photo: %s", file.name)

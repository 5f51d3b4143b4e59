"""The driver's side (no account): the look-up by tracking number and access code, and what the
driver sees of their complaint. Staff names, internal notes and the verdict's evidence never
appear; the phone and plate are masked."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils import timezone

from complaints import access_codes, rules
from complaints.models import Complaint, ComplaintMessage, ReturnVisit

_NUMBER = re.compile(r"^(\d{4})-?(\d{1,6})$")


def normalise_number(text: str) -> str:
    """``2026-0001`` as typed (``20260001``, ``2026 - 1``, full-width digits…) or the text as it
    is when it cannot be a number (the look-up then finds nothing, with the same work)."""
    compact = re.sub(r"\s+", "", (text or "")).replace("－", "-")
    compact = compact.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    match = _NUMBER.match(compact)
    if match is None:
        return compact[:20]
    year, sequence = match.groups()
    return f"{year}-{int(sequence):04d}"


def complaint_lookup(*, number: str, code: str) -> Complaint | None:
    """The complaint for this tracking number and access code, or ``None``.

    A wrong code and an unknown number take the same path: one query by number, one HMAC, one
    constant-time comparison (against a dummy digest when there is no complaint, or its data was
    removed), so that neither the answer nor its time tells them apart.
    """
    found = (
        Complaint.objects.filter(number=normalise_number(number))
        .only("pk", "access_code_salt", "access_code_hash")
        .first()
    )
    known = found is not None and bool(found.access_code_hash)
    salt = found.access_code_salt if known else access_codes.DUMMY_SALT
    digest = found.access_code_hash if known else access_codes.DUMMY_DIGEST
    matches = access_codes.code_matches(salt=salt, digest=digest, code=code)
    return found if known and matches else None


@dataclass(frozen=True)
class DriverMessage:
    at: datetime.datetime
    from_station: bool
    kind: str
    kind_label: str
    body: str


@dataclass(frozen=True)
class DriverView:
    """What the driver's look-up page shows."""

    tracking_number: str
    status: str
    status_label: str
    channel_label: str
    category_label: str
    received_at: datetime.datetime
    incident_at: datetime.datetime
    lane: str
    description: str
    remedy: str
    phone_masked: str
    plate_masked: str
    answer_due: datetime.date | None
    extended: bool
    waiting_on_driver: bool
    voided: bool
    messages: tuple[DriverMessage, ...]
    rating_label: str
    can_add_information: bool
    can_rate: bool


def driver_view(*, complaint: Complaint) -> DriverView:
    """The driver's view of ``complaint`` — to be called only with what ``complaint_lookup``
    returned (the code was checked)."""
    complaint = Complaint.objects.select_related("lane").get(pk=complaint.pk)
    messages = tuple(
        DriverMessage(
            at=m.created_at,
            from_station=m.direction == ComplaintMessage.Direction.TO_DRIVER,
            kind=m.kind,
            kind_label=m.get_kind_display(),
            body=m.body,
        )
        for m in complaint.messages.all()
    )
    open_ = complaint.voided_at is None and complaint.status != Complaint.Status.CLOSED
    rated = complaint.return_visit_result not in ("", ReturnVisit.Result.UNREACHABLE)
    return DriverView(
        tracking_number=complaint.number,
        status=complaint.status,
        status_label=complaint.get_status_display(),
        channel_label=complaint.get_channel_display(),
        category_label=complaint.get_category_display(),
        received_at=complaint.received_at,
        incident_at=complaint.incident_at,
        lane=str(complaint.lane) if complaint.lane_id else "",
        description=complaint.description,
        remedy=complaint.remedy,
        phone_masked=rules.mask_phone(complaint.phone),
        plate_masked=rules.mask_plate(complaint.plate),
        answer_due=timezone.localdate(complaint.answer_due) if complaint.answer_due else None,
        extended=complaint.extended_to is not None,
        waiting_on_driver=complaint.paused_since is not None,
        voided=complaint.voided_at is not None,
        messages=messages,
        rating_label=ReturnVisit.Result(complaint.return_visit_result).label if rated else "",
        can_add_information=open_,
        can_rate=open_
        and complaint.status in (Complaint.Status.ANSWERED, Complaint.Status.RETURN_VISIT)
        and not rated
        and complaint.review_status != "pending",
    )


def complaint_for_driver(*, number: str, code: str) -> DriverView | None:
    """The look-up page in one call: ``None`` for a wrong code or an unknown number alike."""
    complaint = complaint_lookup(number=number, code=code)
    return driver_view(complaint=complaint) if complaint is not None else None

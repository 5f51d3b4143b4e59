"""CMP-1: likely duplicates of a complaint, at intake from any channel — scored and explained."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q

from complaints import access, rules
from complaints.models import Complaint
from tollservice.core.errors import DomainError
from tollservice.roster.models import Lane

# At most this many candidates are scored (the nearest in time first), so the cost stays fixed.
CANDIDATES_SCORED = 100


@dataclass(frozen=True)
class DuplicateCandidate:
    complaint: Complaint
    points: int
    reasons: tuple[tuple[str, int], ...]


def duplicate_candidates(
    *,
    user,
    complaint: Complaint | None = None,
    plate: str = "",
    phone: str = "",
    lane: Lane | None = None,
    incident_at: datetime.datetime | None = None,
    text: str = "",
    limit: int = 5,
) -> list[DuplicateCandidate]:
    """Complaints the reader can see that are likely about the same incident: same plate or
    phone (within a month), or incidents close in time; each scored with its reasons, best
    first, those under ``rules.SUGGEST_AT`` left out. Give a registered ``complaint`` or the
    facts typed so far on the intake form."""
    if complaint is not None:
        plate, phone, lane, incident_at, text = (
            complaint.plate,
            complaint.phone,
            complaint.lane,
            complaint.incident_at,
            complaint.description,
        )
    else:
        plate = _quietly(rules.normalise_plate, plate)
        phone = _quietly(lambda value: rules.normalise_phone(value, required=False), phone)
    near = Q(pk__in=[])
    if incident_at is not None:
        near = Q(incident_at__range=(incident_at - rules.NEAR_IN_TIME, incident_at + rules.NEAR_IN_TIME))
        same_person_window = Q(
            incident_at__range=(incident_at - rules.SAME_PERSON_WINDOW, incident_at + rules.SAME_PERSON_WINDOW)
        )
    else:
        same_person_window = Q()
    person = Q(pk__in=[])
    if plate:
        person |= Q(plate=plate)
    if phone:
        person |= Q(phone=phone)
    found = Complaint.objects.filter(access.visible_q(user)).live().filter(near | (person & same_person_window))
    if complaint is not None:
        found = found.exclude(pk=complaint.pk).exclude(primary=complaint)
    found = found.select_related("lane", "team", "owner", "primary").order_by("-incident_at")[:CANDIDATES_SCORED]
    new = rules.DuplicateFacts(
        plate=plate, phone=phone, lane_id=lane.pk if lane else None, incident_at=incident_at, text=text
    )
    scored = []
    for other in found:
        score = rules.duplicate_score(
            new,
            rules.DuplicateFacts(
                plate=other.plate,
                phone=other.phone,
                lane_id=other.lane_id,
                incident_at=other.incident_at,
                text=other.description,
            ),
        )
        if score.points >= rules.SUGGEST_AT:
            # A duplicate is suggested as its primary: that is where it would be linked.
            scored.append(DuplicateCandidate(complaint=other, points=score.points, reasons=tuple(score.reasons)))
    scored.sort(key=lambda c: (-c.points, -c.complaint.pk))
    return scored[:limit]


def _quietly(normalise, value: str) -> str:
    """The normalised value, or the raw one when it does not parse (the form reports that)."""
    try:
        return normalise(value)
    except DomainError:  # a half-typed value on the intake form is not an error here
        return (value or "").strip()

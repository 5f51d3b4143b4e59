"""The rules of the plan's §7 (complaints), one function each, each naming its plan ID.

Plain functions over plain values (no queries): the services call them with what they loaded,
and the tests call them directly. Time limits are counted over a ``WorkingCalendar``
(``tollservice.core.calendar.workdays``), which the caller passes in.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.models import Complaint, ReturnVisit, Verdict
from complaints.validators import PLATE_PATTERN, PROVINCES
from tollservice.core.calendar.workdays import WorkingCalendar
from tollservice.core.errors import DomainError

Status = Complaint.Status
Level = Complaint.Level
Outcome = Verdict.Outcome
Fault = Verdict.Fault

# --- Text limits (every field has one, and a message in the user's language) -------------------

DESCRIPTION_MAX = 2000
REMEDY_MAX = 500
NOTE_MAX = 2000
# How far back an incident may lie when it is complained of (older ones are typing errors).
INCIDENT_MAX_AGE = datetime.timedelta(days=366)
# A clock a few minutes fast on the driver's phone is not an incident "in the future".
CLOCK_TOLERANCE = datetime.timedelta(minutes=10)


def check_incident_time(incident_at: datetime.datetime, *, received_at: datetime.datetime) -> None:
    """The incident happened before the complaint arrived, and not long before."""
    if incident_at > received_at + CLOCK_TOLERANCE:
        raise DomainError(_("The incident cannot be after the complaint was made."), field="incident_at")
    if incident_at < received_at - INCIDENT_MAX_AGE:
        raise DomainError(
            _("The incident is more than a year before the complaint; check the date."), field="incident_at"
        )


# --- Time limits (accepted at once, first contact, answer, return visit) -----------------------


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The last moment of ``day`` in the station's time zone: a limit "within n days" runs to it."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def accept_due(*, received_at: datetime.datetime, hours: int) -> datetime.datetime:
    """CMP-9: accepted at once — registered within ``hours`` of reaching the station (a letter or
    a work order that arrives out of hours)."""
    return received_at + datetime.timedelta(hours=hours)


def first_contact_due(*, accepted_at: datetime.datetime, hours: int) -> datetime.datetime:
    """The driver is contacted within ``hours`` of acceptance (24 by default, fewer if urgent)."""
    return accepted_at + datetime.timedelta(hours=hours)


Interval = tuple[datetime.datetime, datetime.datetime | None]


def days_spent_waiting(pauses: Iterable[Interval]) -> set[datetime.date]:
    """The days wholly spent waiting on the driver: those strictly between the day a pause began
    and the day it ended. The days a pause begins or ends on were partly worked, and count."""
    days: set[datetime.date] = set()
    for started_at, ended_at in pauses:
        if ended_at is None:
            continue
        first = timezone.localdate(started_at) + datetime.timedelta(days=1)
        last = timezone.localdate(ended_at)
        day = first
        while day < last:
            days.add(day)
            day += datetime.timedelta(days=1)
    return days


def answer_due(
    *,
    accepted_at: datetime.datetime,
    working_days: int,
    calendar: WorkingCalendar,
    pauses: Sequence[Interval] = (),
    order_deadline: datetime.datetime | None = None,
    extended_to: datetime.date | None = None,
) -> datetime.datetime | None:
    """When the answer is due: the end of the ``working_days``-th working day after acceptance,
    not counting the days wholly spent waiting on the driver; ``None`` while the station waits
    (the clock is stopped). An upstream work order's own deadline overrides the station's
    limit (CMP-9), and an approved extension overrides both."""
    if extended_to is not None:
        return end_of_day(extended_to)
    if order_deadline is not None:
        return order_deadline
    if any(ended_at is None for _started, ended_at in pauses):
        return None
    start = timezone.localdate(accepted_at)
    return end_of_day(calendar.add_working_days(start, working_days, skip=days_spent_waiting(pauses)))


def return_visit_due(*, answered_at: datetime.datetime, days: int) -> datetime.datetime:
    """The return visit is made within ``days`` days of the answer (3 by default)."""
    return end_of_day(timezone.localdate(answered_at) + datetime.timedelta(days=days))


def review_due(*, opened_at: datetime.datetime, working_days: int, calendar: WorkingCalendar) -> datetime.datetime:
    return end_of_day(calendar.add_working_days(timezone.localdate(opened_at), working_days))


def within(done_at: datetime.datetime | None, due: datetime.datetime | None) -> bool:
    return done_at is not None and (due is None or done_at <= due)


# The limits a complaint can miss, in the order a case meets them.
LIMITS = {
    "accept": _("accepted at once"),
    "first_contact": _("first contact"),
    "answer": _("answer"),
    "return_visit": _("return visit"),
}


def missed_limits(complaint: Complaint, *, now: datetime.datetime) -> list[str]:
    """The limits this complaint missed (done late, or not done and past due), as keys of
    ``LIMITS``: grounds for a PEN-4 proposal and the "overdue" marks on lists."""
    missed = []
    if complaint.accepted_at > complaint.accept_due:
        missed.append("accept")
    contact_at = complaint.first_contact_at or now
    if contact_at > complaint.first_contact_due:
        missed.append("first_contact")
    if complaint.answered_at is not None:
        if complaint.answered_on_time is False:
            missed.append("answer")
    elif complaint.answer_due is not None and now > complaint.answer_due:
        missed.append("answer")
    if complaint.return_visit_due is not None:
        visited_at = complaint.return_visited_at or now
        if visited_at > complaint.return_visit_due:
            missed.append("return_visit")
    return missed


def check_extension(*, now: datetime.datetime, answer_due: datetime.datetime | None, new_due: datetime.date) -> None:
    """An extension (延期) is asked for and approved before the limit, for a later date."""
    if answer_due is None:
        raise DomainError(_("The clock is stopped while the station waits on the driver; resume it first."))
    if now > answer_due:
        raise DomainError(
            _("The limit has passed: an extension must be approved before it."), code="limit_passed", field="new_due"
        )
    if new_due <= timezone.localdate(answer_due):
        raise DomainError(_("The new date must be after the present limit."), field="new_due")


# --- Status flow --------------------------------------------------------------------------------

TRANSITIONS: dict[str, frozenset[str]] = {
    # A duplicate is answered with its primary, straight from "registered".
    Status.REGISTERED: frozenset({Status.INVESTIGATING, Status.ANSWERED}),
    Status.INVESTIGATING: frozenset({Status.ANSWERED}),
    # Reopened by a review or by a hotline centre returning its work order.
    Status.ANSWERED: frozenset({Status.RETURN_VISIT, Status.INVESTIGATING}),
    Status.RETURN_VISIT: frozenset({Status.CLOSED, Status.INVESTIGATING}),
    Status.CLOSED: frozenset({Status.INVESTIGATING}),
}


def check_transition(current: str, new: str) -> None:
    """registered → investigating → answered → return visit → closed, and back to
    investigating when the case is reopened."""
    if new not in TRANSITIONS[current]:
        raise DomainError(
            _("A complaint that is “%(current)s” cannot become “%(new)s”."),
            code="illegal_step",
            params={"current": Status(current).label, "new": Status(new).label},
        )


# --- Escalation (CMP-3, CMP-5) -------------------------------------------------------------------

CHAIN = (Level.FRONT_LINE, Level.SHIFT_LEADER, Level.TOLL_OFFICE_HEAD, Level.GROUP_OFFICE)


def escalation_levels(current: int, to_level: int | None = None) -> list[int]:
    """The levels to try, in order, when a complaint is escalated from ``current``: the next one
    (or ``to_level``, to report straight to a higher one, CMP-5), then those above it in case
    nobody can be found there. CMP-3: toll collector → shift leader on duty → head of the
    toll-collection office; CMP-5: → the leadership group's office."""
    if current >= Level.GROUP_OFFICE:
        raise DomainError(_("The complaint is already with the leadership group's office."), code="top_level")
    target = current + 1 if to_level is None else to_level
    if target <= current or target > Level.GROUP_OFFICE:
        raise DomainError(_("Escalate to a level above the present one."), field="to_level")
    return [level for level in CHAIN if level >= target]


# --- Verdict, apology (CMP-4), penalties (PEN-3) --------------------------------------------------

UPHOLDING = (Outcome.UPHELD, Outcome.PARTLY_UPHELD)


def check_verdict(*, outcome: str, fault: str, staff_at_fault: Iterable) -> None:
    """An upheld complaint puts the station at fault (or both); a complaint not upheld does not
    put the station at fault; staff are at fault only in an upheld complaint."""
    if outcome in UPHOLDING and fault not in (Fault.STATION, Fault.BOTH):
        raise DomainError(_("An upheld complaint puts the station (or both sides) at fault."), field="fault")
    if outcome == Outcome.NOT_UPHELD and fault in (Fault.STATION, Fault.BOTH):
        raise DomainError(_("A complaint not upheld cannot put the station at fault."), field="fault")
    if outcome == Outcome.NOT_UPHELD and list(staff_at_fault):
        raise DomainError(_("Staff are at fault only when the complaint is upheld."), field="staff_at_fault")


def apology_required(fault: str) -> bool:
    """CMP-4: station at fault, or both at fault — the station apologises (for its part) before
    the reply is sent."""
    return fault in (Fault.STATION, Fault.BOTH)


def pen3_may_propose(*, outcome: str, at_fault: bool, has_statement: bool) -> None:
    """PEN-3: an upheld complaint against a staff member leads to a penalty proposal — after the
    staff member's own account has been recorded."""
    if outcome not in UPHOLDING or not at_fault:
        raise DomainError(
            _("A penalty follows only an upheld complaint, for a staff member found at fault."), field="staff"
        )
    if not has_statement:
        raise DomainError(
            _("Record the staff member's own account before a verdict that leads to a penalty."),
            field="staff",
            code="statement_missing",
        )


def pen4_grounds(complaint: Complaint, *, now: datetime.datetime) -> list[str]:
    """PEN-4: what makes a complaint's handling a procedure violation — a missed limit, or a
    review that found the handling at fault."""
    grounds = list(missed_limits(complaint, now=now))
    if complaint.handling_at_fault:
        grounds.append("handling_at_fault")
    return grounds


# --- Return visit and the monthly figures ---------------------------------------------------------


def satisfied_results(*, basically_counts: bool) -> tuple[str, ...]:
    """What counts as satisfied in the return-visit satisfaction (回访满意率): configurable."""
    if basically_counts:
        return (ReturnVisit.Result.SATISFIED, ReturnVisit.Result.BASICALLY_SATISFIED)
    return (ReturnVisit.Result.SATISFIED,)


def upheld_outcomes(*, partly_counts: bool) -> tuple[str, ...]:
    return UPHOLDING if partly_counts else (Outcome.UPHELD,)


def needs_review(result: str) -> bool:
    """A dissatisfied driver's complaint is reviewed (复核) by the toll-office head."""
    return result == ReturnVisit.Result.DISSATISFIED


# --- Duplicates (CMP-1) ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DuplicateFacts:
    """What two complaints are compared on."""

    plate: str = ""
    phone: str = ""
    lane_id: int | None = None
    incident_at: datetime.datetime | None = None
    text: str = ""


@dataclass
class DuplicateScore:
    """How alike two complaints are, and why: each reason with its points."""

    points: int = 0
    reasons: list[tuple[str, int]] = field(default_factory=list)

    def add(self, reason, points: int) -> None:
        self.points += points
        self.reasons.append((str(reason), points))


# Points for each likeness; a candidate with SUGGEST_AT points or more is suggested.
SAME_PLATE, SAME_PHONE, SAME_LANE = 40, 35, 15
TIME_POINTS = (
    (datetime.timedelta(minutes=30), 25),
    (datetime.timedelta(hours=2), 15),
    (datetime.timedelta(hours=6), 5),
)
TEXT_POINTS, TEXT_FLOOR = 30, 0.2
SUGGEST_AT = 40
# Candidates are looked for among complaints whose incidents lie this close (any lane), or, for
# the same plate or phone, this far apart.
NEAR_IN_TIME = datetime.timedelta(hours=6)
SAME_PERSON_WINDOW = datetime.timedelta(days=30)

_NOT_TEXT = re.compile(r"[\W_]+", re.UNICODE)


def _bigrams(text: str) -> set[str]:
    text = _NOT_TEXT.sub("", text.lower())
    return {text[i : i + 2] for i in range(len(text) - 1)} if len(text) > 1 else {text} - {""}


def text_similarity(a: str, b: str) -> float:
    """Dice coefficient of the two texts' character pairs: 1.0 for the same words, 0 for none
    shared. Character pairs suit Chinese, which has no spaces between words."""
    first, second = _bigrams(a), _bigrams(b)
    if not first or not second:
        return 0.0
    return 2 * len(first & second) / (len(first) + len(second))


def duplicate_score(new: DuplicateFacts, other: DuplicateFacts) -> DuplicateScore:
    """CMP-1: how likely ``other`` is the same incident as ``new``, with the reasons."""
    score = DuplicateScore()
    if new.plate and new.plate == other.plate:
        score.add(_("Same plate number"), SAME_PLATE)
    if new.phone and new.phone == other.phone:
        score.add(_("Same phone number"), SAME_PHONE)
    if new.lane_id and new.lane_id == other.lane_id:
        score.add(_("Same lane"), SAME_LANE)
    if new.incident_at and other.incident_at:
        gap = abs(new.incident_at - other.incident_at)
        for limit, points in TIME_POINTS:
            if gap <= limit:
                minutes = int(gap.total_seconds() // 60)
                score.add(_("Incidents %(minutes)s minutes apart") % {"minutes": minutes}, points)
                break
    similarity = text_similarity(new.text, other.text)
    if similarity >= TEXT_FLOOR:
        score.add(
            _("Descriptions %(percent)s%% alike") % {"percent": round(similarity * 100)},
            round(TEXT_POINTS * similarity),
        )
    return score


# --- The driver's personal data -------------------------------------------------------------------

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
_COUNTRY_PREFIX = re.compile(r"^(\+86|0086)")
_PLATE = re.compile(PLATE_PATTERN)


def normalise_phone(value: str, *, required: bool) -> str:
    """A mainland mobile number (11 digits) or a landline with its area code; spaces, dashes in
    a mobile number and a +86 prefix are dropped. Letters are refused."""
    value = _COUNTRY_PREFIX.sub("", re.sub(r"\s+", "", value or ""))
    if not value:
        if required:
            raise DomainError(_("Give a phone number so that the station can reach you."), field="phone")
        return ""
    digits = value.replace("-", "")
    if _MOBILE.match(digits):
        return digits
    if _LANDLINE.match(value):
        return value
    raise DomainError(
        _("Enter a mobile number (11 digits) or a landline with its area code, such as 0791-88886666."),
        field="phone",
        code="invalid_phone",
    )


def normalise_plate(value: str) -> str:
    """A mainland plate such as 赣A12345 (new-energy plates have six characters after the
    letter); spaces, dots and dashes are dropped, letters made capital. Optional."""
    value = re.sub(r"[\s·.\-]+", "", value or "").upper()
    if not value:
        return ""
    if not _PLATE.match(value):
        raise DomainError(
            _("Enter the plate number as it reads, for example 赣A12345."), field="plate", code="invalid_plate"
        )
    return value


def mask_phone(phone: str) -> str:
    """138****5678: enough to recognise a number, not to call it."""
    if not phone:
        return ""
    digits_only = phone.replace("-", "")
    if len(digits_only) <= 7:
        return "*" * len(phone)
    return f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}"


def mask_plate(plate: str) -> str:
    """赣A***45."""
    if not plate:
        return ""
    if len(plate) <= 4:
        return plate[:1] + "*" * (len(plate) - 1)
    return f"{plate[:2]}{'*' * (len(plate) - 4)}{plate[-2:]}"


_PHONE_IN_TEXT = re.compile(r"(?:\+?86)?1[3-9]\d{9}|0\d{2,3}-?\d{7,8}")
_PLATE_IN_TEXT = re.compile(rf"[{PROVINCES}][A-Za-z][·\s]?[A-Za-z0-9]{{4,6}}")
_EMAIL_IN_TEXT = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
REDACTED = "***"


def redact(text: str, *, names: Iterable[str] = ()) -> str:
    """``text`` without phone numbers, plates, email addresses and the given names (PIPL: what
    the retention task leaves of what a driver wrote)."""
    text = _EMAIL_IN_TEXT.sub(REDACTED, text or "")
    text = _PHONE_IN_TEXT.sub(REDACTED, text)
    text = _PLATE_IN_TEXT.sub(REDACTED, text)
    for name in names:
        if name and len(name) >= 2:
            text = text.replace(name, REDACTED)
    return text

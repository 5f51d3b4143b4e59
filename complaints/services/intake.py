"""Registering complaints from every channel (CMP-6, CMP-7, CMP-9), the access code, and voiding
a mistaken registration.

A complaint is accepted at once: the moment it is registered is recorded, it gets the next
number of the year's ledger (gapless, CMP-7), a tracking number and a secret access code
whatever the channel, and its time limits start. Whoever registers it is its first responder
and owner (CMP-8); a complaint sent through the web form is owned by the first staff member who
takes it up.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from complaints import access, access_codes, rules
from complaints.models import (
    Complaint,
    ComplaintEvent,
    ComplaintMessage,
    ComplaintSettings,
    RegistrationCounter,
    UrgencyLimit,
)
from complaints.services import _deadlines
from complaints.services._common import (
    audit_state,
    before,
    counts_changed,
    event,
    lock,
    message_to_driver,
    notify,
    office_users,
    refuse_voided,
    require,
)
from complaints.services.photos import photos_check, photos_kept_only_on_commit, photos_store
from penalties.selectors import leadership_users
from tollservice.audit.models import AuditEntry
from tollservice.audit.services import audit_record, snapshot
from tollservice.core.calendar.workdays import working_calendar
from tollservice.core.errors import DomainError
from tollservice.core.validators import text_optional, text_required
from tollservice.core.verdicts import require_permission
from tollservice.roster.models import Lane, Staff, Team
from tollservice.roster.selectors import shift_leader_on_duty

logger = logging.getLogger("complaints")

Channel = Complaint.Channel
Kind = ComplaintEvent.Kind


@dataclass(frozen=True)
class Registration:
    """A registered complaint and its access code, shown (or read out) once and never stored."""

    complaint: Complaint
    access_code: str

    @property
    def tracking_number(self) -> str:
        return self.complaint.tracking_number


# --- The ledger (CMP-7) ---------------------------------------------------------------------------


def next_ledger_number(year: int) -> int:
    """The next number of ``year``'s ledger, taken inside the caller's transaction.

    The counter row is updated before it is read, so the update's row lock (PostgreSQL) or the
    database write lock (SQLite) makes concurrent registrations queue; a registration that rolls
    back gives its number back with the counter. Hence no gaps and no repeats.
    """
    counters = RegistrationCounter.objects.filter(year=year)
    if not counters.update(last_number=F("last_number") + 1):
        # The year's first registration. Two at once: one inserts, the other's insert waits for
        # it and then does nothing, and both go on to the update, one after the other.
        RegistrationCounter.objects.bulk_create([RegistrationCounter(year=year, last_number=0)], ignore_conflicts=True)
        counters.update(last_number=F("last_number") + 1)
    return counters.values_list("last_number", flat=True).get()


def format_number(year: int, sequence: int) -> str:
    return f"{year}-{sequence:04d}"


# --- Registering ---------------------------------------------------------------------------------


def _channel_details(
    channel: str,
    *,
    duty_leader: Staff | None,
    media_outlet: str,
    media_date: datetime.date | None,
    work_order_centre: str,
    work_order_number: str,
    work_order_deadline: datetime.datetime | None,
    received_at: datetime.datetime,
) -> dict:
    """CMP-9: what each channel must say about where the complaint came from."""
    details = {
        "duty_leader": None,
        "media_outlet": "",
        "media_date": None,
        "work_order_centre": "",
        "work_order_number": "",
        "work_order_deadline": None,
    }
    if channel == Channel.DUTY_LEADER:
        if duty_leader is None:
            raise DomainError(_("Name the duty leader who transferred the complaint."), field="duty_leader")
        details["duty_leader"] = duty_leader
    elif channel == Channel.MEDIA:
        outlet = text_required(media_outlet, field="media_outlet", message=_("Name the news outlet."), limit=100)
        if media_date is None:
            raise DomainError(_("Give the date of the report."), field="media_date")
        if media_date > timezone.localdate(received_at):
            raise DomainError(_("The report cannot be dated after the complaint arrived."), field="media_date")
        details.update(media_outlet=outlet, media_date=media_date)
    elif channel == Channel.HOTLINE:
        if work_order_centre not in Complaint.Centre.values:
            raise DomainError(_("Choose the hotline centre the work order came from."), field="work_order_centre")
        number = text_required(
            work_order_number, field="work_order_number", message=_("Give the work-order number."), limit=40
        )
        if work_order_deadline is None:
            raise DomainError(_("Give the deadline the centre set."), field="work_order_deadline")
        if work_order_deadline <= received_at:
            raise DomainError(_("The centre's deadline must be after the order arrived."), field="work_order_deadline")
        existing = Complaint.objects.live().filter(work_order_centre=work_order_centre, work_order_number=number)
        if existing.exists():
            raise DomainError(
                _("This work order is already registered as %(number)s."),
                field="work_order_number",
                code="work_order_registered",
                params={"number": existing.values_list("number", flat=True).first()},
            )
        details.update(
            work_order_centre=work_order_centre, work_order_number=number, work_order_deadline=work_order_deadline
        )
    return details


def complaint_register(
    *,
    registered_by,
    channel: str,
    category: str,
    description: str,
    incident_at: datetime.datetime,
    phone: str = "",
    urgency: str = Complaint.Urgency.NORMAL,
    lane: Lane | None = None,
    team: Team | None = None,
    plate: str = "",
    complainant_name: str = "",
    email: str = "",
    remedy: str = "",
    received_at: datetime.datetime | None = None,
    duty_leader: Staff | None = None,
    media_outlet: str = "",
    media_date: datetime.date | None = None,
    work_order_centre: str = "",
    work_order_number: str = "",
    work_order_deadline: datetime.datetime | None = None,
    photos: Sequence = (),
) -> Registration:
    """Staff register a complaint from any channel but the web form (CMP-6, CMP-9); they become
    its first responder and owner (CMP-8). ``received_at`` is when it reached the station
    (a letter's arrival, a work order's issue), by default now. ``photos``: up to three uploaded
    images (a letter's enclosures), checked by content and kept privately."""
    require_permission(registered_by, "complaints.register")
    if channel == Channel.WEB or channel not in Channel.values:
        raise DomainError(_("Choose how the complaint reached the station."), field="channel")
    now = timezone.now()
    received_at = received_at or now
    if received_at > now + rules.CLOCK_TOLERANCE:
        raise DomainError(_("A complaint cannot arrive in the future."), field="received_at")
    if received_at < now - rules.INCIDENT_MAX_AGE:
        raise DomainError(_("That is more than a year ago; check the date."), field="received_at")
    details = _channel_details(
        channel,
        duty_leader=duty_leader,
        media_outlet=media_outlet,
        media_date=media_date,
        work_order_centre=work_order_centre,
        work_order_number=work_order_number,
        work_order_deadline=work_order_deadline,
        received_at=received_at,
    )
    return _register(
        registered_by=registered_by,
        channel=channel,
        category=category,
        description=description,
        incident_at=incident_at,
        phone=rules.normalise_phone(phone, required=False),
        urgency=urgency,
        lane=lane,
        team=team,
        plate=plate,
        complainant_name=complainant_name,
        email=email,
        remedy=remedy,
        received_at=received_at,
        now=now,
        details=details,
        photos=photos,
    )


def complaint_submit_online(
    *,
    category: str,
    description: str,
    incident_at: datetime.datetime,
    phone: str,
    lane: Lane | None = None,
    plate: str = "",
    complainant_name: str = "",
    email: str = "",
    remedy: str = "",
    photos: Sequence = (),
) -> Registration:
    """A driver's complaint through the public web form (CMP-9), with up to three photos. Nobody
    owns it until a staff member takes it up; the group office is told it has arrived."""
    now = timezone.now()
    return _register(
        registered_by=None,
        channel=Channel.WEB,
        category=category,
        description=description,
        incident_at=incident_at,
        phone=rules.normalise_phone(phone, required=True),
        urgency=Complaint.Urgency.NORMAL,
        lane=lane,
        team=None,
        plate=plate,
        complainant_name=complainant_name,
        email=email,
        remedy=remedy,
        received_at=now,
        now=now,
        details={},
        photos=photos,
    )


def _register(
    *,
    registered_by,
    channel,
    category,
    description,
    incident_at,
    phone,
    urgency,
    lane,
    team,
    plate,
    complainant_name,
    email,
    remedy,
    received_at,
    now,
    details,
    photos=(),
) -> Registration:
    if category not in Complaint.Category.values:
        raise DomainError(_("Choose what the complaint is about."), field="category")
    if urgency not in Complaint.Urgency.values:
        raise DomainError(_("Choose the urgency."), field="urgency")
    description = text_required(
        description, field="description", message=_("Describe what happened."), limit=rules.DESCRIPTION_MAX
    )
    remedy = text_optional(remedy, field="remedy", limit=rules.REMEDY_MAX)
    complainant_name = text_optional(complainant_name, field="complainant_name", limit=50)
    email = text_optional(email, field="email", limit=254)
    if email and "@" not in email:
        raise DomainError(_("Enter a valid email address, or leave it empty."), field="email")
    plate = rules.normalise_plate(plate)
    if incident_at is None:
        raise DomainError(_("Give the date and time of the incident."), field="incident_at")
    rules.check_incident_time(incident_at, received_at=received_at)
    if lane is not None and not lane.active:
        raise DomainError(_("That lane is closed; choose the lane you used."), field="lane")
    if team is None:
        on_duty = shift_leader_on_duty(moment=incident_at)
        team = on_duty.team if on_duty is not None else None

    checked_photos = photos_check(photos)
    settings = ComplaintSettings.load()
    limits = UrgencyLimit.for_urgency(urgency)
    code, salt = access_codes.new_code(), access_codes.new_salt()
    with transaction.atomic(), photos_kept_only_on_commit() as saved:
        year = timezone.localdate(now).year
        sequence = next_ledger_number(year)
        complaint = Complaint.objects.create(
            number=format_number(year, sequence),
            year=year,
            sequence=sequence,
            channel=channel,
            category=category,
            urgency=urgency,
            description=description,
            remedy=remedy,
            incident_at=incident_at,
            lane=lane,
            team=team,
            complainant_name=complainant_name,
            phone=phone,
            email=email,
            plate=plate,
            received_at=received_at,
            accepted_at=now,
            registered_by=registered_by,
            first_responder=registered_by,  # CMP-8
            owner=registered_by,
            access_code_salt=salt,
            access_code_hash=access_codes.code_digest(salt, code),
            first_contact_hours=limits.first_contact_hours,
            answer_working_days=limits.answer_working_days,
            accept_due=rules.accept_due(received_at=received_at, hours=settings.accept_hours),
            first_contact_due=rules.first_contact_due(accepted_at=now, hours=limits.first_contact_hours),
            answer_clock_from=now,
            answer_due=rules.answer_due(
                accepted_at=now,
                working_days=limits.answer_working_days,
                calendar=working_calendar(),
                order_deadline=details.get("work_order_deadline"),
            ),
            **details,
        )
        counts_changed(complaint)
        event(complaint, Kind.REGISTERED, registered_by, channel=channel, urgency=urgency)
        photos_store(complaint, checked_photos, by=registered_by, saved=saved)
        audit_record(
            actor=registered_by,
            instance=complaint,
            action=AuditEntry.Action.CREATE,
            after=snapshot(complaint, ["number", "channel", "received_at", "accepted_at", "incident_at"]),
            summary=_("Complaint registered"),
        )
        message_to_driver(
            complaint,
            kind=ComplaintMessage.Kind.ACKNOWLEDGEMENT,
            body=_acknowledgement(complaint),
            author=registered_by,
        )
        if complaint.leadership_sees_from_start:
            notify(
                recipients=leadership_users(),
                subject=_("A complaint from the media or a hotline: %(number)s") % {"number": complaint.number},
                body=complaint.get_channel_display(),
                complaint=complaint,
            )
        if registered_by is None:
            notify(
                recipients=office_users(),
                subject=_("A complaint arrived through the web form: %(number)s") % {"number": complaint.number},
                body=complaint.get_category_display(),
                complaint=complaint,
            )
        responsible = [registered_by] if registered_by else office_users()
        _deadlines.limit_set(
            complaint,
            kind=_deadlines.FIRST_CONTACT,
            due_at=complaint.first_contact_due,
            responsible=responsible,
            actor=registered_by,
        )
        _deadlines.limit_set(
            complaint, kind=_deadlines.ANSWER, due_at=complaint.answer_due, responsible=responsible, actor=registered_by
        )
        if email:
            number = complaint.number
            transaction.on_commit(lambda: _email_access_code(address=email, number=number, code=code))
    return Registration(complaint=complaint, access_code=access_codes.format_code(code))


def _acknowledgement(complaint: Complaint) -> str:
    return gettext(
        "Your complaint has been registered under number %(number)s. The station will contact you "
        "within %(hours)s hours and answer by %(date)s."
    ) % {
        "number": complaint.number,
        "hours": complaint.first_contact_hours,
        "date": timezone.localtime(complaint.answer_due).strftime("%Y-%m-%d") if complaint.answer_due else "—",
    }


def _email_access_code(*, address: str, number: str, code: str) -> None:
    """Email the access code at once, from this process: the code must never be written down
    anywhere — not in a row, not in a task message on the broker's disk. A failure is logged;
    the driver has the code on the screen (or it was read out to them)."""
    subject = gettext("Your complaint %(number)s: tracking number and access code") % {"number": number}
    body = gettext(
        "Tracking number: %(number)s\nAccess code: %(code)s\n\nKeep both: with them you can follow your "
        "complaint, add information and rate the outcome. The station never asks you for the code."
    ) % {"number": number, "code": access_codes.format_code(code)}
    try:
        send_mail(subject, body, None, [address])
    except Exception:  # noqa: BLE001 - the registration stands; the failure is for the log
        logger.exception("Complaint %s: the access code could not be emailed", number)


# --- Taking up, new code, voiding -----------------------------------------------------------------


def complaint_take_up(*, complaint: Complaint, by) -> Complaint:
    """CMP-8: the first staff member to accept a web-form complaint becomes its first responder
    and owner."""
    with transaction.atomic():
        complaint = lock(complaint)
        refuse_voided(complaint)
        if complaint.owner_id is not None:
            raise DomainError(_("This complaint has already been taken up."), code="taken")
        require(access.can_take_up(by, complaint))
        accept(complaint, by=by)
    return complaint


def accept(complaint: Complaint, *, by) -> None:
    """``by`` accepts the locked, unowned ``complaint``: its first responder and owner (CMP-8)."""
    snapshot_before = before(complaint)
    complaint.first_responder = complaint.owner = by
    complaint.save()
    event(complaint, Kind.TAKEN_UP, by)
    audit_state(by, complaint, snapshot_before, _("Complaint taken up"))
    _deadlines.refresh_limits(complaint, actor=by)  # the owner is reminded from now on


def complaint_access_code_reissue(*, complaint: Complaint, by) -> str:
    """A driver who lost the code gets a new one (the old one stops working), after the handler
    has made sure on the phone that it is the driver. The new code is returned once."""
    with transaction.atomic():
        complaint = lock(complaint)
        refuse_voided(complaint)
        require(access.can_handle(by, complaint))
        if complaint.anonymised_at is not None:
            raise DomainError(_("The driver's data of this complaint has been removed."), code="anonymised")
        code, salt = access_codes.new_code(), access_codes.new_salt()
        complaint.access_code_salt, complaint.access_code_hash = salt, access_codes.code_digest(salt, code)
        complaint.save(update_fields=["access_code_salt", "access_code_hash", "updated_at"])
        event(complaint, Kind.CODE_REISSUED, by)
        audit_record(actor=by, instance=complaint, action=AuditEntry.Action.UPDATE, summary=_("New access code issued"))
        if complaint.email:
            email, number = complaint.email, complaint.number
            transaction.on_commit(lambda: _email_access_code(address=email, number=number, code=code))
    return access_codes.format_code(code)


def complaint_void(*, complaint: Complaint, by, reason: str) -> Complaint:
    """CMP-7: a mistaken registration is voided with a reason; it keeps its number and stays in
    the ledger. A primary complaint with duplicates is voided only after they are moved."""
    require_permission(by, "complaints.manage")
    reason = text_required(reason, field="reason", message=_("Say why the registration is voided."))
    with transaction.atomic():
        complaint = lock(complaint)
        refuse_voided(complaint)
        if complaint.duplicates.live().exists():
            raise DomainError(
                _("Other complaints are linked to this one; make one of them the primary first."), code="has_duplicates"
            )
        snapshot_before = before(complaint)
        complaint.voided_at, complaint.voided_by, complaint.void_reason = timezone.now(), by, reason
        complaint.primary = None
        complaint.save()
        event(complaint, Kind.VOIDED, by, note=reason)
        audit_state(by, complaint, snapshot_before, _("Registration voided"))
        _deadlines.close_all(complaint, actor=by)
    return complaint

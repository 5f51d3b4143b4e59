"""What every complaints service shares: the authorization check, the row lock, the timeline
entry with its audit record, the status step, notifications and messages to the driver."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from complaints import rules
from complaints.models import Complaint, ComplaintEvent, ComplaintMessage, ComplaintMonthCounts, DriverEmail
from complaints.models.figures import month_of
from tollservice.audit.models import AuditEntry
from tollservice.audit.services import audit_record, locked, snapshot
from tollservice.core.errors import DomainError
from tollservice.notifications.services import notification_send_each
from tollservice.roster.models import OfficeMembership

logger = logging.getLogger("complaints")

# What the audit trail records of a complaint: its state, never the driver's personal data
# (which the retention task must be able to remove everywhere).
AUDITED = [
    "status",
    "level",
    "escalated_to",
    "owner",
    "primary",
    "urgency",
    "category",
    "lane",
    "team",
    "answer_due",
    "extended_to",
    "paused_since",
    "verdict_outcome",
    "return_visit_result",
    "review_status",
    "handling_at_fault",
    "voided_at",
    "anonymised_at",
]


def refused(message=None, **kwargs) -> DomainError:
    return DomainError(message or _("You are not allowed to do this."), code=kwargs.pop("code", "permission_denied"))


def require(allowed: bool, message=None) -> None:
    """The service's own check of who may do a step, so that no view can skip it."""
    if not allowed:
        raise refused(message)


def lock(complaint: Complaint) -> Complaint:
    """The complaint's row, locked until the transaction ends: every write takes it first, and
    marks the kept counts of the complaint's month changed at the same time."""
    complaint = locked(complaint)
    counts_changed(complaint)
    return complaint


def counts_changed(*complaints: Complaint) -> None:
    """This transaction writes ``complaints``: the kept counts of the months they were accepted
    in are counted again by the next reader of the figures (``ComplaintMonthCounts``), and no
    count taken before the transaction commits can be kept as current. Called wherever a
    complaint is locked or created, so that no write can forget it; a write that changes no
    figure costs the next reader one month's count, where a forgotten one would cost a wrong
    report."""
    ComplaintMonthCounts.objects.mark_changed(month_of(complaint.accepted_at) for complaint in complaints)


def refuse_voided(complaint: Complaint) -> None:
    if complaint.voided_at is not None:
        raise DomainError(_("This registration was voided; nothing more is recorded on it."), code="voided")


def event(complaint: Complaint, kind: str, actor, *, note: str = "", **details) -> ComplaintEvent:
    return ComplaintEvent.objects.create(
        complaint=complaint,
        kind=kind,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        note=note,
        details=details,
    )


def audit_state(actor, complaint: Complaint, before: dict, summary) -> None:
    audit_record(
        actor=actor,
        instance=complaint,
        action=AuditEntry.Action.STATE,
        before=before,
        after=snapshot(complaint, AUDITED),
        summary=summary,
    )


def before(complaint: Complaint) -> dict:
    return snapshot(complaint, AUDITED)


def step(complaint: Complaint, new_status: str) -> None:
    """Move the complaint along its status flow (the caller saves)."""
    rules.check_transition(complaint.status, new_status)
    complaint.status = new_status


def complaint_url(complaint: Complaint) -> str:
    """Where a notification or a reminder about the complaint leads: its page."""
    return complaint.get_absolute_url()


def notify(*, recipients, subject, body="", complaint: Complaint | None = None) -> None:
    """In-app notification now (part of the transaction), email after commit."""
    url = complaint_url(complaint) if complaint is not None else ""
    notification_send_each(recipients=recipients, subject=subject, body=body, url=url)


def office_users() -> list:
    """Accounts of the group office's current members, the director first (CMP-6)."""
    seats = (
        OfficeMembership.objects.current()
        .filter(staff__user__isnull=False, staff__active=True)
        .select_related("staff__user")
        .order_by("role", "start_date")
    )
    return [seat.staff.user for seat in seats]


def responsible_users(complaint: Complaint) -> list:
    """Who answers for the complaint's limits now: its owner and the person it is escalated to,
    or the group office while nobody owns it."""
    users = [complaint.owner] if complaint.owner_id else []
    if complaint.escalated_to_id and complaint.escalated_to.user_id:
        users.append(complaint.escalated_to.user)
    return users or office_users()


def message_to_driver(complaint: Complaint, *, kind: str, body: str, author=None) -> ComplaintMessage:
    """Tell the driver something: it shows on their look-up page, and is emailed (once, after
    commit) when they gave an address."""
    message = ComplaintMessage.objects.create(
        complaint=complaint,
        direction=ComplaintMessage.Direction.TO_DRIVER,
        kind=kind,
        body=body,
        author=author if getattr(author, "is_authenticated", False) else None,
    )
    if complaint.email:
        from complaints.tasks import deliver_driver_email

        outbox = DriverEmail.objects.create(message=message)
        transaction.on_commit(lambda: deliver_driver_email.delay(outbox.pk))
    return message

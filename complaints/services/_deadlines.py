"""Where a complaint's time limits meet the reminder engine (``tollservice.reminders``).

Every service that starts, moves or ends a limit calls ``limit_set`` or ``limit_closed`` here,
inside its transaction, at the point where the complaint's stored due date changes; they set,
move and close the engine's deadlines (the kinds are in ``complaints.reminders``, registered in
``ComplaintsConfig.ready()``):

- ``complaints.first_contact``: due ``first_contact_due``; set at registration, closed at the
  first contact (or when the registration is voided).
- ``complaints.answer``: due ``answer_due``; set at registration, moved by a pause (closed as
  "cancelled" while the clock is stopped), a resumption, an approved extension, a reopening or a
  hotline centre's new deadline; closed when answered (a hotline order: when reported back),
  together with a first-contact limit still open (the answer reached the driver).
- ``complaints.return_visit``: due ``return_visit_due``; set when answered, closed at the return
  visit.
- ``complaints.review``: due ``Review.due_at``, on the review; set when a dissatisfied return
  visit opens it, closed when the toll-office head decides it.

Escalation after a missed limit goes along the complaint's chain (CMP-3, CMP-5):
``complaints.reminders.escalate_along_the_chain``.
"""

from __future__ import annotations

import datetime

from complaints.reminders import ANSWER, FIRST_CONTACT, RETURN_VISIT, REVIEW, limit_title
from tollservice.reminders.services import deadline_close, deadline_set, deadlines_close_all

KINDS = (FIRST_CONTACT, ANSWER, RETURN_VISIT, REVIEW)

COMPLETED, CANCELLED = "completed", "cancelled"


def limit_set(obj, *, kind: str, due_at: datetime.datetime | None, responsible: list, actor) -> None:
    """A limit starts or moves. ``due_at`` of ``None`` means the clock is stopped."""
    if due_at is None:
        limit_closed(obj, kind=kind, outcome=CANCELLED, actor=actor)
        return
    from complaints.services._common import complaint_url

    complaint = obj.complaint if kind == REVIEW else obj
    deadline_set(
        obj=obj,
        kind=kind,
        due_at=due_at,
        responsible=responsible,
        actor=_account(actor),
        title=lambda: limit_title(kind, complaint),
        url=complaint_url(complaint),
    )


def limit_closed(obj, *, kind: str, outcome: str = COMPLETED, actor) -> None:
    """A limit is met (``completed``) or no longer applies (``cancelled``)."""
    deadline_close(obj=obj, kind=kind, outcome=outcome, actor=_account(actor))


def _account(actor):
    """The signed-in user who acts, or ``None`` (a driver through the public pages, a task)."""
    return actor if getattr(actor, "is_authenticated", False) else None


# --- Built on the two calls above -----------------------------------------------------------------


def open_limits(complaint) -> list[tuple[str, datetime.datetime | None]]:
    """The complaint's limits still running, with their due times (``None``: clock stopped)."""
    from complaints.models import Complaint

    if complaint.voided_at is not None:
        return []
    limits = []
    if complaint.status in Complaint.BEFORE_ANSWER:
        if complaint.first_contact_at is None:
            limits.append((FIRST_CONTACT, complaint.first_contact_due))
        limits.append((ANSWER, complaint.answer_due))
    elif complaint.status == Complaint.Status.ANSWERED and complaint.return_visited_at is None:
        limits.append((RETURN_VISIT, complaint.return_visit_due))
    return limits


def _due_at(complaint, kind: str) -> datetime.datetime | None:
    return {
        FIRST_CONTACT: complaint.first_contact_due,
        ANSWER: complaint.answer_due,
        RETURN_VISIT: complaint.return_visit_due,
    }[kind]


def limit_moved(complaint, *, kind: str, actor) -> None:
    """The complaint's ``kind`` limit set again from its own due time (``None``: the clock is
    stopped), for the people responsible now."""
    from complaints.services._common import responsible_users

    limit_set(
        complaint, kind=kind, due_at=_due_at(complaint, kind), responsible=responsible_users(complaint), actor=actor
    )


def refresh_limits(complaint, *, actor) -> None:
    """Set the complaint's running limits again, for the people responsible now (after a
    handover, an escalation or a take-up)."""
    from complaints.services._common import responsible_users

    responsible = responsible_users(complaint)
    for kind, due_at in open_limits(complaint):
        limit_set(complaint, kind=kind, due_at=due_at, responsible=responsible, actor=actor)


def close_all(complaint, *, actor, outcome: str = CANCELLED) -> None:
    """Nothing more is due on the complaint (closed or voided): every limit still open on it, of
    whatever kind, and on its pending reviews, is closed by the engine."""
    deadlines_close_all(obj=complaint, outcome=outcome, actor=_account(actor))
    for review in complaint.reviews.filter(status="pending"):
        deadlines_close_all(obj=review, outcome=outcome, actor=_account(actor))

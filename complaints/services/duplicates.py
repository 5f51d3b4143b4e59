"""CMP-1: one incident complained of through several channels is handled once.

Staff link a complaint to the primary complaint of the incident (the portal suggests
candidates at intake: ``complaints.selectors.duplicate_candidates``); the incident is
investigated, answered and counted once, on the primary, and every linked driver gets the
answer. A linked hotline work order keeps its own deadline and owes its own report to its
centre. Links can be removed and the primary changed; every change is on the timelines.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints import access, rules
from complaints.models import Complaint, ComplaintEvent, ComplaintMessage, ComplaintSettings
from complaints.services import _deadlines
from complaints.services._common import audit_state, before, counts_changed, event, refuse_voided, require
from complaints.services.answer import _answer_duplicate
from complaints.services.handling import _resume
from tollservice.core.errors import DomainError
from tollservice.core.validators import text_optional, text_required

Kind = ComplaintEvent.Kind


def _lock_all(*complaints: Complaint) -> dict[int, Complaint]:
    """The rows locked lowest key first, so that two clerks linking the same complaints queue
    instead of deadlocking."""
    pks = sorted({c.pk for c in complaints})
    rows = {c.pk: c for c in Complaint.objects.select_for_update().filter(pk__in=pks).order_by("pk")}
    counts_changed(*rows.values())
    return rows


def _follow_answer_limit(complaint: Complaint, *, by) -> None:
    """A linked complaint's answer is the primary's (its own limit stops, counted once), except a
    hotline order's, which has its own deadline at its centre."""
    if complaint.is_work_order or complaint.status not in Complaint.BEFORE_ANSWER:
        return
    if complaint.primary_id is not None:
        _deadlines.limit_closed(complaint, kind=_deadlines.ANSWER, outcome=_deadlines.CANCELLED, actor=by)
    else:
        _deadlines.limit_moved(complaint, kind=_deadlines.ANSWER, actor=by)


def complaint_link_duplicate(*, complaint: Complaint, primary: Complaint, by, reason: str = "") -> Complaint:
    """Link ``complaint`` to ``primary`` as a complaint about the same incident. A primary that is
    itself linked is followed to its own primary; complaints linked to ``complaint`` move with
    it. If the incident has been answered already, the driver gets the answer at once."""
    reason = text_optional(reason, field="reason", limit=rules.NOTE_MAX)
    with transaction.atomic():
        # Read afresh: the primary given may have been linked itself since it was loaded.
        root_pk = Complaint.objects.filter(pk=primary.pk).values_list("primary_id", flat=True).get() or primary.pk
        followers = list(complaint.duplicates.values_list("pk", flat=True))
        rows = _lock_all(complaint, Complaint(pk=root_pk), *[Complaint(pk=pk) for pk in followers])
        complaint, primary = rows[complaint.pk], rows[root_pk]
        if primary.primary_id is not None:
            raise DomainError(_("The complaints changed meanwhile; try again."), code="changed")
        require(access.can_link_duplicates(by, complaint, primary))
        refuse_voided(complaint)
        refuse_voided(primary)
        if complaint.pk == primary.pk:
            raise DomainError(_("A complaint cannot be a duplicate of itself."), field="primary")
        if complaint.primary_id is not None:
            raise DomainError(
                _("This complaint is already linked to %(number)s; change or remove that link."),
                code="linked",
                params={"number": complaint.primary.number},
            )
        if complaint.status not in Complaint.BEFORE_ANSWER:
            raise DomainError(
                _("This complaint has been answered on its own; it cannot be linked now."), code="answered"
            )
        if primary.status == Complaint.Status.CLOSED:
            raise DomainError(_("Complaint %(number)s is closed."), field="primary", params={"number": primary.number})
        _resume(complaint, by=None)
        snapshot_before = before(complaint)
        complaint.primary = primary
        complaint.save()
        event(complaint, Kind.LINKED, by, note=reason, primary=primary.number)
        event(primary, Kind.LINKED, by, note=reason, duplicate=complaint.number)
        audit_state(by, complaint, snapshot_before, _("Linked as a duplicate"))
        for pk in followers:
            _relink(rows[pk], to=primary, by=by, reason=reason)
        _follow_answer_limit(complaint, by=by)
        if primary.answered_at is not None:
            answer = primary.messages.filter(kind=ComplaintMessage.Kind.ANSWER).order_by("-created_at", "-pk").first()
            if answer is not None:
                _answer_duplicate(
                    complaint,
                    primary=primary,
                    reply=answer.body,
                    by=by,
                    at=timezone.now(),
                    settings=ComplaintSettings.load(),
                )
    return complaint


def _primary_pk(complaint: Complaint) -> int:
    """The complaint's primary as the database has it now (the caller's copy may be stale)."""
    primary_pk = Complaint.objects.filter(pk=complaint.pk).values_list("primary_id", flat=True).get()
    if primary_pk is None:
        raise DomainError(_("This complaint is not linked to another."), code="not_linked")
    return primary_pk


def _relink(complaint: Complaint, *, to: Complaint, by, reason: str) -> None:
    snapshot_before = before(complaint)
    previous = complaint.primary
    complaint.primary = to
    complaint.save()
    event(
        complaint,
        Kind.PRIMARY_CHANGED,
        by,
        note=reason,
        primary=to.number,
        previous=previous.number if previous else "",
    )
    audit_state(by, complaint, snapshot_before, _("Primary complaint changed"))


def complaint_unlink_duplicate(*, complaint: Complaint, by, reason: str) -> Complaint:
    """Remove a duplicate link made in error: the complaint is handled on its own again."""
    reason = text_required(reason, field="reason", message=_("Say why the link is removed."))
    with transaction.atomic():
        primary_pk = _primary_pk(complaint)
        rows = _lock_all(complaint, Complaint(pk=primary_pk))
        complaint, primary = rows[complaint.pk], rows[primary_pk]
        if complaint.primary_id != primary_pk:
            raise DomainError(_("The complaints changed meanwhile; try again."), code="changed")
        require(access.can_link_duplicates(by, complaint))
        refuse_voided(complaint)
        snapshot_before = before(complaint)
        complaint.primary = None
        complaint.save()
        event(complaint, Kind.UNLINKED, by, note=reason, primary=primary.number)
        event(primary, Kind.UNLINKED, by, note=reason, duplicate=complaint.number)
        audit_state(by, complaint, snapshot_before, _("Duplicate link removed"))
        _follow_answer_limit(complaint, by=by)
    return complaint


def complaint_change_primary(*, new_primary: Complaint, by, reason: str) -> Complaint:
    """Make a linked complaint the primary of its incident (say, before the old primary is
    voided): the old primary and the other duplicates are linked to it. Only while the incident
    has not been answered — the investigation is on the old primary until then."""
    reason = text_required(reason, field="reason", message=_("Say why the primary complaint changes."))
    with transaction.atomic():
        old_pk = _primary_pk(new_primary)
        members = list(Complaint.objects.filter(primary_id=old_pk).values_list("pk", flat=True))
        rows = _lock_all(Complaint(pk=old_pk), *[Complaint(pk=pk) for pk in members])
        old, new = rows[old_pk], rows.get(new_primary.pk)
        if new is None or new.primary_id != old_pk:
            raise DomainError(_("The complaints changed meanwhile; try again."), code="changed")
        require(access.can_link_duplicates(by, new, old))
        refuse_voided(new)
        if old.status not in Complaint.BEFORE_ANSWER:
            raise DomainError(
                _("The incident was answered on %(number)s; it stays the primary complaint."),
                code="answered",
                params={"number": old.number},
            )
        snapshot_before = before(new)
        new.primary = None
        new.save()
        event(new, Kind.PRIMARY_CHANGED, by, note=reason, primary=new.number, previous=old.number)
        audit_state(by, new, snapshot_before, _("Primary complaint changed"))
        _resume(old, by=None)  # the investigation's clock is the new primary's now
        for complaint in [old, *(rows[pk] for pk in members if pk != new.pk)]:
            if complaint.voided_at is None:
                _relink(complaint, to=new, by=by, reason=reason)
                _follow_answer_limit(complaint, by=by)
        _follow_answer_limit(new, by=by)
    return new

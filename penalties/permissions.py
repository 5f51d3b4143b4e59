"""Who may take which step on which penalty, waiver, entry, circular or record — written once.

The services enforce these checks (``verdict.check()`` raises the refusal as a ``DomainError``)
and the pages offer a button only where the same check allows it, so a button and its guard
cannot disagree. Each ``can_…`` returns a ``Verdict``: true when allowed, otherwise false with
the reason in the reader's language.

What a role may do at all is ``tollservice.access.permissions``; what is checked here is the
step on one object: its state, "your own case", four eyes. ``Verdict`` and its helpers are
``tollservice.core.verdicts``, shared with the awards module.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from penalties.models import Circular, EligibilityRevocation, LedgerEntry, Penalty, TalkRecord, WaiverRequest
from tollservice.access.roles import Role, roles_for
from tollservice.core.verdicts import ALLOWED, Verdict, holds, refused
from tollservice.core.verdicts import NOT_ALLOWED as NOT_ALLOWED  # read by the penalties selectors
from tollservice.core.verdicts import first_refusal as _first_refusal
from tollservice.roster.models import Staff

Status = Penalty.Status
Kind = LedgerEntry.Kind

OWN_CASE = refused(_("You cannot act on a penalty of your own."), "own_case")
OWN_SUBJECT = refused(_("You cannot act on a decision that concerns you or your team."), "own_case")


# --- "Your own case", decided once ------------------------------------------------------------


def is_own_case(user, staff_id: int | None) -> bool:
    """Is ``staff_id`` the user's own roster entry? The one test of "your own case" everywhere:
    the user is the person on the roster (``roles_for(user).staff_id``), whatever account the
    roster entry links to."""
    own = roles_for(user).staff_id
    return own is not None and own == staff_id


def not_own_case(user, penalty: Penalty) -> Verdict:
    """Nobody decides, approves, collects or waives their own penalty."""
    return OWN_CASE if is_own_case(user, penalty.staff_id) else ALLOWED


def concerns_user(user, *, staff_ids: Iterable[int | None], team_id: int | None = None) -> bool:
    """Does a decision naming ``staff_ids`` (or ``team_id``) concern the user or their team?"""
    roles = roles_for(user)
    if roles.staff_id is None:
        return False
    if roles.staff_id in set(staff_ids):
        return True
    if team_id is None:
        return False
    return team_id in roles.led_team_ids or Staff.objects.filter(pk=roles.staff_id, team_id=team_id).exists()


def not_own_subject(user, *, staff_ids: Iterable[int | None], team_id: int | None = None) -> Verdict:
    """Nobody withdraws, edits or publishes a decision that names them or their team."""
    return OWN_SUBJECT if concerns_user(user, staff_ids=staff_ids, team_id=team_id) else ALLOWED


def is_leadership_member(user) -> bool:
    return Role.LEADERSHIP in roles_for(user)


# --- A penalty's life -------------------------------------------------------------------------


def can_decide(user, penalty: Penalty) -> Verdict:
    """PEN-5: the office decides a proposal, not its own."""
    return _first_refusal(
        holds(user, "penalties.decide"),
        ALLOWED
        if penalty.status == Status.PROPOSED
        else refused(_("This penalty has already been decided or withdrawn."), "not_proposed"),
        not_own_case(user, penalty),
    )


def can_withdraw(user, penalty: Penalty) -> Verdict:
    """The office drops a proposal it has not decided (a withdrawn proposal never counts, so
    nobody withdraws their own)."""
    return _first_refusal(
        holds(user, "penalties.decide"),
        not_own_case(user, penalty),
        ALLOWED
        if penalty.status == Status.PROPOSED
        else refused(_("Only a proposal can be withdrawn; revoke a decided penalty instead."), "not_proposed"),
    )


def can_approve(user, penalty: Penalty) -> Verdict:
    """PEN-2 / PEN-3: the leadership group decides a penalty waiting for it — four eyes: never
    the person who decided it for the office, even if they also hold a leadership seat."""
    return _first_refusal(
        holds(user, "penalties.approve"),
        ALLOWED
        if penalty.status == Status.AWAITING_APPROVAL
        else refused(_("This penalty is not waiting for the leadership group."), "not_awaiting"),
        not_own_case(user, penalty),
        ALLOWED
        if penalty.decided_by_id != user.pk
        else refused(
            _("You decided this penalty for the office; another member of the leadership group decides on it."),
            "four_eyes",
        ),
    )


# Rejecting is the leadership group's decision as well, under the same conditions.
can_reject = can_approve


def can_revoke(user, penalty: Penalty, *, collected_fen: int) -> Verdict:
    """A penalty in force is revoked by whoever decided it — the office, or the leadership group
    for one it approved — never by the person penalized, and only once a collected fine has been
    refunded (``collected_fen``: what is collected now)."""
    permission = "penalties.approve" if penalty.status == Status.APPROVED else "penalties.decide"
    return _first_refusal(
        holds(user, permission),
        ALLOWED
        if penalty.status in Penalty.IN_FORCE
        else refused(_("Only a penalty in force can be revoked."), "not_in_force"),
        not_own_case(user, penalty),
        ALLOWED
        if collected_fen <= 0
        else refused(
            _(
                "Part of this fine has been collected; the finance office must first refund it "
                "(reverse the collection)."
            ),
            "collected",
        ),
    )


# --- The ledger -------------------------------------------------------------------------------

NOTHING_OUTSTANDING = refused(
    _("Nothing is outstanding on this fine: it has been collected or waived already."), "nothing_outstanding"
)


def can_collect(user, penalty: Penalty, *, outstanding_fen: int) -> Verdict:
    """PEN-5: the finance office collects an outstanding fine, not its own."""
    return _first_refusal(
        holds(user, "ledger.collect"),
        not_own_case(user, penalty),
        ALLOWED if outstanding_fen > 0 else NOTHING_OUTSTANDING,
    )


def can_request_waiver(user, penalty: Penalty, *, outstanding_fen: int, waiver_pending: bool) -> Verdict:
    """PEN-5: a waiver of an outstanding fine, one at a time, never of one's own."""
    return _first_refusal(
        holds(user, "ledger.waive_request"),
        not_own_case(user, penalty),
        ALLOWED if outstanding_fen > 0 else NOTHING_OUTSTANDING,
        ALLOWED
        if not waiver_pending
        else refused(_("A waiver of this fine is already waiting for approval."), "waiver_pending"),
    )


def _waiver_pending(waiver: WaiverRequest) -> Verdict:
    if waiver.status == WaiverRequest.Status.PENDING:
        return ALLOWED
    return refused(_("This waiver request is closed."), "waiver_closed")


def can_approve_waiver(user, waiver: WaiverRequest, *, approvals: list, staff_id: int) -> Verdict:
    """PEN-5: two approvers, neither the one who asked for the waiver (four eyes, whatever
    seats the person holds), at least one of them a member of the leadership group; nobody
    approves the waiver of their own fine. ``approvals``: the waiver's approvals so far;
    ``staff_id``: the person whose fine it is."""
    is_last = len(approvals) >= WaiverRequest.REQUIRED_APPROVALS - 1
    return _first_refusal(
        holds(user, "ledger.waive_approve"),
        OWN_CASE if is_own_case(user, staff_id) else ALLOWED,
        _waiver_pending(waiver),
        ALLOWED
        if waiver.requested_by_id != user.pk
        else refused(_("You asked for this waiver; two other people must approve it."), "own_request"),
        ALLOWED
        if all(approval.approver_id != user.pk for approval in approvals)
        else refused(_("You have already approved this waiver; a second person must approve it."), "approved_once"),
        lambda: (
            ALLOWED
            if not is_last or is_leadership_member(user) or any(approval.as_leadership for approval in approvals)
            else refused(_("One of the two approvers must be a member of the leadership group."), "needs_leadership")
        ),
    )


def can_reject_waiver(user, waiver: WaiverRequest) -> Verdict:
    """Any approver may turn a pending waiver down, with reasons; the fine stays outstanding."""
    return _first_refusal(holds(user, "ledger.waive_approve"), _waiver_pending(waiver))


def can_reverse_entry(user, entry: LedgerEntry, *, already_reversed: bool) -> Verdict:
    """The finance office corrects a collection or a waiver by a reversal entry, once. An
    assessed fine is cancelled by revoking the penalty; a reversal is not reversed."""
    if entry.kind == Kind.ASSESSED:
        kind = refused(
            _("An assessed fine is cancelled by revoking the penalty, not by a ledger correction."),
            "assessed_needs_revocation",
        )
    elif entry.kind == Kind.REVERSAL:
        kind = refused(_("A reversal cannot itself be reversed; book the right entry instead."), "reversal")
    else:
        kind = ALLOWED
    return _first_refusal(
        holds(user, "ledger.reverse"),
        kind,
        ALLOWED if not already_reversed else refused(_("This entry has already been reversed."), "already_reversed"),
    )


def can_close_month(
    user, month_last_day: datetime.date, *, closed_through: datetime.date | None, today: datetime.date
) -> Verdict:
    """PEN-5: the finance office closes a month that has ended, after the last one closed (the
    service also requires that it balances)."""
    return _first_refusal(
        holds(user, "ledger.close"),
        ALLOWED
        if month_last_day < today
        else refused(_("Only a month that has ended can be closed."), "month_not_over"),
        ALLOWED
        if closed_through is None or month_last_day > closed_through
        else refused(
            _("The books are already closed through %(date)s."), "already_closed", date=closed_through.isoformat()
        ),
    )


# --- Records ----------------------------------------------------------------------------------


def _circular_draft(circular: Circular, *, not_draft) -> Verdict:
    if circular.status == Circular.Status.WITHDRAWN:
        return refused(_("This circular was withdrawn because its penalty was revoked."), "withdrawn")
    if circular.status != Circular.Status.DRAFT:
        return refused(not_draft, "published")
    return ALLOWED


def _named_in(circular: Circular) -> list[int]:
    return [penalty.staff_id for penalty in circular.penalties.all()]


def can_edit_circular(user, circular: Circular) -> Verdict:
    """The office words a draft; whoever it criticises does not."""
    return _first_refusal(
        holds(user, "penalties.decide"),
        _circular_draft(circular, not_draft=_("A published circular cannot be changed.")),
        lambda: not_own_subject(user, staff_ids=_named_in(circular)),
    )


def can_publish_circular(user, circular: Circular) -> Verdict:
    """The office publishes a draft (INS-3: announced at the station affairs meeting)."""
    return _first_refusal(
        holds(user, "penalties.decide"),
        _circular_draft(circular, not_draft=_("This circular has already been published.")),
        lambda: not_own_subject(user, staff_ids=_named_in(circular)),
    )


def can_withdraw_revocation(user, revocation: EligibilityRevocation) -> Verdict:
    """A loss of award eligibility decided in error is withdrawn, not by whom it concerns (INS-5)."""
    return _first_refusal(
        holds(user, "penalties.eligibility"),
        lambda: not_own_subject(user, staff_ids=[revocation.staff_id], team_id=revocation.team_id),
        ALLOWED
        if revocation.withdrawn_at is None
        else refused(_("This decision has already been withdrawn."), "already_withdrawn"),
    )


def can_complete_follow_up(user, talk: TalkRecord) -> Verdict:
    """INS-4: the follow-up of a talk is confirmed once."""
    if not talk.follow_up:
        state = refused(_("This talk has no follow-up."), "no_follow_up")
    elif talk.follow_up_done_at is not None:
        state = refused(_("The follow-up of this talk is already confirmed."), "follow_up_done")
    else:
        state = ALLOWED
    return _first_refusal(holds(user, "penalties.talks"), state)

"""Talks (INS-4), loss of award eligibility (INS-5), circulars, and the penalty policy."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from penalties import permissions
from penalties.models import Circular, EligibilityRevocation, PenaltyPolicy, TalkRecord
from penalties.reminders import talk_follow_up_close, talk_follow_up_schedule
from tollservice.audit.models import AuditEntry
from tollservice.audit.services import audit_record, audited_change, audited_create, locked, snapshot
from tollservice.core.errors import DomainError
from tollservice.core.validators import LONG_TEXT_MAX_LENGTH, text_required
from tollservice.core.verdicts import require_permission
from tollservice.roster.models import Staff, Team


def _team_or_staff(staff: Staff | None, team: Team | None) -> None:
    if staff is None and team is None:
        raise DomainError(_("Choose a person or a team."), field="staff", code="neither")
    if staff is not None and team is not None:
        raise DomainError(_("Choose either a person or a team, not both."), field="staff", code="both")


# --- INS-4: talks -----------------------------------------------------------------------------


def talk_record(
    *,
    recorded_by,
    kind: str,
    held_at: datetime.datetime,
    conducted_by: Staff,
    reason: str,
    summary: str,
    staff: Staff | None = None,
    team: Team | None = None,
    follow_up: str = "",
    follow_up_due: datetime.date | None = None,
) -> TalkRecord:
    """INS-4: record an appointment or admonishment talk with a person or a team that did not
    respond actively: who, when, by whom, what was said, and the follow-up expected."""
    require_permission(recorded_by, "penalties.talks")
    _team_or_staff(staff, team)
    if kind not in TalkRecord.Kind.values:
        raise DomainError(_("Choose the kind of talk."), field="kind")
    if held_at > timezone.now():
        raise DomainError(_("Record a talk once it has been held."), field="held_at")
    reason = text_required(reason, field="reason", message=_("Say why the talk was held."))
    summary = text_required(summary, field="summary", message=_("Record what was said."))
    follow_up = (follow_up or "").strip()
    if follow_up_due is not None and not follow_up:
        raise DomainError(_("Describe the follow-up that is due."), field="follow_up")
    with transaction.atomic():
        # Not ``audited_create``: a talk has a field named ``summary`` (what was said).
        talk = TalkRecord.objects.create(
            kind=kind,
            staff=staff,
            team=team,
            held_at=held_at,
            conducted_by=conducted_by,
            reason=reason,
            summary=summary,
            follow_up=follow_up,
            follow_up_due=follow_up_due,
            recorded_by=recorded_by,
        )
        audit_record(
            actor=recorded_by,
            instance=talk,
            action=AuditEntry.Action.CREATE,
            after=snapshot(talk, ["kind", "staff", "team", "conducted_by", "follow_up_due"]),
            summary=str(talk),
        )
        talk_follow_up_schedule(talk=talk, actor=recorded_by)  # INS-4: reminders until it is done
    return talk


def talk_follow_up_complete(*, talk: TalkRecord, completed_by, note: str) -> TalkRecord:
    """INS-4: confirm that the follow-up of a talk was done, and how."""
    require_permission(completed_by, "penalties.talks")
    note = text_required(note, field="note", message=_("Say how it was followed up."))
    with transaction.atomic():
        talk = locked(talk)
        permissions.can_complete_follow_up(completed_by, talk).check()
        audited_change(
            actor=completed_by,
            instance=talk,
            action=AuditEntry.Action.STATE,
            summary=_("Follow-up done"),
            follow_up_done_at=timezone.now(),
            follow_up_done_by=completed_by,
            follow_up_note=note,
        )
        talk_follow_up_close(talk=talk, actor=completed_by)
    return talk


# --- INS-5: loss of award eligibility ------------------------------------------------------------


def eligibility_revoke(
    *, decided_by, year: int, reason: str, staff: Staff | None = None, team: Team | None = None
) -> EligibilityRevocation:
    """INS-5: a team or person that directly undermined the activity loses award eligibility
    for ``year`` (AWD-2 reads it through ``selectors.award_eligibility``)."""
    require_permission(decided_by, "penalties.eligibility")
    _team_or_staff(staff, team)
    reason = text_required(reason, field="reason")
    with transaction.atomic():
        existing = EligibilityRevocation.objects.effective().filter(staff=staff, team=team, year=year)
        if existing.exists():
            raise DomainError(_("Award eligibility for %(year)s has already been removed."), params={"year": year})
        return audited_create(
            actor=decided_by,
            model=EligibilityRevocation,
            summary=_("Award eligibility removed"),
            staff=staff,
            team=team,
            year=year,
            reason=reason,
            decided_by=decided_by,
        )


def eligibility_revocation_withdraw(
    *, revocation: EligibilityRevocation, withdrawn_by, reason: str
) -> EligibilityRevocation:
    """Withdraw a loss of eligibility decided in error; it stays on record with the reasons."""
    require_permission(withdrawn_by, "penalties.eligibility")
    reason = text_required(reason, field="reason")
    with transaction.atomic():
        revocation = locked(revocation)
        permissions.can_withdraw_revocation(withdrawn_by, revocation).check()
        audited_change(
            actor=withdrawn_by,
            instance=revocation,
            action=AuditEntry.Action.STATE,
            summary=_("Loss of award eligibility withdrawn"),
            withdrawn_at=timezone.now(),
            withdrawn_by=withdrawn_by,
            withdrawal_reason=reason,
        )
    return revocation


# --- Circulars --------------------------------------------------------------------------------


def circular_update(*, circular: Circular, updated_by, title: str, body: str) -> Circular:
    """The office edits a drafted circular before it is published (not one that criticises them)."""
    require_permission(updated_by, "penalties.decide")
    title = text_required(title, field="title", limit=200, message=_("Give the circular a title."))
    body = text_required(body, field="body", limit=LONG_TEXT_MAX_LENGTH, message=_("Write the text of the circular."))
    with transaction.atomic():
        circular = locked(circular)
        permissions.can_edit_circular(updated_by, circular).check()
        audited_change(actor=updated_by, instance=circular, title=title, body=body)
    return circular


def circular_publish(*, circular: Circular, published_by) -> Circular:
    """Publish a circular (INS-3: announced at the station affairs meeting); it is final."""
    require_permission(published_by, "penalties.decide")
    with transaction.atomic():
        circular = locked(circular)
        permissions.can_publish_circular(published_by, circular).check()
        audited_change(
            actor=published_by,
            instance=circular,
            action=AuditEntry.Action.STATE,
            summary=_("Circular published"),
            status=Circular.Status.PUBLISHED,
            published_by=published_by,
            published_at=timezone.now(),
        )
    return circular


# --- The policy -------------------------------------------------------------------------------


def penalty_policy_change(
    *,
    changed_by,
    base_fine_fen: int,
    complaint_fine_min_fen: int,
    complaint_fine_max_fen: int,
    repeat_fine_max_fen: int,
    year_start_month: int,
    note: str,
    effective_from: datetime.datetime | None = None,
) -> PenaltyPolicy:
    """Record a new version of the policy. It applies to penalties decided from
    ``effective_from`` (default: now) on; penalties decided before keep theirs."""
    require_permission(changed_by, "penalties.settings")
    note = text_required(note, field="note", message=_("Say why the policy changes."))
    amounts = {
        "base_fine_fen": base_fine_fen,
        "complaint_fine_min_fen": complaint_fine_min_fen,
        "complaint_fine_max_fen": complaint_fine_max_fen,
        "repeat_fine_max_fen": repeat_fine_max_fen,
    }
    effective_from = _checked_policy(effective_from=effective_from, year_start_month=year_start_month, **amounts)
    with transaction.atomic():
        if PenaltyPolicy.objects.filter(effective_from=effective_from).exists():
            raise DomainError(_("Another version takes effect at that moment."), field="effective_from")
        policy = PenaltyPolicy.objects.create(
            effective_from=effective_from,
            year_start_month=year_start_month,
            note=note,
            created_by=changed_by,
            **amounts,
        )
        audit_record(
            actor=changed_by,
            instance=policy,
            action=AuditEntry.Action.CREATE,
            after=snapshot(policy, ["effective_from", *amounts, "year_start_month"]),
            summary=str(policy),
        )
    return policy


def _checked_policy(
    *,
    effective_from,
    base_fine_fen,
    complaint_fine_min_fen,
    complaint_fine_max_fen,
    repeat_fine_max_fen,
    year_start_month,
):
    """A version that can take effect: from now on, positive amounts, a sensible range and year."""
    now = timezone.now()
    effective_from = effective_from or now
    if effective_from < now - datetime.timedelta(minutes=1):
        raise DomainError(
            _("A change cannot take effect in the past: penalties already decided keep their policy."),
            field="effective_from",
        )
    if min(base_fine_fen, complaint_fine_min_fen, repeat_fine_max_fen) <= 0:
        raise DomainError(_("Fines must be more than zero."), field="base_fine")
    if complaint_fine_max_fen < complaint_fine_min_fen:
        raise DomainError(_("The highest complaint fine is below the lowest."), field="complaint_fine_max")
    if not 1 <= year_start_month <= 12:
        raise DomainError(_("The year starts in a month from 1 to 12."), field="year_start_month")
    return effective_from

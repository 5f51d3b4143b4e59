"""Talks (INS-4), loss of award eligibility (INS-5), circulars, and the penalty policy."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from penalties.models import Circular, EligibilityRevocation, PenaltyPolicy, TalkRecord
from penalties.reminders import talk_follow_up_close, talk_follow_up_schedule
from penalties.services._common import refuse_own_subject, require_permission, require_text
from tollservice.audit.models import AuditEntry
from tollservice.audit.services import audit_record, snapshot
from tollservice.core.errors import DomainError
from tollservice.roster.models import Staff, Team


def _team_or_staff(staff: Staff | None, team: Team | None) -> None:
    if (staff is None) == (team is None):
        raise DomainError(_("Choose either a person or a team."), field="staff")


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
    reason = require_text(reason, field="reason", message=_("Say why the talk was held."))
    summary = require_text(summary, field="summary", message=_("Record what was said."))
    follow_up = (follow_up or "").strip()
    if follow_up_due is not None and not follow_up:
        raise DomainError(_("Describe the follow-up that is due."), field="follow_up")
    with transaction.atomic():
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
    note = require_text(note, field="note", message=_("Say how it was followed up."))
    with transaction.atomic():
        talk = TalkRecord.objects.select_for_update().get(pk=talk.pk)
        if not talk.follow_up:
            raise DomainError(_("This talk has no follow-up."))
        if talk.follow_up_done_at is not None:
            raise DomainError(_("The follow-up of this talk is already confirmed."))
        before = snapshot(talk, ["follow_up_done_at", "follow_up_note"])
        talk.follow_up_done_at = timezone.now()
        talk.follow_up_done_by = completed_by
        talk.follow_up_note = note
        talk.save(update_fields=["follow_up_done_at", "follow_up_done_by", "follow_up_note", "updated_at"])
        audit_record(
            actor=completed_by,
            instance=talk,
            action=AuditEntry.Action.STATE,
            before=before,
            after=snapshot(talk, ["follow_up_done_at", "follow_up_note"]),
            summary=_("Follow-up done"),
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
    reason = require_text(reason, field="reason")
    with transaction.atomic():
        existing = EligibilityRevocation.objects.effective().filter(staff=staff, team=team, year=year)
        if existing.exists():
            raise DomainError(_("Award eligibility for %(year)s has already been removed."), params={"year": year})
        revocation = EligibilityRevocation.objects.create(
            staff=staff, team=team, year=year, reason=reason, decided_by=decided_by
        )
        audit_record(
            actor=decided_by,
            instance=revocation,
            action=AuditEntry.Action.CREATE,
            after=snapshot(revocation, ["staff", "team", "year", "reason"]),
            summary=str(revocation),
        )
    return revocation


def eligibility_revocation_withdraw(
    *, revocation: EligibilityRevocation, withdrawn_by, reason: str
) -> EligibilityRevocation:
    """Withdraw a loss of eligibility decided in error; it stays on record with the reasons."""
    require_permission(withdrawn_by, "penalties.eligibility")
    reason = require_text(reason, field="reason")
    with transaction.atomic():
        revocation = EligibilityRevocation.objects.select_for_update().get(pk=revocation.pk)
        refuse_own_subject(withdrawn_by, staff_ids=[revocation.staff_id], team_id=revocation.team_id)
        if revocation.withdrawn_at is not None:
            raise DomainError(_("This decision has already been withdrawn."))
        before = snapshot(revocation, ["withdrawal_reason"])
        revocation.withdrawn_at = timezone.now()
        revocation.withdrawn_by = withdrawn_by
        revocation.withdrawal_reason = reason
        revocation.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason", "updated_at"])
        audit_record(
            actor=withdrawn_by,
            instance=revocation,
            action=AuditEntry.Action.STATE,
            before=before,
            after=snapshot(revocation, ["withdrawal_reason"]),
            summary=_("Loss of award eligibility withdrawn"),
        )
    return revocation


# --- Circulars --------------------------------------------------------------------------------


def _refuse_if_named(user, circular: Circular) -> None:
    # Whoever the circular criticises does not word or publish it.
    refuse_own_subject(user, staff_ids=circular.penalties.values_list("staff_id", flat=True))


def _refuse_unless_draft(circular: Circular, *, published) -> None:
    if circular.status == Circular.Status.WITHDRAWN:
        raise DomainError(_("This circular was withdrawn because its penalty was revoked."), code="withdrawn")
    if circular.status != Circular.Status.DRAFT:
        raise DomainError(published, code="published")


def circular_update(*, circular: Circular, updated_by, title: str, body: str) -> Circular:
    """The office edits a drafted circular before it is published."""
    require_permission(updated_by, "penalties.decide")
    title = require_text(title, field="title", message=_("Give the circular a title."))
    body = require_text(body, field="body", message=_("Write the text of the circular."))
    with transaction.atomic():
        circular = Circular.objects.select_for_update().get(pk=circular.pk)
        _refuse_unless_draft(circular, published=_("A published circular cannot be changed."))
        _refuse_if_named(updated_by, circular)
        before = snapshot(circular, ["title", "body"])
        circular.title, circular.body = title, body
        circular.save(update_fields=["title", "body", "updated_at"])
        audit_record(
            actor=updated_by,
            instance=circular,
            action=AuditEntry.Action.UPDATE,
            before=before,
            after=snapshot(circular, ["title", "body"]),
        )
    return circular


def circular_publish(*, circular: Circular, published_by) -> Circular:
    """Publish a circular (INS-3: announced at the station affairs meeting); it is final."""
    require_permission(published_by, "penalties.decide")
    with transaction.atomic():
        circular = Circular.objects.select_for_update().get(pk=circular.pk)
        _refuse_unless_draft(circular, published=_("This circular has already been published."))
        _refuse_if_named(published_by, circular)
        before = snapshot(circular, ["status"])
        circular.status = Circular.Status.PUBLISHED
        circular.published_by = published_by
        circular.published_at = timezone.now()
        circular.save(update_fields=["status", "published_by", "published_at", "updated_at"])
        audit_record(
            actor=published_by,
            instance=circular,
            action=AuditEntry.Action.STATE,
            before=before,
            after=snapshot(circular, ["status"]),
            summary=_("Circular published"),
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
    note = require_text(note, field="note", message=_("Say why the policy changes."))
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
    with transaction.atomic():
        if PenaltyPolicy.objects.filter(effective_from=effective_from).exists():
            raise DomainError(_("Another version takes effect at that moment."), field="effective_from")
        policy = PenaltyPolicy.objects.create(
            effective_from=effective_from,
            base_fine_fen=base_fine_fen,
            complaint_fine_min_fen=complaint_fine_min_fen,
            complaint_fine_max_fen=complaint_fine_max_fen,
            repeat_fine_max_fen=repeat_fine_max_fen,
            year_start_month=year_start_month,
            note=note,
            created_by=changed_by,
        )
        audit_record(
            actor=changed_by,
            instance=policy,
            action=AuditEntry.Action.CREATE,
            after=snapshot(
                policy,
                [
                    "effective_from",
                    "base_fine_fen",
                    "complaint_fine_min_fen",
                    "complaint_fine_max_fen",
                    "repeat_fine_max_fen",
                    "year_start_month",
                ],
            ),
            summary=str(policy),
        )
    return policy

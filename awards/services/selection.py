"""The selection (AWD-1, AWD-2): the office sets places, reward and weights, and nominates from
the ranking; the leadership group approves — never the person who nominated — or rejects. An
approval freezes the figures it was taken on, numbers the certificate and the plaque, and records
the reward.

Every write to a year's selection first locks that year's campaign row, so nominations and
decisions of one year are taken one at a time: each sees the places the previous one took, and
certificates and plaques are numbered without gaps or repeats.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awards import permissions, rules
from awards.models import Award, AwardKind, Campaign, Nomination, Selection
from awards.selectors.ranking import RankingRow, compute_ranking, ranking_snapshot
from awards.services.rankings import ranking_refresh_after_change
from penalties.selectors import leadership_users_other_than
from tollservice.audit.models import AuditEntry
from tollservice.audit.services import audit_record, locked, snapshot
from tollservice.core.errors import DomainError
from tollservice.core.money import format_yuan
from tollservice.core.validators import text_required, text_within
from tollservice.notifications.services import notification_send_each, notification_send_to_staff

Status = Nomination.Status
MAX_PLACES = 50


def _lock_campaign(selection: Selection) -> Selection:
    """Lock the selection's campaign (see the module's docstring) and reread the selection."""
    Campaign.objects.select_for_update().filter(pk=selection.campaign_id).values_list("pk", flat=True).get()
    return Selection.objects.select_related("campaign").get(pk=selection.pk)


def selection_change(*, selection: Selection, changed_by, places: int, reward_fen: int, weights: dict) -> Selection:
    """AWD-1: how many of this award a year, the reward for each winner, and the weights of the
    ranking's criteria — until the first award of the kind is approved."""
    weights = rules.check_weights(weights)
    if not 1 <= places <= MAX_PLACES:
        raise DomainError(_("Between 1 and %(max)s places."), field="places", code="places", params={"max": MAX_PLACES})
    if reward_fen < 0:
        raise DomainError(_("A reward cannot be negative."), field="reward", code="negative")
    with transaction.atomic():
        selection = _lock_campaign(selection)
        approved = selection.awards.count()
        permissions.can_change_selection(changed_by, selection, approved=approved).check()
        taken = selection.nominations.filter(status__in=Nomination.ACTIVE).count()
        if places < taken:
            raise DomainError(
                _("%(taken)s candidates are nominated already; withdraw nominations before reducing the places."),
                field="places",
                code="places_taken",
                params={"taken": taken},
            )
        before = snapshot(selection, ["places", "reward_fen", "weights"])
        selection.places, selection.reward_fen, selection.weights = places, reward_fen, weights
        selection.save(update_fields=["places", "reward_fen", "weights", "updated_at"])
        audit_record(
            actor=changed_by,
            instance=selection,
            action=AuditEntry.Action.UPDATE,
            before=before,
            after=snapshot(selection, ["places", "reward_fen", "weights"]),
            summary=_("Places, reward and weights changed"),
        )
        # New weights make the stored ranking stale: it is computed again once this commits.
        ranking_refresh_after_change(selection=selection)
    return selection


def nomination_create(
    *, selection: Selection, nominated_by, candidate_id: int, citation: str, out_of_order_reason: str = ""
) -> Nomination:
    """AWD-1: the office puts a candidate forward from the ranking as it stands now, with the
    reasons for the commendation. Passing over someone ranked higher takes a written reason;
    nobody who is not eligible (AWD-2, INS-5) is nominated, and no more than the places."""
    citation = text_required(citation, field="citation", message=_("Write the reasons for the commendation."))
    out_of_order_reason = text_within((out_of_order_reason or "").strip(), field="out_of_order_reason")
    with transaction.atomic():
        selection = _lock_campaign(selection)
        ranking = compute_ranking(selection=selection, user=nominated_by)
        row = ranking.row_for(candidate_id)
        if row is None:
            raise DomainError(_("This is not a candidate for this award."), code="not_a_candidate")
        team_id, staff_id = (row.key, None) if selection.for_teams else (None, row.key)
        permissions.can_nominate(nominated_by, selection, team_id=team_id, staff_id=staff_id).check()
        if row.active_nomination is not None:
            raise DomainError(_("%(name)s is nominated already."), code="nominated", params={"name": row.name})
        skipped = ranking.passed_over(row.key)
        rules.check_nomination(
            target=row.ranked,
            skipped=[other.ranked for other in skipped],
            reason=out_of_order_reason,
            places_left=ranking.places_left,
        )
        nomination = Nomination.objects.create(
            selection=selection,
            team_id=team_id,
            staff_id=staff_id,
            citation=citation,
            rank_at_nomination=row.rank,
            score_at_nomination="" if row.score is None else str(row.score),
            passed_over=[other.name for other in skipped],
            out_of_order_reason=out_of_order_reason if skipped else "",
            nominated_by=nominated_by,
        )
        audit_record(
            actor=nominated_by,
            instance=nomination,
            action=AuditEntry.Action.CREATE,
            after=snapshot(
                nomination, ["citation", "rank_at_nomination", "score_at_nomination", "out_of_order_reason"]
            ),
            summary=_("Nominated"),
        )
        notification_send_each(
            recipients=leadership_users_other_than(user_ids=[nominated_by.pk], staff_id=staff_id),
            subject=_("A nomination awaits the leadership group: %(award)s") % {"award": selection.get_kind_display()},
            body=_("%(name)s is nominated for %(award)s %(year)s.")
            % {"name": row.name, "award": selection.get_kind_display(), "year": selection.campaign.year},
            url=reverse("awards:nomination_detail", args=[nomination.pk]),
        )
    return nomination


def _close(nomination: Nomination, *, status: str, by, reason: str, summary) -> Nomination:
    before = snapshot(nomination, ["status"])
    nomination.status = status
    nomination.closed_by = by
    nomination.closed_at = timezone.now()
    nomination.closing_reason = reason
    nomination.save(update_fields=["status", "closed_by", "closed_at", "closing_reason", "updated_at"])
    audit_record(
        actor=by,
        instance=nomination,
        action=AuditEntry.Action.STATE,
        before=before,
        after=snapshot(nomination, ["status", "closing_reason"]),
        summary=summary,
    )
    return nomination


def nomination_withdraw(*, nomination: Nomination, withdrawn_by, reason: str) -> Nomination:
    """The office withdraws a nomination the leadership group has not decided, with reasons."""
    reason = text_required(reason, field="reason", message=_("Give the reasons."))
    with transaction.atomic():
        _lock_campaign(nomination.selection)
        nomination = locked(nomination)
        permissions.can_withdraw(withdrawn_by, nomination).check()
        return _close(nomination, status=Status.WITHDRAWN, by=withdrawn_by, reason=reason, summary=_("Withdrawn"))


def nomination_reject(*, nomination: Nomination, rejected_by, reason: str) -> Nomination:
    """The leadership group turns a nomination down, with reasons (four eyes, as approving)."""
    reason = text_required(reason, field="reason", message=_("Give the reasons."))
    with transaction.atomic():
        _lock_campaign(nomination.selection)
        nomination = locked(nomination)
        permissions.can_reject(rejected_by, nomination).check()
        nomination = _close(nomination, status=Status.REJECTED, by=rejected_by, reason=reason, summary=_("Rejected"))
        notification_send_each(
            recipients=[nomination.nominated_by],
            subject=_("Nomination rejected: %(name)s") % {"name": nomination.candidate_name},
            body=reason,
            url=reverse("awards:nomination_detail", args=[nomination.pk]),
        )
    return nomination


def nomination_approve(*, nomination: Nomination, approved_by, reward_fen: int | None = None) -> Award:
    """AWD-1: the leadership group approves a nomination — never the person who made it. The
    candidate must still be eligible (AWD-2: a violation or a loss of eligibility since stops
    it). The award keeps the ranking's figures as they stand now, so later data never changes
    it; its certificate and honour plaque are numbered and the reward recorded."""
    with transaction.atomic():
        selection = _lock_campaign(nomination.selection)
        nomination = locked(nomination)
        permissions.can_approve(approved_by, nomination).check()
        reward_fen = selection.reward_fen if reward_fen is None else reward_fen
        if reward_fen < 0:
            raise DomainError(_("A reward cannot be negative."), field="reward", code="negative")
        ranking = compute_ranking(selection=selection, user=approved_by)
        row = ranking.row_for(nomination.candidate_id)
        if row is None:
            raise DomainError(
                _("%(name)s is no longer a candidate (left the team or the staff)."),
                code="not_a_candidate",
                params={"name": nomination.candidate_name},
            )
        rules.still_eligible(name=row.name, reasons=[reason.label for reason in row.reasons])
        award = _award(nomination, selection, row, ranking_snapshot(ranking, row), approved_by, reward_fen)
        _close(nomination, status=Status.APPROVED, by=approved_by, reason="", summary=_("Approved"))
        _tell_the_winner(award, row)
    return award


def _award(nomination, selection, row: RankingRow, figures: dict, approved_by, reward_fen: int) -> Award:
    year = selection.campaign.year
    sequence = Award.objects.filter(year=year, kind=selection.kind).count() + 1
    plaque_sequence = Award.objects.filter(year=year).count() + 1
    award = Award.objects.create(
        nomination=nomination,
        selection=selection,
        kind=selection.kind,
        year=year,
        team_id=nomination.team_id,
        staff_id=nomination.staff_id,
        winner_name=row.name,
        team_name="" if selection.for_teams else row.subject.team.name,
        citation=nomination.citation,
        certificate_number=rules.certificate_number(year=year, kind=selection.kind, sequence=sequence),
        reward_fen=reward_fen,
        figures=figures,
        approved_by=approved_by,
        plaque_number=rules.plaque_number(year=year, sequence=plaque_sequence),
        plaque_inscription=str(_("%(year)s %(award)s") % {"year": year, "award": selection.get_kind_display()}),
    )
    audit_record(
        actor=approved_by,
        instance=award,
        action=AuditEntry.Action.CREATE,
        after=snapshot(award, ["certificate_number", "reward_fen", "plaque_number"]),
        summary=_("Award approved"),
    )
    return award


def _tell_the_winner(award: Award, row: RankingRow) -> None:
    """The winner (for a team, its leader) hears of it in the portal or by email."""
    person = row.subject.leader if award.kind == AwardKind.GOLD_TEAM else row.subject
    if person is None:
        return
    notification_send_to_staff(
        staff=person,
        subject=_("Awarded: %(award)s %(year)s") % {"award": award.get_kind_display(), "year": award.year},
        body=_("%(name)s is awarded %(award)s %(year)s (certificate %(number)s, reward ¥%(amount)s).")
        % {
            "name": award.winner_name,
            "award": award.get_kind_display(),
            "year": award.year,
            "number": award.certificate_number,
            "amount": format_yuan(award.reward_fen),
        },
        url=reverse("awards:standing"),
    )

"""What winners get beyond the certificate (AWD-1): the honour plaque's handing over, recorded in
the plaque register, and the circulated commendation (通报表彰) listing the winners and why."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from awards import permissions
from awards.models import Award, AwardKind, Campaign, Commendation, Nomination
from tollservice.audit.models import AuditEntry
from tollservice.audit.services import audit_record, audited_change, locked, snapshot
from tollservice.core.errors import DomainError
from tollservice.core.money import format_yuan
from tollservice.core.validators import LONG_TEXT_MAX_LENGTH, text_required, text_within

TEXT_FIELDS = ["title", "body"]


def plaque_record(*, award: Award, recorded_by, presented_on: datetime.date, location: str = "") -> Award:
    """The day the honour plaque was handed over, and where it hangs or is kept."""
    location = text_within((location or "").strip(), field="location", limit=100)
    if presented_on > timezone.localdate():
        raise DomainError(_("The plaque cannot be presented in the future."), field="presented_on", code="future")
    if presented_on < timezone.localdate(award.approved_at):
        raise DomainError(
            _("The plaque cannot be presented before the award was approved."), field="presented_on", code="early"
        )
    fields = ["plaque_presented_on", "plaque_location"]
    with transaction.atomic():
        award = locked(award)
        permissions.can_record_plaque(recorded_by, award).check()
        before = snapshot(award, fields)
        award.plaque_presented_on, award.plaque_location, award.plaque_recorded_by = presented_on, location, recorded_by
        award.save(update_fields=[*fields, "plaque_recorded_by"])
        audit_record(
            actor=recorded_by,
            instance=award,
            action=AuditEntry.Action.UPDATE,
            before=before,
            after=snapshot(award, fields),
            summary=_("Honour plaque presented"),
        )
    return award


def commendation_text(campaign: Campaign, awards: list[Award]) -> tuple[str, str]:
    """The drafted title and text of the year's commendation, in the writer's language: the
    winners of each award with the reasons and the reward."""
    title = gettext("Circulated commendation of the %(year)s gold-medal service teams and service stars") % {
        "year": campaign.year
    }
    lines = [
        gettext("To every team and department:"),
        "",
        gettext(
            "In the %(year)s standardized-service campaign, on the group office's assessment and nomination and "
            "the leadership group's decision, the following teams and colleagues are commended, awarded a "
            "certificate and an honour plaque, and rewarded."
        )
        % {"year": campaign.year},
    ]
    for kind, heading in (
        (AwardKind.GOLD_TEAM, gettext("Gold-medal service teams")),
        (AwardKind.SERVICE_STAR, gettext("Service stars")),
    ):
        winners = [award for award in awards if award.kind == kind]
        if not winners:
            continue
        lines += ["", heading]
        for award in winners:
            name = award.winner_name if not award.team_name else f"{award.winner_name}（{award.team_name}）"
            lines.append(
                gettext("%(name)s: %(citation)s (reward ¥%(amount)s, certificate %(number)s)")
                % {
                    "name": name,
                    "citation": award.citation,
                    "amount": format_yuan(award.reward_fen),
                    "number": award.certificate_number,
                }
            )
    lines += [
        "",
        gettext(
            "We hope those commended will treasure the honour and keep improving, and call on every employee to "
            "learn from them and raise the station's standardized service further."
        ),
    ]
    return title, "\n".join(lines)


def commendation_draft(*, campaign: Campaign, drafted_by) -> Commendation:
    """The office drafts the commendation from the approved awards (a draft already begun is
    drafted again from them); it edits the text before publishing."""
    with transaction.atomic():
        campaign = locked(campaign)
        commendation = Commendation.objects.filter(campaign=campaign).first()
        permissions.can_edit_commendation(drafted_by, commendation).check()
        awards = list(Award.objects.filter(year=campaign.year).order_by("kind", "certificate_number"))
        if not awards:
            raise DomainError(_("There is no approved award to commend yet."), code="no_awards")
        title, body = commendation_text(campaign, awards)
        if commendation is None:
            commendation = Commendation.objects.create(campaign=campaign, title=title, body=body, drafted_by=drafted_by)
            before = {}
        else:
            commendation = locked(commendation)
            before = snapshot(commendation, TEXT_FIELDS)
            commendation.title, commendation.body = title, body
            commendation.save(update_fields=[*TEXT_FIELDS, "updated_at"])
        audit_record(
            actor=drafted_by,
            instance=commendation,
            action=AuditEntry.Action.UPDATE if before else AuditEntry.Action.CREATE,
            before=before,
            after=snapshot(commendation, TEXT_FIELDS),
            summary=_("Commendation drafted"),
        )
        return commendation


def commendation_update(*, commendation: Commendation, updated_by, title: str, body: str) -> Commendation:
    """The office words the draft."""
    title = text_required(title, field="title", message=_("Give the commendation a title."), limit=200)
    body = text_required(body, field="body", message=_("Write the commendation."), limit=LONG_TEXT_MAX_LENGTH)
    with transaction.atomic():
        commendation = locked(commendation)
        permissions.can_edit_commendation(updated_by, commendation).check()
        audited_change(
            actor=updated_by, instance=commendation, summary=_("Commendation edited"), title=title, body=body
        )
    return commendation


def commendation_publish(*, commendation: Commendation, published_by) -> Commendation:
    """AWD-1: the commendation is circulated (its text frozen) once every nomination of the
    year is decided."""
    with transaction.atomic():
        commendation = locked(commendation)
        year = Campaign.objects.values_list("year", flat=True).get(pk=commendation.campaign_id)
        awards = Award.objects.filter(year=year).count()
        pending = Nomination.objects.filter(
            selection__campaign_id=commendation.campaign_id, status=Nomination.Status.NOMINATED
        ).count()
        permissions.can_publish_commendation(published_by, commendation, awards=awards, pending=pending).check()
        before = snapshot(commendation, ["status"])
        commendation.status = Commendation.Status.PUBLISHED
        commendation.published_by, commendation.published_at = published_by, timezone.now()
        commendation.save(update_fields=["status", "published_by", "published_at", "updated_at"])
        audit_record(
            actor=published_by,
            instance=commendation,
            action=AuditEntry.Action.STATE,
            before=before,
            after=snapshot(commendation, ["status"]),
            summary=_("Commendation published"),
        )
    return commendation

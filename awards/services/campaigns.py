"""Opening a year's campaign with its phases (CAM-1) and its two selections (AWD-1), changing
its dates; the study of the assessment method and the plan (CAM-2) and reminders to those who
have not studied yet."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awards import permissions, rules
from awards.models import AwardKind, Campaign, CampaignPhase, Selection, StudyRecord, StudyReminder
from awards.models.campaign import METHOD_DOCUMENT
from tollservice.audit.models import AuditEntry
from tollservice.audit.services import audit_record, locked, snapshot
from tollservice.core.errors import DomainError
from tollservice.core.validators import text_required, text_within
from tollservice.core.verdicts import holds
from tollservice.notifications.services import Reach, notification_send_to_staff
from tollservice.roster.models import Staff

FIRST_YEAR, LAST_YEAR = 2000, 2100


def campaign_open(*, year: int, opened_by, method_document: str = METHOD_DOCUMENT) -> Campaign:
    """CAM-1 / AWD-1: the year's campaign, with the plan's phases (1–15 August study and
    mobilization, 16–31 August organization and implementation, then the long-term mechanism)
    and both awards with the default places, rewards and weights; the office changes them after."""
    holds(opened_by, "awards.manage").check()
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise DomainError(_("Choose a year between 2000 and 2100."), field="year", code="year")
    method_document = text_required(
        method_document, field="method_document", message=_("Name the assessment method."), limit=60
    )
    try:
        with transaction.atomic():
            campaign = Campaign.objects.create(year=year, method_document=method_document, created_by=opened_by)
            CampaignPhase.objects.bulk_create(
                CampaignPhase(campaign=campaign, kind=p.kind, starts_on=p.starts_on, ends_on=p.ends_on)
                for p in rules.default_phases(year)
            )
            for kind in AwardKind.values:
                Selection.objects.create(
                    campaign=campaign,
                    kind=kind,
                    places=rules.DEFAULT_PLACES[kind],
                    reward_fen=rules.DEFAULT_REWARD_FEN[kind],
                    weights=dict(rules.DEFAULT_WEIGHTS[kind]),
                )
            audit_record(
                actor=opened_by,
                instance=campaign,
                action=AuditEntry.Action.CREATE,
                after=snapshot(campaign, ["year", "method_document"]),
                summary=_("Campaign opened"),
            )
    except IntegrityError:
        raise DomainError(
            _("The %(year)s campaign has already been opened."), field="year", code="exists", params={"year": year}
        ) from None
    return campaign


def campaign_change(
    *, campaign: Campaign, changed_by, phases: Sequence[rules.PhaseDates], method_document: str
) -> Campaign:
    """CAM-1: the office sets this year's phases and their dates (and the method studied)."""
    method_document = text_required(
        method_document, field="method_document", message=_("Name the assessment method."), limit=60
    )
    rules.check_phases(campaign.year, phases)
    with transaction.atomic():
        campaign = locked(campaign)
        permissions.can_change_campaign(changed_by, campaign).check()
        existing = {phase.kind: phase for phase in campaign.phases.all()}
        before = {kind: f"{p.starts_on} – {p.ends_on or ''}" for kind, p in existing.items()}
        before["method_document"] = campaign.method_document
        for dates in phases:
            phase = existing[dates.kind]
            phase.starts_on, phase.ends_on = dates.starts_on, dates.ends_on
            phase.save(update_fields=["starts_on", "ends_on"])
        campaign.method_document = method_document
        campaign.save(update_fields=["method_document", "updated_at"])
        after = {p.kind: f"{p.starts_on} – {p.ends_on or ''}" for p in phases}
        after["method_document"] = method_document
        audit_record(
            actor=changed_by,
            instance=campaign,
            action=AuditEntry.Action.UPDATE,
            before=before,
            after=after,
            summary=_("Campaign phases changed"),
        )
    return campaign


# --- CAM-2: the study --------------------------------------------------------------------------------


def study_record(
    *,
    campaign: Campaign,
    staff: Sequence[Staff],
    materials: Sequence[str],
    studied_on: datetime.date,
    confirmed_by,
    note: str = "",
) -> list[StudyRecord]:
    """CAM-2: record that these employees studied the assessment method and/or the plan on a
    day, confirmed by the office (anyone) or a team leader (their own team). A study already
    confirmed keeps its first record; the new ones are returned."""
    people = list(dict.fromkeys(staff))
    if not people:
        raise DomainError(_("Choose who studied."), field="staff", code="required")
    materials = list(dict.fromkeys(materials))
    if not materials or any(material not in StudyRecord.Material.values for material in materials):
        raise DomainError(_("Choose what was studied."), field="materials", code="required")
    rules.check_study_date(studied_on, year=campaign.year, today=timezone.localdate())
    note = text_within((note or "").strip(), field="note", limit=200)
    for member in people:
        permissions.can_record_study(confirmed_by, campaign, member).check(field="staff")
    with transaction.atomic():
        done = set(StudyRecord.objects.filter(campaign=campaign, staff__in=people).values_list("staff_id", "material"))
        created = []
        for member in people:
            for material in materials:
                if (member.pk, material) in done:
                    continue
                record = StudyRecord.objects.create(
                    campaign=campaign,
                    staff=member,
                    material=material,
                    studied_on=studied_on,
                    confirmed_by=confirmed_by,
                    note=note,
                )
                audit_record(
                    actor=confirmed_by,
                    instance=record,
                    action=AuditEntry.Action.CREATE,
                    after=snapshot(record, ["staff", "material", "studied_on", "note"]),
                    summary=_("Study confirmed"),
                )
                created.append(record)
        if not created:
            raise DomainError(
                _("Their study of these documents is already recorded."), field="staff", code="already_recorded"
            )
    return created


@dataclass(frozen=True)
class StudyReminders:
    """How the reminders reached people: in the portal, by email only, or not at all."""

    inbox: int
    email: int
    unreached: list[str]

    @property
    def sent(self) -> int:
        return self.inbox + self.email


def study_remind(*, campaign: Campaign, sent_by) -> StudyReminders:
    """CAM-2: remind every active employee who has not yet studied both documents — in the
    portal, or by email at the roster's address for those without an account (the office is
    told who could not be reached)."""
    permissions.can_remind_study(sent_by, campaign).check()
    pending = _not_studied(campaign)
    if not pending:
        raise DomainError(_("Everyone has studied both documents; there is nobody to remind."), code="nobody")
    return _remind(campaign, pending, sent_by=sent_by)


# Days before the study phase ends (and the day itself) when those who have not studied are
# reminded without the office asking.
SCHEDULED_REMINDER_DAYS = (3, 0)


def study_reminders_scheduled(*, today: datetime.date | None = None) -> StudyReminders | None:
    """CAM-2: three days before the study phase of this year's campaign ends, and on its last
    day, everyone who has not studied is reminded (once that day, however often it runs)."""
    today = today or timezone.localdate()
    campaign = Campaign.objects.filter(year=today.year).first()
    if campaign is None:
        return None
    study = campaign.phases.filter(kind=CampaignPhase.Kind.STUDY).first()
    if study is None or study.ends_on is None or (study.ends_on - today).days not in SCHEDULED_REMINDER_DAYS:
        return None
    # However often the task runs, a person gets one of these a day.
    since = timezone.now() - datetime.timedelta(hours=20)
    reminded = set(
        StudyReminder.objects.filter(campaign=campaign, sent_at__gte=since).values_list("staff_id", flat=True)
    )
    pending = [member for member in _not_studied(campaign) if member.pk not in reminded]
    if not pending:
        return None
    return _remind(campaign, pending, sent_by=None)


def _not_studied(campaign: Campaign) -> list[Staff]:
    both = len(StudyRecord.Material.values)
    studied = {staff_id for staff_id, material_count in _material_counts(campaign) if material_count >= both}
    return list(Staff.objects.filter(active=True).exclude(pk__in=studied).select_related("user").order_by("pk"))


def _remind(campaign: Campaign, pending: list[Staff], *, sent_by) -> StudyReminders:
    subject = _("Please study the assessment method and the plan")
    body = _(
        "The %(year)s standardized-service campaign: every employee studies the assessment method (%(document)s) "
        "and the station's implementation plan. Your study has not been recorded yet; please study them and "
        "ask your team leader or the group office to confirm it."
    ) % {"year": campaign.year, "document": campaign.method_document}
    url = reverse("awards:standing")
    counts = {Reach.INBOX: 0, Reach.EMAIL: 0, Reach.NONE: 0}
    unreached = []
    with transaction.atomic():
        reminders = []
        for member in pending:
            notice = notification_send_to_staff(staff=member, subject=str(subject), body=str(body), url=url)
            counts[notice.reach] += 1
            if not notice.reached:
                unreached.append(member.name)
            reminders.append(StudyReminder(campaign=campaign, staff=member, sent_by=sent_by, reach=notice.reach))
        StudyReminder.objects.bulk_create(reminders)
        audit_record(
            actor=sent_by,
            instance=campaign,
            action=AuditEntry.Action.STATE,
            summary=_("Study reminders sent"),
        )
    return StudyReminders(inbox=counts[Reach.INBOX], email=counts[Reach.EMAIL], unreached=unreached)


def _material_counts(campaign: Campaign):
    return (
        StudyRecord.objects.filter(campaign=campaign)
        .values("staff_id")
        .annotate(n=Count("material", distinct=True))
        .values_list("staff_id", "n")
    )

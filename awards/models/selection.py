"""The selection of a year's gold-medal service teams and service stars (AWD-1, AWD-2): how many
of each, the weights of the ranking, the office's nominations, the leadership group's awards
(frozen at approval) and the circulated commendation."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awards.models.campaign import Campaign
from tollservice.core.models import TimeStampedModel, user_reference


class AwardKind(models.TextChoices):
    GOLD_TEAM = "gold_team", _("Gold-medal service team")
    SERVICE_STAR = "service_star", _("Service star")


def _exactly_one_candidate() -> Q:
    return (Q(team__isnull=False) & Q(staff__isnull=True)) | (Q(team__isnull=True) & Q(staff__isnull=False))


class Selection(TimeStampedModel):
    """One award kind in one year: how many places, the reward, and the ranking's weights.

    ``weights`` maps each criterion of ``awards.rules.CRITERIA`` to a whole number (0 leaves it
    out); they are frozen for the kind once one of its awards is approved.
    """

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="selections", verbose_name=_("campaign")
    )
    kind = models.CharField(_("award"), max_length=20, choices=AwardKind.choices)
    places = models.PositiveSmallIntegerField(_("places"))
    reward_fen = models.BigIntegerField(_("reward"), help_text=_("For each winner, in yuan."))
    weights = models.JSONField(_("weights"), default=dict)

    class Meta:
        verbose_name = _("selection")
        verbose_name_plural = _("selections")
        ordering = ["campaign", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "kind"], name="one_selection_per_kind"),
            models.CheckConstraint(condition=Q(reward_fen__gte=0), name="selection_reward_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign.year} · {self.get_kind_display()}"

    @property
    def for_teams(self) -> bool:
        return self.kind == AwardKind.GOLD_TEAM


class Nomination(TimeStampedModel):
    """The office puts a candidate forward from the ranking (out of order only with a written
    reason); the leadership group approves (an ``Award``) or rejects it, or the office withdraws it."""

    class Status(models.TextChoices):
        NOMINATED = "nominated", _("Awaiting the leadership group")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    ACTIVE = frozenset({Status.NOMINATED, Status.APPROVED})

    selection = models.ForeignKey(
        Selection, on_delete=models.PROTECT, related_name="nominations", verbose_name=_("selection")
    )
    team = models.ForeignKey(
        "roster.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("team")
    )
    staff = models.ForeignKey(
        "roster.Staff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member"),
    )
    citation = models.TextField(_("reasons for the commendation"), max_length=2000)
    # The candidate's place in the ranking the office saw, and whom it passed over.
    rank_at_nomination = models.PositiveSmallIntegerField(_("rank when nominated"), null=True, blank=True)
    score_at_nomination = models.CharField(_("score when nominated"), max_length=10, blank=True)
    passed_over = models.JSONField(_("passed over"), default=list, blank=True)
    out_of_order_reason = models.TextField(_("reason for nominating out of order"), max_length=2000, blank=True)
    nominated_by = user_reference(_("nominated by"))
    nominated_at = models.DateTimeField(_("nominated at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NOMINATED)
    closed_by = user_reference(_("decided by"), optional=True)
    closed_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    closing_reason = models.TextField(_("reasons"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["nominated_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=_exactly_one_candidate(), name="nomination_names_one_candidate"),
            # A candidate is put forward once at a time: again only after a rejection or withdrawal.
            models.UniqueConstraint(
                fields=["selection", "team"],
                condition=Q(status__in=["nominated", "approved"], team__isnull=False),
                name="one_active_nomination_per_team",
            ),
            models.UniqueConstraint(
                fields=["selection", "staff"],
                condition=Q(status__in=["nominated", "approved"], staff__isnull=False),
                name="one_active_nomination_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate_name} · {self.selection}"

    @property
    def candidate(self):
        return self.team if self.team_id else self.staff

    @property
    def candidate_id(self) -> int:
        return self.team_id or self.staff_id

    @property
    def candidate_name(self) -> str:
        return self.candidate.name


class Award(models.Model):
    """An approved nomination: the leadership group's decision, frozen with the figures it was
    taken on (``figures``), the numbered certificate (证书), the honour plaque (荣誉匾牌) and the
    reward (AWD-1). Later data never changes it; only the plaque's handing over is recorded later."""

    nomination = models.OneToOneField(
        Nomination, on_delete=models.PROTECT, related_name="award", verbose_name=_("nomination")
    )
    selection = models.ForeignKey(
        Selection, on_delete=models.PROTECT, related_name="awards", verbose_name=_("selection")
    )
    kind = models.CharField(_("award"), max_length=20, choices=AwardKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    team = models.ForeignKey(
        "roster.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("team")
    )
    staff = models.ForeignKey(
        "roster.Staff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member"),
    )
    # Names as they stood at approval: a certificate keeps the name it was awarded to.
    winner_name = models.CharField(_("winner"), max_length=100)
    team_name = models.CharField(_("team"), max_length=100, blank=True)
    citation = models.TextField(_("reasons for the commendation"), max_length=2000)
    certificate_number = models.CharField(_("certificate number"), max_length=20, unique=True)
    reward_fen = models.BigIntegerField(_("reward"))
    figures = models.JSONField(_("figures at approval"), default=dict)
    approved_by = user_reference(_("approved by"))
    approved_at = models.DateTimeField(_("approved at"), default=timezone.now)
    plaque_number = models.CharField(_("plaque number"), max_length=20, unique=True)
    plaque_inscription = models.CharField(_("inscription"), max_length=100)
    plaque_presented_on = models.DateField(_("presented on"), null=True, blank=True)
    plaque_location = models.CharField(_("where it hangs or is kept"), max_length=100, blank=True)
    plaque_recorded_by = user_reference(_("recorded by"), optional=True)

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-year", "kind", "certificate_number"]
        constraints = [
            models.CheckConstraint(condition=_exactly_one_candidate(), name="award_names_one_winner"),
            models.CheckConstraint(condition=Q(reward_fen__gte=0), name="award_reward_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.get_kind_display()} · {self.winner_name}"

    @property
    def score(self) -> Decimal | None:
        value = self.figures.get("composite")
        return Decimal(value) if value else None


class Commendation(TimeStampedModel):
    """The circulated commendation (通报表彰) of a year's winners and why; its text is frozen
    once published."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    campaign = models.OneToOneField(
        Campaign, on_delete=models.PROTECT, related_name="commendation", verbose_name=_("campaign")
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), max_length=10000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    drafted_by = user_reference(_("drafted by"))
    published_by = user_reference(_("published by"), optional=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("circulated commendation")
        verbose_name_plural = _("circulated commendations")

    def __str__(self) -> str:
        return self.title

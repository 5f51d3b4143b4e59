"""A stored ranking (AWD-1, AWD-2): the ranking of one year's award as computed at one moment,
so that the ranking page reads a page of rows instead of computing every candidate's figures on
each request.

``awards.services.ranking_refresh`` writes it with the one computation
(``awards.selectors.ranking.compute_ranking``) and replaces the previous one in one transaction;
the page reads the latest and says when it was computed. ``fingerprint`` names the inputs of the
formula (weights, the year's dates, the rules' constants): when the selection's differ, the
stored ranking is stale.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from awards.models.selection import AwardKind, Selection
from tollservice.core.models import user_reference


class RankingSnapshot(models.Model):
    """The ranking of one selection (a year's award: its year and kind), as computed at
    ``computed_at`` from the inputs ``fingerprint`` names."""

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", _("Nightly recomputation")
        REQUEST = "request", _("Recomputed at the office's request")
        SETTINGS = "settings", _("Weights or places changed")
        FIRST_VIEW = "first_view", _("First opened")
        STALE = "stale", _("Inputs changed")

    # Indexed by awards_snapshot_latest, which starts with it.
    selection = models.ForeignKey(
        Selection,
        on_delete=models.CASCADE,
        related_name="ranking_snapshots",
        verbose_name=_("selection"),
        db_index=False,
    )
    # The year and award, kept with the ranking (the selection names them too) so that a stored
    # ranking reads for what it is in the admin and the audit trail.
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("award"), max_length=20, choices=AwardKind.choices)
    computed_at = models.DateTimeField(_("computed at"))
    period_start = models.DateField(_("figures from"))
    period_end = models.DateField(_("figures to"))
    # What the formula was given: the weights shown above the stored figures, and a hash of every
    # input (weights, the year's dates, the rules' constants) to tell when it is stale.
    weights = models.JSONField(_("weights"), default=dict)
    fingerprint = models.CharField(_("fingerprint of the inputs"), max_length=64)
    trigger = models.CharField(_("computed because"), max_length=12, choices=Trigger.choices)
    triggered_by = user_reference(_("recomputation requested by"), optional=True)
    candidates = models.PositiveIntegerField(_("number of candidates"), default=0)
    # The fingerprint of the inputs a recomputation was last queued for, claimed by a conditional
    # UPDATE so that a stale ranking is queued once however many readers open it.
    refresh_queued_for = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("stored ranking")
        verbose_name_plural = _("stored rankings")
        indexes = [models.Index(fields=["selection", "-computed_at", "-id"], name="awards_snapshot_latest")]

    def __str__(self) -> str:
        return f"{self.year} · {self.get_kind_display()} · {self.computed_at:%Y-%m-%d %H:%M}"

    @property
    def for_teams(self) -> bool:
        return self.kind == AwardKind.GOLD_TEAM


class RankingEntry(models.Model):
    """One candidate's line of a stored ranking: their place in the list (``position``, the order
    of ``awards.rules.rank``), rank, score, every criterion's figures as the page shows them, and
    why they are not eligible (AWD-2, INS-5)."""

    # Indexed by awards_entry_page, which starts with it (a station's ranking has as many entries
    # as its staff: one index fewer to write).
    snapshot = models.ForeignKey(
        RankingSnapshot,
        on_delete=models.CASCADE,
        related_name="entries",
        verbose_name=_("stored ranking"),
        db_index=False,
    )
    team = models.ForeignKey(
        "roster.Team", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("team")
    )
    staff = models.ForeignKey(
        "roster.Staff",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member"),
    )
    position = models.PositiveIntegerField(_("place in the list"))
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    weight_used = models.PositiveSmallIntegerField(_("weight used"), default=0)
    # {criterion: {"value", "points", "basis"}}, figures as text (exact), as an award keeps them.
    measures = models.JSONField(_("figures"), default=dict)
    eligible = models.BooleanField(_("eligible"))
    # [{"kind": "violation"|"revocation"|"veto", "label": …, "url": …}]; a reader sees a link
    # only where they may open the record (``awards.selectors.ranking.reasons_for``).
    reasons = models.JSONField(_("not eligible because"), default=list, blank=True)

    class Meta:
        verbose_name = _("ranking entry")
        verbose_name_plural = _("ranking entries")
        # The page's order: a stored ranking's rows by position (the pk ends the keyset order).
        indexes = [models.Index(fields=["snapshot", "position", "id"], name="awards_entry_page")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(team__isnull=False) & Q(staff__isnull=True))
                | (Q(team__isnull=True) & Q(staff__isnull=False)),
                name="ranking_entry_names_one_candidate",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.snapshot} · {self.position}"

    @property
    def candidate_id(self) -> int:
        return self.team_id or self.staff_id

"""The penalty policy: the plan's amounts and "what counts as a year", as data with history."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tollservice.core.append_only import AppendOnlyModel
from tollservice.core.models import user_reference


class PenaltyPolicy(AppendOnlyModel):
    """One version of the policy, in force from ``effective_from`` until the next version.

    Rows are never edited: a change is a new row, and applies only to penalties decided after
    its ``effective_from``. Each penalty records the version it was decided under.
    """

    effective_from = models.DateTimeField(_("in force from"), unique=True)
    # PEN-1: the fine per service-code provision breached.
    base_fine_fen = models.BigIntegerField(_("fine per provision breached (fen)"), default=20000)
    # PEN-3 / PEN-4: the range of a complaint fine.
    complaint_fine_min_fen = models.BigIntegerField(_("lowest complaint fine (fen)"), default=20000)
    complaint_fine_max_fen = models.BigIntegerField(_("highest complaint fine (fen)"), default=50000)
    # PEN-2: the plan leaves the amount to the ten-prohibitions rules; the station sets a ceiling.
    repeat_fine_max_fen = models.BigIntegerField(
        _("highest fine for a repeat violation (fen)"),
        default=100000,
        help_text=_(
            "Ceiling for the fine the leadership group sets for a second violation in a year; "
            "never below the fine the violation itself carries."
        ),
    )
    # "What counts as a year" for PEN-2 and award eligibility: 1 = the calendar year.
    year_start_month = models.PositiveSmallIntegerField(_("the year starts in month"), default=1)
    note = models.TextField(_("reason for the change"), blank=True)
    created_by = user_reference(_("changed by"), optional=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("penalty policy")
        # Django's own code paths (related lookups, deletion) use the guarded queryset too.
        base_manager_name = "objects"
        verbose_name_plural = _("penalty policies")
        ordering = ["-effective_from"]
        get_latest_by = "effective_from"
        constraints = [
            models.CheckConstraint(condition=Q(base_fine_fen__gt=0), name="policy_base_fine_positive"),
            models.CheckConstraint(condition=Q(complaint_fine_min_fen__gt=0), name="policy_complaint_min_positive"),
            models.CheckConstraint(
                condition=Q(complaint_fine_max_fen__gte=F("complaint_fine_min_fen")),
                name="policy_complaint_range_ordered",
            ),
            models.CheckConstraint(condition=Q(repeat_fine_max_fen__gt=0), name="policy_repeat_max_positive"),
            models.CheckConstraint(
                condition=Q(year_start_month__gte=1, year_start_month__lte=12), name="policy_year_start_is_a_month"
            ),
        ]

    def __str__(self) -> str:
        when = timezone.localtime(self.effective_from) if self.effective_from else None
        return str(_("Penalty policy from %(date)s")) % {"date": f"{when:%Y-%m-%d %H:%M}" if when else "?"}

    @property
    def complaint_fine_range(self) -> tuple[int, int]:
        return self.complaint_fine_min_fen, self.complaint_fine_max_fen

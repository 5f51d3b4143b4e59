"""The checklist an inspection is scored against: versions with effective dates.

The office edits the checklist by drafting a new version (a copy of the one in force), changing
its items and publishing it with the date it takes effect. A published version is never
changed again. Each inspection is scored with the version in force on the day it took place —
also when it is entered later — and keeps that version, so a catalog edit never changes the
score of an inspection already filed.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from inspections.models.fields import PointsField
from tollservice.core.models import TimeStampedModel, user_reference


class ChecklistVersion(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    effective_from = models.DateField(_("in force from"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    note = models.CharField(_("what changed"), max_length=500, blank=True)
    # The seeded checklist: typical toll-window norms for the station to review and replace.
    is_default = models.BooleanField(_("default checklist, not yet reviewed by the station"), default=False)
    based_on = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("based on")
    )
    created_by = user_reference(_("drafted by"), optional=True)
    published_by = user_reference(_("published by"), optional=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("checklist version")
        verbose_name_plural = _("checklist versions")
        ordering = ["-effective_from", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["effective_from"], condition=Q(status="published"), name="one_checklist_in_force_per_day"
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False), name="checklist_published_has_date"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Checklist in force from %(date)s") % {"date": self.effective_from.isoformat()})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class ChecklistItem(TimeStampedModel):
    """One line of the checklist: what is checked, what it weighs and what a breach costs.

    ``points`` is the item's weight in a 100-point inspection; a breach deducts ``deduction`` per
    occurrence (``grave_deduction`` for a grave one, e.g. a jam caused by a staff error), never
    more than ``cap`` (at most the points) in one inspection. A veto item (一票否决) fails the
    inspection. The team leader and the shift leader on duty answer for a breach too (连带责任):
    they lose ``team_leader_deduction`` and ``shift_leader_deduction`` per occurrence.
    """

    # An item's terms: what the office edits in a draft, and what a new draft copies.
    TERM_FIELDS = (
        "code",
        "title",
        "description",
        "category",
        "provision",
        "prohibition",
        "points",
        "deduction",
        "unit",
        "cap",
        "grave_deduction",
        "is_veto",
        "is_violation",
        "team_leader_deduction",
        "shift_leader_deduction",
        "order",
    )

    class Unit(models.TextChoices):
        LAPSE = "lapse", _("per lapse")
        VEHICLE = "vehicle", _("per vehicle")
        PERSON = "person", _("per person")

    version = models.ForeignKey(
        ChecklistVersion, on_delete=models.PROTECT, related_name="items", verbose_name=_("checklist version")
    )
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("item"), max_length=200)
    description = models.TextField(_("what is checked"), max_length=2000, blank=True)
    category = models.ForeignKey(
        "inspections.ServiceCategory",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("category"),
    )
    # PEN-1: the provision of the service code a breach violates (cited by a penalty proposal).
    provision = models.ForeignKey(
        "inspections.ServiceProvision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("provision of the service code"),
    )
    prohibition = models.ForeignKey(
        "inspections.Prohibition",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("prohibition concerned"),
    )
    points = PointsField(_("points"))
    deduction = PointsField(_("deduction per occurrence"))
    unit = models.CharField(_("counted"), max_length=10, choices=Unit.choices, default=Unit.LAPSE)
    cap = PointsField(_("most deducted in one inspection"), null=True, blank=True)
    grave_deduction = PointsField(_("deduction for a grave occurrence"), null=True, blank=True)
    is_veto = models.BooleanField(_("veto item (fails the inspection)"), default=False)
    is_violation = models.BooleanField(_("a breach is a violation of the service code"), default=False)
    team_leader_deduction = PointsField(_("team leader also loses (per occurrence)"), default=0)
    shift_leader_deduction = PointsField(_("shift leader on duty also loses (per occurrence)"), default=0)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["version", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="checklist_item_unique_code"),
            models.CheckConstraint(
                condition=Q(cap__isnull=True) | Q(cap__lte=models.F("points")), name="checklist_cap_within_points"
            ),
            models.CheckConstraint(
                condition=Q(is_violation=False) | Q(provision__isnull=False), name="checklist_violation_cites_provision"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def limit(self):
        """The most one inspection deducts for this item: its cap, never beyond its points."""
        return self.points if self.cap is None else min(self.cap, self.points)

"""What the office configures: the time limits, the definitions of the monthly figures, and the
per-year counter that numbers the registration ledger (CMP-7)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tollservice.core.models import TimeStampedModel, user_reference

from .complaint import Complaint


class ComplaintSettings(TimeStampedModel):
    """One row (``pk=1``), seeded by a migration and edited by the office. A change applies to
    complaints accepted after it: each complaint keeps the limits it was accepted under."""

    accept_hours = models.PositiveSmallIntegerField(
        _("accept within (hours of arrival)"),
        default=24,
        validators=[MaxValueValidator(168)],
        help_text=_("A letter or a work order is registered this soon after it reaches the station."),
    )
    return_visit_days = models.PositiveSmallIntegerField(
        _("return visit within (days of the answer)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    review_working_days = models.PositiveSmallIntegerField(
        _("review within (working days)"), default=3, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    retention_days = models.PositiveIntegerField(
        _("keep drivers' personal data for (days after closing)"),
        default=365,
        validators=[MinValueValidator(30), MaxValueValidator(3650)],
    )
    basically_satisfied_counts = models.BooleanField(_("“basically satisfied” counts as satisfied"), default=True)
    partly_upheld_counts = models.BooleanField(_("“partly upheld” counts as upheld"), default=True)
    updated_by = user_reference(_("updated by"), optional=True)

    class Meta:
        verbose_name = _("complaint settings")
        verbose_name_plural = _("complaint settings")

    def __str__(self) -> str:
        return str(_("Complaint settings"))

    @classmethod
    def load(cls) -> ComplaintSettings:
        """The settings row (created with the defaults where a test flushed the seed)."""
        return cls.objects.get_or_create(pk=1)[0]


# (first contact within hours, answer within working days) by urgency, as seeded; the office
# edits the rows.
DEFAULT_URGENCY_LIMITS = {
    Complaint.Urgency.NORMAL: (24, 5),
    Complaint.Urgency.URGENT: (12, 3),
    Complaint.Urgency.VERY_URGENT: (2, 1),
}


class UrgencyLimit(TimeStampedModel):
    """The time limits of one urgency: urgent cases get shorter ones."""

    urgency = models.CharField(_("urgency"), max_length=12, choices=Complaint.Urgency.choices, unique=True)
    first_contact_hours = models.PositiveSmallIntegerField(
        _("first contact within (hours)"), validators=[MinValueValidator(1), MaxValueValidator(168)]
    )
    answer_working_days = models.PositiveSmallIntegerField(
        _("answer within (working days)"), validators=[MinValueValidator(1), MaxValueValidator(60)]
    )

    class Meta:
        verbose_name = _("time limit")
        verbose_name_plural = _("time limits")
        ordering = ["answer_working_days"]

    def __str__(self) -> str:
        return self.get_urgency_display()

    @classmethod
    def for_urgency(cls, urgency: str) -> UrgencyLimit:
        """The row for ``urgency`` (created with the defaults where a test flushed the seed)."""
        hours, days = DEFAULT_URGENCY_LIMITS[urgency]
        return cls.objects.get_or_create(
            urgency=urgency, defaults={"first_contact_hours": hours, "answer_working_days": days}
        )[0]


class RegistrationCounter(models.Model):
    """The last ledger number given in a year (CMP-7). Numbers are taken inside the transaction
    that registers the complaint, so a registration that fails gives its number back and the
    ledger has no gaps."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("registration counter")
        verbose_name_plural = _("registration counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"

"""Days that differ from the Monday-to-Friday week, and the years the office has entered."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tollservice.core.models import TimeStampedModel, user_reference


class CalendarDay(TimeStampedModel):
    """One day that is not what its weekday says: a public holiday on a weekday (or every day
    of a holiday period, for the record), or a Saturday or Sunday worked in exchange (调休)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Public holiday (no work)")
        WORKDAY = "workday", _("Make-up working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("holiday"), max_length=50, help_text=_("For example “Spring Festival”."))

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]
        constraints = [models.CheckConstraint(condition=Q(kind__in=["holiday", "workday"]), name="calendar_day_kind")]

    def __str__(self) -> str:
        return f"{self.date} {self.name} · {self.get_kind_display()}"


class CalendarYear(TimeStampedModel):
    """The office's statement that a year's holidays and make-up days are all entered.

    Until a year is confirmed its working days are Monday to Friday, which the reminder each
    November (and the calendar page) point out.
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    confirmed_by = user_reference(_("confirmed by"), optional=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=200, blank=True, help_text=_("The notice the days were taken from.")
    )

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None

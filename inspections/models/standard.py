"""The standard that inspections check and penalties cite (PLAN §2).

Three layers, all editable data seeded with the plan's defaults by a data migration:

- ``ServiceCategory``: the six unifications (六个统一), the inspection categories;
- ``ServiceProvision``: the service code (规范化服务准则), whose breach is one violation (PEN-1);
- ``Prohibition``: the ten prohibitions (十不准) applied to repeat offenders (PEN-2).

Rows are never deleted (a penalty cites them): retire one with ``active=False``. A penalty keeps
a copy of the wording it cited, so editing a provision later does not change a decided penalty.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tollservice.core.models import TimeStampedModel


class ServiceCategory(TimeStampedModel):
    """One of the six unifications (六个统一)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class ServiceProvisionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True, category__active=True)


class ServiceProvision(TimeStampedModel):
    """One provision of the service code; breaching it is one violation (PEN-1)."""

    category = models.ForeignKey(
        ServiceCategory, on_delete=models.PROTECT, related_name="provisions", verbose_name=_("category")
    )
    code = models.CharField(_("code"), max_length=20, unique=True)
    text = models.TextField(_("text"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    objects = ServiceProvisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("service-code provision")
        verbose_name_plural = _("service-code provisions")
        ordering = ["category__order", "order", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:40]}"


class Prohibition(TimeStampedModel):
    """One of the ten prohibitions (十不准), the gravest rules (PEN-2).

    The plan cites the ten prohibitions without listing them, so the seeded list is a default
    for the station to replace: those rows carry ``is_default_placeholder=True`` until edited.
    """

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    text = models.TextField(_("text"))
    is_default_placeholder = models.BooleanField(
        _("default wording, not yet confirmed by the station"),
        default=False,
        help_text=_("The plan does not list the ten prohibitions; untick once the station has confirmed the text."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("prohibition")
        verbose_name_plural = _("ten prohibitions")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:40]}"

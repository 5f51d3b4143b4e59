"""CMP-10: each department publishes its complaint-handling method and hotline."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tollservice.core.models import TimeStampedModel, user_reference
from tollservice.core.validators import PHONE_MAX_LENGTH, validate_phone


class DepartmentComplaintMethod(TimeStampedModel):
    """The method and hotline a department publishes; the public complaint page lists the
    published ones. Edited by the group office."""

    department = models.OneToOneField(
        "roster.Department",
        on_delete=models.PROTECT,
        related_name="complaint_method",
        verbose_name=_("department"),
    )
    method = models.TextField(_("how the department handles complaints"))
    hotline = models.CharField(_("complaint hotline"), max_length=PHONE_MAX_LENGTH, validators=[validate_phone])
    published = models.BooleanField(_("published"), default=False)
    updated_by = user_reference(_("updated by"))

    class Meta:
        verbose_name = _("complaint-handling method")
        verbose_name_plural = _("complaint-handling methods")
        ordering = ["department__name"]

    def __str__(self) -> str:
        return str(self.department)

"""A year's campaign, its phases (CAM-1) and who has studied the assessment method and the
plan (CAM-2)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tollservice.core.models import TimeStampedModel, user_reference

# The provincial administration's toll-window standardized-service assessment method (CAM-2).
METHOD_DOCUMENT = "赣高路费字〔2023〕14号"


class Campaign(TimeStampedModel):
    """The standardized-service activity of one year: its phases, study records and selection."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    method_document = models.CharField(
        _("assessment method studied"),
        max_length=60,
        default=METHOD_DOCUMENT,
        help_text=_("The document every employee studies in the study phase."),
    )
    created_by = user_reference(_("opened by"), null=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-year"]
        constraints = [models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="campaign_year_sane")]

    def __str__(self) -> str:
        return gettext("The %(year)s campaign") % {"year": self.year}


class CampaignPhase(models.Model):
    """CAM-1: one phase of a year's campaign with its own dates. The long-term mechanism, once
    reached, stands: it has a start and no end."""

    class Kind(models.TextChoices):
        STUDY = "study", _("Study and mobilization")
        IMPLEMENTATION = "implementation", _("Organization and implementation")
        LONG_TERM = "long_term", _("Long-term mechanism")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="phases", verbose_name=_("campaign"))
    kind = models.CharField(_("phase"), max_length=20, choices=Kind.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        verbose_name = _("campaign phase")
        verbose_name_plural = _("campaign phases")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "kind"], name="one_phase_of_each_kind"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")), name="phase_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class StudyRecord(models.Model):
    """CAM-2: a person studied one of the two documents, on a day, confirmed by someone."""

    class Material(models.TextChoices):
        METHOD = "method", _("The assessment method")
        PLAN = "plan", _("The implementation plan")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="study_records", verbose_name=_("campaign")
    )
    staff = models.ForeignKey(
        "roster.Staff", on_delete=models.PROTECT, related_name="study_records", verbose_name=_("staff member")
    )
    material = models.CharField(_("document"), max_length=10, choices=Material.choices)
    studied_on = models.DateField(_("studied on"))
    confirmed_by = user_reference(_("confirmed by"))
    confirmed_at = models.DateTimeField(_("confirmed at"), default=timezone.now)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("study record")
        verbose_name_plural = _("study records")
        ordering = ["studied_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "staff", "material"], name="studied_once"),
        ]

    def __str__(self) -> str:
        return f"{self.staff} · {self.get_material_display()}"


class StudyReminder(models.Model):
    """A reminder sent to a person who had not yet studied (in the portal, by email, or not
    reached at all: the page then says so)."""

    class Reach(models.TextChoices):
        INBOX = "inbox", _("In the portal")
        EMAIL = "email", _("By email")
        NONE = "none", _("Not reached (no account, no email)")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="study_reminders", verbose_name=_("campaign")
    )
    staff = models.ForeignKey(
        "roster.Staff", on_delete=models.PROTECT, related_name="+", verbose_name=_("staff member")
    )
    sent_by = user_reference(_("sent by"), null=True)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    reach = models.CharField(_("reached"), max_length=10, choices=Reach.choices)

    class Meta:
        verbose_name = _("study reminder")
        verbose_name_plural = _("study reminders")
        indexes = [models.Index(fields=["campaign", "staff", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.staff} · {self.sent_at:%Y-%m-%d}"

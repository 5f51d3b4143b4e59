"""Appeals against findings, supervisors' written reports (INS-6, INS-7), the settings of the
module and the station affairs meeting circular (INS-3)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tollservice.core.models import TimeStampedModel, user_reference


class Appeal(TimeStampedModel):
    """The visited team appeals a finding (申诉) within the configured time after publication;
    someone other than the inspector decides. An amended score keeps the original (``Amendment``)."""

    class Status(models.TextChoices):
        LODGED = "lodged", _("Awaiting a decision")
        UPHELD = "upheld", _("Upheld: finding withdrawn")
        PARTLY_UPHELD = "partly_upheld", _("Partly upheld: finding reduced")
        REJECTED = "rejected", _("Rejected")

    finding = models.ForeignKey(
        "inspections.ItemResult", on_delete=models.PROTECT, related_name="appeals", verbose_name=_("finding")
    )
    inspection = models.ForeignKey("inspections.Inspection", on_delete=models.PROTECT, related_name="appeals")
    grounds = models.TextField(_("grounds"), max_length=4000)
    lodged_by = user_reference(_("lodged by"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.LODGED)
    reasons = models.TextField(_("reasons for the decision"), max_length=4000, blank=True)
    original_occurrences = models.PositiveSmallIntegerField(_("occurrences as found"))
    amended_occurrences = models.PositiveSmallIntegerField(_("occurrences after the decision"), null=True, blank=True)
    decided_by = user_reference(_("decided by"), optional=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "created_at", "id"], name="appeal_queue_order"),
            models.Index(fields=["created_at", "id"], name="appeal_list_order"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["finding"], condition=Q(status="lodged"), name="one_pending_appeal_per_finding"
            ),
            models.CheckConstraint(
                condition=Q(status="lodged") | (Q(decided_at__isnull=False) & ~Q(reasons="")),
                name="appeal_decision_says_why",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Appeal against %(finding)s") % {"finding": self.finding})


class SupervisorReport(TimeStampedModel):
    """A supervisor's written report to the leadership group (INS-6): an evaluation of each team
    visited, suggestions, penalty suggestions; the group decides on it in time (INS-7)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting the leadership group")
        DECIDED = "decided", _("Decided")

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        PARTLY = "partly", _("Partly accepted")
        NOT_ACCEPTED = "not_accepted", _("Not accepted")

    supervisor = models.ForeignKey(
        "roster.Supervisor", on_delete=models.PROTECT, related_name="reports", verbose_name=_("supervisor")
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    summary = models.TextField(_("overall evaluation"), max_length=8000)
    suggestions = models.TextField(_("suggestions"), max_length=8000, blank=True)
    penalty_suggestions = models.TextField(_("penalties suggested"), max_length=8000, blank=True)
    visits = models.ManyToManyField(
        "inspections.Inspection", related_name="supervisor_reports", blank=True, verbose_name=_("visits")
    )
    submitted_by = user_reference()
    submitted_at = models.DateTimeField(_("submitted at"))
    decision_due = models.DateField(_("decision due by"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices, blank=True)
    actions = models.TextField(_("actions taken"), max_length=8000, blank=True)
    decided_by = user_reference(optional=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    penalties = models.ManyToManyField(
        "penalties.Penalty", related_name="supervisor_reports", blank=True, verbose_name=_("penalties proposed")
    )

    class Meta:
        verbose_name = _("supervisor's report")
        verbose_name_plural = _("supervisors' reports")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="report_period_order"),
            models.CheckConstraint(
                condition=Q(status="submitted") | (~Q(decision="") & Q(decided_at__isnull=False)),
                name="report_decided_has_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supervisor} · {self.period_start:%Y-%m-%d}–{self.period_end:%Y-%m-%d}"


class SupervisorTeamEvaluation(models.Model):
    """The supervisor's evaluation of one team visited (INS-6: 对各班组进行综合评价)."""

    class Rating(models.TextChoices):
        EXCELLENT = "excellent", _("Excellent")
        GOOD = "good", _("Good")
        FAIR = "fair", _("Fair")
        POOR = "poor", _("Poor")

    report = models.ForeignKey(SupervisorReport, on_delete=models.CASCADE, related_name="evaluations")
    team = models.ForeignKey("roster.Team", on_delete=models.PROTECT, related_name="+", verbose_name=_("team"))
    rating = models.CharField(_("rating"), max_length=10, choices=Rating.choices)
    evaluation = models.TextField(_("evaluation"), max_length=4000)

    class Meta:
        verbose_name = _("evaluation of a team")
        verbose_name_plural = _("evaluations of teams")
        constraints = [models.UniqueConstraint(fields=["report", "team"], name="one_evaluation_per_team")]

    def __str__(self) -> str:
        return f"{self.team} · {self.get_rating_display()}"


class InspectionSettings(TimeStampedModel):
    """The module's configurable targets and time limits; one row, edited by the office."""

    # What the office edits on the settings page (the form and the service take these).
    EDITABLE_FIELDS = (
        "team_inspections_per_month",
        "leadership_min_inspectors",
        "revisit_gap_days",
        "appeal_days",
        "report_decision_days",
        "rectification_days",
        "overdue_orders_threshold",
    )

    team_inspections_per_month = models.PositiveSmallIntegerField(_("inspections of each team per month"), default=2)
    leadership_min_inspectors = models.PositiveSmallIntegerField(
        _("inspectors on a leadership inspection, at least"), default=2
    )
    revisit_gap_days = models.PositiveSmallIntegerField(
        _("days before a supervisor visits the same team again"), default=30
    )
    appeal_days = models.PositiveSmallIntegerField(_("days to appeal after publication"), default=7)
    report_decision_days = models.PositiveSmallIntegerField(
        _("days for the leadership group to decide on a supervisor's report"), default=15
    )
    rectification_days = models.PositiveSmallIntegerField(_("default days to rectify"), default=7)
    overdue_orders_threshold = models.PositiveSmallIntegerField(
        _("late orders in a month before the team is put to the office"), default=2
    )

    class Meta:
        verbose_name = _("inspection settings")
        verbose_name_plural = _("inspection settings")

    def __str__(self) -> str:
        return str(_("Inspection settings"))

    @classmethod
    def current(cls) -> InspectionSettings:
        settings_row = cls.objects.order_by("pk").first()
        return settings_row if settings_row is not None else cls.objects.create()


class MeetingCircular(TimeStampedModel):
    """The station affairs meeting circular (所务会通报, INS-3) for a period.

    While a draft its content is computed afresh; publishing freezes it (``content``) so that
    what staff read is what was announced.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    remarks = models.TextField(_("remarks"), max_length=8000, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    content = models.JSONField(_("content"), default=dict, blank=True)
    created_by = user_reference()
    published_by = user_reference(optional=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("station affairs meeting circular")
        verbose_name_plural = _("station affairs meeting circulars")
        ordering = ["-period_end", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="circular_period_order"),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False), name="meeting_circular_published_at"
            ),
        ]

    def __str__(self) -> str:
        return self.title

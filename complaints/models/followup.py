"""After the answer: the return visit (回访) and, when the driver is dissatisfied, the review
(复核) by the head of the toll-collection office."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tollservice.core.models import user_reference

from .complaint import Complaint


class ReturnVisit(models.Model):
    """The driver's satisfaction with the outcome: asked by phone, or given online by the driver.
    Written once; only the retention task rewrites the note, to remove personal data."""

    class Result(models.TextChoices):
        SATISFIED = "satisfied", _("Satisfied")
        BASICALLY_SATISFIED = "basically", _("Basically satisfied")
        DISSATISFIED = "dissatisfied", _("Dissatisfied")
        UNREACHABLE = "unreachable", _("Could not be reached")

    class Method(models.TextChoices):
        PHONE = "phone", _("By phone")
        IN_PERSON = "in_person", _("Face to face")
        ONLINE = "online", _("Online, by the driver")

    REACHED = (Result.SATISFIED, Result.BASICALLY_SATISFIED, Result.DISSATISFIED)

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="return_visits")
    result = models.CharField(_("result"), max_length=14, choices=Result.choices)
    method = models.CharField(_("how"), max_length=10, choices=Method.choices)
    note = models.TextField(_("note"), blank=True)
    recorded_by = user_reference(_("recorded by"), optional=True)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("return visit")
        verbose_name_plural = _("return visits")
        ordering = ["at", "pk"]
        # The complaint figures read the dissatisfied visits' complaints (a few) without the rest.
        indexes = [models.Index(fields=["result", "complaint"], name="return_visit_result")]

    def __str__(self) -> str:
        return f"{self.complaint.number} · {self.get_result_display()}"


class Review(models.Model):
    """复核: a dissatisfied driver's complaint is looked at again by the head of the
    toll-collection office, who reopens it (the handling was at fault) or records why it stands."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the review")
        REOPENED = "reopened", _("Reopened: the handling was at fault")
        STANDS = "stands", _("The handling stands")

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="reviews")
    return_visit = models.OneToOneField(ReturnVisit, on_delete=models.PROTECT, related_name="review")
    reviewer = models.ForeignKey(
        "roster.Staff", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("reviewer")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    due_at = models.DateTimeField(_("review by"))
    reasons = models.TextField(_("reasons"), blank=True)
    decided_by = user_reference(_("decided by"), optional=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["created_at", "pk"]
        # The complaint figures read the decided reviews' complaints without the pending ones.
        indexes = [models.Index(fields=["status", "complaint"], name="review_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint"], condition=Q(status="pending"), name="complaint_one_pending_review"
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | (Q(decided_at__isnull=False) & ~Q(reasons="")),
                name="review_decided_says_why",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.complaint.number} · {self.get_status_display()}"

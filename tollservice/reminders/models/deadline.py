"""A deadline on any module's object, and the reminders it holds (rows, sent by one beat task)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tollservice.core.models import TimeStampedModel, user_reference
from tollservice.reminders.rules import Step, StepKind


class Deadline(TimeStampedModel):
    """When something about an object is due, who answers for it, and whether it is still open.

    ``title`` and ``url`` are copied from the object when the deadline is set, so that a list of
    deadlines (the dashboard's) reads no object of any module.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    kind = models.CharField(_("kind of deadline"), max_length=100)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    obj = GenericForeignKey("content_type", "object_id")
    title = models.CharField(_("what is due"), max_length=200)
    url = models.CharField(_("link"), max_length=300, blank=True)
    due_at = models.DateTimeField(_("due at"))
    responsible = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="reminder_deadlines", blank=True, verbose_name=_("responsible")
    )
    # Responsible people the portal cannot remind (no account, or a disabled one), by roster
    # name: a reminder names them and says who is told instead.
    unreachable = models.JSONField(_("responsible without an account"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = user_reference(_("set by"), optional=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = user_reference(_("closed by"), optional=True)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_at", "pk"]
        constraints = [
            # One open deadline of a kind per object: setting it again moves it.
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind"],
                condition=Q(status="open"),
                name="deadline_one_open_per_object_and_kind",
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(closed_at__isnull=False), name="deadline_closed_has_date"
            ),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="deadline_object")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_at < timezone.now()


class ReminderQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(sent_at__isnull=True, cancelled_at__isnull=True)

    def sendable(self, now):
        """Due, neither sent nor cancelled, and not claimed by a worker that may still be sending
        it (a claim older than the timeout is abandoned: that worker died)."""
        from tollservice.reminders.services.sending import CLAIM_TIMEOUT

        return self.pending().filter(due_at__lte=now).exclude(claimed_at__gt=now - CLAIM_TIMEOUT)


class Reminder(models.Model):
    """One reminder of a deadline: its step, when it is due, and when it was claimed, sent or
    cancelled. Sent exactly once by ``services.sending`` (a conditional UPDATE claims it)."""

    class CancelReason(models.TextChoices):
        RESCHEDULED = "rescheduled", _("The deadline moved")
        CLOSED = "closed", _("The deadline was closed")
        SUPERSEDED = "superseded", _("A later reminder was due as well")
        UNKNOWN_KIND = "unknown_kind", _("No module handles this kind of deadline any more")

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="reminders")
    step = models.CharField(_("step"), max_length=10, choices=StepKind.choices)
    days = models.PositiveSmallIntegerField(_("days"), default=0)
    level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    due_at = models.DateTimeField(_("due at"))
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    recipient_count = models.PositiveSmallIntegerField(_("recipients"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("why cancelled"), max_length=20, choices=CancelReason.choices, blank=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["due_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True) | Q(cancelled_at__isnull=True), name="reminder_sent_or_cancelled"
            ),
        ]
        indexes = [
            # What the beat task reads every minute: the unsent, uncancelled ones by due time.
            models.Index(
                fields=["due_at"],
                condition=Q(sent_at__isnull=True, cancelled_at__isnull=True),
                name="reminder_pending_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deadline_id} · {self.get_step_display()} · {self.due_at:%Y-%m-%d %H:%M}"

    @property
    def as_step(self) -> Step:
        return Step(self.step, self.days, self.level)

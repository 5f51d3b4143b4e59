"""What happens to each finding (INS-2), rectification orders, and their consequences.

Every finding gets one or more outcomes — a critical suggestion (批评性建议), a penalty proposed
through ``penalties.services`` with the finding as its source, a rectification order with a
deadline (责令限期整改) — before its inspection can be closed.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tollservice.core.models import TimeStampedModel, user_reference


class FindingOutcome(TimeStampedModel):
    class Kind(models.TextChoices):
        SUGGESTION = "suggestion", _("Critical suggestion")
        PENALTY = "penalty", _("Penalty proposed")
        RECTIFICATION = "rectification", _("Rectification order")

    finding = models.ForeignKey(
        "inspections.ItemResult", on_delete=models.PROTECT, related_name="outcomes", verbose_name=_("finding")
    )
    kind = models.CharField(_("outcome"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("suggestion"), max_length=2000, blank=True)
    # Linked both ways: the penalty's source is the finding; the finding shows the penalty's status.
    penalty = models.OneToOneField(
        "penalties.Penalty",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspection_outcome",
        verbose_name=_("penalty"),
    )
    order = models.OneToOneField(
        "inspections.RectificationOrder",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outcome",
        verbose_name=_("rectification order"),
    )
    created_by = user_reference()

    class Meta:
        verbose_name = _("outcome of a finding")
        verbose_name_plural = _("outcomes of findings")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="suggestion") & ~Q(text="") & Q(penalty__isnull=True) & Q(order__isnull=True))
                | (Q(kind="penalty") & Q(penalty__isnull=False) & Q(order__isnull=True))
                | (Q(kind="rectification") & Q(order__isnull=False) & Q(penalty__isnull=True)),
                name="outcome_kind_matches_link",
            )
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class RectificationOrderQuerySet(models.QuerySet):
    def overdue(self, *, today: datetime.date | None = None):
        """Past the deadline and still waiting for the team's answer."""
        today = today or timezone.localdate()
        return self.filter(status__in=RectificationOrder.AWAITING_ANSWER, deadline__lt=today)

    def late(self, *, today: datetime.date | None = None):
        """Overdue now, or answered (last) after the deadline: what counts against a team."""
        today = today or timezone.localdate()
        return self.exclude(status=RectificationOrder.Status.CANCELLED).filter(
            Q(status__in=RectificationOrder.AWAITING_ANSWER, deadline__lt=today)
            | Q(answered_on__gt=models.F("deadline"))
        )


class RectificationOrder(TimeStampedModel):
    """An order to rectify a finding by a deadline (责令限期整改).

    Assigned to the team's leader or a named person, who answers with what was done and
    evidence; someone other than whoever answered — the office or an inspector — verifies it or
    returns it with reasons. Past its deadline while awaiting an answer, it is overdue.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting the answer")
        ANSWERED = "answered", _("Answered, awaiting verification")
        RETURNED = "returned", _("Returned for more work")
        VERIFIED = "verified", _("Verified")
        CANCELLED = "cancelled", _("Cancelled")

    AWAITING_ANSWER = frozenset({Status.OPEN, Status.RETURNED})
    OPEN_STATUSES = frozenset({Status.OPEN, Status.ANSWERED, Status.RETURNED})

    finding = models.ForeignKey(
        "inspections.ItemResult", on_delete=models.PROTECT, related_name="orders", verbose_name=_("finding")
    )
    inspection = models.ForeignKey(
        "inspections.Inspection", on_delete=models.PROTECT, related_name="orders", verbose_name=_("inspection")
    )
    team = models.ForeignKey("roster.Team", on_delete=models.PROTECT, related_name="+", verbose_name=_("team"))
    # The inspection's team, kept equal to it by the services (an order's own ``team`` stays the
    # team it was issued to when a correction moves the inspection): who sees the order is decided
    # on the inspection, and this column lets a team's part of the list follow an index.
    inspection_team = models.ForeignKey(
        "roster.Team", on_delete=models.PROTECT, related_name="+", editable=False, verbose_name=_("inspection's team")
    )
    assignee = models.ForeignKey(
        "roster.Staff", on_delete=models.PROTECT, related_name="rectification_orders", verbose_name=_("assigned to")
    )
    instructions = models.TextField(_("what must be rectified"), max_length=2000)
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    issued_by = user_reference(_("issued by"))
    answer = models.TextField(_("what was done"), max_length=4000, blank=True)
    answered_by = user_reference(_("answered by"), optional=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # The local date of the last answer, so lateness is one comparison in SQL.
    answered_on = models.DateField(null=True, blank=True)
    verified_by = user_reference(_("verified by"), optional=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verification_note = models.TextField(_("verification"), max_length=2000, blank=True)

    objects = RectificationOrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("rectification order")
        verbose_name_plural = _("rectification orders")
        ordering = ["deadline", "pk"]
        indexes = [
            # The list filtered by team or by status, in its order (by deadline, then key).
            models.Index(fields=["team", "deadline", "id"], name="order_team_order"),
            models.Index(fields=["status", "deadline", "id"], name="order_status_order"),
            models.Index(fields=["deadline", "id"], name="order_list_order"),  # the list, by deadline
            # A reader's parts of the list (``selectors.scope.order_visibility_parts``), in its order.
            models.Index(fields=["inspection_team", "deadline", "id"], name="order_inspection_team_order"),
            models.Index(fields=["assignee", "deadline", "id"], name="order_assignee_order"),
            # The answered orders waiting to be verified, oldest answer first (the list's side panel).
            models.Index(fields=["status", "answered_at", "id"], name="order_verify_queue"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="verified") | Q(verified_at__isnull=False, answered_at__isnull=False),
                name="order_verified_was_answered",
            )
        ]

    def __str__(self) -> str:
        return str(_("Rectification order %(number)s") % {"number": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.status in self.AWAITING_ANSWER and self.deadline < (today or timezone.localdate())

    @property
    def overdue(self) -> bool:
        return self.is_overdue()


class RectificationEvent(models.Model):
    """The history of an order: issued, answered, returned with reasons, verified, deadline moved."""

    class Kind(models.TextChoices):
        ISSUED = "issued", _("Issued")
        ANSWERED = "answered", _("Answered")
        RETURNED = "returned", _("Returned")
        VERIFIED = "verified", _("Verified")
        DEADLINE = "deadline", _("Deadline changed")
        CANCELLED = "cancelled", _("Cancelled")

    order = models.ForeignKey(RectificationOrder, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("what"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("text"), max_length=4000, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    actor = user_reference()
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("rectification order event")
        verbose_name_plural = _("rectification order events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.at:%Y-%m-%d}"


class OverdueProposal(TimeStampedModel):
    """A team that left rectification orders overdue, put to the office (INS-4 / INS-5).

    Raised when a team has the configured number of late orders with deadlines in one month;
    the office answers it with a talk (INS-4) or a loss of award eligibility (INS-5), both
    recorded through ``penalties.services``, or dismisses it with reasons.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting the office")
        TALK = "talk", _("Talk held")
        ELIGIBILITY = "eligibility", _("Award eligibility removed")
        DISMISSED = "dismissed", _("Dismissed")

    team = models.ForeignKey("roster.Team", on_delete=models.PROTECT, related_name="+", verbose_name=_("team"))
    month = models.DateField(_("month"))  # first day of the month whose deadlines were missed
    late_count = models.PositiveSmallIntegerField(_("orders late"))
    orders = models.ManyToManyField(RectificationOrder, related_name="overdue_proposals", verbose_name=_("orders"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    talk = models.ForeignKey("penalties.TalkRecord", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    revocation = models.ForeignKey(
        "penalties.EligibilityRevocation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("note"), max_length=2000, blank=True)
    resolved_by = user_reference(optional=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("proposal on overdue orders")
        verbose_name_plural = _("proposals on overdue orders")
        ordering = ["-month", "pk"]
        constraints = [models.UniqueConstraint(fields=["team", "month"], name="one_overdue_proposal_per_team_month")]

    def __str__(self) -> str:
        return f"{self.team} · {self.month:%Y-%m}"


class VetoConsequence(models.Model):
    """A breached veto item took award eligibility from the team or the person (INS-5):
    the loss of eligibility recorded through ``penalties.services.eligibility_revoke``."""

    inspection = models.ForeignKey("inspections.Inspection", on_delete=models.PROTECT, related_name="veto_consequences")
    finding = models.ForeignKey("inspections.ItemResult", on_delete=models.PROTECT, related_name="veto_consequences")
    revocation = models.ForeignKey("penalties.EligibilityRevocation", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("consequence of a veto item")
        verbose_name_plural = _("consequences of veto items")
        constraints = [models.UniqueConstraint(fields=["finding", "revocation"], name="veto_consequence_once")]

    def __str__(self) -> str:
        return f"{self.finding} → {self.revocation}"

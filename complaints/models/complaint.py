"""A complaint (投诉) and what hangs off it for its whole life: the timeline, the persons it is
about, the correspondence with the driver, the driver's photos, and the log of who revealed the
driver's full contact details.

A complaint is registered once, under a gapless per-year number (CMP-7), and never deleted: a
mistaken entry is voided with a reason and keeps its number. Its state changes only through
``complaints.services``; the dates it must meet are computed by ``complaints.rules``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from complaints.validators import validate_plate
from tollservice.core.append_only import AppendOnlyError, StepLog
from tollservice.core.models import TimeStampedModel, user_reference
from tollservice.core.validators import validate_phone


class ComplaintQuerySet(models.QuerySet):
    def delete(self):
        raise AppendOnlyError("Complaints are never deleted; void a mistaken entry instead (CMP-7)")

    def live(self):
        """Registrations that stand (not voided)."""
        return self.filter(voided_at__isnull=True)

    def open(self):
        return self.live().exclude(status=Complaint.Status.CLOSED)

    def incidents(self):
        """One row per incident: duplicates of a primary complaint are counted with it (CMP-1)."""
        return self.live().filter(primary__isnull=True)

    def overdue(self, now=None):
        """Open complaints past a time limit that is still running (a paused answer limit is not)."""
        now = now or timezone.now()
        Status = Complaint.Status
        return self.live().filter(
            Q(first_contact_at__isnull=True, first_contact_due__lt=now, status__in=Complaint.BEFORE_ANSWER)
            | Q(answer_due__lt=now, status__in=Complaint.BEFORE_ANSWER)
            | Q(return_visit_due__lt=now, status=Status.ANSWERED)
        )


class Complaint(TimeStampedModel):
    class Channel(models.TextChoices):
        WEB = "web", _("Web form")
        PHONE = "phone", _("Phone call")
        LETTER = "letter", _("Letter")
        IN_PERSON = "in_person", _("In person")
        DUTY_LEADER = "duty_leader", _("Transferred by the duty leader")
        MEDIA = "media", _("Forwarded by news media")
        HOTLINE = "hotline", _("Hotline work order")

    class Category(models.TextChoices):
        ATTITUDE = "attitude", _("Service attitude")
        CHARGING = "charging", _("Charging")
        DELAY = "delay", _("Delay")
        FACILITIES = "facilities", _("Facilities")
        OTHER = "other", _("Other")

    class Urgency(models.TextChoices):
        NORMAL = "normal", _("Normal")
        URGENT = "urgent", _("Urgent")
        VERY_URGENT = "very_urgent", _("Very urgent")

    class Centre(models.TextChoices):
        HOTLINE_12328 = "12328", _("12328 transport service hotline")
        HOTLINE_12345 = "12345", _("12345 government service hotline")
        OTHER = "other", _("Other hotline")

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        INVESTIGATING = "investigating", _("Investigating")
        ANSWERED = "answered", _("Answered")
        RETURN_VISIT = "return_visit", _("Return visit made")
        CLOSED = "closed", pgettext_lazy("complaint", "Closed")

    class Level(models.IntegerChoices):
        """Who coordinates the complaint now, along the escalation chain (CMP-3, CMP-5)."""

        FRONT_LINE = 0, _("First responder")
        SHIFT_LEADER = 1, _("Shift leader on duty")
        TOLL_OFFICE_HEAD = 2, _("Head of the toll-collection office")
        GROUP_OFFICE = 3, _("Leadership group's office")

    BEFORE_ANSWER = (Status.REGISTERED, Status.INVESTIGATING)
    # Channels the leadership group sees from the start (grave public impact).
    LEADERSHIP_CHANNELS = (Channel.MEDIA, Channel.HOTLINE)

    # The registration ledger (CMP-7): 2026-0001, 2026-0002, … without gaps.
    number = models.CharField(_("registration number"), max_length=20, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("number in the year"))

    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    urgency = models.CharField(_("urgency"), max_length=12, choices=Urgency.choices, default=Urgency.NORMAL)
    description = models.TextField(_("what happened"))
    remedy = models.TextField(_("remedy asked for"), blank=True)
    incident_at = models.DateTimeField(_("time of the incident"))
    lane = models.ForeignKey(
        "roster.Lane",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("lane"),
    )
    # The team on duty at the incident's time (from the shift-leader roster), for lists and scope.
    team = models.ForeignKey(
        "roster.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("team"),
    )

    # The driver (PIPL: blanked by the retention task once the complaint has been closed long enough).
    complainant_name = models.CharField(pgettext_lazy("of a person", "name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    email = models.EmailField(_("email"), blank=True)
    plate = models.CharField(_("plate number"), max_length=12, blank=True, validators=[validate_plate])

    # Channel details (CMP-9).
    duty_leader = models.ForeignKey(
        "roster.Staff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("transferred by (duty leader)"),
    )
    media_outlet = models.CharField(_("news outlet"), max_length=100, blank=True)
    media_date = models.DateField(_("date of the report"), null=True, blank=True)
    work_order_centre = models.CharField(_("hotline centre"), max_length=10, choices=Centre.choices, blank=True)
    work_order_number = models.CharField(_("work-order number"), max_length=40, blank=True)
    work_order_deadline = models.DateTimeField(_("the centre's deadline"), null=True, blank=True)

    # When it reached the station, and when it was registered (accepted at once).
    received_at = models.DateTimeField(_("received at"))
    accepted_at = models.DateTimeField(_("accepted at"))
    registered_by = user_reference(_("registered by"), optional=True)
    # CMP-8: whoever registers or first takes up the complaint; never changes.
    first_responder = user_reference(_("first responder"), optional=True)
    # Changes only by a recorded handover (Handover).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_complaints",
        verbose_name=_("responsible"),
    )

    status = models.CharField(_("status"), max_length=14, choices=Status.choices, default=Status.REGISTERED)
    level = models.PositiveSmallIntegerField(_("coordinated by"), choices=Level.choices, default=Level.FRONT_LINE)
    escalated_to = models.ForeignKey(
        "roster.Staff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="escalated_complaints",
        verbose_name=_("escalated to"),
    )
    # CMP-1: a complaint about an incident already complained of is linked to the primary one.
    primary = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )

    # The access code is never stored: only its HMAC under a per-complaint salt.
    access_code_salt = models.CharField(max_length=32, blank=True, editable=False)
    access_code_hash = models.CharField(max_length=64, blank=True, editable=False)

    # The limits the complaint was accepted under, and the dates they give (complaints.rules).
    first_contact_hours = models.PositiveSmallIntegerField(_("first contact within (hours)"))
    answer_working_days = models.PositiveSmallIntegerField(_("answer within (working days)"))
    accept_due = models.DateTimeField(_("accept by"))
    first_contact_due = models.DateTimeField(_("first contact by"))
    answer_due = models.DateTimeField(_("answer by"), null=True, blank=True)  # none while paused
    # The answer limit counts from acceptance, or from the last reopening (a review found the
    # handling at fault).
    answer_clock_from = models.DateTimeField(_("answer limit counted from"))
    return_visit_due = models.DateTimeField(_("return visit by"), null=True, blank=True)
    paused_since = models.DateTimeField(_("waiting on the driver since"), null=True, blank=True)
    extended_to = models.DateField(_("extended to"), null=True, blank=True)

    first_contact_at = models.DateTimeField(_("first contact at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_on_time = models.BooleanField(_("answered within the limit"), null=True, blank=True)
    return_visited_at = models.DateTimeField(_("return visit at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    # The latest of each, kept here for lists and the monthly figures (history in their own rows).
    verdict_outcome = models.CharField(_("verdict"), max_length=14, blank=True)  # labels: audit_choices
    return_visit_result = models.CharField(_("return-visit result"), max_length=14, blank=True)
    review_status = models.CharField(_("review"), max_length=10, blank=True)
    handling_at_fault = models.BooleanField(_("handling at fault"), default=False)
    reopened_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)

    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    voided_by = user_reference(_("voided by"), optional=True)
    void_reason = models.TextField(_("reason for voiding"), blank=True)
    anonymised_at = models.DateTimeField(_("personal data removed at"), null=True, blank=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        base_manager_name = "objects"
        ordering = ["-year", "-sequence"]
        indexes = [
            # The staff list (newest number first) filtered by status, by team (a team leader's
            # scope), by channel: each in the list's order.
            models.Index(fields=["status", "year", "sequence"], name="complaint_status_order"),
            models.Index(fields=["team", "year", "sequence"], name="complaint_team_order"),
            models.Index(fields=["channel", "year", "sequence"], name="complaint_channel_order"),
            models.Index(fields=["status", "answer_due"]),
            # The complaint figures of a month or a year read every column they count from this
            # index alone (complaints.selectors.figures), never the complaints' rows; any other
            # look-up by the moment of acceptance uses it too.
            models.Index(
                fields=[
                    "accepted_at",
                    "voided_at",
                    "primary",
                    "accept_due",
                    "answered_at",
                    "answered_on_time",
                    "return_visited_at",
                    "return_visit_result",
                    "verdict_outcome",
                    "channel",
                    "category",
                ],
                name="complaint_figures",
            ),
            models.Index(fields=["incident_at"]),
            models.Index(fields=["phone"]),
            models.Index(fields=["plate"]),
            models.Index(fields=["owner", "status"]),
            models.Index(fields=["closed_at", "anonymised_at"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="complaint_number_once_a_year"),
            models.CheckConstraint(condition=~Q(primary=models.F("pk")), name="complaint_not_own_duplicate"),
            models.CheckConstraint(
                condition=Q(voided_at__isnull=True) | ~Q(void_reason=""), name="complaint_voided_says_why"
            ),
            # A work order is registered once (two clerks registering it at the same moment).
            models.UniqueConstraint(
                fields=["work_order_centre", "work_order_number"],
                condition=Q(voided_at__isnull=True) & ~Q(work_order_number=""),
                name="complaint_work_order_once",
            ),
        ]

    @classmethod
    def audit_choices(cls) -> dict:
        """The labels of the latest verdict, return visit and review kept here as plain values,
        for the history (``tollservice.audit.templatetags.audit_tags``)."""
        from complaints.models.followup import ReturnVisit, Review
        from complaints.models.handling import Verdict

        return {
            "verdict_outcome": Verdict.Outcome.choices,
            "return_visit_result": ReturnVisit.Result.choices,
            "review_status": Review.Status.choices,
        }

    def __str__(self) -> str:
        # No personal data: this text goes into the audit trail and notifications.
        return f"{self.number} · {self.get_category_display()}"

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Complaints are never deleted; void a mistaken entry instead (CMP-7)")

    def get_absolute_url(self) -> str:
        return reverse("complaints:detail", args=[self.pk])

    @property
    def tracking_number(self) -> str:
        """What the driver quotes: the registration number (the access code proves it is theirs)."""
        return self.number

    @property
    def phone_masked(self) -> str:
        """138****5678: what staff lists show (the full number is revealed by a logged service)."""
        from complaints.rules import mask_phone

        return mask_phone(self.phone)

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None

    @property
    def is_paused(self) -> bool:
        return self.paused_since is not None

    @property
    def is_duplicate(self) -> bool:
        return self.primary_id is not None

    @property
    def is_work_order(self) -> bool:
        return self.channel == self.Channel.HOTLINE

    @property
    def leadership_sees_from_start(self) -> bool:
        return self.channel in self.LEADERSHIP_CHANNELS


class ComplaintEvent(StepLog):
    """One entry of a complaint's timeline: who did what, when, and why. Never changed."""

    class Kind(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        TAKEN_UP = "taken_up", _("Taken up")
        HANDED_OVER = "handed_over", _("Handed over")
        ESCALATED = "escalated", _("Escalated")
        SUBJECTS = "subjects", _("Persons complained about recorded")
        CONTACT = "contact", _("Driver contacted")
        INVESTIGATING = "investigating", _("Investigation started")
        STATEMENT = "statement", _("Staff member's account recorded")
        PAUSED = "paused", _("Waiting on the driver")
        RESUMED = "resumed", _("Clock running again")
        EXTENSION_REQUESTED = "extension_requested", _("Extension requested")
        EXTENSION_APPROVED = "extension_approved", _("Extension approved")
        EXTENSION_REFUSED = "extension_refused", _("Extension refused")
        VERDICT = "verdict", _("Verdict recorded")
        APOLOGY = "apology", _("Apology recorded")
        PENALTY_PROPOSED = "penalty_proposed", _("Penalty proposed")
        ANSWERED = "answered", _("Answered")
        WORK_ORDER_REPORTED = "work_order_reported", _("Reported back to the hotline centre")
        WORK_ORDER_RETURNED = "work_order_returned", _("Returned by the hotline centre")
        LINKED = "linked", _("Linked as a duplicate")
        UNLINKED = "unlinked", _("Duplicate link removed")
        PRIMARY_CHANGED = "primary_changed", _("Primary complaint changed")
        DRIVER_INFORMATION = "driver_information", _("Driver added information")
        RETURN_VISIT = "return_visit", _("Return visit")
        REVIEW_OPENED = "review_opened", _("Review requested")
        REVIEW_DECIDED = "review_decided", _("Review decided")
        REOPENED = "reopened", _("Reopened")
        CLOSED = "closed", pgettext_lazy("complaint", "Closed")
        VOIDED = "voided", _("Voided")
        CONTACT_REVEALED = "contact_revealed", _("Full contact details shown")
        CODE_REISSUED = "code_reissued", _("New access code issued")
        ANONYMISED = "anonymised", _("Personal data removed")

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("step"), max_length=24, choices=Kind.choices)
    note = models.TextField(_("note"), blank=True)
    # ``details`` holds the facts of the step without personal data of the driver.

    class Meta(StepLog.Meta):
        verbose_name = _("complaint step")
        verbose_name_plural = _("complaint steps")


class ComplaintSubject(models.Model):
    """A staff member the complaint is about. They never see the driver's name, phone or plate,
    and never handle the complaint themselves."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="subjects")
    staff = models.ForeignKey(
        "roster.Staff", on_delete=models.PROTECT, related_name="complaints_about", verbose_name=_("staff member")
    )
    added_by = user_reference()
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("person complained about")
        verbose_name_plural = _("persons complained about")
        constraints = [models.UniqueConstraint(fields=["complaint", "staff"], name="complaint_subject_once")]

    def __str__(self) -> str:
        return str(self.staff)

"""The steps of handling a complaint, each a row of its own so that the record shows who did
what and why: handovers (CMP-8), escalations (CMP-3, CMP-5), first contacts, pauses while the
station waits on the driver, extensions, the staff member's account, the verdict with its
evidence, the apology (CMP-4), the penalties it led to (PEN-3, PEN-4) and the reports back to an
upstream hotline centre."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tollservice.core.append_only import AppendOnlyModel
from tollservice.core.models import user_reference
from tollservice.roster.models import ShiftLeaderAssignment

from .complaint import Complaint

BY = _("by")


class Handover(AppendOnlyModel):
    """CMP-8: ownership passes only by a recorded handover with a reason."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="handovers")
    from_user = user_reference(_("from"), optional=True)
    to_user = user_reference(_("to"))
    reason = models.TextField(_("reason"))
    by = user_reference(BY)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        base_manager_name = "objects"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.complaint.number} → {self.to_user}"


class Escalation(AppendOnlyModel):
    """CMP-3, CMP-5: the complaint goes up the chain; the next person is notified."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="escalations")
    from_level = models.PositiveSmallIntegerField(_("from"), choices=Complaint.Level.choices)
    to_level = models.PositiveSmallIntegerField(_("to"), choices=Complaint.Level.choices)
    to_staff = models.ForeignKey(
        "roster.Staff", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("person")
    )
    reason = models.TextField(_("reason"))
    # Why a level was passed over (nobody on duty, or the person is complained about).
    skipped = models.TextField(_("levels passed over"), blank=True)
    by = user_reference(BY, optional=True)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        base_manager_name = "objects"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.complaint.number} · {self.get_to_level_display()}"


class Contact(models.Model):
    """A contact with the driver; the first one meets the first-contact limit. Written once;
    only the retention task rewrites the note, to remove the driver's personal data."""

    class Method(models.TextChoices):
        PHONE = "phone", _("Phone")
        IN_PERSON = "in_person", _("Face to face")
        SMS = "sms", _("Text message")
        EMAIL = "email", _("Email")
        LETTER = "letter", _("Letter")

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="contacts")
    method = models.CharField(_("how"), max_length=10, choices=Method.choices)
    note = models.TextField(_("what was said"), blank=True)
    by = user_reference(BY)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("contact with the driver")
        verbose_name_plural = _("contacts with the driver")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.complaint.number} · {self.get_method_display()}"


class Pause(models.Model):
    """The station waits on the driver (information, a document): the answer clock stops."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="pauses")
    reason = models.TextField(_("what the station waits for"))
    started_at = models.DateTimeField(_("from"), default=timezone.now)
    started_by = user_reference(_("paused by"))
    ended_at = models.DateTimeField(_("until"), null=True, blank=True)
    ended_by = user_reference(_("resumed by"), optional=True)

    class Meta:
        verbose_name = _("pause")
        verbose_name_plural = _("pauses")
        ordering = ["started_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint"], condition=Q(ended_at__isnull=True), name="complaint_one_open_pause"
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="pause_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.complaint.number} · {self.started_at:%Y-%m-%d}"


class Extension(models.Model):
    """A complex case gets a later answer date (延期): requested with a reason, approved before
    the limit by someone other than the requester; the driver is told the new date."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="extensions")
    reason = models.TextField(_("reason"))
    new_due = models.DateField(_("answer by (new date)"))
    previous_due = models.DateTimeField(_("answer by (before)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = user_reference(_("requested by"))
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = user_reference(_("decided by"), optional=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        ordering = ["requested_at", "pk"]
        # The complaint figures read the approved extensions' complaints without the others.
        indexes = [models.Index(fields=["status", "complaint"], name="extension_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint"], condition=Q(status="pending"), name="complaint_one_pending_extension"
            )
        ]

    def __str__(self) -> str:
        return f"{self.complaint.number} → {self.new_due}"


class _Recorded(AppendOnlyModel):
    """A finding of the investigation as written down: who recorded it and when."""

    recorded_by = user_reference(_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        abstract = True
        base_manager_name = "objects"
        ordering = ["recorded_at", "pk"]


class StaffStatement(_Recorded):
    """The staff member's own account, recorded before a verdict that leads to a penalty."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="statements")
    staff = models.ForeignKey(
        "roster.Staff", on_delete=models.PROTECT, related_name="+", verbose_name=_("staff member")
    )
    account = models.TextField(_("their account"))

    class Meta(_Recorded.Meta):
        verbose_name = _("staff member's account")
        verbose_name_plural = _("staff members' accounts")

    def __str__(self) -> str:
        return f"{self.complaint.number} · {self.staff.name}"


class Verdict(_Recorded):
    """What the investigation found, with its evidence. A reopened complaint gets a new verdict;
    the latest one stands."""

    class Outcome(models.TextChoices):
        UPHELD = "upheld", _("Upheld")
        PARTLY_UPHELD = "partly_upheld", _("Partly upheld")
        NOT_UPHELD = "not_upheld", _("Not upheld")

    class Fault(models.TextChoices):
        STATION = "station", _("The station")
        BOTH = "both", _("Both the station and the driver")
        DRIVER = "driver", _("The driver")
        NONE = "none", _("Nobody")

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="verdicts")
    outcome = models.CharField(_("outcome"), max_length=14, choices=Outcome.choices)
    fault = models.CharField(_("at fault"), max_length=10, choices=Fault.choices)
    findings = models.TextField(_("findings"))
    cctv_reference = models.CharField(_("CCTV reference"), max_length=100, blank=True)
    lane = models.ForeignKey("roster.Lane", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    shift_date = models.DateField(_("shift date"), null=True, blank=True)
    shift = models.CharField(_("shift"), max_length=10, choices=ShiftLeaderAssignment.Shift.choices, blank=True)
    staff = models.ManyToManyField(
        "roster.Staff", through="VerdictStaff", related_name="+", verbose_name=_("staff involved")
    )

    class Meta(_Recorded.Meta):
        verbose_name = _("verdict")
        verbose_name_plural = _("verdicts")

    def __str__(self) -> str:
        return f"{self.complaint.number} · {self.get_outcome_display()}"


class VerdictStaff(AppendOnlyModel):
    verdict = models.ForeignKey(Verdict, on_delete=models.PROTECT, related_name="staff_links")
    staff = models.ForeignKey(
        "roster.Staff", on_delete=models.PROTECT, related_name="+", verbose_name=_("staff member")
    )
    at_fault = models.BooleanField(_("at fault"), default=False)

    class Meta:
        verbose_name = _("staff member involved")
        verbose_name_plural = _("staff involved")
        base_manager_name = "objects"
        constraints = [models.UniqueConstraint(fields=["verdict", "staff"], name="verdict_staff_once")]

    def __str__(self) -> str:
        return str(self.staff)


class Apology(_Recorded):
    """CMP-4: the station at fault (or both) apologises before the reply is sent."""

    class Role(models.TextChoices):
        PERSON_CONCERNED = "person_concerned", _("The person concerned")
        TEAM_LEADER = "team_leader", _("The team leader")
        TOLL_OFFICE_HEAD = "toll_office_head", _("The head of the toll-collection office")

    class Method(models.TextChoices):
        IN_PERSON = "in_person", _("Face to face")
        PHONE = "phone", _("By phone")
        LETTER = "letter", _("In writing")

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="apologies")
    verdict = models.ForeignKey(Verdict, on_delete=models.PROTECT, related_name="apologies")
    apologised_by = models.ForeignKey(
        "roster.Staff", on_delete=models.PROTECT, related_name="+", verbose_name=_("who apologised")
    )
    role = models.CharField(_("as"), max_length=20, choices=Role.choices)
    method = models.CharField(_("how"), max_length=10, choices=Method.choices)
    apologised_at = models.DateTimeField(_("when"))
    note = models.TextField(_("note"), blank=True)

    class Meta(_Recorded.Meta):
        verbose_name = _("apology")
        verbose_name_plural = _("apologies")
        ordering = ["apologised_at", "pk"]

    def __str__(self) -> str:
        return f"{self.complaint.number} · {self.apologised_by.name}"


class ComplaintPenalty(AppendOnlyModel):
    """A penalty a complaint led to (the penalty names the complaint as its source too): PEN-3
    against a staff member of an upheld complaint, with the head held accountable, or PEN-4
    against the handler and the head of the handling department."""

    class Kind(models.TextChoices):
        VERIFIED_COMPLAINT = "verified_complaint", _("Verified complaint")
        HANDLING_VIOLATION = "handling_violation", _("Complaint mishandled")

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="penalty_links")
    penalty = models.OneToOneField(
        "penalties.Penalty", on_delete=models.PROTECT, related_name="complaint_link", verbose_name=_("penalty")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # PEN-3: the team leader or department head held accountable for the person's conduct.
    responsible_head = models.ForeignKey(
        "roster.Staff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible head"),
    )
    head_role = models.CharField(_("as"), max_length=20, blank=True)
    grounds = models.TextField(_("grounds"), blank=True)
    created_by = user_reference(_("proposed by"))
    created_at = models.DateTimeField(_("proposed at"), default=timezone.now)

    class Meta:
        verbose_name = _("penalty from a complaint")
        verbose_name_plural = _("penalties from complaints")
        base_manager_name = "objects"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.complaint.number} · #{self.penalty_id}"


class WorkOrderReport(models.Model):
    """报结: an upstream hotline work order answered back to its centre with the facts, the
    handling and the grounds. The centre may return it for redoing, which reopens the complaint."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="work_order_reports")
    facts = models.TextField(_("facts"))
    handling = models.TextField(_("how it was handled"))
    grounds = models.TextField(_("grounds"))
    submitted_by = user_reference(_("reported by"))
    submitted_at = models.DateTimeField(_("reported at"), default=timezone.now)
    on_time = models.BooleanField(_("by the centre's deadline"), default=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    return_reason = models.TextField(_("why the centre returned it"), blank=True)
    return_recorded_by = user_reference(_("return recorded by"), optional=True)

    class Meta:
        verbose_name = _("report to the hotline centre")
        verbose_name_plural = _("reports to the hotline centre")
        ordering = ["submitted_at", "pk"]

    def __str__(self) -> str:
        return f"{self.complaint.number} · {self.submitted_at:%Y-%m-%d}"

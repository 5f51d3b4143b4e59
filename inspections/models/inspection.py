"""An inspection (检查 / 督查 / 暗访), what it found, and what each finding costs whom.

Life of an inspection:

- leadership group (INS-1), office routine check, CCTV review: draft → filed (in effect, locked)
  → closed once every finding has an outcome (INS-2);
- supervisor's open or covert visit (INS-6): draft → submitted → (returned to the supervisor →
  submitted again) → filed, i.e. published by the office, or void when the visitor was
  recognised. A covert visit stays invisible to the visited team until it is published.

A filed inspection is changed only by the office with a reason (``Amendment``), or by an appeal
decided in the team's favour; both keep the original score beside the new one.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from inspections.models.fields import PointsField
from tollservice.core.models import TimeStampedModel, user_reference
from tollservice.core.uploads import private_storage
from tollservice.roster.models import ShiftLeaderAssignment


class Inspection(TimeStampedModel):
    class Kind(models.TextChoices):
        LEADERSHIP = "leadership", _("Unannounced inspection by the leadership group")  # INS-1
        SUPERVISOR_OPEN = "supervisor_open", _("Supervisor's open visit")  # INS-6
        SUPERVISOR_COVERT = "supervisor_covert", _("Supervisor's covert visit")  # INS-6
        OFFICE_ROUTINE = "office_routine", _("Routine check by the office")
        CCTV = "cctv", _("CCTV review")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Awaiting the office's review")
        RETURNED = "returned", _("Returned to the supervisor")
        FILED = "filed", _("Filed")
        CLOSED = "closed", pgettext_lazy("inspection", "Closed")
        VOID = "void", _("Void")

    # A supervisor's visit counts only once the office has reviewed and published it (INS-6).
    REVIEWED_KINDS = frozenset({Kind.SUPERVISOR_OPEN, Kind.SUPERVISOR_COVERT})
    SUPERVISOR_KINDS = REVIEWED_KINDS
    # In effect: scored, counted, seen by the team, open to outcomes and appeals.
    EFFECTIVE = frozenset({Status.FILED, Status.CLOSED})
    EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # When the inspection or visit took place; a covert visitor files later (submitted_at).
    occurred_at = models.DateTimeField(_("date and time of the inspection"))
    shift_date = models.DateField(_("shift date"))
    shift = models.CharField(_("shift"), max_length=10, choices=ShiftLeaderAssignment.Shift.choices)
    lane = models.ForeignKey(
        "roster.Lane", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("lane")
    )
    booth = models.ForeignKey(
        "roster.Booth", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("booth")
    )
    team = models.ForeignKey(
        "roster.Team", on_delete=models.PROTECT, related_name="inspections", verbose_name=_("team on shift")
    )
    # As they stood at that moment (the roster changes): both answer for a finding (连带责任).
    team_leader = models.ForeignKey(
        "roster.Staff", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("team leader")
    )
    shift_leader = models.ForeignKey(
        "roster.Staff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("shift leader on duty"),
    )
    inspectors = models.ManyToManyField(
        "roster.Staff", related_name="inspections_made", blank=True, verbose_name=_("inspectors")
    )
    supervisor = models.ForeignKey(
        "roster.Supervisor",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("supervisor"),
    )
    vehicles_sampled = models.PositiveIntegerField(_("vehicles sampled"), null=True, blank=True)
    summary = models.TextField(_("overall remarks"), max_length=4000, blank=True)
    checklist_version = models.ForeignKey(
        "inspections.ChecklistVersion",
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("checklist version"),
    )
    created_by = user_reference(_("entered by"))

    # The score, computed by inspections.rules.score when the inspection is filed or amended.
    score = PointsField(_("score"), null=True, blank=True)
    deduction = PointsField(_("points deducted"), null=True, blank=True)
    raw_deduction = PointsField(_("deductions before caps"), null=True, blank=True)
    vetoed = models.BooleanField(_("failed on a veto item"), default=False)
    # The score as first filed, kept when a correction or an appeal changes it.
    original_score = PointsField(_("original score"), null=True, blank=True)

    submitted_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    submitted_by = user_reference(optional=True)
    # The same supervisor visited the team within the configured gap (shown to the reviewer).
    revisit_warning = models.BooleanField(_("visited again within the minimum gap"), default=False)
    published_at = models.DateTimeField(_("in effect since"), null=True, blank=True)
    published_by = user_reference(optional=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = user_reference(optional=True)
    void_reason = models.TextField(_("why it is void"), max_length=2000, blank=True)
    return_reasons = models.TextField(_("why it was returned"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            # The list filtered by team, by kind and status, by status: each in the list's order
            # (newest first, the key last so that a page ends where the next begins).
            models.Index(fields=["team", "occurred_at", "id"], name="inspection_team_order"),
            models.Index(fields=["kind", "status", "occurred_at", "id"], name="inspection_kind_order"),
            models.Index(fields=["status", "occurred_at", "id"], name="inspection_status_order"),
            # The lists: newest first, a page at a time; the review queue, oldest filing first.
            models.Index(fields=["occurred_at", "id"], name="inspection_list_order"),
            models.Index(fields=["status", "submitted_at", "id"], name="inspection_review_order"),
            # A reader's own parts of the list (what they entered, their visits as supervisor),
            # each read in the list's order (``selectors.scope.visibility_parts``).
            models.Index(fields=["created_by", "occurred_at", "id"], name="inspection_author_order"),
            models.Index(fields=["supervisor", "occurred_at", "id"], name="inspection_supervisor_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["filed", "closed"]) | Q(published_at__isnull=False, score__isnull=False),
                name="inspection_in_effect_is_scored",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["supervisor_open", "supervisor_covert"]) | Q(supervisor__isnull=False),
                name="inspection_supervisor_visit_names_supervisor",
            ),
            models.CheckConstraint(condition=~Q(status="void") | ~Q(void_reason=""), name="inspection_void_says_why"),
        ]

    def __str__(self) -> str:
        when = timezone.localtime(self.occurred_at).strftime("%Y-%m-%d %H:%M")
        return f"{self.reference} · {self.get_kind_display()} · {when}"

    @property
    def reference(self) -> str:
        """The number people quote: year of the inspection and its sequence."""
        return f"JC{timezone.localtime(self.occurred_at):%Y}-{self.pk or 0:05d}"

    @property
    def is_covert(self) -> bool:
        return self.kind == self.Kind.SUPERVISOR_COVERT

    @property
    def needs_review(self) -> bool:
        return self.kind in self.REVIEWED_KINDS

    @property
    def in_effect(self) -> bool:
        return self.status in self.EFFECTIVE

    @property
    def is_secret(self) -> bool:
        """A covert visit not yet published (INS-6): hidden from the visited team."""
        return self.is_covert and self.status not in self.EFFECTIVE

    @property
    def amended(self) -> bool:
        return self.original_score is not None and self.original_score != self.score


class ItemResultQuerySet(models.QuerySet):
    def findings(self):
        """Breached items that still count (a finding withdrawn on appeal no longer does)."""
        return self.filter(verdict=ItemResult.Verdict.BREACHED, withdrawn=False)


class ItemResult(TimeStampedModel):
    """The result of one checklist item in one inspection; a breached one is a *finding* (检查发现).

    An item breached by two people is two findings of that item; its deductions are capped
    together (``inspections.rules.score``).
    """

    class Verdict(models.TextChoices):
        COMPLIANT = "compliant", _("Compliant")
        NOT_APPLICABLE = "not_applicable", _("Not applicable")
        BREACHED = "breached", _("Breached")

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="results")
    item = models.ForeignKey(
        "inspections.ChecklistItem", on_delete=models.PROTECT, related_name="results", verbose_name=_("item")
    )
    verdict = models.CharField(_("result"), max_length=20, choices=Verdict.choices)
    occurrences = models.PositiveSmallIntegerField(_("occurrences"), default=0)
    grave = models.BooleanField(_("grave"), default=False)
    staff = models.ForeignKey(
        "roster.Staff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspection_findings",
        verbose_name=_("staff member concerned"),
    )
    note = models.TextField(_("note"), max_length=2000, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    # The inspection's moment, copied (and kept equal by the services), so that the list of
    # findings is read through one index in date order, a page at a time.
    occurred_at = models.DateTimeField(editable=False)
    # The inspection's team, copied (and kept equal by the services, a correction that moves the
    # inspection included): who sees a finding is decided on the inspection, and this column lets
    # a team's part of the findings list follow an index in the list's order.
    inspection_team = models.ForeignKey(
        "roster.Team", on_delete=models.PROTECT, related_name="+", editable=False, verbose_name=_("inspection's team")
    )
    # Set when the inspection takes effect (and again when it is amended), from rules.score.
    raw_deduction = PointsField(_("deduction before the cap"), default=0)
    deduction = PointsField(_("points deducted"), default=0)
    # An appeal decided in the team's favour withdraws the finding; it stays on record.
    withdrawn = models.BooleanField(_("withdrawn on appeal"), default=False)

    objects = ItemResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection finding")
        verbose_name_plural = _("inspection findings")
        ordering = ["inspection", "position", "pk"]
        indexes = [
            # An inspection's findings in their order on the page (verdict: breached), and each
            # inspection's count of findings on the inspections list. ``withdrawn`` makes it cover
            # ``findings()``, as the findings list's index does: without it, SQLite counts a row's
            # findings through that index instead, which it covers, reading every finding.
            models.Index(fields=["inspection", "verdict", "position", "withdrawn"], name="result_inspection_order"),
            models.Index(fields=["staff", "verdict"]),
            # The findings list: newest inspection first, each inspection's findings in their order.
            # ``withdrawn`` comes last, after the order, because every list of findings asks for
            # it (``findings()``): a capped count reads the index alone, not a row of the table
            # per finding (15 ms of a count of 10,001 findings at 200,000 rows). As an equality
            # before the order it would not serve: the ORM writes ``NOT withdrawn``, which SQLite
            # does not read as one.
            models.Index(
                fields=["verdict", "-occurred_at", "-inspection", "position", "id", "withdrawn"],
                name="finding_list_order",
            ),
            # A team's part of a reader's findings list (``selectors.scope.finding_visibility_parts``).
            models.Index(
                fields=["inspection_team", "verdict", "-occurred_at", "-inspection", "position", "id", "withdrawn"],
                name="finding_inspection_team_order",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(verdict="breached", occurrences__gte=1) | (~Q(verdict="breached") & Q(occurrences=0)),
                name="result_occurrences_match_verdict",
            ),
            models.CheckConstraint(condition=Q(grave=False) | Q(verdict="breached"), name="result_grave_only_breached"),
        ]

    def __str__(self) -> str:
        who = f" · {self.staff.name}" if self.staff_id else ""
        return f"{self.inspection.reference} · {self.item.code} {self.item.title}{who}"

    @property
    def is_finding(self) -> bool:
        return self.verdict == self.Verdict.BREACHED


class Deduction(models.Model):
    """What one finding costs one subject: the person concerned, the team on shift, and — jointly
    liable (连带责任) — the team leader and the shift leader on duty.

    Written when the inspection takes effect and rewritten when it is amended, so every ranking
    reads any subject's losses with one indexed query. ``vetoed`` marks a breached veto item:
    the team and the person are out of that period's rating (and lose the year's award
    eligibility through INS-5).
    """

    class Subject(models.TextChoices):
        PERSON = "person", _("Person concerned")
        TEAM = "team", _("Team")
        TEAM_LEADER = "team_leader", _("Team leader")
        SHIFT_LEADER = "shift_leader", _("Shift leader on duty")

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="deductions")
    finding = models.ForeignKey(ItemResult, on_delete=models.CASCADE, related_name="deductions")
    subject = models.CharField(_("who"), max_length=20, choices=Subject.choices)
    staff = models.ForeignKey("roster.Staff", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    team = models.ForeignKey("roster.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    points = PointsField(_("points"))
    vetoed = models.BooleanField(default=False)
    # Copied from the inspection so that rankings filter without a join.
    kind = models.CharField(max_length=20, choices=Inspection.Kind.choices)
    occurred_on = models.DateField()

    class Meta:
        verbose_name = _("deduction")
        verbose_name_plural = _("deductions")
        indexes = [
            models.Index(fields=["staff", "occurred_on"]),
            models.Index(fields=["team", "occurred_on"]),
            models.Index(fields=["subject", "occurred_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(subject="team") & Q(team__isnull=False) & Q(staff__isnull=True))
                | (~Q(subject="team") & Q(staff__isnull=False) & Q(team__isnull=True)),
                name="deduction_subject_matches",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_subject_display()} · {self.points}"


class Amendment(models.Model):
    """A change to an inspection in effect: an office correction or an appeal decision.

    The score before and after and the reason are kept, so the original shows beside the new.
    """

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correction by the office")
        APPEAL = "appeal", _("Appeal decision")

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="amendments")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    reason = models.TextField(_("reason"), max_length=2000)
    score_before = PointsField(_("score before"))
    score_after = PointsField(_("score after"))
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    made_by = user_reference()
    made_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        ordering = ["made_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.score_before} → {self.score_after}"


class CovertRead(models.Model):
    """Somebody read a covert visit before it was published (INS-6): who, when, where."""

    class Context(models.TextChoices):
        DETAIL = "detail", _("Opened the visit")
        LIST = "list", _("Listed")
        EXPORT = "export", _("Exported")
        EVIDENCE = "evidence", _("Opened evidence")

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="covert_reads")
    user = user_reference()
    read_at = models.DateTimeField(_("when"), default=timezone.now)
    context = models.CharField(_("how"), max_length=10, choices=Context.choices, default=Context.DETAIL)

    class Meta:
        verbose_name = _("read of an unpublished covert visit")
        verbose_name_plural = _("reads of unpublished covert visits")
        ordering = ["-read_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} · {self.read_at:%Y-%m-%d %H:%M}"


class FindingRecheck(TimeStampedModel):
    """A later inspection of the team re-checks an earlier finding: fixed or not."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="rechecks")
    finding = models.ForeignKey(ItemResult, on_delete=models.PROTECT, related_name="rechecks")
    fixed = models.BooleanField(_("fixed"))
    note = models.TextField(_("note"), max_length=2000, blank=True)
    recorded_by = user_reference()

    class Meta:
        verbose_name = _("re-check of a finding")
        verbose_name_plural = _("re-checks of findings")
        constraints = [models.UniqueConstraint(fields=["inspection", "finding"], name="one_recheck_per_inspection")]

    def __str__(self) -> str:
        return f"{self.finding} · {self.fixed}"


def _evidence_upload_to(instance, filename):  # names are generated by tollservice.core.uploads
    return filename


class Evidence(TimeStampedModel):
    """A photo (checked by content, stored privately) or a CCTV reference (camera and time).

    Belongs to an inspection, and optionally to one of its findings, a rectification order's
    answer or an appeal; whoever may see the inspection may see its evidence.
    """

    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        CCTV = "cctv", _("CCTV recording")

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="evidence")
    finding = models.ForeignKey(ItemResult, on_delete=models.PROTECT, null=True, blank=True, related_name="evidence")
    order = models.ForeignKey(
        "inspections.RectificationOrder", on_delete=models.PROTECT, null=True, blank=True, related_name="evidence"
    )
    appeal = models.ForeignKey(
        "inspections.Appeal", on_delete=models.PROTECT, null=True, blank=True, related_name="evidence"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("file"), storage=private_storage, upload_to=_evidence_upload_to, blank=True)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(max_length=50, blank=True)
    size = models.PositiveIntegerField(default=0)
    camera = models.CharField(_("camera"), max_length=100, blank=True)
    recorded_at = models.DateTimeField(_("recording time"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    added_by = user_reference()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="photo") & ~Q(file=""))
                | (Q(kind="cctv") & Q(file="") & ~Q(camera="") & Q(recorded_at__isnull=False)),
                name="evidence_photo_or_cctv_reference",
            )
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.CCTV:
            return f"{self.camera} {timezone.localtime(self.recorded_at):%Y-%m-%d %H:%M:%S}"
        return self.original_name or self.file.name

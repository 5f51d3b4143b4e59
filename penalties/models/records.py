"""Records that accompany penalties: circulars, accountability, talks, loss of award eligibility."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tollservice.core.append_only import AppendOnlyError, AppendOnlyModel
from tollservice.core.models import TimeStampedModel, user_reference


class Circular(TimeStampedModel):
    """A circulated notice (通报) read out at the station affairs meeting and posted (INS-3).

    Drafted by the services (PEN-3, PEN-4), edited by the office while a draft, then published;
    a published circular is never changed. A draft whose penalty is revoked is withdrawn (it stays
    on record with the reason) so that nobody can publish criticism that no longer stands.
    """

    class Kind(models.TextChoices):
        CRITICISM = "criticism", _("Circulated criticism")
        COMMENDATION = "commendation", _("Circulated commendation")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    FINAL = frozenset({Status.PUBLISHED, Status.WITHDRAWN})

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CRITICISM)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # PEN-4 criticises the handling department as well as the persons.
    departments = models.ManyToManyField(
        "roster.Department", related_name="circulars", blank=True, verbose_name=_("departments criticised")
    )
    drafted_by = user_reference(_("drafted by"))
    published_by = user_reference(_("published by"), optional=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)

    class Meta:
        verbose_name = _("circular")
        verbose_name_plural = _("circulars")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["created_at", "id"], name="circular_list"),
            models.Index(fields=["status", "created_at", "id"], name="circular_list_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False), name="circular_published_has_date"
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | (Q(withdrawn_at__isnull=False) & ~Q(withdrawal_reason="")),
                name="circular_withdrawn_says_why",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._final_in_db = instance.__dict__.get("status") in cls.FINAL
        return instance

    def save(self, *args, **kwargs):
        if getattr(self, "_final_in_db", False):
            raise AppendOnlyError(f"Circular #{self.pk} was published or withdrawn and cannot be changed")
        super().save(*args, **kwargs)
        self._final_in_db = self.status in self.FINAL

    def delete(self, *args, **kwargs):
        if self.status in self.FINAL or self.penalties.exists():
            raise AppendOnlyError(f"Circular #{self.pk} concerns penalties or was published; it cannot be deleted")
        return super().delete(*args, **kwargs)


class AccountabilityRecord(AppendOnlyModel):
    """The responsible head held accountable for a verified complaint against their staff (PEN-3).

    Never changed: if the penalty is revoked the record stays, and counts no longer
    (``in_force``), like the penalty it follows.
    """

    class HeadRole(models.TextChoices):
        TEAM_LEADER = "team_leader", _("Team leader")
        DEPARTMENT_HEAD = "department_head", _("Department head")

    penalty = models.ForeignKey(
        "Penalty", on_delete=models.PROTECT, related_name="accountability_records", verbose_name=_("penalty")
    )
    head = models.ForeignKey(
        "roster.Staff", on_delete=models.PROTECT, related_name="accountability_records", verbose_name=_("head")
    )
    head_role = models.CharField(_("as"), max_length=20, choices=HeadRole.choices)
    measures = models.TextField(_("measures"))
    recorded_by = user_reference(_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("accountability record")
        # Django's own code paths (related lookups, deletion) use the guarded queryset too.
        base_manager_name = "objects"
        verbose_name_plural = _("accountability records")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.head.name} · {self.get_head_role_display()} · #{self.penalty_id}"

    @property
    def in_force(self) -> bool:
        """The head answers for the complaint only while the penalty stands."""
        return self.penalty.is_in_force


def _team_xor_staff() -> Q:
    return (Q(staff__isnull=False) & Q(team__isnull=True)) | (Q(staff__isnull=True) & Q(team__isnull=False))


class TalkRecord(TimeStampedModel):
    """An appointment talk (约见谈话) or admonishment talk (诫勉谈话) with a team or person (INS-4)."""

    class Kind(models.TextChoices):
        APPOINTMENT = "appointment", _("Appointment talk")
        ADMONISHMENT = "admonishment", _("Admonishment talk")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    staff = models.ForeignKey(
        "roster.Staff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="talks",
        verbose_name=_("person"),
    )
    team = models.ForeignKey(
        "roster.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="talks", verbose_name=_("team")
    )
    held_at = models.DateTimeField(_("held at"))
    conducted_by = models.ForeignKey(
        "roster.Staff", on_delete=models.PROTECT, related_name="talks_conducted", verbose_name=_("conducted by")
    )
    reason = models.TextField(_("why the talk was held"))
    summary = models.TextField(_("what was said"))
    follow_up = models.TextField(_("follow-up required"), blank=True)
    follow_up_due = models.DateField(_("follow-up due"), null=True, blank=True)
    follow_up_done_at = models.DateTimeField(_("follow-up done at"), null=True, blank=True)
    follow_up_done_by = user_reference(_("follow-up confirmed by"), optional=True)
    follow_up_note = models.TextField(_("how it was followed up"), blank=True)
    recorded_by = user_reference(_("recorded by"))

    class Meta:
        verbose_name = _("talk")
        verbose_name_plural = _("talks")
        ordering = ["-held_at", "-pk"]
        indexes = [models.Index(fields=["held_at", "id"], name="talk_list")]
        constraints = [
            models.CheckConstraint(condition=_team_xor_staff(), name="talk_with_team_or_person"),
            models.CheckConstraint(
                condition=Q(follow_up_done_at__isnull=True) | ~Q(follow_up=""), name="talk_done_needs_follow_up"
            ),
        ]

    def __str__(self) -> str:
        who = self.staff.name if self.staff_id else self.team.name
        return f"{self.get_kind_display()} · {who} · {timezone.localtime(self.held_at):%Y-%m-%d}"

    @property
    def subject(self):
        """The person or the team talked to."""
        return self.staff if self.staff_id else self.team

    @property
    def follow_up_open(self) -> bool:
        return bool(self.follow_up) and self.follow_up_done_at is None


class EligibilityRevocationQuerySet(models.QuerySet):
    def effective(self):
        return self.filter(withdrawn_at__isnull=True)


class EligibilityRevocation(TimeStampedModel):
    """A team or person that undermined the activity loses award eligibility for a year (INS-5).

    Never edited; a mistaken revocation is withdrawn with reasons, and stays on record.
    """

    staff = models.ForeignKey(
        "roster.Staff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="eligibility_revocations",
        verbose_name=_("person"),
    )
    team = models.ForeignKey(
        "roster.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="eligibility_revocations",
        verbose_name=_("team"),
    )
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    reason = models.TextField(_("reason"))
    decided_by = user_reference(_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = user_reference(_("withdrawn by"), optional=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)

    objects = EligibilityRevocationQuerySet.as_manager()

    class Meta:
        verbose_name = _("loss of award eligibility")
        verbose_name_plural = _("losses of award eligibility")
        ordering = ["-year", "-decided_at", "-pk"]
        indexes = [models.Index(fields=["year", "decided_at", "id"], name="revocation_list")]
        constraints = [
            models.CheckConstraint(condition=_team_xor_staff(), name="revocation_of_team_or_person"),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawal_reason=""), name="revocation_withdrawn_why"
            ),
        ]

    def __str__(self) -> str:
        who = self.staff.name if self.staff_id else self.team.name
        return f"{who} · {self.year}"

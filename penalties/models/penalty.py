"""A penalty (处分) and its append-only history.

A penalty's life: proposed → decided by the office (PEN-5) → awaiting leadership approval where
the rule asks (PEN-2, PEN-3) → approved or rejected; a penalty in force can be revoked by a new
decision with reasons. The model refuses illegal status changes and any edit of what was
decided, so nothing saved is ever silently changed; ``penalties.services`` makes the changes.
"""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from tollservice.core.append_only import AppendOnlyError, AppendOnlyModel, StepLog
from tollservice.core.models import TimeStampedModel, user_reference

# The ledger-derived sums a penalty keeps beside ``owed_fen``: its net collections and waivers.
SETTLED_FIELDS = {"collected": "ledger_collected_fen", "waived": "ledger_waived_fen"}
LEDGER_DERIVED_FIELDS = ("owed_fen", *SETTLED_FIELDS.values())


class PenaltyQuerySet(models.QuerySet):
    """Penalties are changed one by one through their services, never in bulk or deleted."""

    def update(self, **kwargs):
        raise AppendOnlyError("Penalties change only through penalties.services, never by QuerySet.update()")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("Penalties change only through penalties.services, never by bulk_update()")

    def delete(self):
        raise AppendOnlyError("Penalties are never deleted; revoke or withdraw them")

    def add_entry(self, entry) -> tuple[dict[str, int], dict[str, int]]:
        """Add a ledger entry's effect to the penalty's ledger-derived balances (``owed_fen``
        and what was collected or waived), for ``services.ledger``, which books the entry in the
        same transaction: not a change of the penalty, so not refused like one.

        Returns the balances before and after (read after the update, which holds the row)."""
        effect = {"owed_fen": entry.signed_amount_fen}
        kind, amount = entry.net_kind_amount
        if kind in SETTLED_FIELDS:
            effect[SETTLED_FIELDS[kind]] = amount
        super().update(**{name: F(name) + change for name, change in effect.items()})
        after = self.values(*LEDGER_DERIVED_FIELDS).get()
        before = {name: value - effect.get(name, 0) for name, value in after.items()}
        return before, after

    def refresh_balances(self) -> int:
        """Set the ledger-derived balances from the ledger again (after entries were written in
        bulk, say by the benchmark's generator); the services never need it."""
        from penalties.models.ledger import LedgerEntry

        def from_ledger(subquery):
            return Coalesce(Subquery(subquery), 0, output_field=models.BigIntegerField())

        return super().update(
            owed_fen=from_ledger(LedgerEntry.owed_by_penalty()),
            **{name: from_ledger(LedgerEntry.net_by_penalty(kind)) for kind, name in SETTLED_FIELDS.items()},
        )

    def in_force(self):
        return self.filter(status__in=Penalty.IN_FORCE)

    def violations(self):
        """Penalties that count as a violation for PEN-2 and award eligibility (AWD-2)."""
        return self.filter(status__in=Penalty.COUNTS_AS_VIOLATION)


class Penalty(TimeStampedModel):
    class Rule(models.TextChoices):
        SERVICE_CODE = "service_code", _("Service-code violation")  # PEN-1
        COMPLAINT = "complaint", _("Verified complaint")  # PEN-3
        HANDLING_HANDLER = "handling_handler", _("Complaint mishandled: handler")  # PEN-4
        HANDLING_HEAD = "handling_head", _("Complaint mishandled: head of the handling department")  # PEN-4

    class Source(models.TextChoices):
        INSPECTION_FINDING = "inspection_finding", _("Inspection finding")
        VERIFIED_COMPLAINT = "verified_complaint", _("Verified complaint")
        SUPERVISOR_SUGGESTION = "supervisor_suggestion", _("Supervisor's suggestion")
        OFFICE = "office", _("Entered by the office")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        AWAITING_APPROVAL = "awaiting_approval", _("Awaiting leadership approval")
        DECIDED = "decided", _("Decided")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        REVOKED = "revoked", _("Revoked")

    # The fine is owed, the person is notified, the ledger holds the assessed amount.
    IN_FORCE = frozenset({Status.DECIDED, Status.APPROVED})
    # Decided by the office (the leadership may still settle the sanctions): for PEN-2 and AWD-2.
    COUNTS_AS_VIOLATION = frozenset({Status.AWAITING_APPROVAL, Status.DECIDED, Status.APPROVED})
    TRANSITIONS = {
        Status.PROPOSED: frozenset({Status.WITHDRAWN, Status.AWAITING_APPROVAL, Status.DECIDED}),
        Status.AWAITING_APPROVAL: frozenset({Status.APPROVED, Status.REJECTED}),
        Status.DECIDED: frozenset({Status.REVOKED}),
        Status.APPROVED: frozenset({Status.REVOKED}),
        Status.WITHDRAWN: frozenset(),
        Status.REJECTED: frozenset(),
        Status.REVOKED: frozenset(),
    }
    # What happened and to whom: fixed once the office has decided.
    FACT_FIELDS = (
        "staff_id",
        "team_id",
        "department_id",
        "rule",
        "source",
        "source_reference",
        "source_content_type_id",
        "source_object_id",
        "incident_date",
        "description",
        "proposed_by_id",
        "joint_with_id",
    )
    # The outcome: settled by the office decision, or by the leadership where it must approve.
    OUTCOME_FIELDS = (
        "policy_id",
        "eligibility_year",
        "fine_fen",
        "suspension",
        "dismissal",
        "disciplinary_action",
        "escalated",
        "decided_by_id",
        "decided_at",
        "in_force_from",
        "responsible_head_id",
    )
    # Not frozen: ``circular_id``. The circulated criticism is a notice that follows the penalty:
    # the services attach a draft, withdraw it if the penalty is revoked, and draft a new one
    # for a PEN-4 partner still in force (each step audited).

    staff = models.ForeignKey(
        "roster.Staff", on_delete=models.PROTECT, related_name="penalties", verbose_name=_("person penalized")
    )
    # The person's team and department when the penalty was proposed (the roster may change later).
    team = models.ForeignKey(
        "roster.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="penalties", verbose_name=_("team")
    )
    department = models.ForeignKey(
        "roster.Department", on_delete=models.PROTECT, related_name="penalties", verbose_name=_("department")
    )
    rule = models.CharField(_("rule"), max_length=20, choices=Rule.choices)
    source = models.CharField(_("source"), max_length=30, choices=Source.choices)
    source_reference = models.CharField(
        _("source reference"), max_length=200, blank=True, help_text=_("E.g. the inspection or complaint number.")
    )
    # The record the penalty came from (an inspection finding, a complaint), once those apps exist.
    source_content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_object_id = models.CharField(max_length=40, blank=True)
    source_object = GenericForeignKey("source_content_type", "source_object_id")
    incident_date = models.DateField(_("date of the incident"))
    description = models.TextField(_("what happened"))
    provisions = models.ManyToManyField(
        "inspections.ServiceProvision",
        through="PenaltyProvision",
        related_name="penalties",
        blank=True,
        verbose_name=_("provisions breached"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED)

    # Set by the office decision (and, for approvals, confirmed or changed by the leadership group).
    policy = models.ForeignKey(
        "PenaltyPolicy",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="penalties",
        verbose_name=_("decided under policy"),
    )
    eligibility_year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    fine_fen = models.BigIntegerField(_("fine (fen)"), default=0)
    suspension = models.BooleanField(_("suspension"), default=False)
    dismissal = models.BooleanField(_("dismissal"), default=False)
    disciplinary_action = models.BooleanField(_("disciplinary action"), default=False)
    # PEN-2: a repeat violation in the year, handled under the ten prohibitions by the leadership.
    escalated = models.BooleanField(_("escalated under the ten prohibitions"), default=False)
    prohibitions = models.ManyToManyField(
        "inspections.Prohibition",
        through="PenaltyProhibition",
        related_name="penalties",
        blank=True,
        verbose_name=_("prohibitions concerned"),
    )
    # PEN-4: the handler's and the department head's penalties for one mishandled complaint.
    joint_with = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="joint_penalties",
        verbose_name=_("decided jointly with"),
    )
    # PEN-3: the team leader or department head held accountable for the person's conduct.
    responsible_head = models.ForeignKey(
        "roster.Staff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible head"),
    )
    circular = models.ForeignKey(
        "Circular",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="penalties",
        verbose_name=_("circulated criticism"),
    )

    proposed_by = user_reference(_("proposed by"))
    decided_by = user_reference(_("decided by"), optional=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # When the penalty came into force (decision, or approval): from then the fine is owed.
    in_force_from = models.DateTimeField(_("in force from"), null=True, blank=True)
    # PEN-5: what the penalty's ledger entries leave outstanding (assessed − collected − waived).
    # Derived from the ledger, which stays the source of truth: ``services.ledger`` adds each
    # entry's effect in the transaction that books it, under the penalty's row lock, so the
    # list of outstanding fines reads an index instead of summing the whole ledger per page
    # (tests/penalties/test_ledger_owed.py checks the two agree).
    owed_fen = models.BigIntegerField(_("outstanding (fen), from the ledger"), default=0, editable=False)
    # And what its entries collected and waived (net of reversals), kept the same way, so that
    # the totals of a list of penalties (assessed = outstanding + collected + waived) are read
    # from the penalties, not from every entry of theirs.
    ledger_collected_fen = models.BigIntegerField(_("collected (fen), from the ledger"), default=0, editable=False)
    ledger_waived_fen = models.BigIntegerField(_("waived (fen), from the ledger"), default=0, editable=False)

    objects = PenaltyQuerySet.as_manager()

    class Meta:
        verbose_name = _("penalty")
        # Django's own code paths (related lookups, deletion) use the guarded queryset too.
        base_manager_name = "objects"
        verbose_name_plural = _("penalties")
        ordering = ["-incident_date", "-pk"]
        indexes = [
            models.Index(fields=["staff", "eligibility_year", "status"]),
            models.Index(fields=["status", "-created_at"]),
            # The lists (newest incident first) and their usual scopes and filters: each reads a
            # page through the index in the list's order (tests/penalties/test_list_plans.py).
            models.Index(fields=["incident_date", "id"], name="penalty_list"),
            models.Index(fields=["status", "incident_date", "id"], name="penalty_list_status"),
            models.Index(fields=["rule", "incident_date", "id"], name="penalty_list_rule"),
            # The status last: a team leader sees the team's fines in force (or revoked), and the
            # count of those rows reads the index alone instead of every row of the team.
            models.Index(fields=["team", "incident_date", "id", "status"], name="penalty_list_team"),
            models.Index(fields=["staff", "incident_date", "id"], name="penalty_list_staff"),
            # The approval queue: awaiting approval, oldest decision first.
            models.Index(fields=["status", "decided_at", "id"], name="penalty_approval_queue"),
            # The outstanding fines, in the order of their list (PEN-5); its count (the status)
            # and its totals (the balances) are read from the index alone.
            models.Index(
                fields=["in_force_from", "id", "status", "owed_fen", "ledger_collected_fen", "ledger_waived_fen"],
                condition=Q(owed_fen__gt=0),
                name="penalty_owed_in_force",
            ),
            # Fines settled beyond what was assessed: none, unless an entry went around the services.
            models.Index(fields=["owed_fen"], condition=Q(owed_fen__lt=0), name="penalty_overpaid"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(fine_fen__gte=0), name="penalty_fine_not_negative"),
            models.CheckConstraint(
                condition=~(Q(suspension=True) & Q(dismissal=True)), name="penalty_suspension_or_dismissal"
            ),
            models.CheckConstraint(
                condition=Q(status="proposed") | Q(status="withdrawn") | Q(policy__isnull=False),
                name="penalty_decided_under_a_policy",
            ),
        ]

    def __str__(self) -> str:
        staff_name = self.staff.name if self.staff_id else "?"
        return f"#{self.pk} {staff_name} · {self.get_rule_display()} · {self.incident_date}"

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._remember_saved_state()
        return instance

    def _remember_saved_state(self) -> None:
        # What the database holds, to refuse changes the model does not allow (see save()).
        self._loaded = {
            f.attname: self.__dict__[f.attname] for f in self._meta.concrete_fields if f.attname in self.__dict__
        }

    def save(self, *args, **kwargs):
        if self._state.adding:
            # A new object is inserted, never written over an existing row that happens to
            # share its primary key (which would skip the checks below).
            kwargs["force_insert"] = True
        else:
            self._refuse_silent_changes()
            if kwargs.get("update_fields") is None:
                # The ledger-derived balances are the ledger's to keep (``add_entry``); an
                # instance read before an entry was booked must not write its old values back.
                kwargs["update_fields"] = [
                    field.name
                    for field in self._meta.concrete_fields
                    if not field.primary_key and field.name not in LEDGER_DERIVED_FIELDS
                ]
        super().save(*args, **kwargs)
        self._remember_saved_state()

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self._remember_saved_state()

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Penalties are never deleted; revoke or withdraw them")

    def _refuse_silent_changes(self) -> None:
        loaded = getattr(self, "_loaded", None)
        if loaded is None:
            return
        was = loaded.get("status", self.status)
        if self.status != was and self.status not in self.TRANSITIONS[was]:
            raise AppendOnlyError(f"Penalty #{self.pk}: {was} → {self.status} is not a legal step")
        frozen = []
        if was != self.Status.PROPOSED:
            frozen += self.FACT_FIELDS
        if was not in (self.Status.PROPOSED, self.Status.AWAITING_APPROVAL):
            frozen += self.OUTCOME_FIELDS
        changed = [name for name in frozen if name in loaded and loaded[name] != getattr(self, name)]
        if changed:
            raise AppendOnlyError(
                f"Penalty #{self.pk} was decided; {', '.join(changed)} cannot be changed (revoke it instead)"
            )

    @property
    def is_in_force(self) -> bool:
        return self.status in self.IN_FORCE

    @property
    def settlement(self) -> str:
        """Of a penalty in force whose balance was read with it (``selectors.with_balances``):
        "outstanding" while part of its fine is owed, "settled" once it has all been collected or
        waived; "" for any other penalty, or one without a fine."""
        if not self.is_in_force or not getattr(self, "assessed_fen", 0):
            return ""
        return "outstanding" if self.outstanding_fen > 0 else "settled"

    @property
    def settlement_label(self) -> str:
        return {"outstanding": _("outstanding"), "settled": _("settled")}.get(self.settlement, "")

    @property
    def status_label(self) -> str:
        """The status, with "settled" or "outstanding" for a penalty in force (lists and pages)."""
        if not self.settlement:
            return self.get_status_display()
        return _("%(status)s, %(settlement)s") % {
            "status": self.get_status_display(),
            "settlement": self.settlement_label,
        }

    @property
    def sanctions(self) -> list[str]:
        """The non-monetary sanctions, as labels."""
        labels = []
        if self.suspension:
            labels.append(str(_("suspension")))
        if self.dismissal:
            labels.append(str(_("dismissal")))
        if self.disciplinary_action:
            labels.append(str(_("disciplinary action")))
        return labels


class PenaltyProvision(AppendOnlyModel):
    """A provision a penalty cites, with its wording as it stood (PEN-1)."""

    penalty = models.ForeignKey(Penalty, on_delete=models.PROTECT, related_name="provision_links")
    provision = models.ForeignKey(
        "inspections.ServiceProvision", on_delete=models.PROTECT, related_name="+", verbose_name=_("provision")
    )
    code = models.CharField(_("code"), max_length=20)
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("provision breached")
        # What a decided fine was computed from (PEN-1) or handled under (PEN-2) stays as cited.
        base_manager_name = "objects"
        verbose_name_plural = _("provisions breached")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["penalty", "provision"], name="penalty_provision_once")]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:40]}"


class PenaltyProhibition(AppendOnlyModel):
    """A prohibition a repeat violation is handled under (PEN-2), with its wording as it stood."""

    penalty = models.ForeignKey(Penalty, on_delete=models.PROTECT, related_name="prohibition_links")
    prohibition = models.ForeignKey(
        "inspections.Prohibition", on_delete=models.PROTECT, related_name="+", verbose_name=_("prohibition")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("prohibition concerned")
        # What a decided fine was computed from (PEN-1) or handled under (PEN-2) stays as cited.
        base_manager_name = "objects"
        verbose_name_plural = _("prohibitions concerned")
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["penalty", "prohibition"], name="penalty_prohibition_once")]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:40]}"


class PenaltyEvent(StepLog):
    """One step in a penalty's life: who, when, what was decided and why. Never changed."""

    class Kind(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        WITHDRAWN = "withdrawn", _("Proposal withdrawn")
        DECIDED = "decided", _("Decided by the office")
        ESCALATED = "escalated", _("Escalated to the leadership group")
        APPROVED = "approved", _("Approved by the leadership group")
        REJECTED = "rejected", _("Rejected by the leadership group")
        NOTIFIED = "notified", _("Person notified")
        # Neither a portal account nor an email address on the roster: a printed notice is handed over.
        NOT_NOTIFIED = "not_notified", _("Person could not be notified")
        REVOKED = "revoked", _("Revoked")

    penalty = models.ForeignKey(Penalty, on_delete=models.PROTECT, related_name="events", verbose_name=_("penalty"))
    kind = models.CharField(_("step"), max_length=20, choices=Kind.choices)
    reasons = models.TextField(_("reasons"), blank=True)

    class Meta(StepLog.Meta):
        verbose_name = _("penalty step")
        verbose_name_plural = _("penalty steps")

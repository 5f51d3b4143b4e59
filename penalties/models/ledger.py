"""The fine ledger (PEN-5): every fen assessed is collected, formally waived, or outstanding.

Entries are append-only. A wrong entry is corrected by a reversal entry that points at it
(once: ``reverses`` is unique). Amounts are whole fen in integer columns, so sums are exact on
SQLite and PostgreSQL alike (see ``tollservice.core.money``).

Exactly-once writing: every entry of a penalty carries the next ``sequence`` number, unique per
penalty. Services take a row lock on the penalty before reading its balance; should two writers
still race past the lock, the database refuses the second row with the same sequence.
"""

from __future__ import annotations

from django.db import IntegrityError, models, transaction
from django.db.models import Case, Count, F, OuterRef, Q, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tollservice.core.append_only import AppendOnlyModel
from tollservice.core.models import TimeStampedModel, user_reference
from tollservice.core.money import format_yuan


class LedgerEntry(AppendOnlyModel):
    class Kind(models.TextChoices):
        ASSESSED = "assessed", _("Assessed")
        COLLECTED = "collected", _("Collected")
        WAIVED = "waived", _("Waived")
        REVERSAL = "reversal", _("Reversal")

    class Account(models.TextChoices):
        FINES_RECEIVABLE = "fines_receivable", _("Fines receivable")
        # PEN-5: collected fines are booked as non-operating income (营业外收入).
        NON_OPERATING_INCOME = "non_operating_income", _("Non-operating income")
        FINES_WAIVED = "fines_waived", _("Fines formally waived")

    ACCOUNT_OF_KIND = {
        Kind.ASSESSED: Account.FINES_RECEIVABLE,
        Kind.COLLECTED: Account.NON_OPERATING_INCOME,
        Kind.WAIVED: Account.FINES_WAIVED,
    }

    penalty = models.ForeignKey(
        "Penalty", on_delete=models.PROTECT, related_name="ledger_entries", verbose_name=_("penalty")
    )
    sequence = models.PositiveIntegerField(_("entry number within the penalty"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    account = models.CharField(_("account"), max_length=30, choices=Account.choices)
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    booked_on = models.DateField(_("booking date"), db_index=True)
    receipt_number = models.CharField(_("receipt number"), max_length=40, null=True, blank=True, unique=True)
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversal",
        verbose_name=_("reverses entry"),
    )
    # The kind of the reversed entry, copied so that balances are one aggregate query.
    reversed_kind = models.CharField(_("kind reversed"), max_length=10, choices=Kind.choices, blank=True)
    waiver = models.OneToOneField(
        "WaiverRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entry",
        verbose_name=_("waiver"),
    )
    reason = models.TextField(_("reason"), blank=True)
    recorded_by = user_reference(_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("ledger entry")
        # Django's own code paths (related lookups, deletion) use the guarded queryset too.
        base_manager_name = "objects"
        verbose_name_plural = _("ledger entries")
        ordering = ["booked_on", "created_at", "pk"]
        indexes = [
            # The reconciliation's entries and receipts, in booking order (either way).
            models.Index(fields=["booked_on", "created_at", "id"], name="ledger_booking_order"),
            models.Index(
                fields=["booked_on", "created_at", "id"], condition=Q(kind="collected"), name="ledger_receipt_order"
            ),
            # The reconciliation's sums up to a date, read from the index alone.
            models.Index(fields=["booked_on", "kind", "reversed_kind", "amount_fen"], name="ledger_sums_by_date"),
            # A page of balances: the entries of the page's penalties, summed from the index alone.
            models.Index(
                fields=["penalty", "booked_on", "kind", "reversed_kind", "amount_fen"], name="ledger_sums_by_penalty"
            ),
        ]
        constraints = [
            # Exactly-once: two writers that both read the same balance cannot both append.
            models.UniqueConstraint(fields=["penalty", "sequence"], name="ledger_entry_sequence_once"),
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="ledger_amount_positive"),
            models.CheckConstraint(
                condition=(Q(kind="reversal") & Q(reverses__isnull=False) & ~Q(reversed_kind=""))
                | (~Q(kind="reversal") & Q(reverses__isnull=True) & Q(reversed_kind="")),
                name="ledger_reversal_points_at_an_entry",
            ),
            models.CheckConstraint(
                condition=(Q(kind="collected") & Q(receipt_number__isnull=False) & ~Q(receipt_number=""))
                | (~Q(kind="collected") & Q(receipt_number__isnull=True)),
                name="ledger_collection_has_a_receipt",
            ),
            models.CheckConstraint(
                condition=~Q(kind="collected") | Q(account="non_operating_income"),
                name="ledger_collection_is_non_operating_income",
            ),
            models.CheckConstraint(
                condition=(Q(kind="waived") & Q(waiver__isnull=False)) | (~Q(kind="waived") & Q(waiver__isnull=True)),
                name="ledger_waiver_is_approved_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {format_yuan(self.amount_fen)} · #{self.penalty_id}/{self.sequence}"

    @classmethod
    def signed_amount(cls):
        """``signed_amount_fen`` as an SQL expression."""
        settles = Q(kind__in=(cls.Kind.COLLECTED, cls.Kind.WAIVED)) | Q(
            kind=cls.Kind.REVERSAL, reversed_kind=cls.Kind.ASSESSED
        )
        negative = F("amount_fen") * Value(-1, output_field=models.BigIntegerField())
        return Case(When(settles, then=negative), default=F("amount_fen"), output_field=models.BigIntegerField())

    @property
    def net_kind_amount(self) -> tuple[str, int]:
        """The kind whose net sum the entry moves and by how much: a reversal subtracts its
        amount from the kind it reverses (as in every balance)."""
        if self.kind == self.Kind.REVERSAL:
            return self.reversed_kind, -self.amount_fen
        return self.kind, self.amount_fen

    @classmethod
    def net_by_penalty(cls, kind: str):
        """The net sum of ``kind`` (less its reversals) of the penalty ``OuterRef("pk")``."""
        net = Case(
            When(kind=kind, then=F("amount_fen")),
            When(kind=cls.Kind.REVERSAL, reversed_kind=kind, then=F("amount_fen") * Value(-1)),
            default=Value(0),
            output_field=models.BigIntegerField(),
        )
        return (
            cls.objects.filter(penalty=OuterRef("pk")).order_by().values("penalty").annotate(net=Sum(net)).values("net")
        )

    @classmethod
    def owed_by_penalty(cls):
        """The outstanding amount of the penalty ``OuterRef("pk")``, summed from its entries."""
        return (
            cls.objects.filter(penalty=OuterRef("pk"))
            .order_by()
            .values("penalty")
            .annotate(owed=Sum(cls.signed_amount()))
            .values("owed")
        )

    @property
    def signed_amount_fen(self) -> int:
        """What the entry does to the amount outstanding: + owed, − settled."""
        kind = self.reversed_kind if self.kind == self.Kind.REVERSAL else self.kind
        sign = 1 if kind == self.Kind.ASSESSED else -1
        return -sign * self.amount_fen if self.kind == self.Kind.REVERSAL else sign * self.amount_fen

    @property
    def collector(self):
        """For a collection: the finance-office user who took the money and issued the receipt."""
        return self.recorded_by if self.kind == self.Kind.COLLECTED else None


class MonthTotalQuerySet(models.QuerySet):
    def add_entry(self, entry: LedgerEntry, **key) -> None:
        """Add one entry just booked to the row of its month and ``key`` (say ``staff_id=…``),
        for ``services.ledger._append``, in the entry's transaction: an UPDATE of the row, or
        its INSERT when it is the first entry of that month and key."""
        kind, amount = entry.net_kind_amount
        _add_to_row(self, {"month": entry.booked_on.replace(day=1), **key}, {f"{kind}_fen": amount, "entries": 1})

    def rebuild(self) -> int:
        """Derive every row from the ledger again (after entries were written in bulk, say by the
        benchmark's generator); the services never need it. Returns the number of rows."""
        self.all().delete()
        rows = _month_totals(LedgerEntry.objects.all(), self.model.GROUPED_BY)
        self.bulk_create(self.model(**row) for row in rows)
        return len(rows)


def _add_to_row(rows: models.QuerySet, key: dict, amounts: dict[str, int]) -> None:
    """Add ``amounts`` to the kept row of ``key``: an UPDATE of the row, or its INSERT when it
    is the first of its key, in the caller's transaction."""
    change = {name: F(name) + amount for name, amount in amounts.items()}
    if rows.filter(**key).update(**change):
        return
    try:
        with transaction.atomic():
            rows.create(**key, **amounts)
    except IntegrityError:
        # Another booking of the same key inserted the row first.
        rows.filter(**key).update(**change)


# What ``LedgerMonthTotal`` is grouped by: its fields and the entries' paths to them.
BY_TEAM_AND_DEPARTMENT = {"team_id": "penalty__team_id", "department_id": "penalty__department_id"}


def _month_totals(entries, grouped_by: dict[str, str] = BY_TEAM_AND_DEPARTMENT) -> list[dict]:
    """The rows of a month total summed from ``entries``, by month and ``grouped_by`` (a row's
    field: the entries' path to it)."""
    names, paths = list(grouped_by), list(grouped_by.values())
    sums = (
        entries.order_by()
        .values_list("booked_on", *paths, "kind", "reversed_kind")
        .annotate(total=Sum("amount_fen"), count=Count("pk"))
    )
    rows: dict[tuple, dict] = {}
    for booked_on, *group, kind, reversed_kind, total, count in sums:
        key = (booked_on.replace(day=1), *group)
        row = rows.setdefault(
            key,
            {
                "month": key[0],
                **dict(zip(names, group, strict=True)),
                "entries": 0,
                "assessed_fen": 0,
                "collected_fen": 0,
                "waived_fen": 0,
            },
        )
        row["entries"] += count
        if kind == LedgerEntry.Kind.REVERSAL:
            row[f"{reversed_kind}_fen"] -= int(total)
        else:
            row[f"{kind}_fen"] += int(total)
    return list(rows.values())


class MonthTotal(models.Model):
    """The ledger's sums per calendar month of the booking date and some key of the penalty
    (PEN-5), so that balances add up a few rows per key and month, not every entry.

    Derived, never the source of truth: ``services.ledger._append`` adds each entry to its rows
    in the entry's own transaction (``add_entry``), ``rebuild`` derives them again from the
    ledger. A reversal subtracts from the kind it reverses, as in every balance. A range that
    starts or ends inside a month reads that month's part from the entries themselves.
    """

    GROUPED_BY: dict[str, str] = {}

    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    entries = models.PositiveIntegerField(_("entries"), default=0)
    assessed_fen = models.BigIntegerField(_("assessed (fen)"), default=0)
    collected_fen = models.BigIntegerField(_("collected (fen)"), default=0)
    waived_fen = models.BigIntegerField(_("waived (fen)"), default=0)

    objects = MonthTotalQuerySet.as_manager()

    class Meta:
        abstract = True


class TeamAndDepartment(models.Model):
    """Kept sums keyed by the penalty's team (none for staff outside the teams) and department."""

    team = models.ForeignKey(
        "roster.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("team")
    )
    department = models.ForeignKey(
        "roster.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )

    class Meta:
        abstract = True


class LedgerMonthTotal(MonthTotal, TeamAndDepartment):
    """The ledger's sums per month and per team and department of the penalty, for the
    balances per team or department (a few hundred rows for a year)."""

    GROUPED_BY = BY_TEAM_AND_DEPARTMENT

    class Meta:
        verbose_name = _("ledger total of a month")
        verbose_name_plural = _("ledger totals of months")
        ordering = ["month", "team", "department"]
        constraints = [
            # One row per key (penalties without a team may share a key in two rows on a race:
            # NULL is distinct in a unique index; the sums are right either way).
            models.UniqueConstraint(fields=["month", "team", "department"], name="ledger_month_total_once"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} · {self.team_id} · {self.department_id}"


class LedgerStaffMonthTotal(MonthTotal):
    """The ledger's sums per month and per person penalized, for the balances per person: a
    page of 50 people adds up their months, not every entry of their penalties."""

    GROUPED_BY = {"staff_id": "penalty__staff_id"}

    # Indexed by the unique (staff, month) below, which a person's months are read through.
    staff = models.ForeignKey(
        "roster.Staff", on_delete=models.PROTECT, db_index=False, related_name="+", verbose_name=_("person penalized")
    )

    class Meta:
        verbose_name = _("ledger total of a person's month")
        verbose_name_plural = _("ledger totals of persons' months")
        ordering = ["staff", "month"]
        constraints = [
            # The person first: a page of balances reads its people's months through this index.
            models.UniqueConstraint(fields=["staff", "month"], name="ledger_staff_month_total_once"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} · {self.staff_id}"


# What ``OutstandingTotal`` is grouped by: the outstanding fines' filters other than the person.
OUTSTANDING_GROUPED_BY = ("eligibility_year", "team_id", "department_id")
# The penalty's kept balances an outstanding fine adds to its row, and their names there.
OUTSTANDING_SUMS = {"owed_fen": "owed_fen", "ledger_collected_fen": "collected_fen", "ledger_waived_fen": "waived_fen"}


class OutstandingTotalQuerySet(models.QuerySet):
    def move(self, penalty, *, before: dict[str, int], after: dict[str, int]) -> None:
        """One penalty's balances went from ``before`` to ``after`` (``owed_fen``,
        ``ledger_collected_fen``, ``ledger_waived_fen``): take its old share out of its row and
        put the new one in, for ``services.ledger._append``, in the entry's transaction."""
        old, new = _outstanding_share(before), _outstanding_share(after)
        change = {name: new[name] - old[name] for name in new}
        if any(change.values()):
            _add_to_row(self, {name: getattr(penalty, name) for name in OUTSTANDING_GROUPED_BY}, change)

    def rebuild(self) -> int:
        """Derive every row from the penalties' balances again (after entries were written in
        bulk, say by the benchmark's generator); the services never need it."""
        from penalties.models.penalty import Penalty

        self.all().delete()
        rows = (
            Penalty.objects.filter(owed_fen__gt=0)
            .order_by()
            .values(*OUTSTANDING_GROUPED_BY)
            .annotate(fines=Count("pk"), **{kept: Sum(field) for field, kept in OUTSTANDING_SUMS.items()})
        )
        created = self.bulk_create(self.model(**row) for row in rows)
        return len(created)


def _outstanding_share(balances: dict[str, int]) -> dict[str, int]:
    """What one penalty adds to its outstanding total: itself and its balances while it owes."""
    owes = balances["owed_fen"] > 0
    return {"fines": int(owes)} | {kept: balances[field] if owes else 0 for field, kept in OUTSTANDING_SUMS.items()}


class OutstandingTotal(TeamAndDepartment):
    """The fines still owed (PEN-5: outstanding) per year, team and department of the penalty:
    how many and what they add up to, so that the outstanding fines' count and totals add up a
    few hundred rows, not every fine owed (28,000 at 200,000 penalties).

    Derived, never the source of truth: ``services.ledger._append`` moves the penalty's share
    with each entry it books (``move``); ``rebuild`` derives the rows again from the penalties'
    balances, which are derived from the ledger. A fine is owed while its balance is above
    zero, which only a fine in force can be (revocation reverses the assessment first).
    """

    eligibility_year = models.PositiveSmallIntegerField(_("year"))
    fines = models.IntegerField(_("fines owed"), default=0)
    owed_fen = models.BigIntegerField(_("outstanding (fen)"), default=0)
    collected_fen = models.BigIntegerField(_("collected (fen)"), default=0)
    waived_fen = models.BigIntegerField(_("waived (fen)"), default=0)

    objects = OutstandingTotalQuerySet.as_manager()

    class Meta:
        verbose_name = _("total of the outstanding fines")
        verbose_name_plural = _("totals of the outstanding fines")
        ordering = ["eligibility_year", "team", "department"]
        constraints = [
            # One row per key (as for the month totals, penalties without a team may share a key
            # in two rows on a race: NULL is distinct in a unique index; the sums are right).
            models.UniqueConstraint(fields=["eligibility_year", "team", "department"], name="outstanding_total_once"),
        ]

    def __str__(self) -> str:
        return f"{self.eligibility_year} · {self.team_id} · {self.department_id}"


class WaiverRequest(TimeStampedModel):
    """A request to waive (part of) a fine formally (PEN-5).

    It takes two different approvers, at least one of them from the leadership group; only the
    second approval writes the waived entry to the ledger.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        # The waived entry was reversed in the ledger: the amount is owed again.
        REVERSED = "reversed", _("Reversed")

    REQUIRED_APPROVALS = 2

    penalty = models.ForeignKey(
        "Penalty", on_delete=models.PROTECT, related_name="waiver_requests", verbose_name=_("penalty")
    )
    amount_fen = models.BigIntegerField(_("amount to waive (fen)"))
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = user_reference(_("requested by"))
    rejected_by = user_reference(_("rejected by"), optional=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("waiver request")
        verbose_name_plural = _("waiver requests")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["created_at", "id"], name="waiver_list"),
            models.Index(fields=["status", "created_at", "id"], name="waiver_list_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="waiver_amount_positive"),
        ]

    def __str__(self) -> str:
        return str(_("Waiver of %(amount)s for penalty #%(penalty)s")) % {
            "amount": format_yuan(self.amount_fen),
            "penalty": self.penalty_id,
        }


class WaiverApproval(AppendOnlyModel):
    """One approver's yes to a waiver request; the same person cannot approve twice."""

    request = models.ForeignKey(
        WaiverRequest, on_delete=models.PROTECT, related_name="approvals", verbose_name=_("waiver request")
    )
    approver = user_reference(_("approver"))
    # Whether the approver sat on the leadership group when approving (roles change over time).
    as_leadership = models.BooleanField(_("as a leadership-group member"), default=False)
    approved_at = models.DateTimeField(_("approved at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("waiver approval")
        # Django's own code paths (related lookups, deletion) use the guarded queryset too.
        base_manager_name = "objects"
        verbose_name_plural = _("waiver approvals")
        ordering = ["approved_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "approver"], name="waiver_approver_once"),
        ]

    def __str__(self) -> str:
        return f"{self.approver} · {self.approved_at:%Y-%m-%d}"


class LedgerPeriodClose(AppendOnlyModel):
    """The finance office closes the books through the end of a month (PEN-5).

    From then on no entry can be booked on a date up to that month's end: a late receipt is
    booked on the day it is recorded, a correction is a reversal booked today. So a month that
    was reconciled and filed stays as it was filed. The closing figures are kept, and the
    reconciliation page compares them with what the books say now.
    """

    month = models.DateField(_("month closed"), unique=True, help_text=_("The first day of the month."))
    assessed_fen = models.BigIntegerField(_("assessed at closing (fen)"))
    collected_fen = models.BigIntegerField(_("collected at closing (fen)"))
    waived_fen = models.BigIntegerField(_("waived at closing (fen)"))
    entries_count = models.PositiveIntegerField(_("entries in the month"))
    note = models.TextField(_("note"), blank=True)
    closed_by = user_reference(_("closed by"))
    closed_at = models.DateTimeField(_("closed at"), default=timezone.now)

    class Meta:
        verbose_name = _("closed month")
        # Django's own code paths (related lookups, deletion) use the guarded queryset too.
        base_manager_name = "objects"
        verbose_name_plural = _("closed months")
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"

    @property
    def outstanding_fen(self) -> int:
        return self.assessed_fen - self.collected_fen - self.waived_fen

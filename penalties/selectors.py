"""Reads for the penalties screens, the awards app and the services.

Every list selector returns a queryset whose cost does not grow with its rows (related rows
are joined or prefetched). Money is integer fen, summed by the database in integer arithmetic,
which is exact on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import BigIntegerField, F, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from penalties import links, rules
from penalties.models import (
    Circular,
    EligibilityRevocation,
    LedgerEntry,
    LedgerPeriodClose,
    Penalty,
    PenaltyEvent,
    PenaltyPolicy,
    TalkRecord,
    WaiverRequest,
)
from tollservice.access.permissions import has_permission
from tollservice.access.roles import Role, roles_for
from tollservice.core.dates import month_end, month_start
from tollservice.core.errors import DomainError
from tollservice.roster.models import Department, Staff, Team
from tollservice.roster.names import person_name_related

Kind = LedgerEntry.Kind


# --- Policy ------------------------------------------------------------------------------------


def policy_in_force(*, at: datetime.datetime | None = None) -> PenaltyPolicy:
    """The policy version in force at ``at`` (default: now)."""
    at = at or timezone.now()
    policy = PenaltyPolicy.objects.filter(effective_from__lte=at).order_by("-effective_from").first()
    if policy is None:
        raise DomainError(_("No penalty policy is in force; the leadership group must set one first."))
    return policy


def policy_history() -> QuerySet[PenaltyPolicy]:
    """Every policy version, newest first, with who recorded it."""
    return PenaltyPolicy.objects.select_related("created_by").order_by("-effective_from")


# --- Money ------------------------------------------------------------------------------------


def _net(kind: str, prefix: str = ""):
    """Integer sum of ``kind`` entries minus their reversals, 0 when there are none."""
    amount = f"{prefix}amount_fen"
    plus = Sum(amount, filter=Q(**{f"{prefix}kind": kind}))
    minus = Sum(amount, filter=Q(**{f"{prefix}kind": Kind.REVERSAL, f"{prefix}reversed_kind": kind}))
    zero = Value(0, output_field=BigIntegerField())
    return Coalesce(plus, zero, output_field=BigIntegerField()) - Coalesce(minus, zero, output_field=BigIntegerField())


def _totals_expressions(prefix: str = "") -> dict:
    return {
        "assessed_fen": _net(Kind.ASSESSED, prefix),
        "collected_fen": _net(Kind.COLLECTED, prefix),
        "waived_fen": _net(Kind.WAIVED, prefix),
    }


@dataclass(frozen=True)
class LedgerTotals:
    """PEN-5: every fen assessed is collected, waived, or outstanding."""

    assessed_fen: int = 0
    collected_fen: int = 0
    waived_fen: int = 0

    @property
    def outstanding_fen(self) -> int:
        return self.assessed_fen - self.collected_fen - self.waived_fen

    @classmethod
    def from_row(cls, row: dict) -> LedgerTotals:
        # PostgreSQL returns sum(bigint) as numeric; the values are whole fen either way.
        return cls(*(int(row.get(key) or 0) for key in ("assessed_fen", "collected_fen", "waived_fen")))

    def __add__(self, other: LedgerTotals) -> LedgerTotals:
        return LedgerTotals(
            self.assessed_fen + other.assessed_fen,
            self.collected_fen + other.collected_fen,
            self.waived_fen + other.waived_fen,
        )


def _fold(rows: Iterable[tuple[str, str, int]]) -> LedgerTotals:
    """Totals from (kind, reversed kind, integer sum) rows: a reversal subtracts from its kind."""
    net = {Kind.ASSESSED: 0, Kind.COLLECTED: 0, Kind.WAIVED: 0}
    for kind, reversed_kind, total in rows:
        if kind == Kind.REVERSAL:
            net[reversed_kind] -= int(total)
        else:
            net[kind] += int(total)
    return LedgerTotals(net[Kind.ASSESSED], net[Kind.COLLECTED], net[Kind.WAIVED])


def _sums_by_kind(entries: QuerySet[LedgerEntry], *group: str):
    return (
        entries.order_by()
        .values(*group, "kind", "reversed_kind")
        .annotate(total=Sum("amount_fen"))
        .values_list(*group, "kind", "reversed_kind", "total")
    )


def ledger_totals(entries: QuerySet[LedgerEntry] | None = None) -> LedgerTotals:
    """Totals of ``entries`` (default: the whole ledger): one integer SUM per kind, one query."""
    entries = LedgerEntry.objects.all() if entries is None else entries
    return _fold(_sums_by_kind(entries))


def penalty_balance(*, penalty: Penalty) -> LedgerTotals:
    """One penalty's fine: assessed, collected, waived, outstanding."""
    return ledger_totals(LedgerEntry.objects.filter(penalty=penalty))


def with_balances(penalties: QuerySet[Penalty]) -> QuerySet[Penalty]:
    """Annotate ``assessed_fen``, ``collected_fen``, ``waived_fen``, ``outstanding_fen`` per penalty."""
    return penalties.annotate(**_totals_expressions("ledger_entries__")).annotate(
        outstanding_fen=F("assessed_fen") - F("collected_fen") - F("waived_fen")
    )


# --- Penalties --------------------------------------------------------------------------------

# What a person or a team leader sees of their own penalties: those they have been told about.
_NOTIFIED_STATUSES = (Penalty.Status.DECIDED, Penalty.Status.APPROVED, Penalty.Status.REVOKED)


def penalties_visible_to(user) -> QuerySet[Penalty]:
    """The user's scope: office, leadership and finance see all; a team leader sees their teams'
    penalties and their own, other staff their own, once decided."""
    if has_permission(user, "penalties.view_all"):
        return Penalty.objects.all()
    if not has_permission(user, "penalties.view_own"):
        return Penalty.objects.none()
    roles = roles_for(user)
    scope = Q(pk__in=[])
    if roles.staff_id:
        scope |= Q(staff_id=roles.staff_id)
    if roles.led_team_ids:
        scope |= Q(team_id__in=roles.led_team_ids)
    return Penalty.objects.filter(scope, status__in=_NOTIFIED_STATUSES)


def penalty_list(*, user, only_own: bool = False) -> QuerySet[Penalty]:
    """Penalties in the user's scope, with person, team, department and balances (constant queries).

    ``only_own`` narrows to the user's own penalties ("my penalties"). Filter further with
    django-filter on ``status``, ``rule``, ``eligibility_year``, ``team``, ``department`` …
    """
    penalties = penalties_visible_to(user)
    if only_own:
        staff_id = roles_for(user).staff_id
        penalties = penalties.filter(staff_id=staff_id) if staff_id else penalties.none()
    penalties = penalties.select_related("staff", "team", "department", "policy").prefetch_related("provision_links")
    return with_balances(penalties).order_by("-incident_date", "-pk")


def penalty_detail(*, user, pk: int) -> Penalty:
    """One penalty in the user's scope, with its history, ledger, waivers and linked records.

    Raises ``Penalty.DoesNotExist`` outside the scope (a view turns it into a 404).
    """
    queryset = (
        with_balances(penalties_visible_to(user))
        .select_related(
            "staff",
            "team",
            "department",
            "policy",
            "circular",
            "proposed_by",
            "decided_by",
            "responsible_head",
            "joint_with__staff",
        )
        .prefetch_related(
            "provision_links",
            "prohibition_links",
            Prefetch("events", queryset=PenaltyEvent.objects.select_related("actor")),
            Prefetch(
                "ledger_entries",
                queryset=LedgerEntry.objects.select_related("recorded_by", "reverses").order_by("sequence"),
            ),
            Prefetch(
                "waiver_requests",
                queryset=WaiverRequest.objects.select_related("requested_by", "rejected_by").prefetch_related(
                    "approvals__approver"
                ),
            ),
            "accountability_records__head",
            "joint_penalties__staff",
        )
    )
    return queryset.get(pk=pk)


def penalty_approval_queue(*, user) -> QuerySet[Penalty]:
    """PEN-2 / PEN-3: penalties waiting for the leadership group, oldest first."""
    if not has_permission(user, "penalties.approve"):
        return Penalty.objects.none()
    return (
        Penalty.objects.filter(status=Penalty.Status.AWAITING_APPROVAL)
        .select_related("staff", "team", "department", "policy", "decided_by")
        .prefetch_related("provision_links")
        .order_by("decided_at", "pk")
    )


def penalty_outstanding(*, user) -> QuerySet[Penalty]:
    """PEN-5: penalties in force whose fine is not yet fully collected or waived (finance office)."""
    if not has_permission(user, "ledger.view"):
        return Penalty.objects.none()
    penalties = Penalty.objects.filter(status__in=Penalty.IN_FORCE).select_related("staff", "team", "department")
    return with_balances(penalties).filter(outstanding_fen__gt=0).order_by("in_force_from", "pk")


@dataclass(frozen=True)
class PenaltyPreview:
    """What the rule gives for a penalty being entered: shown before saving."""

    policy: PenaltyPolicy
    year: int
    fine_fen: int | None
    fine_range: tuple[int, int] | None  # the range a fine may be chosen in (PEN-3, PEN-4)
    is_repeat: bool  # PEN-2: would be escalated if decided now
    needs_approval: bool


def penalty_preview(
    *,
    staff: Staff,
    rule: str,
    incident_date: datetime.date,
    provisions_count: int = 0,
    fine_fen: int | None = None,
    suspension: bool = False,
    dismissal: bool = False,
    exclude: Penalty | None = None,
) -> PenaltyPreview:
    """The fine, the year and the path a penalty would take if decided now. Raises nothing for
    incomplete input: ``fine_fen`` is None until the rule can compute it."""
    policy = policy_in_force()
    year = rules.year_of(incident_date, policy=policy)
    fine_range = None
    if rule == Penalty.Rule.SERVICE_CODE:
        fine_fen = rules.pen1_fine_for(provisions_count, policy) if provisions_count else None
    else:
        fine_range = rules.pen3_fine_range(policy)
    is_repeat = rules.pen2_is_repeat(staff=staff, incident_date=incident_date, policy=policy, exclude=exclude)
    return PenaltyPreview(
        policy=policy,
        year=year,
        fine_fen=fine_fen,
        fine_range=fine_range,
        is_repeat=is_repeat,
        needs_approval=rules.needs_leadership_approval(escalated=is_repeat, suspension=suspension, dismissal=dismissal),
    )


def approval_fine_range(penalty: Penalty) -> tuple[int, int]:
    """The range, in fen, the leadership group may set the fine in when it approves ``penalty``,
    under the policy the office decided it by: PEN-2 for a repeat violation (from the fine the
    violation itself carries: PEN-1's base × provisions, or the office's complaint fine), PEN-3
    otherwise."""
    policy = penalty.policy
    if not penalty.escalated:
        return rules.pen3_fine_range(policy)
    if penalty.rule == Penalty.Rule.SERVICE_CODE:
        own_fine = rules.pen1_fine_for(penalty.provision_links.count(), policy)
    else:
        own_fine = penalty.fine_fen
    return rules.pen2_fine_range(rule_fine_fen=own_fine, policy=policy)


def penalty_timeline(*, penalty: Penalty) -> list[tuple[datetime.datetime, object]]:
    """The penalty's steps and ledger entries in one chronological list of (when, row).

    Uses the prefetched ``events`` and ``ledger_entries`` of ``penalty_detail``.
    """
    rows: list[tuple[datetime.datetime, object]] = [(event.at, event) for event in penalty.events.all()]
    rows += [(entry.created_at, entry) for entry in penalty.ledger_entries.all()]
    return sorted(rows, key=lambda row: row[0])


# --- Ledger -----------------------------------------------------------------------------------


def ledger_entry_list(
    *, start: datetime.date | None = None, end: datetime.date | None = None, kind: str | None = None
) -> QuerySet[LedgerEntry]:
    """Entries booked in [start, end], in booking order, with everything a row shows joined."""
    entries = LedgerEntry.objects.select_related(
        "penalty__staff", "penalty__team", "penalty__department", "recorded_by", "reverses", "waiver"
    ).select_related(*person_name_related("recorded_by"))
    if start is not None:
        entries = entries.filter(booked_on__gte=start)
    if end is not None:
        entries = entries.filter(booked_on__lte=end)
    if kind is not None:
        entries = entries.filter(kind=kind)
    return entries.order_by("booked_on", "created_at", "pk")


def ledger_receipts(*, start: datetime.date | None = None, end: datetime.date | None = None):
    """PEN-5: collections (non-operating income), with the receipt number and the collector."""
    return ledger_entry_list(start=start, end=end, kind=Kind.COLLECTED).select_related("reversal")


@dataclass
class Reconciliation:
    """PEN-5 for a period: outstanding at the start + assessed in the period
    = collected + waived in the period + outstanding at the end, to the fen.

    The three figures come from separate aggregates (before the period, in it, up to its end) and
    are checked against the sum of the listed entries, so an error in any one shows.
    """

    start: datetime.date
    end: datetime.date
    opening: LedgerTotals
    period: LedgerTotals
    closing: LedgerTotals
    # The period's entries, for the page; None when they were not loaded (a download streams
    # them from ``ledger_entry_list`` instead, however many there are).
    entries: list[LedgerEntry] | None
    overpaid_penalty_ids: list[int] = field(default_factory=list)

    @property
    def due_fen(self) -> int:
        """Outstanding at the start plus assessed in the period: what was to be accounted for."""
        return self.opening.outstanding_fen + self.period.assessed_fen

    @property
    def accounted_fen(self) -> int:
        """Collected and waived in the period plus outstanding at the end."""
        return self.period.collected_fen + self.period.waived_fen + self.closing.outstanding_fen

    @property
    def entries_net_fen(self) -> int:
        """The listed entries' effect on the amount outstanding (the period's figure when the
        entries were not loaded)."""
        if self.entries is None:
            return self.period.outstanding_fen
        return sum(entry.signed_amount_fen for entry in self.entries)

    @property
    def balanced(self) -> bool:
        return (
            self.due_fen == self.accounted_fen
            and self.opening + self.period == self.closing
            and self.entries_net_fen == self.closing.outstanding_fen - self.opening.outstanding_fen
            and not self.overpaid_penalty_ids
        )


def ledger_reconciliation(*, start: datetime.date, end: datetime.date, with_entries: bool = True) -> Reconciliation:
    """PEN-5 ("no 小金库"): reconcile the fines booked in [start, end]; every entry is listed.

    With the entries (the page), the period's figures are summed from them, so the listed rows
    are checked against the opening and closing aggregates; without them (a download, which
    streams the rows), the period is one more aggregate. Four queries whatever the number of
    entries.
    """
    if end < start:
        raise DomainError(_("The period ends before it starts."), field="end")
    if with_entries:
        entries = list(ledger_entry_list(start=start, end=end))
        period = _fold((entry.kind, entry.reversed_kind, entry.amount_fen) for entry in entries)
    else:
        entries = None
        period = ledger_totals(LedgerEntry.objects.filter(booked_on__range=(start, end)))
    upto_end = LedgerEntry.objects.filter(booked_on__lte=end)
    overpaid = (
        upto_end.values("penalty_id")
        .annotate(**_totals_expressions())
        .filter(assessed_fen__lt=F("collected_fen") + F("waived_fen"))
        .values_list("penalty_id", flat=True)
    )
    return Reconciliation(
        start=start,
        end=end,
        opening=ledger_totals(LedgerEntry.objects.filter(booked_on__lt=start)),
        period=period,
        closing=ledger_totals(upto_end),
        entries=entries,
        overpaid_penalty_ids=sorted(overpaid),
    )


# --- Closed months (PEN-5) -----------------------------------------------------------------------


def ledger_closed_through() -> datetime.date | None:
    """The last day on which the books are closed (the end of the latest closed month), if any."""
    latest = LedgerPeriodClose.objects.order_by("-month").values_list("month", flat=True).first()
    return month_end(latest) if latest else None


def ledger_period_close_for(month: datetime.date) -> LedgerPeriodClose | None:
    return LedgerPeriodClose.objects.select_related("closed_by").filter(month=month_start(month)).first()


def ledger_period_closes() -> QuerySet[LedgerPeriodClose]:
    return LedgerPeriodClose.objects.select_related("closed_by")


@dataclass(frozen=True)
class BalanceRow:
    """Fines of one person, team or department."""

    key: object  # the Staff, Team or Department (None: penalties of staff outside any team)
    totals: LedgerTotals


_BALANCE_GROUPS = {
    "staff": ("penalty__staff", Staff),
    "team": ("penalty__team", Team),
    "department": ("penalty__department", Department),
}


def ledger_balances(
    *, by: str, start: datetime.date | None = None, end: datetime.date | None = None
) -> list[BalanceRow]:
    """Balances grouped ``by`` "staff", "team" or "department" (the team and department the
    person belonged to when penalized), for entries booked in [start, end]. Two queries."""
    try:
        group, model = _BALANCE_GROUPS[by]
    except KeyError:
        raise ValueError(f"by must be one of {sorted(_BALANCE_GROUPS)}") from None
    rows: dict[object, list] = defaultdict(list)
    for key, *row in _sums_by_kind(ledger_entry_list(start=start, end=end).select_related(None), group):
        rows[key].append(row)
    totals = {key: _fold(key_rows) for key, key_rows in rows.items()}
    keys = model.objects.in_bulk([pk for pk in totals if pk is not None])
    result = [BalanceRow(key=keys.get(pk), totals=value) for pk, value in totals.items()]
    # Teams in their display order (the others have none), then by name.
    return sorted(result, key=lambda row: (row.key is None, getattr(row.key, "display_order", 0), str(row.key or "")))


def staff_balance(*, staff: Staff) -> LedgerTotals:
    """All fines of one person, over all years."""
    return ledger_totals(LedgerEntry.objects.filter(penalty__staff=staff))


def waiver_queue(*, user) -> QuerySet[WaiverRequest]:
    """Pending waivers this user may still approve (not their own request, not approved by them)."""
    if not has_permission(user, "ledger.waive_approve"):
        return WaiverRequest.objects.none()
    return (
        WaiverRequest.objects.filter(status=WaiverRequest.Status.PENDING)
        .exclude(requested_by=user)
        .exclude(approvals__approver=user)
        .select_related("penalty__staff", "penalty__department", "requested_by")
        .select_related(*person_name_related("requested_by"))
        .prefetch_related("approvals__approver")
        .order_by("created_at", "pk")
    )


# --- Records ----------------------------------------------------------------------------------


def circular_list(*, status: str | None = None) -> QuerySet[Circular]:
    circulars = Circular.objects.select_related("drafted_by", "published_by").prefetch_related(
        "departments", "penalties__staff"
    )
    return circulars.filter(status=status) if status else circulars


def talk_list(*, staff: Staff | None = None, team: Team | None = None) -> QuerySet[TalkRecord]:
    """INS-4: talks, newest first, optionally of one person or team."""
    talks = TalkRecord.objects.select_related("staff", "team", "conducted_by", "recorded_by", "follow_up_done_by")
    if staff is not None:
        talks = talks.filter(staff=staff)
    if team is not None:
        talks = talks.filter(team=team)
    return talks


def talk_follow_ups_open(*, due_by: datetime.date | None = None) -> QuerySet[TalkRecord]:
    """INS-4: talks whose follow-up is still open (due by ``due_by``, if given)."""
    talks = talk_list().exclude(follow_up="").filter(follow_up_done_at__isnull=True)
    if due_by is not None:
        talks = talks.filter(follow_up_due__lte=due_by)
    return talks.order_by(F("follow_up_due").asc(nulls_last=True), "pk")


def eligibility_revocation_list(*, year: int | None = None) -> QuerySet[EligibilityRevocation]:
    revocations = EligibilityRevocation.objects.select_related("staff", "team", "decided_by", "withdrawn_by")
    revocations = revocations.select_related(*person_name_related("decided_by"))
    return revocations.filter(year=year) if year is not None else revocations


# --- Award eligibility (INS-5, AWD-2) -----------------------------------------------------------


@dataclass(frozen=True)
class EligibilityReason:
    """One thing that removed award eligibility, with a link to it."""

    kind: str  # "violation" or "revocation"
    obj: Penalty | EligibilityRevocation
    url_name: str
    url_kwargs: dict
    label: str

    @property
    def url(self) -> str:
        return links.portal_url(self.url_name, **self.url_kwargs)


@dataclass(frozen=True)
class Eligibility:
    year: int
    reasons: list[EligibilityReason]

    @property
    def eligible(self) -> bool:
        return not self.reasons

    def __bool__(self) -> bool:
        return self.eligible


def _violation_reason(penalty: Penalty) -> EligibilityReason:
    label = _("Violation on %(date)s: %(rule)s") % {"date": penalty.incident_date, "rule": penalty.get_rule_display()}
    return EligibilityReason("violation", penalty, links.PENALTY_DETAIL, {"pk": penalty.pk}, str(label))


def _revocation_reason(revocation: EligibilityRevocation) -> EligibilityReason:
    label = _("Award eligibility removed: %(reason)s") % {"reason": revocation.reason}
    return EligibilityReason("revocation", revocation, links.REVOCATION_DETAIL, {"pk": revocation.pk}, str(label))


def award_eligibility(*, staff: Staff | None = None, team: Team | None = None, year: int) -> Eligibility:
    """Is this person or team eligible for awards in ``year`` (AWD-2), and if not, why?

    A person loses eligibility with any violation that year (PEN-1: a penalty decided by the
    office, not withdrawn, rejected or revoked) and with a loss of eligibility decided under INS-5.
    A team loses it under INS-5. "Year" is the policy's year (see ``rules.year_of``).
    """
    if (staff is None) == (team is None):
        raise ValueError("Pass exactly one of staff or team")
    if staff is not None:
        return award_eligibility_bulk(staff=[staff], year=year)[staff.pk]
    revocations = EligibilityRevocation.objects.effective().filter(team=team, year=year).order_by("decided_at")
    return Eligibility(year=year, reasons=[_revocation_reason(r) for r in revocations])


def award_eligibility_bulk(*, staff: Iterable[Staff], year: int) -> dict[int, Eligibility]:
    """``award_eligibility`` for many people at once, in two queries (for the awards screens)."""
    staff_ids = [member.pk for member in staff]
    reasons: dict[int, list[EligibilityReason]] = defaultdict(list)
    violations = (
        Penalty.objects.violations()
        .filter(staff_id__in=staff_ids, eligibility_year=year)
        .order_by("incident_date", "pk")
    )
    for penalty in violations:
        reasons[penalty.staff_id].append(_violation_reason(penalty))
    revocations = EligibilityRevocation.objects.effective().filter(staff_id__in=staff_ids, year=year)
    for revocation in revocations.order_by("decided_at", "pk"):
        reasons[revocation.staff_id].append(_revocation_reason(revocation))
    return {pk: Eligibility(year=year, reasons=reasons[pk]) for pk in staff_ids}


def leadership_users() -> list:
    """Accounts of the current leadership-group members (ORG-1), for notifications."""
    from tollservice.roster.models import LeadershipMembership

    memberships = LeadershipMembership.objects.current().filter(staff__user__isnull=False, staff__active=True)
    return [m.staff.user for m in memberships.select_related("staff__user")]


def is_leadership_member(user) -> bool:
    return Role.LEADERSHIP in roles_for(user)

"""Reads the penalties screens need that ``penalties.selectors`` does not offer (yet).

Each function composes the domain's selectors and rules; none holds a rule of the plan. They
are listed in the screens' requests to the domain, to move into ``selectors`` if it agrees.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from penalties import rules, selectors
from penalties.models import Circular, LedgerEntry, Penalty, WaiverRequest
from penalties.selectors import Eligibility, LedgerTotals, PenaltyPreview
from tollservice.access.permissions import has_permission
from tollservice.core.errors import DomainError
from tollservice.roster.models import Department, Staff
from tollservice.roster.names import person_name_related

Rule = Penalty.Rule
Status = Penalty.Status

# "Complaint mishandled" as one choice of the proposal form: PEN-4 proposes a pair of penalties.
PROPOSE_HANDLING = "handling"


# --- Scope ------------------------------------------------------------------------------------


def circulars_visible_to(user) -> QuerySet[Circular]:
    """Published circulars are read by everyone with a place in the penalties pages (INS-3:
    announced at the station affairs meeting); drafts only by those who see every penalty."""
    if has_permission(user, "penalties.view_all"):
        return selectors.circular_list()
    if has_permission(user, "penalties.view_own"):
        return selectors.circular_list(status=Circular.Status.PUBLISHED)
    return Circular.objects.none()


def waiver_list() -> QuerySet[WaiverRequest]:
    """Every waiver request, newest first, with what a row shows joined."""
    return (
        WaiverRequest.objects.select_related("penalty__staff", "penalty__department", "requested_by", "rejected_by")
        .select_related(*person_name_related("requested_by"))
        .prefetch_related("approvals__approver")
    )


def waiver_detail(*, pk: int) -> WaiverRequest:
    return waiver_list().get(pk=pk)


# --- Money ------------------------------------------------------------------------------------


def totals_of_penalties(penalties: QuerySet[Penalty]) -> LedgerTotals:
    """The ledger totals of a (filtered) set of penalties, in one query."""
    return selectors.ledger_totals(LedgerEntry.objects.filter(penalty__in=penalties.order_by().values("pk")))


@dataclass(frozen=True)
class YearSummary:
    year: int
    start: datetime.date
    end: datetime.date
    totals: LedgerTotals
    violations: int


def year_summary(*, today: datetime.date | None = None) -> YearSummary:
    """This (policy) year's fines booked and violations counted, for the office's dashboard."""
    today = today or timezone.localdate()
    policy = selectors.policy_in_force()
    year = rules.year_of(today, policy=policy)
    start, end = rules.year_bounds(year, policy=policy)
    totals = selectors.ledger_totals(selectors.ledger_entry_list(start=start, end=end))
    violations = Penalty.objects.violations().filter(eligibility_year=year).count()
    return YearSummary(year=year, start=start, end=end, totals=totals, violations=violations)


# --- Previews ---------------------------------------------------------------------------------


@dataclass
class ProposalPreview:
    """What the rule gives for one person of a proposal, shown before saving."""

    staff: Staff
    rule: str
    preview: PenaltyPreview
    fine_fen: int | None
    provisions_count: int
    eligibility: Eligibility
    errors: list[DomainError] = field(default_factory=list)

    @property
    def rule_label(self) -> str:
        return Rule(self.rule).label


def _one_preview(
    *,
    staff: Staff,
    rule: str,
    incident_date: datetime.date,
    provisions_count: int = 0,
    fine_fen: int | None = None,
    suspension: bool = False,
    dismissal: bool = False,
    exclude: Penalty | None = None,
    fine_field: str = "fine",
) -> ProposalPreview:
    preview = selectors.penalty_preview(
        staff=staff,
        rule=rule,
        incident_date=incident_date,
        provisions_count=provisions_count,
        fine_fen=fine_fen,
        suspension=suspension,
        dismissal=dismissal,
        exclude=exclude,
    )
    errors = []
    if preview.fine_range is not None:
        try:
            rules.check_fine_in_range(fine_fen, preview.fine_range, field=fine_field)
        except DomainError as error:
            errors.append(error)
    elif not provisions_count:
        try:
            rules.pen1_fine_for(provisions_count, preview.policy)
        except DomainError as error:
            errors.append(error)
    return ProposalPreview(
        staff=staff,
        rule=rule,
        preview=preview,
        fine_fen=preview.fine_fen,
        provisions_count=provisions_count,
        eligibility=selectors.award_eligibility(staff=staff, year=preview.year),
        errors=errors,
    )


def proposal_previews(
    *,
    rule: str,
    staff: Staff,
    incident_date: datetime.date,
    provisions_count: int = 0,
    fine_fen: int | None = None,
    suspension: bool = False,
    dismissal: bool = False,
    handler_fine_fen: int | None = None,
    head_fine_fen: int | None = None,
    department: Department | None = None,
) -> list[ProposalPreview]:
    """PEN-1 / PEN-3: one preview; PEN-4: the handler's and the department head's.

    Raises ``DomainError`` where the rule cannot say anything yet (no policy; PEN-4 without a
    department head on the roster). A preview's own errors name the proposal form's field they
    belong to (``fine``, ``handler_fine``, ``head_fine``, ``provisions``).
    """
    if rule != PROPOSE_HANDLING:
        return [
            _one_preview(
                staff=staff,
                rule=rule,
                incident_date=incident_date,
                provisions_count=provisions_count if rule == Rule.SERVICE_CODE else 0,
                fine_fen=fine_fen if rule != Rule.SERVICE_CODE else None,
                suspension=suspension,
                dismissal=dismissal,
            )
        ]
    head = rules.pen4_department_head(department or staff.department)
    if head.pk == staff.pk:  # the service refuses this pair too; say so before saving
        raise DomainError(
            _("The handler heads the department; propose a single penalty for the handler."), field="staff"
        )
    return [
        _one_preview(
            staff=staff,
            rule=Rule.HANDLING_HANDLER,
            incident_date=incident_date,
            fine_fen=handler_fine_fen,
            fine_field="handler_fine",
        ),
        _one_preview(
            staff=head,
            rule=Rule.HANDLING_HEAD,
            incident_date=incident_date,
            fine_fen=head_fine_fen,
            fine_field="head_fine",
        ),
    ]


def decision_preview(penalty: Penalty) -> PenaltyPreview:
    """PEN-2: what deciding this proposal now would do (escalation, leadership approval)."""
    return selectors.penalty_preview(
        staff=penalty.staff,
        rule=penalty.rule,
        incident_date=penalty.incident_date,
        provisions_count=len(penalty.provision_links.all()),
        fine_fen=penalty.fine_fen,
        suspension=penalty.suspension,
        dismissal=penalty.dismissal,
        exclude=penalty,
    )


# --- What the user may do with a penalty now ---------------------------------------------------


@dataclass(frozen=True)
class PenaltyActions:
    """The buttons a penalty's page offers; each service checks again when pressed."""

    decide: bool = False
    withdraw: bool = False
    revoke: bool = False
    approve: bool = False
    collect: bool = False
    request_waiver: bool = False
    reverse: bool = False

    @property
    def any(self) -> bool:
        return any(vars(self).values())


def penalty_actions(user, penalty: Penalty) -> PenaltyActions:
    own = penalty.staff.user_id is not None and penalty.staff.user_id == user.pk
    outstanding = (getattr(penalty, "outstanding_fen", 0) or 0) > 0
    in_force = penalty.status in Penalty.IN_FORCE
    return PenaltyActions(
        decide=not own and penalty.status == Status.PROPOSED and has_permission(user, "penalties.decide"),
        withdraw=not own and penalty.status == Status.PROPOSED and has_permission(user, "penalties.decide"),
        revoke=not own
        and in_force
        and has_permission(user, "penalties.approve" if penalty.status == Status.APPROVED else "penalties.decide"),
        approve=not own and penalty.status == Status.AWAITING_APPROVAL and has_permission(user, "penalties.approve"),
        collect=not own and in_force and outstanding and has_permission(user, "ledger.collect"),
        request_waiver=not own and in_force and outstanding and has_permission(user, "ledger.waive_request"),
        reverse=has_permission(user, "ledger.reverse"),
    )


def reversible_entry_ids(penalty: Penalty) -> set[int]:
    """Entries of a penalty the finance office may still correct (``ledger_entry_reverse``: a
    collection or a waiver not yet reversed), from the prefetched ledger of ``penalty_detail``."""
    entries = list(penalty.ledger_entries.all())
    reversed_ids = {entry.reverses_id for entry in entries if entry.reverses_id}
    correctable = (LedgerEntry.Kind.COLLECTED, LedgerEntry.Kind.WAIVED)
    return {entry.pk for entry in entries if entry.kind in correctable and entry.pk not in reversed_ids}

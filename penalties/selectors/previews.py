"""What the rule gives before anything is saved: the proposal's preview (PEN-1 … PEN-4, AWD-2),
the decision's and the approval's fine (one answer, ``rules.fine_for``), the decision page's
context."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from penalties import rules
from penalties.models import Penalty, PenaltyPolicy
from penalties.selectors.eligibility import Eligibility, award_eligibility
from penalties.selectors.penalties import penalty_duplicates
from penalties.selectors.people import leadership_users_other_than
from penalties.selectors.policy import policy_in_force
from tollservice.core.errors import DomainError
from tollservice.roster.models import Department, Staff

Rule = Penalty.Rule
Status = Penalty.Status


@dataclass(frozen=True)
class PenaltyPreview:
    """What the rule gives for a penalty being entered: shown before saving."""

    policy: PenaltyPolicy
    year: int
    fine_fen: int | None
    fine_range: tuple[int, int] | None  # the range a fine may be chosen in (PEN-2, PEN-3, PEN-4)
    is_repeat: bool  # PEN-2: would be escalated if decided now
    needs_approval: bool
    fine_error: DomainError | None = None  # what the rule says is wrong with the fine


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
    fine_field: str = "fine",
) -> PenaltyPreview:
    """The fine, the year and the path a penalty would take if decided now. Raises nothing for
    incomplete input: ``fine_fen`` is None until the rule can compute it."""
    policy = policy_in_force()
    fine = rules.fine_for(
        rule=rule, policy=policy, provisions_count=provisions_count, chosen_fen=fine_fen, field=fine_field
    )
    is_repeat = rules.pen2_is_repeat(staff=staff, incident_date=incident_date, policy=policy, exclude=exclude)
    return PenaltyPreview(
        policy=policy,
        year=rules.year_of(incident_date, policy=policy),
        fine_fen=fine.fine_fen,
        fine_range=fine.fine_range,
        is_repeat=is_repeat,
        needs_approval=rules.needs_leadership_approval(escalated=is_repeat, suspension=suspension, dismissal=dismissal),
        fine_error=fine.error,
    )


# "Complaint mishandled" as one choice of the proposal form: PEN-4 proposes a pair of penalties.
PROPOSE_HANDLING = "handling"


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
    duplicates: list[Penalty] = field(default_factory=list)

    @property
    def rule_label(self) -> str:
        return Rule(self.rule).label


def _one_preview(
    *,
    staff: Staff,
    rule: str,
    incident_date: datetime.date,
    provision_ids: list[int] = (),
    fine_fen: int | None = None,
    suspension: bool = False,
    dismissal: bool = False,
    fine_field: str = "fine",
) -> ProposalPreview:
    preview = penalty_preview(
        staff=staff,
        rule=rule,
        incident_date=incident_date,
        provisions_count=len(provision_ids),
        fine_fen=fine_fen,
        suspension=suspension,
        dismissal=dismissal,
        fine_field=fine_field,
    )
    return ProposalPreview(
        staff=staff,
        rule=rule,
        preview=preview,
        fine_fen=preview.fine_fen,
        provisions_count=len(provision_ids),
        eligibility=award_eligibility(staff=staff, year=preview.year),
        errors=[preview.fine_error] if preview.fine_error else [],
        duplicates=penalty_duplicates(staff=staff, rule=rule, incident_date=incident_date, provision_ids=provision_ids),
    )


def proposal_previews(
    *,
    rule: str,
    staff: Staff,
    incident_date: datetime.date,
    provision_ids: list[int] = (),
    fine_fen: int | None = None,
    suspension: bool = False,
    dismissal: bool = False,
    handler_fine_fen: int | None = None,
    head_fine_fen: int | None = None,
    department: Department | None = None,
) -> list[ProposalPreview]:
    """PEN-1 / PEN-3: one preview; PEN-4 (``rule=PROPOSE_HANDLING``): the handler's and the
    department head's.

    Raises ``DomainError`` where the rule cannot say anything yet (no policy; PEN-4 without a
    department head on the roster, or with the handler as the head). A preview's own errors name
    the proposal form's field they belong to (``fine``, ``handler_fine``, ``head_fine``,
    ``provisions``).
    """
    if rule != PROPOSE_HANDLING:
        service_code = rule == Rule.SERVICE_CODE
        return [
            _one_preview(
                staff=staff,
                rule=rule,
                incident_date=incident_date,
                provision_ids=list(provision_ids) if service_code else [],
                fine_fen=None if service_code else fine_fen,
                suspension=suspension,
                dismissal=dismissal,
            )
        ]
    head = rules.pen4_pair(handler=staff, department=department)
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


# --- Deciding and approving ------------------------------------------------------------------------


def approval_fine(penalty: Penalty, *, chosen_fen: int | None = None, policy=None) -> rules.Fine:
    """The fine the leadership group may set when it approves ``penalty`` (default: the office's),
    under the policy the office decided it by: PEN-2 for a repeat violation, PEN-3 otherwise."""
    return rules.fine_for(
        rule=penalty.rule,
        policy=policy or penalty.policy,
        provisions_count=len(penalty.provision_links.all()),
        chosen_fen=penalty.fine_fen if chosen_fen is None else chosen_fen,
        repeat=penalty.escalated,
        violation_fine_fen=penalty.fine_fen,
    )


def decision_fine(penalty: Penalty, *, policy: PenaltyPolicy, chosen_fen: int | None = None) -> rules.Fine:
    """The fine the office's decision sets (PEN-1 computed; PEN-3 / PEN-4 chosen, by default the
    proposal's), under the policy in force at the decision."""
    if chosen_fen is None and penalty.rule != Rule.SERVICE_CODE:
        chosen_fen = penalty.fine_fen
    return rules.fine_for(
        rule=penalty.rule,
        policy=policy,
        provisions_count=len(penalty.provision_links.all()),
        chosen_fen=chosen_fen,
    )


@dataclass(frozen=True)
class DecisionContext:
    """What the office's decision page shows beside the form."""

    preview: PenaltyPreview | None  # None once the proposal is no longer open
    fine_range: tuple[int, int] | None
    suggested_head: Staff | None  # PEN-3: who would be held accountable by default
    # Four eyes: the decision would wait for the leadership group, and no member of it other
    # than the one deciding could give the approval.
    no_other_approver: bool = False


def decision_context(*, user, penalty: Penalty) -> DecisionContext:
    found = rules.pen3_responsible_head(penalty.staff) if penalty.rule == Rule.COMPLAINT else None
    suggested_head = found[0] if found else None
    if penalty.status != Status.PROPOSED:
        return DecisionContext(preview=None, fine_range=None, suggested_head=suggested_head)
    policy = policy_in_force()
    preview = penalty_preview(
        staff=penalty.staff,
        rule=penalty.rule,
        incident_date=penalty.incident_date,
        provisions_count=len(penalty.provision_links.all()),
        fine_fen=None if penalty.rule == Rule.SERVICE_CODE else penalty.fine_fen,
        suspension=penalty.suspension,
        dismissal=penalty.dismissal,
        exclude=penalty,
    )
    no_other_approver = preview.needs_approval and not leadership_users_other_than(
        user_ids=[user.pk], staff_id=penalty.staff_id
    )
    return DecisionContext(
        preview=preview,
        fine_range=decision_fine(penalty, policy=policy).fine_range,
        suggested_head=suggested_head,
        no_other_approver=no_other_approver,
    )

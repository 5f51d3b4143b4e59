"""Everything that writes in the penalties app. Import from here: ``from penalties import services``.

Each service is keyword-only, checks who may do the step (``tollservice.access.permissions``),
validates, writes inside ``transaction.atomic``, records the audit entry, and raises
``DomainError`` with a translatable message when a rule of the plan refuses.
"""

from penalties.services.ledger import (
    fine_collect,
    ledger_entry_reverse,
    ledger_period_close,
    waiver_approve,
    waiver_reject,
    waiver_request,
)
from penalties.services.penalties import (
    penalty_approve,
    penalty_decide,
    penalty_propose,
    penalty_propose_handling_violation,
    penalty_reject,
    penalty_revoke,
    penalty_withdraw,
)
from penalties.services.records import (
    circular_publish,
    circular_update,
    eligibility_revocation_withdraw,
    eligibility_revoke,
    penalty_policy_change,
    talk_follow_up_complete,
    talk_record,
)

__all__ = [
    "circular_publish",
    "circular_update",
    "eligibility_revocation_withdraw",
    "eligibility_revoke",
    "fine_collect",
    "ledger_entry_reverse",
    "ledger_period_close",
    "penalty_approve",
    "penalty_decide",
    "penalty_policy_change",
    "penalty_propose",
    "penalty_propose_handling_violation",
    "penalty_reject",
    "penalty_revoke",
    "penalty_withdraw",
    "talk_follow_up_complete",
    "talk_record",
    "waiver_approve",
    "waiver_reject",
    "waiver_request",
]

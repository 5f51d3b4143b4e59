"""Penalties, the fine ledger and the records that go with them (PEN-1 … PEN-5, INS-4, INS-5).

Write through ``penalties.services``, read through ``penalties.selectors``.
"""

from penalties.models.ledger import (
    LedgerEntry,
    LedgerMonthTotal,
    LedgerPeriodClose,
    LedgerStaffMonthTotal,
    OutstandingTotal,
    WaiverApproval,
    WaiverRequest,
)
from penalties.models.penalty import (
    Penalty,
    PenaltyEvent,
    PenaltyProhibition,
    PenaltyProvision,
)
from penalties.models.policy import PenaltyPolicy
from penalties.models.records import AccountabilityRecord, Circular, EligibilityRevocation, TalkRecord

__all__ = [
    "AccountabilityRecord",
    "Circular",
    "EligibilityRevocation",
    "LedgerEntry",
    "LedgerMonthTotal",
    "LedgerPeriodClose",
    "LedgerStaffMonthTotal",
    "OutstandingTotal",
    "Penalty",
    "PenaltyEvent",
    "PenaltyPolicy",
    "PenaltyProhibition",
    "PenaltyProvision",
    "TalkRecord",
    "WaiverApproval",
    "WaiverRequest",
]

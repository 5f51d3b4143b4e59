"""The inspections module's models. Import from here: ``from inspections.models import Inspection``."""

from inspections.models.catalog import ChecklistItem, ChecklistVersion
from inspections.models.inspection import (
    Amendment,
    CovertRead,
    Deduction,
    Evidence,
    FindingRecheck,
    Inspection,
    ItemResult,
)
from inspections.models.outcomes import (
    FindingOutcome,
    OverdueProposal,
    RectificationEvent,
    RectificationOrder,
    VetoConsequence,
)
from inspections.models.standard import Prohibition, ServiceCategory, ServiceProvision
from inspections.models.supervision import (
    Appeal,
    InspectionSettings,
    MeetingCircular,
    SupervisorReport,
    SupervisorTeamEvaluation,
)

__all__ = [
    "Amendment",
    "Appeal",
    "ChecklistItem",
    "ChecklistVersion",
    "CovertRead",
    "Deduction",
    "Evidence",
    "FindingOutcome",
    "FindingRecheck",
    "Inspection",
    "InspectionSettings",
    "ItemResult",
    "MeetingCircular",
    "OverdueProposal",
    "Prohibition",
    "RectificationEvent",
    "RectificationOrder",
    "ServiceCategory",
    "ServiceProvision",
    "SupervisorReport",
    "SupervisorTeamEvaluation",
    "VetoConsequence",
]

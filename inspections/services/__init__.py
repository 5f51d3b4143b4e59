"""Everything that writes in the inspections app. Import from here: ``from inspections import services``.

Each service is keyword-only, checks who may do the step (``inspections.permissions``), validates,
writes inside ``transaction.atomic``, records the audit entry and raises ``DomainError`` with a
translatable message when a rule of the plan refuses. Scores come from ``inspections.rules.score``.
"""

from inspections.secrecy import covert_read_record, covert_reads_record
from inspections.services.amendments import finding_recheck_record, inspection_close, inspection_correct
from inspections.services.catalog import (
    checklist_item_remove,
    checklist_item_save,
    checklist_version_draft,
    checklist_version_publish,
    checklist_version_update,
    inspection_settings_change,
)
from inspections.services.circulars import meeting_circular_draft, meeting_circular_publish, meeting_circular_update
from inspections.services.evidence import evidence_cctv_add, evidence_photo_add, evidence_remove_from_draft
from inspections.services.inspections import (
    ResultInput,
    checklist_in_force,
    inspection_file,
    inspection_live_score,
    inspection_results_save,
    inspection_start,
    inspection_update,
)
from inspections.services.outcomes import (
    finding_penalty_propose,
    finding_suggest,
    overdue_proposal_resolve,
    overdue_proposals_refresh,
    rectification_answer,
    rectification_cancel,
    rectification_deadline_change,
    rectification_order_issue,
    rectification_return,
    rectification_verify,
)
from inspections.services.review import inspection_publish, inspection_return, inspection_void
from inspections.services.supervision import (
    appeal_decide,
    appeal_lodge,
    supervisor_report_decide,
    supervisor_report_penalty_propose,
    supervisor_report_submit,
)

__all__ = [
    "ResultInput",
    "appeal_decide",
    "appeal_lodge",
    "checklist_in_force",
    "checklist_item_remove",
    "checklist_item_save",
    "checklist_version_draft",
    "checklist_version_publish",
    "checklist_version_update",
    "covert_read_record",
    "covert_reads_record",
    "evidence_cctv_add",
    "evidence_photo_add",
    "evidence_remove_from_draft",
    "finding_penalty_propose",
    "finding_recheck_record",
    "finding_suggest",
    "inspection_close",
    "inspection_correct",
    "inspection_file",
    "inspection_live_score",
    "inspection_publish",
    "inspection_results_save",
    "inspection_return",
    "inspection_settings_change",
    "inspection_start",
    "inspection_update",
    "inspection_void",
    "meeting_circular_draft",
    "meeting_circular_publish",
    "meeting_circular_update",
    "overdue_proposal_resolve",
    "overdue_proposals_refresh",
    "rectification_answer",
    "rectification_cancel",
    "rectification_deadline_change",
    "rectification_order_issue",
    "rectification_return",
    "rectification_verify",
    "supervisor_report_decide",
    "supervisor_report_penalty_propose",
    "supervisor_report_submit",
]

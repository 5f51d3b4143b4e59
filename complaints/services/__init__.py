"""Everything that changes a complaint (CMP-1 … CMP-10, PEN-3, PEN-4). Views and tasks call these
functions, never the models: each checks who may, validates, writes in one transaction, records
the timeline and the audit trail, and queues email after commit."""

from complaints.services.answer import complaint_answer, complaint_work_order_report, complaint_work_order_return
from complaints.services.configuration import (
    complaint_settings_update,
    department_method_set,
    urgency_limit_update,
)
from complaints.services.driver import complaint_driver_add_information, complaint_driver_rate
from complaints.services.duplicates import (
    complaint_change_primary,
    complaint_link_duplicate,
    complaint_unlink_duplicate,
)
from complaints.services.followup import (
    complaint_close,
    complaint_rate_by_driver,
    complaint_return_visit_record,
    complaint_review_decide,
)
from complaints.services.handling import (
    complaint_apology_record,
    complaint_contact_record,
    complaint_extension_decide,
    complaint_extension_request,
    complaint_investigation_start,
    complaint_pause,
    complaint_resume,
    complaint_statement_record,
    complaint_verdict_record,
)
from complaints.services.intake import (
    Registration,
    complaint_access_code_reissue,
    complaint_register,
    complaint_submit_online,
    complaint_take_up,
    complaint_void,
)
from complaints.services.ownership import complaint_escalate, complaint_hand_over, complaint_subjects_set
from complaints.services.privacy import complaint_contact_reveal, complaints_anonymise_expired
from complaints.services.sanctions import complaint_handling_violation_propose, complaint_penalty_propose

__all__ = [
    "Registration",
    "complaint_access_code_reissue",
    "complaint_answer",
    "complaint_apology_record",
    "complaint_change_primary",
    "complaint_close",
    "complaint_contact_record",
    "complaint_contact_reveal",
    "complaint_driver_add_information",
    "complaint_driver_rate",
    "complaint_escalate",
    "complaint_extension_decide",
    "complaint_extension_request",
    "complaint_hand_over",
    "complaint_handling_violation_propose",
    "complaint_investigation_start",
    "complaint_link_duplicate",
    "complaint_pause",
    "complaint_penalty_propose",
    "complaint_rate_by_driver",
    "complaint_register",
    "complaint_resume",
    "complaint_return_visit_record",
    "complaint_review_decide",
    "complaint_settings_update",
    "complaint_statement_record",
    "complaint_subjects_set",
    "complaint_submit_online",
    "complaint_take_up",
    "complaint_unlink_duplicate",
    "complaint_verdict_record",
    "complaint_work_order_report",
    "complaint_work_order_return",
    "complaint_void",
    "complaints_anonymise_expired",
    "department_method_set",
    "urgency_limit_update",
]

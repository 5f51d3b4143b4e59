"""The complaints domain (CMP-1 … CMP-10): see each module's docstring."""

from .complaint import Complaint, ComplaintEvent, ComplaintSubject
from .config import ComplaintSettings, RegistrationCounter, UrgencyLimit
from .correspondence import ComplaintMessage, ComplaintPhoto, DriverEmail, PersonalDataAccess
from .departments import DepartmentComplaintMethod
from .figures import ComplaintMonthCounts
from .followup import ReturnVisit, Review
from .handling import (
    Apology,
    ComplaintPenalty,
    Contact,
    Escalation,
    Extension,
    Handover,
    Pause,
    StaffStatement,
    Verdict,
    VerdictStaff,
    WorkOrderReport,
)

__all__ = [
    "Apology",
    "Complaint",
    "ComplaintEvent",
    "ComplaintMessage",
    "ComplaintMonthCounts",
    "ComplaintPenalty",
    "ComplaintPhoto",
    "ComplaintSettings",
    "ComplaintSubject",
    "Contact",
    "DepartmentComplaintMethod",
    "DriverEmail",
    "Escalation",
    "Extension",
    "Handover",
    "Pause",
    "PersonalDataAccess",
    "RegistrationCounter",
    "ReturnVisit",
    "Review",
    "StaffStatement",
    "UrgencyLimit",
    "Verdict",
    "VerdictStaff",
    "WorkOrderReport",
]

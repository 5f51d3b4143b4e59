"""Queries that read complaints. Every function that lists or opens complaints takes ``user=``
and scopes by ``complaints.access.visible_q``; the driver's look-up takes the tracking number
and access code instead."""

from complaints.selectors.detail import Complainant, ComplaintDetail, capabilities, complaint_detail
from complaints.selectors.driver import (
    DriverMessage,
    DriverView,
    complaint_for_driver,
    complaint_lookup,
    driver_view,
    normalise_number,
)
from complaints.selectors.duplicates import DuplicateCandidate, duplicate_candidates
from complaints.selectors.figures import ComplaintFigures, Rate, complaint_figures, figure_definitions
from complaints.selectors.lists import (
    complaint_ledger,
    complaint_list,
    complaint_queryset,
    complaints_open_for,
    complaints_to_count,
    complaints_waiting_count,
    department_methods,
    extensions_pending,
    penalty_source_complaint,
    published_complaint_methods,
    reviews_pending,
)

__all__ = [
    "Complainant",
    "ComplaintDetail",
    "ComplaintFigures",
    "DriverMessage",
    "DriverView",
    "DuplicateCandidate",
    "Rate",
    "capabilities",
    "complaint_detail",
    "complaint_figures",
    "complaint_for_driver",
    "complaint_ledger",
    "complaint_list",
    "complaints_to_count",
    "complaint_lookup",
    "complaint_queryset",
    "complaints_open_for",
    "complaints_waiting_count",
    "department_methods",
    "driver_view",
    "duplicate_candidates",
    "extensions_pending",
    "figure_definitions",
    "normalise_number",
    "penalty_source_complaint",
    "published_complaint_methods",
    "reviews_pending",
]

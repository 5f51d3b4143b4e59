"""The admin reads complaints; it never writes them (every change goes through
``complaints.services``). The driver's personal data is left out: the system administrator
sees the ledger, not the people in it."""

from django.contrib import admin

from complaints.models import (
    Complaint,
    ComplaintEvent,
    ComplaintSettings,
    DepartmentComplaintMethod,
    RegistrationCounter,
    UrgencyLimit,
)
from tollservice.core.admin import ReadOnlyAdmin, ReadOnlyInline


class ComplaintEventInline(ReadOnlyInline):
    model = ComplaintEvent
    fields = ["at", "kind", "actor", "note"]


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    list_display = ["number", "channel", "category", "urgency", "status", "accepted_at", "voided_at"]
    list_filter = ["status", "channel", "category", "urgency"]
    search_fields = ["number"]
    fields = [
        "number",
        "channel",
        "category",
        "urgency",
        "status",
        "level",
        "lane",
        "team",
        "incident_at",
        "received_at",
        "accepted_at",
        "first_responder",
        "owner",
        "primary",
        "answer_due",
        "answered_at",
        "closed_at",
        "voided_at",
        "void_reason",
        "anonymised_at",
    ]
    inlines = [ComplaintEventInline]


@admin.register(ComplaintSettings)
class ComplaintSettingsAdmin(ReadOnlyAdmin):
    list_display = ["accept_hours", "return_visit_days", "review_working_days", "retention_days"]


@admin.register(UrgencyLimit)
class UrgencyLimitAdmin(ReadOnlyAdmin):
    list_display = ["urgency", "first_contact_hours", "answer_working_days"]


@admin.register(RegistrationCounter)
class RegistrationCounterAdmin(ReadOnlyAdmin):
    list_display = ["year", "last_number"]


@admin.register(DepartmentComplaintMethod)
class DepartmentComplaintMethodAdmin(ReadOnlyAdmin):
    list_display = ["department", "hotline", "published", "updated_at"]

"""The admin reads penalties and the ledger; it never writes them.

Every change goes through ``penalties.services`` (which checks who may, keeps the ledger
balanced and records the audit trail), so these admin pages have no add, change or delete.
"""

from django.contrib import admin

from penalties.models import (
    AccountabilityRecord,
    Circular,
    EligibilityRevocation,
    LedgerEntry,
    LedgerPeriodClose,
    Penalty,
    PenaltyEvent,
    PenaltyPolicy,
    PenaltyProhibition,
    PenaltyProvision,
    TalkRecord,
    WaiverApproval,
    WaiverRequest,
)
from tollservice.core.admin import ReadOnlyAdmin, ReadOnlyInline


class PenaltyProvisionInline(ReadOnlyInline):
    model = PenaltyProvision
    fields = ["code", "text"]


class PenaltyProhibitionInline(ReadOnlyInline):
    model = PenaltyProhibition
    fields = ["number", "text"]


class PenaltyEventInline(ReadOnlyInline):
    model = PenaltyEvent
    fields = ["at", "kind", "actor", "reasons", "details"]


class LedgerEntryInline(ReadOnlyInline):
    model = LedgerEntry
    fields = ["sequence", "kind", "account", "amount_fen", "booked_on", "receipt_number", "reverses", "recorded_by"]


@admin.register(Penalty)
class PenaltyAdmin(ReadOnlyAdmin):
    list_display = ["pk", "staff", "rule", "status", "incident_date", "eligibility_year", "fine_fen", "escalated"]
    list_filter = ["status", "rule", "source", "escalated", "eligibility_year"]
    search_fields = ["staff__name", "staff__employee_number", "source_reference", "description"]
    list_select_related = ["staff"]
    date_hierarchy = "incident_date"
    inlines = [PenaltyProvisionInline, PenaltyProhibitionInline, PenaltyEventInline, LedgerEntryInline]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = [
        "penalty",
        "sequence",
        "kind",
        "account",
        "amount_fen",
        "booked_on",
        "receipt_number",
        "recorded_by",
    ]
    list_filter = ["kind", "account", "booked_on"]
    search_fields = ["receipt_number", "penalty__staff__name"]
    list_select_related = ["penalty__staff", "recorded_by"]
    date_hierarchy = "booked_on"

    def get_actions(self, request):  # not even the bulk "delete selected"
        return {}


@admin.register(PenaltyPolicy)
class PenaltyPolicyAdmin(ReadOnlyAdmin):
    list_display = [
        "effective_from",
        "base_fine_fen",
        "complaint_fine_min_fen",
        "complaint_fine_max_fen",
        "repeat_fine_max_fen",
        "year_start_month",
        "created_by",
    ]


class WaiverApprovalInline(ReadOnlyInline):
    model = WaiverApproval
    fields = ["approver", "as_leadership", "approved_at", "note"]


@admin.register(WaiverRequest)
class WaiverRequestAdmin(ReadOnlyAdmin):
    list_display = ["penalty", "amount_fen", "status", "requested_by", "created_at"]
    list_filter = ["status"]
    inlines = [WaiverApprovalInline]


@admin.register(Circular)
class CircularAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "status", "published_at"]
    list_filter = ["kind", "status"]


@admin.register(AccountabilityRecord)
class AccountabilityRecordAdmin(ReadOnlyAdmin):
    list_display = ["head", "head_role", "penalty", "created_at"]


@admin.register(TalkRecord)
class TalkRecordAdmin(ReadOnlyAdmin):
    list_display = ["kind", "staff", "team", "held_at", "conducted_by", "follow_up_due", "follow_up_done_at"]
    list_filter = ["kind"]


@admin.register(EligibilityRevocation)
class EligibilityRevocationAdmin(ReadOnlyAdmin):
    list_display = ["staff", "team", "year", "decided_by", "decided_at", "withdrawn_at"]
    list_filter = ["year"]


@admin.register(LedgerPeriodClose)
class LedgerPeriodCloseAdmin(ReadOnlyAdmin):
    list_display = ["month", "assessed_fen", "collected_fen", "waived_fen", "entries_count", "closed_by", "closed_at"]

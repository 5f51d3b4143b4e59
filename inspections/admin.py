"""The standard is the station's data: editable here, never deleted (penalties cite it).
Inspections and everything around them are read only here."""

from django.contrib import admin

from inspections.models import (
    Appeal,
    ChecklistItem,
    ChecklistVersion,
    CovertRead,
    Inspection,
    ItemResult,
    MeetingCircular,
    OverdueProposal,
    Prohibition,
    RectificationOrder,
    ServiceCategory,
    ServiceProvision,
    SupervisorReport,
)


class NoDeleteAdmin(admin.ModelAdmin):
    def has_delete_permission(self, request, obj=None):
        return False  # retire a row with "active" instead


class ServiceProvisionInline(admin.TabularInline):
    model = ServiceProvision
    fields = ["code", "text", "order", "active"]
    extra = 0
    can_delete = False


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(NoDeleteAdmin):
    list_display = ["name", "code", "order", "active"]
    inlines = [ServiceProvisionInline]


@admin.register(ServiceProvision)
class ServiceProvisionAdmin(NoDeleteAdmin):
    list_display = ["code", "text", "category", "active"]
    list_filter = ["category", "active"]
    search_fields = ["code", "text"]
    list_select_related = ["category"]


@admin.register(Prohibition)
class ProhibitionAdmin(NoDeleteAdmin):
    list_display = ["number", "text", "is_default_placeholder", "active"]
    list_filter = ["is_default_placeholder", "active"]


# --- Inspections: read only -----------------------------------------------------------------------
# Every change goes through inspections.services (which checks who may, keeps the scores from
# inspections.rules and records the audit trail, and keeps covert visits secret), so these pages
# have no add, change or delete. The checklist is edited as versions in the portal.


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ChecklistItemInline(ReadOnlyInline):
    model = ChecklistItem
    fields = ["code", "title", "points", "deduction", "cap", "grave_deduction", "is_veto", "is_violation"]


@admin.register(ChecklistVersion)
class ChecklistVersionAdmin(ReadOnlyAdmin):
    list_display = ["effective_from", "status", "is_default", "note"]
    inlines = [ChecklistItemInline]


class ItemResultInline(ReadOnlyInline):
    model = ItemResult
    fields = ["item", "verdict", "occurrences", "grave", "staff", "deduction", "withdrawn"]


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ["pk", "kind", "status", "occurred_at", "team", "score", "vetoed"]
    list_filter = ["kind", "status"]
    list_select_related = ["team"]
    inlines = [ItemResultInline]


@admin.register(RectificationOrder)
class RectificationOrderAdmin(ReadOnlyAdmin):
    list_display = ["pk", "team", "assignee", "deadline", "status"]
    list_filter = ["status"]
    list_select_related = ["team", "assignee"]


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ["pk", "finding", "status", "decided_at"]


@admin.register(SupervisorReport)
class SupervisorReportAdmin(ReadOnlyAdmin):
    list_display = ["pk", "supervisor", "period_start", "period_end", "status", "decision_due"]


@admin.register(MeetingCircular)
class MeetingCircularAdmin(ReadOnlyAdmin):
    list_display = ["title", "period_start", "period_end", "status"]


@admin.register(OverdueProposal)
class OverdueProposalAdmin(ReadOnlyAdmin):
    list_display = ["team", "month", "late_count", "status"]


@admin.register(CovertRead)
class CovertReadAdmin(ReadOnlyAdmin):
    list_display = ["inspection", "user", "read_at", "context"]

"""Admin bases shared by every app: pages that read records and never write them.

Records with rules (penalties, the ledger, reminders) change only through their services, which
check who may, keep the books and record the audit trail; their admin pages only read.
"""

from django.contrib import admin


class NoWrites:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(NoWrites, admin.ModelAdmin):
    pass


class ReadOnlyInline(NoWrites, admin.TabularInline):
    extra = 0
    can_delete = False

"""The admin reads deadlines, reminders and their policies; every change goes through the services
(the office edits the policies on the portal's settings page)."""

from django.contrib import admin

from tollservice.core.admin import ReadOnlyAdmin, ReadOnlyInline
from tollservice.reminders.models import Deadline, Reminder, ReminderPolicy


class ReminderInline(ReadOnlyInline):
    model = Reminder
    fields = ["step", "days", "level", "due_at", "claimed_at", "sent_at", "recipient_count"]
    fields += ["cancelled_at", "cancel_reason"]


@admin.register(Deadline)
class DeadlineAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "due_at", "status", "closed_at"]
    list_filter = ["kind", "status"]
    search_fields = ["title"]
    date_hierarchy = "due_at"
    inlines = [ReminderInline]


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["deadline", "step", "days", "level", "due_at", "sent_at", "recipient_count", "cancelled_at"]
    list_filter = ["step", "cancel_reason"]
    list_select_related = ["deadline"]
    date_hierarchy = "due_at"


@admin.register(ReminderPolicy)
class ReminderPolicyAdmin(ReadOnlyAdmin):
    list_display = [
        "kind",
        "before_days",
        "send_at",
        "overdue_every_days",
        "escalate_after_days",
        "escalate_every_days",
        "escalation_levels",
        "updated_by",
        "updated_at",
    ]

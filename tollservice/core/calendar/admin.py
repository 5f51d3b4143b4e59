"""The calendar is read in the admin; it is edited through its services (audited)."""

from django.contrib import admin

from tollservice.core.admin import ReadOnlyAdmin
from tollservice.core.calendar.models import CalendarDay, CalendarYear


@admin.register(CalendarDay)
class CalendarDayAdmin(ReadOnlyAdmin):
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    date_hierarchy = "date"


@admin.register(CalendarYear)
class CalendarYearAdmin(ReadOnlyAdmin):
    list_display = ["year", "confirmed_at", "confirmed_by", "source"]

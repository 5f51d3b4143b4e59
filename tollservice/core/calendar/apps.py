from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkingCalendarConfig(AppConfig):
    name = "tollservice.core.calendar"
    # Not "calendar": the label names the tables, and Python's own module has that name.
    label = "workcalendar"
    verbose_name = _("Working calendar")

    def ready(self):
        from tollservice.core.calendar.reminders import NEXT_YEAR_KIND
        from tollservice.reminders.registry import register_kind

        register_kind(NEXT_YEAR_KIND)  # the November reminder to enter the coming year

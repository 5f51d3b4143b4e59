from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkingCalendarConfig(AppConfig):
    name = "tollservice.core.calendar"
    # Not "calendar": the label names the tables, and Python's own module has that name.
    label = "workcalendar"
    verbose_name = _("Working calendar")

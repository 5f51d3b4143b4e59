from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints")

    def ready(self):
        from complaints import choosers, panels  # noqa: F401  (register the staff chooser and the dashboard panel)
        from complaints.reminders import KINDS
        from tollservice.reminders.registry import register_kind

        for kind in KINDS:  # the time limits' reminders and escalation
            register_kind(kind)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("Inspections")

    def ready(self):
        from inspections import choosers, panels  # noqa: F401  (registers the staff chooser, the panels)
        from inspections.reminders import KINDS
        from tollservice.reminders.registry import register_kind

        for kind in KINDS:  # rectification orders' deadlines, decisions on supervisors' reports (INS-7)
            register_kind(kind)

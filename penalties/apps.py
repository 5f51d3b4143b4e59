from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PenaltiesConfig(AppConfig):
    name = "penalties"
    verbose_name = _("Penalties")

    def ready(self):
        from penalties import choosers, panels  # noqa: F401  (register the chooser and the dashboard panels)
        from penalties.reminders import TALK_FOLLOW_UP_KIND
        from tollservice.reminders.registry import register_kind

        register_kind(TALK_FOLLOW_UP_KIND)  # INS-4: reminders of a talk's follow-up

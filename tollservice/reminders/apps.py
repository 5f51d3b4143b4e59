from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "tollservice.reminders"
    label = "reminders"
    verbose_name = _("Reminders")

    def ready(self):
        from tollservice.reminders import panels  # noqa: F401  (registers the "my deadlines" panel)

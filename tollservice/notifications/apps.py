from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "tollservice.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        # The services look the email task up by name (no import cycle with the tasks module), so
        # it must be registered in every process that sends, web and worker alike: importing the
        # module registers it.
        from tollservice.notifications import tasks  # noqa: F401

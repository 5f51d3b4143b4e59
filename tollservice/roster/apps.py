from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RosterConfig(AppConfig):
    name = "tollservice.roster"
    label = "roster"
    verbose_name = _("Roster")

    def ready(self):
        from tollservice.roster import choosers, panels  # noqa: F401  (registers the staff chooser, the panels)

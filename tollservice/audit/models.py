"""The audit trail: who changed what, when, with the values before and after."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from tollservice.core.models import user_reference


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Updated")
        DEACTIVATE = "deactivate", _("Deactivated")
        STATE = "state", _("State changed")
        IMPORT = "import", _("Imported")

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = user_reference(_("who"), optional=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=40, db_index=True)
    object_repr = models.CharField(_("object"), max_length=200)
    summary = models.CharField(_("summary"), max_length=200, blank=True)
    # {"field": [before, after], ...}, values recorded as text so the entry reads the same forever,
    # in no particular language: the history puts choices and translated names into its reader's
    # (tollservice.audit.services, audit_tags).
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.object_repr}"

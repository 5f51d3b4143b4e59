from django.contrib.contenttypes.models import ContentType
from django.db import models

from tollservice.audit.models import AuditEntry


def history_for(instance: models.Model):
    """The audit entries of one object, newest first, with their actors in one query."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        object_id=str(instance.pk),
    ).select_related("actor")

from django.contrib.contenttypes.models import ContentType
from django.db import models

from tollservice.audit.models import AuditEntry
from tollservice.roster.names import with_person_names

# How many entries an object's page shows in its history (``templates/audit/history.html``).
HISTORY_LIMIT = 50


def history_for(instance: models.Model):
    """The audit entries of one object, newest first, with their actors and the actors' roster
    entries (``person_name``) in one query."""
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        object_id=str(instance.pk),
    )
    return with_person_names(entries, "actor")


def recent_history(instance: models.Model):
    """The latest ``HISTORY_LIMIT`` entries of ``history_for(instance)``, for a detail page."""
    return history_for(instance)[:HISTORY_LIMIT]

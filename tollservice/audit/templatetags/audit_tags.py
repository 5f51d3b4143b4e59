from django import template
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst

register = template.Library()


@register.filter
def audit_changes(entry) -> list[tuple[str, str, str]]:
    """``(field label, before, after)`` for each value an audit entry changed, labelled in the
    reader's language. The content type comes from Django's cache, so this costs no query."""
    model = ContentType.objects.get_for_id(entry.content_type_id).model_class()
    rows = []
    for name, (before, after) in (entry.changes or {}).items():
        try:
            label = capfirst(model._meta.get_field(name).verbose_name) if model else name
        except FieldDoesNotExist:
            label = name
        rows.append((label, before, after))
    return rows

import datetime
import re

from django import template
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext

from tollservice.core.money import format_yuan

register = template.Library()

# Money is stored in whole fen in fields named ``…_fen`` (``tollservice.core.money``), and an
# entry records the stored number; the reader wants yuan.
MONEY_FIELD_SUFFIX = "_fen"


def _yuan(value) -> str:
    """A recorded amount in fen as ``¥400.00``; anything else (an empty value) as it is."""
    try:
        return f"¥{format_yuan(int(value))}"
    except (TypeError, ValueError):
        return value


def _local_time(value: str) -> str:
    """A recorded moment (``str()`` of an aware datetime, in UTC) as the station's local time."""
    try:
        moment = datetime.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return value
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.strftime("%Y-%m-%d %H:%M")


def _choices(model, field: models.Field | None, name: str):
    """A field's choices; for a plain text field that keeps a code of another model's choices
    (a complaint's latest verdict), the choices the model names in ``audit_choices()``."""
    if field is not None and field.choices:
        return field.flatchoices
    audit_choices = getattr(model, "audit_choices", None)
    return audit_choices().get(name) if audit_choices else None


def _readable(field: models.Field | None, value, choices=None) -> str:
    """A recorded value in the reader's language (see ``tollservice.audit.services``)."""
    if isinstance(value, dict):  # a related object's name in each language
        return value.get(get_language()) or value.get(settings.LANGUAGE_CODE) or next(iter(value.values()), "")
    if choices and value:
        labels = {str(key): label for key, label in choices}
        # Entries written before values were recorded hold the label itself, shown as it is.
        return str(labels.get(value, value))
    if isinstance(field, models.DateTimeField) and value:
        return _local_time(value)
    return value


# A money field's name says "(fen)" for the stored number; the history shows yuan, so the unit goes.
_FEN_UNIT = re.compile(r"\s*[(（](?:fen|分)[)）]\s*$")


def _without_unit(label: str) -> str:
    return _FEN_UNIT.sub("", str(label))


@register.filter
def audit_changes(entry) -> list[tuple[str, str, str]]:
    """``(field label, before, after)`` for each value an audit entry changed, labelled in the
    reader's language. The content type comes from Django's cache, so this costs no query."""
    model = ContentType.objects.get_for_id(entry.content_type_id).model_class()
    rows = []
    for name, (before, after) in (entry.changes or {}).items():
        try:
            field = model._meta.get_field(name) if model else None
        except FieldDoesNotExist:
            field = None
        if field is not None and not hasattr(field, "verbose_name"):  # a reverse relation: its rows' name
            label = capfirst(field.related_model._meta.verbose_name_plural)
            field = None
        else:
            label = capfirst(field.verbose_name) if field is not None else name
        if name.endswith(MONEY_FIELD_SUFFIX):
            rows.append((_without_unit(label), _yuan(before), _yuan(after)))
        else:
            choices = _choices(model, field, name)
            rows.append((label, _readable(field, before, choices), _readable(field, after, choices)))
    return rows


@register.filter
def audit_summary(entry) -> str:
    """The entry's summary in the reader's language. A translatable summary is stored as its
    English source; anything else (Chinese written by an older version, a typed reason) comes
    back from ``gettext`` unchanged."""
    return gettext(entry.summary) if entry.summary else ""

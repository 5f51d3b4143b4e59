"""Recording audit entries. Every service that changes state calls ``audit_record``.

An entry is read by people in either language of the portal, whoever wrote it, so it stores
values that do not depend on the writer's language: a choice's value rather than its label, a
related object's name in every language when its name is translated, a translatable summary's
English source. ``tollservice.audit.templatetags.audit_tags`` puts them into words when the
history is shown.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext

from tollservice.audit.models import AuditEntry
from tollservice.roster.names import person_name


def _in_every_language(obj: models.Model) -> str | dict[str, str]:
    """``str(obj)``, or ``{language: str(obj)}`` when it differs between languages: some names
    hold translated words (a penalty names its rule), and the history reads them in its reader's."""
    texts = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            texts[code] = str(obj)
    distinct = set(texts.values())
    return distinct.pop() if len(distinct) == 1 else texts


def _display(instance: models.Model, field_name: str) -> str | dict[str, str]:
    field = instance._meta.get_field(field_name)
    if getattr(field, "choices", None):
        # The value, not its label: the label is looked up in the reader's language.
        value = getattr(instance, field.attname)
        return "" if value is None else str(value)
    value = getattr(instance, field_name)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, get_user_model()):
        return person_name(value)  # who answered or verified: their roster name, not their login
    if isinstance(value, models.Model):
        return _in_every_language(value)
    return str(value)


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The recordable values of ``fields`` (default: every concrete editable field)."""
    if fields is None:
        fields = [
            f.name
            for f in instance._meta.concrete_fields
            if f.editable and not f.primary_key and f.name not in {"created_at", "updated_at"}
        ]
    return {name: _display(instance, name) for name in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {k: [before.get(k, ""), v] for k, v in after.items() if before.get(k, "") != v}


def _summary_text(summary) -> str:
    """A translatable summary (``gettext_lazy``) is kept as its English source, which the history
    translates for its reader; other text (a reason someone typed, a message with values filled
    in) is kept as it reads. The source is kept only if translating it back gives the same text,
    which a message with a context or a plural would not."""
    text = str(summary)
    if isinstance(summary, Promise):
        with translation.override(None):
            source = str(summary)
        if gettext(source) == text:
            return source
    return text


def audit_record(
    *,
    actor,
    instance: models.Model,
    action: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    summary: str | Promise = "",
) -> AuditEntry:
    """Record one state change. ``before``/``after`` are snapshots; only changed keys are kept."""
    changes = diff(before or {}, after or {}) if after is not None else {}
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        summary=_summary_text(summary)[:200],
        changes=changes,
    )


# --- Audited writes every app's services share ------------------------------------------------


def locked(instance: models.Model) -> Any:
    """A fresh, row-locked copy of ``instance`` (``select_for_update``), to be called inside
    ``transaction.atomic``: a form may have changed the instance it was given, and a concurrent
    writer must queue behind this one."""
    return type(instance)._default_manager.select_for_update().get(pk=instance.pk)


def audited_create(*, actor, model: type[models.Model], summary: str | Promise = "", **values) -> Any:
    """Create a ``model`` row from ``values`` and record its creation in the audit trail."""
    instance = model._default_manager.create(**values)
    audit_record(
        actor=actor, instance=instance, action=AuditEntry.Action.CREATE, after=snapshot(instance), summary=summary
    )
    return instance


def audited_change(
    *,
    actor,
    instance: models.Model,
    action: str = AuditEntry.Action.UPDATE,
    summary: str | Promise = "",
    **values,
) -> bool:
    """Set ``values`` on ``instance`` (locked by the caller) and save it with an audit entry of
    the before and after values, if anything changed; ``False`` when nothing did."""
    before = snapshot(instance)
    for name, value in values.items():
        setattr(instance, name, value)
    after = snapshot(instance)
    if before == after:
        return False
    instance.save()
    audit_record(actor=actor, instance=instance, action=action, before=before, after=after, summary=summary)
    return True

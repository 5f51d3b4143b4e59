"""Recording audit entries. Every service that changes state calls ``audit_record``."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from tollservice.audit.models import AuditEntry


def _display(instance: models.Model, field_name: str) -> str:
    field = instance._meta.get_field(field_name)
    value = getattr(instance, field_name)
    if value is None:
        return ""
    if getattr(field, "choices", None):
        return str(getattr(instance, f"get_{field_name}_display")())
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return str(value)


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, str]:
    """The displayable values of ``fields`` (default: every concrete editable field)."""
    if fields is None:
        fields = [
            f.name
            for f in instance._meta.concrete_fields
            if f.editable and not f.primary_key and f.name not in {"created_at", "updated_at"}
        ]
    return {name: _display(instance, name) for name in fields}


def diff(before: dict[str, str], after: dict[str, str]) -> dict[str, list[str]]:
    return {k: [before.get(k, ""), v] for k, v in after.items() if before.get(k, "") != v}


def audit_record(
    *,
    actor,
    instance: models.Model,
    action: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    summary: str = "",
) -> AuditEntry:
    """Record one state change. ``before``/``after`` are snapshots; only changed keys are kept."""
    changes = diff(before or {}, after or {}) if after is not None else {}
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        summary=str(summary)[:200],
        changes=changes,
    )

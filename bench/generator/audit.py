"""Audit entries as the services write them (``tollservice.audit.services.audit_record``), for
parts that insert rows in bulk: the same action, object, representation, summary and changes."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import models

from tollservice.audit.models import AuditEntry

Action = AuditEntry.Action


def audit_entry(
    model: type[models.Model],
    *,
    object_id: int,
    object_repr: str,
    action: str,
    at: datetime.datetime,
    actor_id: int | None = None,
    summary: str = "",
    changes: dict | None = None,
) -> AuditEntry:
    """One unsaved entry; ``changes`` maps a field to ``[before, after]`` as ``audit.diff`` does."""
    return AuditEntry(
        created_at=at,
        actor_id=actor_id,
        action=action,
        content_type=ContentType.objects.get_for_model(model, for_concrete_model=False),
        object_id=str(object_id),
        object_repr=object_repr[:200],
        summary=summary[:200],
        changes=changes or {},
    )


def created(values: dict) -> dict:
    """The ``changes`` of a creation: every recorded value, from nothing."""
    return {name: ["", value] for name, value in values.items() if value != ""}

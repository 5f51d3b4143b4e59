"""Helpers shared by the roster services: locked reloads and audited create/change."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from tollservice.audit.models import AuditEntry
from tollservice.audit.services import audit_record, snapshot
from tollservice.core.errors import DomainError
from tollservice.roster.models import Staff

Action = AuditEntry.Action


def _locked(instance: models.Model) -> Any:
    """A fresh, row-locked copy: forms may have changed the instance they were given."""
    return type(instance)._default_manager.select_for_update().get(pk=instance.pk)


def _create(*, actor, model: type[models.Model], summary: str = "", **values) -> Any:
    instance = model.objects.create(**values)
    audit_record(actor=actor, instance=instance, action=Action.CREATE, after=snapshot(instance), summary=summary)
    return instance


def _change(*, actor, instance: models.Model, action: str = Action.UPDATE, summary: str = "", **values) -> bool:
    """Set ``values`` on a locked ``instance`` and save it with an audit entry if anything changed."""
    before = snapshot(instance)
    for name, value in values.items():
        setattr(instance, name, value)
    after = snapshot(instance)
    if before == after:
        return False
    instance.save()
    audit_record(actor=actor, instance=instance, action=action, before=before, after=after, summary=summary)
    return True


def _check_active_staff(staff: Staff | None, *, field: str) -> None:
    if staff is not None and not staff.active:
        raise DomainError(
            _("%(name)s has left the station and cannot take up a post."), field=field, params={"name": staff.name}
        )

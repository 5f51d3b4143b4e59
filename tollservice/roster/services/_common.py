"""Checks shared by the roster services (the audited writes are ``tollservice.audit.services``')."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tollservice.audit.models import AuditEntry
from tollservice.core.errors import DomainError
from tollservice.roster.models import Staff

Action = AuditEntry.Action


def _check_active_staff(staff: Staff | None, *, field: str) -> None:
    if staff is not None and not staff.active:
        raise DomainError(
            _("%(name)s has left the station and cannot take up a post."), field=field, params={"name": staff.name}
        )

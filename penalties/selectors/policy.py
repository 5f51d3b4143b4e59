"""The penalty policy in force, its history, and when the station's penalty records begin."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from penalties.models import PenaltyPolicy
from tollservice.access.permissions import has_permission
from tollservice.core.errors import DomainError


def policy_in_force(*, at: datetime.datetime | None = None) -> PenaltyPolicy:
    """The policy version in force at ``at`` (default: now)."""
    at = at or timezone.now()
    policy = PenaltyPolicy.objects.filter(effective_from__lte=at).order_by("-effective_from").first()
    if policy is None:
        raise DomainError(_("No penalty policy is in force; the leadership group must set one first."))
    return policy


def policy_in_force_or_none() -> PenaltyPolicy | None:
    """The policy in force now, or ``None`` before the leadership group has set one."""
    try:
        return policy_in_force()
    except DomainError:
        return None


def policy_history(*, user) -> QuerySet[PenaltyPolicy]:
    """Every policy version, newest first, with who recorded it (for those who see all penalties)."""
    if not has_permission(user, "penalties.view_all"):
        return PenaltyPolicy.objects.none()
    return PenaltyPolicy.objects.select_related("created_by").order_by("-effective_from")


def penalty_records_begin() -> datetime.date | None:
    """The first day a penalty policy was in force: no incident before it falls under the plan."""
    first = PenaltyPolicy.objects.order_by("effective_from").values_list("effective_from", flat=True).first()
    return timezone.localdate(first) if first else None

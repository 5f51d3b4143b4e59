"""Helpers the inspections services share: text checks, locks, notifications, who to tell."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tollservice.core.errors import DomainError
from tollservice.notifications.services import notification_send
from tollservice.roster.models import LeadershipMembership, OfficeMembership, Staff


def require_text(value: str, *, field: str, max_length: int, message=None, required: bool = True) -> str:
    """The text stripped; refused when empty (if required) or longer than ``max_length``."""
    value = (value or "").strip()
    if required and not value:
        raise DomainError(message or _("Give the reasons."), field=field, code="required")
    if len(value) > max_length:
        raise DomainError(
            _("At most %(limit)s characters (this has %(length)s)."),
            field=field,
            code="too_long",
            params={"limit": max_length, "length": len(value)},
        )
    return value


def notify(*, recipients, subject, body="", url: str = "") -> None:
    """In-app now (in the transaction), email after commit; each user once, nobody twice."""
    seen = set()
    for user in recipients:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        notification_send(recipient=user, subject=str(subject), body=str(body), url=url)


def user_of(staff: Staff | None):
    return staff.user if staff is not None and staff.user_id else None


def office_users(*, excluding_team_id: int | None = None) -> list:
    """Accounts of today's group office, less anyone in ``excluding_team_id`` (a covert visit's
    team never hears of it before publication, even through an office seat)."""
    seats = OfficeMembership.objects.current(timezone.localdate()).filter(staff__user__isnull=False)
    if excluding_team_id is not None:
        seats = seats.exclude(staff__team_id=excluding_team_id).exclude(staff__led_teams__id=excluding_team_id)
    ids = seats.values_list("staff__user_id", flat=True)
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def leadership_users() -> list:
    seats = LeadershipMembership.objects.current(timezone.localdate()).filter(staff__user__isnull=False)
    ids = seats.values_list("staff__user_id", flat=True)
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk"))

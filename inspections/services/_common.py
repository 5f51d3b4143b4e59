"""Helpers the inspections services share: who to tell."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone

from tollservice.roster.models import LeadershipMembership, OfficeMembership, Staff


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

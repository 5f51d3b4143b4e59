"""Whom an escalation reaches, read from the roster when it is sent.

``escalate_to_office_then_leadership`` is the plan's usual chain and can be given as a kind's
``escalation_recipients`` as is: level 1 goes to the director of the group office, level 2 and
above to the whole leadership group.
"""

from __future__ import annotations

from django.utils import timezone

from tollservice.roster.models import LeadershipMembership, OfficeMembership


def _accounts(memberships) -> list:
    today = timezone.localdate()
    seats = memberships.current(today).filter(staff__active=True, staff__user__is_active=True)
    return [seat.staff.user for seat in seats.select_related("staff__user").order_by("role", "staff__employee_number")]


def office_director_accounts() -> list:
    """The group office's director today, or, with no director seated, its members."""
    return _accounts(OfficeMembership.objects.filter(role=OfficeMembership.Role.DIRECTOR)) or _accounts(
        OfficeMembership.objects.all()
    )


def leadership_accounts() -> list:
    """Everyone seated in the leadership group today: the leader, the deputies and the members."""
    return _accounts(LeadershipMembership.objects.all())


def escalate_to_office_then_leadership(deadline, step) -> list:
    return office_director_accounts() if step.level <= 1 else leadership_accounts()

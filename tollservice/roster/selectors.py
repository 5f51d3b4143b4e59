"""Queries that read the roster (ORG-1 … ORG-6).

Every list a view shows comes from here, with the joins it needs, so that a page's query
count does not grow with its rows.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from tollservice.roster.models import TEAM_ORDER as TEAM_ORDER
from tollservice.roster.models import (
    Booth,
    Department,
    Lane,
    LeadershipMembership,
    OfficeMembership,
    ShiftLeaderAssignment,
    Staff,
    Station,
    Supervisor,
    Team,
)

# When each shift starts and ends, in local time. A night shift belongs to the date on which it
# ends (00:00–08:00), so every moment of a day falls in exactly one (date, shift).
SHIFT_HOURS: dict[str, tuple[int, int]] = {
    ShiftLeaderAssignment.Shift.NIGHT: (0, 8),
    ShiftLeaderAssignment.Shift.DAY: (8, 16),
    ShiftLeaderAssignment.Shift.MIDDLE: (16, 24),
}


def shift_order(field: str = "shift"):
    """An expression that sorts shifts as a day runs (night, day, middle: ``SHIFT_HOURS``), not by
    their code's letters; ``order_by("date", shift_order())``."""
    whens = [When(**{field: shift}, then=Value(index)) for index, shift in enumerate(SHIFT_HOURS)]
    return Case(*whens, default=Value(len(SHIFT_HOURS)), output_field=IntegerField())


def station_current() -> Station | None:
    """The station the portal serves (the portal serves one station)."""
    return Station.objects.order_by("pk").first()


def station_hotline() -> str:
    """The complaint hotline of the station the portal serves; empty if it has none yet."""
    return Station.objects.order_by("pk").values_list("hotline", flat=True).first() or ""


# Departments and teams (ORG-5) ---------------------------------------------------------------


def department_list() -> QuerySet[Department]:
    return Department.objects.select_related("head").annotate(
        active_staff_count=Count("staff", filter=Q(staff__active=True), distinct=True),
        active_team_count=Count("teams", filter=Q(teams__active=True), distinct=True),
    )


def department_toll_office(*, station: Station | None = None) -> Department | None:
    """The toll-collection office (征费室), which carries the activity out (ORG-5) and seats
    the leadership group's office (ORG-2)."""
    departments = Department.objects.filter(kind=Department.Kind.TOLL_OFFICE, active=True).order_by("pk")
    if station is not None:
        departments = departments.filter(station=station)
    return departments.select_related("head").first()


def team_list() -> QuerySet[Team]:
    return Team.objects.select_related("department", "leader").annotate(
        active_member_count=Count("members", filter=Q(members__active=True))
    )


def team_members(*, team: Team) -> QuerySet[Staff]:
    return team.members.filter(active=True).select_related("user").order_by("employee_number")


def teams_led_by(*, team_ids: Iterable[int]) -> QuerySet[Team]:
    """The teams a team leader leads, each with its active members (for the "my team" panel)."""
    members = Staff.objects.filter(active=True).order_by("employee_number")
    return (
        Team.objects.filter(pk__in=list(team_ids), active=True)
        .order_by(*TEAM_ORDER)
        .select_related("department", "leader")
        .prefetch_related(Prefetch("members", queryset=members, to_attr="active_members"))
    )


def active_departments() -> QuerySet[Department]:
    return Department.objects.filter(active=True)


def active_teams() -> QuerySet[Team]:
    return Team.objects.filter(active=True).select_related("department").order_by(*TEAM_ORDER)


# Lanes and booths --------------------------------------------------------------------------


def lane_list() -> QuerySet[Lane]:
    """Every lane, open ones first, in display order, with its booths."""
    booths = Booth.objects.order_by("number")
    lanes = Lane.objects.prefetch_related(Prefetch("booths", queryset=booths))
    return lanes.order_by("-active", "order", "number", "pk")


def booth_list() -> QuerySet[Booth]:
    return Booth.objects.select_related("lane").order_by("-active", "number")


def active_lanes() -> QuerySet[Lane]:
    return Lane.objects.filter(active=True).order_by("order", "number")


# Staff -------------------------------------------------------------------------------------


def staff_list() -> QuerySet[Staff]:
    return Staff.objects.select_related("department", "team", "user")


def active_staff() -> QuerySet[Staff]:
    return Staff.objects.filter(active=True)


def staff_detail_queryset() -> QuerySet[Staff]:
    return Staff.objects.select_related("department", "team", "team__leader", "user")


def staff_memberships(*, staff: Staff) -> dict[str, list]:
    return {
        "leadership": list(staff.leadership_memberships.order_by("-start_date")),
        "office": list(staff.office_memberships.order_by("-start_date")),
    }


def staff_led_teams(*, staff: Staff) -> QuerySet[Team]:
    return staff.led_teams.order_by(*TEAM_ORDER)


def staff_shift_assignments(*, staff: Staff, since: datetime.date) -> QuerySet[ShiftLeaderAssignment]:
    return staff.shift_leader_assignments.filter(date__gte=since).select_related("team").order_by("date", shift_order())


# Leadership group (ORG-1) and its office (ORG-2) ------------------------------------------------

_ROLE_ORDER = {
    LeadershipMembership.Role.LEADER: 0,
    LeadershipMembership.Role.DEPUTY: 1,
    LeadershipMembership.Role.MEMBER: 2,
    OfficeMembership.Role.DIRECTOR: 0,
}


def _by_role(memberships: Iterable) -> list:
    return sorted(memberships, key=lambda m: (_ROLE_ORDER.get(m.role, 9), m.start_date, m.staff.employee_number))


def leadership_current(*, on: datetime.date | None = None) -> list[LeadershipMembership]:
    """The leadership group as it stood on ``on`` (today by default): leader, deputies, members."""
    seats = LeadershipMembership.objects.current(on).select_related("staff", "staff__department")
    return _by_role(seats)


def leadership_group_users():
    """The active login accounts of today's leadership-group members (ORG-1): whom the roster
    tells about a password reset or a new post with more rights."""
    from django.contrib.auth import get_user_model

    seats = LeadershipMembership.objects.current().filter(staff__active=True)
    return (
        get_user_model()
        .objects.filter(is_active=True, staff_profile__in=seats.values("staff"))
        .select_related("staff_profile")
        .order_by("pk")
    )


def leadership_history() -> QuerySet[LeadershipMembership]:
    return LeadershipMembership.objects.select_related("staff").order_by("-start_date", "role", "pk")


def office_current(*, on: datetime.date | None = None) -> list[OfficeMembership]:
    """The group office as it stood on ``on``: the director (concurrent post) first, then members."""
    seats = OfficeMembership.objects.current(on).select_related("staff", "staff__department")
    return _by_role(seats)


def office_history() -> QuerySet[OfficeMembership]:
    return OfficeMembership.objects.select_related("staff").order_by("-start_date", "role", "pk")


# Supervisors (ORG-6) -----------------------------------------------------------------------


def supervisor_list() -> QuerySet[Supervisor]:
    return Supervisor.objects.select_related("user")


def supervisors_in_term(*, on: datetime.date | None = None) -> QuerySet[Supervisor]:
    on = on or timezone.localdate()
    return Supervisor.objects.filter(
        Q(term_end__isnull=True) | Q(term_end__gte=on), active=True, term_start__lte=on
    ).order_by("name")


# Shift leaders (ORG-5, used to route complaints by CMP-3) ----------------------------------------


def shift_assignments() -> QuerySet[ShiftLeaderAssignment]:
    return ShiftLeaderAssignment.objects.select_related("staff", "team")


def shift_leaders_on(*, date: datetime.date) -> list[ShiftLeaderAssignment]:
    """The shift leaders of one date, in shift order (night, day, middle)."""
    order = list(SHIFT_HOURS)
    return sorted(shift_assignments().filter(date=date), key=lambda a: order.index(a.shift))


# The longest period whose unassigned shifts the shift list spells out (about two months).
SHIFT_GAPS_MAX_DAYS = 62


def shifts_without_leader(
    *, date_from: datetime.date, date_to: datetime.date, shift: str | None = None
) -> list[tuple[datetime.date, str]]:
    """The (date, shift) pairs in [date_from, date_to] that nobody leads yet — complaints about
    them would have no shift leader to go to (CMP-3). One query; empty for a longer period than
    ``SHIFT_GAPS_MAX_DAYS``."""
    days = (date_to - date_from).days + 1
    if not 0 < days <= SHIFT_GAPS_MAX_DAYS:
        return []
    shifts = [shift] if shift else list(SHIFT_HOURS)
    assigned = set(
        ShiftLeaderAssignment.objects.filter(date__range=(date_from, date_to), shift__in=shifts).values_list(
            "date", "shift"
        )
    )
    every = ((date_from + datetime.timedelta(days=offset), name) for offset in range(days) for name in shifts)
    return [pair for pair in every if pair not in assigned]


def shift_at(*, moment: datetime.datetime) -> tuple[datetime.date, str]:
    """The (date, shift) a moment falls in, in the station's local time."""
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    for shift, (start, end) in SHIFT_HOURS.items():
        if start <= local.hour < end:
            return local.date(), shift
    raise AssertionError("SHIFT_HOURS must cover every hour")  # pragma: no cover


def shift_leader_on_duty(*, moment: datetime.datetime) -> ShiftLeaderAssignment | None:
    """Who was shift leader (当班负责人) at ``moment`` — the person a complaint goes to (CMP-3)."""
    date, shift = shift_at(moment=moment)
    return shift_assignments().filter(date=date, shift=shift).first()


# Dashboard -----------------------------------------------------------------------------------


def roster_overview(*, on: datetime.date | None = None) -> dict:
    """Everything the roster panel of the dashboard shows, in a fixed number of queries."""
    on = on or timezone.localdate()
    departments = list(department_list().filter(active=True).order_by("name"))
    teams = list(team_list().filter(active=True).order_by(*TEAM_ORDER))
    return {
        "station": station_current(),
        "departments": departments,
        "teams": teams,
        "staff_total": sum(d.active_staff_count for d in departments),
        "leadership": leadership_current(on=on),
        "office": office_current(on=on),
        "office_seat": next((d for d in departments if d.kind == Department.Kind.TOLL_OFFICE), None),
        "supervisors": list(supervisors_in_term(on=on)),
        "shift_leaders": shift_leaders_on(date=on),
        "today": on,
    }

"""The station, its departments, teams and staff (ORG-5)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext_lazy as _

from tollservice.audit.services import audited_change, audited_create, locked
from tollservice.core.errors import DomainError
from tollservice.roster.models import (
    Department,
    LeadershipMembership,
    OfficeMembership,
    Staff,
    Station,
    Team,
)
from tollservice.roster.services._common import Action, _check_active_staff
from tollservice.roster.services.accounts import _account_disable, _account_email_sync, _account_enable
from tollservice.roster.services.alerts import POST_FINANCE, POST_TEAM_LEADER, role_granted_alert

# Station ------------------------------------------------------------------------------------


def station_create(*, actor, name: str, code: str, address: str = "", hotline: str = "") -> Station:
    if Station.objects.filter(code=code).exists():
        raise DomainError(_("A station with the code “%(code)s” already exists."), field="code", params={"code": code})
    with transaction.atomic():
        return audited_create(actor=actor, model=Station, name=name, code=code, address=address, hotline=hotline)


def station_update(*, actor, station: Station, name: str, address: str, hotline: str) -> Station:
    with transaction.atomic():
        station = locked(station)
        audited_change(actor=actor, instance=station, name=name, address=address, hotline=hotline)
    return station


# Departments (ORG-5) --------------------------------------------------------------------------


def _check_unique_name(model, *, station: Station, name: str, exclude_pk: int | None, message) -> None:
    clash = model.objects.filter(station=station, name=name)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise DomainError(message, field="name", params={"name": name})


def department_create(
    *,
    actor,
    station: Station,
    name: str,
    kind: str = Department.Kind.OTHER,
    head: Staff | None = None,
    hotline: str = "",
) -> Department:
    _check_unique_name(
        Department, station=station, name=name, exclude_pk=None, message=_("A department named “%(name)s” exists.")
    )
    _check_active_staff(head, field="head")
    with transaction.atomic():
        return audited_create(
            actor=actor, model=Department, station=station, name=name, kind=kind, head=head, hotline=hotline
        )


def department_update(
    *,
    actor,
    department: Department,
    name: str,
    kind: str,
    head: Staff | None,
    hotline: str,
    active: bool,
) -> Department:
    """Edit a department. A department with active staff or teams cannot be closed (ORG-5)."""
    with transaction.atomic():
        department = locked(department)
        _check_unique_name(
            Department,
            station=department.station,
            name=name,
            exclude_pk=department.pk,
            message=_("A department named “%(name)s” exists."),
        )
        if head != department.head:
            _check_active_staff(head, field="head")
        closing = department.active and not active
        if closing and (department.staff.filter(active=True).exists() or department.teams.filter(active=True).exists()):
            raise DomainError(
                _("The department still has active staff or teams; move them before closing it."), field="active"
            )
        becomes_finance = kind == Department.Kind.FINANCE and department.kind != Department.Kind.FINANCE
        audited_change(
            actor=actor, instance=department, name=name, kind=kind, head=head, hotline=hotline, active=active
        )
        if becomes_finance:  # everyone in it now holds the finance office's rights
            for member in department.staff.filter(active=True).order_by("employee_number"):
                _finance_post_alert(actor=actor, staff=member, department=department)
    return department


# Teams (ORG-5) -------------------------------------------------------------------------------


def _check_team_leader(*, team: Team | None, leader: Staff | None) -> None:
    if leader is None:
        return
    _check_active_staff(leader, field="leader")
    other = leader.led_teams.filter(active=True)
    if team is not None:
        other = other.exclude(pk=team.pk)
    if (led := other.first()) is not None:
        raise DomainError(
            _("%(name)s already leads %(team)s; a team leader leads one team."),
            field="leader",
            params={"name": leader.name, "team": led.name},
        )


def _check_open_department(department: Department, *, current_id: int | None = None) -> None:
    if not department.active and department.pk != current_id:
        raise DomainError(
            _("The department “%(name)s” is closed."), field="department", params={"name": department.name}
        )


def _finance_post_alert(*, actor, staff: Staff, department: Department) -> None:
    role_granted_alert(actor=actor, staff=staff, post=POST_FINANCE, params={"department": department.name})


def _joins_finance(department: Department, *, before: Department | None = None) -> bool:
    """Whether a staff member placed in ``department`` (from ``before``) gains the finance role."""
    return department.kind == Department.Kind.FINANCE and (before is None or before.kind != Department.Kind.FINANCE)


def _team_leader_alert(*, actor, team: Team) -> None:
    role_granted_alert(actor=actor, staff=team.leader, post=POST_TEAM_LEADER, params={"team": team.name})


def _seat_leader_in_team(*, actor, team: Team) -> None:
    """A team leader (班长) is a member of the team they lead: move them into it if needed."""
    leader = team.leader
    if leader is None or leader.team_id == team.pk:
        return
    leader = locked(leader)
    audited_change(
        actor=actor,
        instance=leader,
        team=team,
        department=team.department,
        summary=_("Joined the team they lead"),
    )


def _next_display_order(station: Station) -> int:
    """A new team goes after the others unless told otherwise (orders step by 10, so that a
    team can later be put between two)."""
    last = Team.objects.filter(station=station).aggregate(last=Max("display_order"))["last"]
    return min((last or 0) + 10, 32767)


def team_create(
    *,
    actor,
    name: str,
    department: Department,
    leader: Staff | None = None,
    active: bool = True,
    display_order: int | None = None,
) -> Team:
    """Create a team (ORG-5); it is listed after the others unless ``display_order`` says otherwise."""
    _check_unique_name(
        Team, station=department.station, name=name, exclude_pk=None, message=_("A team named “%(name)s” exists.")
    )
    _check_open_department(department)
    _check_team_leader(team=None, leader=leader)
    with transaction.atomic():
        team = audited_create(
            actor=actor,
            model=Team,
            station=department.station,
            department=department,
            name=name,
            leader=leader,
            active=active,
            display_order=_next_display_order(department.station) if display_order is None else display_order,
        )
        _seat_leader_in_team(actor=actor, team=team)
        if leader is not None and active:
            _team_leader_alert(actor=actor, team=team)
    return team


def team_update(
    *,
    actor,
    team: Team,
    name: str,
    department: Department,
    leader: Staff | None,
    active: bool,
    display_order: int | None = None,
) -> Team:
    """Edit a team (ORG-5). Its leader joins it, its members follow it to another department,
    and it cannot be disbanded while people other than its leader are in it. ``display_order``
    (where it is listed) stays as it is unless given."""
    with transaction.atomic():
        team = locked(team)
        _check_unique_name(
            Team, station=team.station, name=name, exclude_pk=team.pk, message=_("A team named “%(name)s” exists.")
        )
        _check_open_department(department, current_id=team.department_id)
        new_leader = leader is not None and active and (leader != team.leader or not team.active)
        if leader != team.leader:
            _check_team_leader(team=team, leader=leader)
        members = team.members.filter(active=True)
        # The leader may stay in a disbanded team; everyone else is moved first.
        if not active and team.active and members.exclude(pk=getattr(leader, "pk", None)).exists():
            raise DomainError(_("The team still has active members; move them before disbanding it."), field="active")
        audited_change(
            actor=actor,
            instance=team,
            name=name,
            department=department,
            leader=leader,
            active=active,
            display_order=team.display_order if display_order is None else display_order,
        )
        # A team that moves to another department takes its people with it.
        for member in members.exclude(department=department).select_for_update():
            audited_change(actor=actor, instance=member, summary=_("Moved with the team"), department=department)
        _seat_leader_in_team(actor=actor, team=team)
        if new_leader:
            _team_leader_alert(actor=actor, team=team)
    return team


# Staff ---------------------------------------------------------------------------------------


def _check_staff_fields(
    *, staff: Staff | None, employee_number: str, department: Department, team: Team | None
) -> None:
    clash = Staff.objects.filter(employee_number=employee_number)
    if staff is not None:
        clash = clash.exclude(pk=staff.pk)
    if clash.exists():
        raise DomainError(
            _("The employee number “%(number)s” is already taken."),
            field="employee_number",
            params={"number": employee_number},
        )
    _check_open_department(department, current_id=getattr(staff, "department_id", None))
    if team is None:
        return
    if team.department_id != department.pk:
        raise DomainError(
            _("The team “%(team)s” belongs to %(department)s, not %(chosen)s."),
            field="team",
            params={"team": team.name, "department": team.department.name, "chosen": department.name},
        )
    if not team.active and (staff is None or staff.team_id != team.pk):
        raise DomainError(_("The team “%(team)s” is disbanded."), field="team", params={"team": team.name})


def staff_create(
    *,
    actor,
    employee_number: str,
    name: str,
    department: Department,
    position: str = "",
    team: Team | None = None,
    phone: str = "",
    email: str = "",
    summary: str = "",
) -> Staff:
    _check_staff_fields(staff=None, employee_number=employee_number, department=department, team=team)
    with transaction.atomic():
        staff = audited_create(
            actor=actor,
            model=Staff,
            summary=summary,
            employee_number=employee_number,
            name=name,
            position=position,
            department=department,
            team=team,
            phone=phone,
            email=email,
        )
        if _joins_finance(department):
            _finance_post_alert(actor=actor, staff=staff, department=department)
    return staff


def staff_update(
    *,
    actor,
    staff: Staff,
    employee_number: str,
    name: str,
    position: str,
    department: Department,
    team: Team | None,
    phone: str,
    email: str,
    summary: str = "",
) -> Staff:
    """Edit a staff member's entry. A team leader stays in the team they lead (ORG-5); their
    login account's email address follows the entry's, since notifications are sent there."""
    with transaction.atomic():
        staff = locked(staff)
        _check_staff_fields(staff=staff, employee_number=employee_number, department=department, team=team)
        led = staff.led_teams.filter(active=True).exclude(pk=getattr(team, "pk", None)).first()
        if led is not None:
            raise DomainError(
                _("%(name)s leads %(team)s; choose another team leader before moving them."),
                field="team",
                params={"name": staff.name, "team": led.name},
            )
        values = {
            "employee_number": employee_number,
            "name": name,
            "position": position,
            "department": department,
            "team": team,
            "phone": phone,
            "email": email,
        }
        before_department = staff.department
        audited_change(actor=actor, instance=staff, summary=summary, **values)
        _account_email_sync(actor=actor, person=staff)
        if _joins_finance(department, before=before_department):
            _finance_post_alert(actor=actor, staff=staff, department=department)
    return staff


def staff_deactivate(*, actor, staff: Staff, left_on: datetime.date, summary: str = "") -> Staff:
    """A staff member leaves the station. They are never deleted; instead:

    - the entry becomes inactive with the date they left;
    - their seats in the leadership group and its office end on that date (ORG-1, ORG-2: history kept);
    - they stop leading a team and heading a department (ORG-5);
    - their login account is disabled, so they can no longer sign in.

    Refused while they are shift leader of a later shift: those shifts need a new leader first,
    or complaints would be routed to someone who has gone (CMP-3).
    """
    with transaction.atomic():
        staff = locked(staff)
        if not staff.active:
            raise DomainError(_("%(name)s has already left."), params={"name": staff.name})
        later = staff.shift_leader_assignments.filter(date__gt=left_on).order_by("date").first()
        if later is not None:
            raise DomainError(
                _("%(name)s is shift leader on %(date)s; assign another shift leader first."),
                field="left_on",
                params={"name": staff.name, "date": later.date.isoformat()},
            )
        audited_change(
            actor=actor, instance=staff, action=Action.DEACTIVATE, summary=summary, active=False, left_on=left_on
        )
        for model in (LeadershipMembership, OfficeMembership):
            open_seats = model.objects.filter(staff=staff).filter(Q(end_date__isnull=True) | Q(end_date__gt=left_on))
            for seat in open_seats.select_for_update():
                audited_change(
                    actor=actor,
                    instance=seat,
                    summary=_("Ended because the member left"),
                    end_date=max(left_on, seat.start_date),
                )
        for team in Team.objects.select_for_update().filter(leader=staff):
            audited_change(actor=actor, instance=team, summary=_("The team leader left"), leader=None)
        for department in Department.objects.select_for_update().filter(head=staff):
            audited_change(actor=actor, instance=department, summary=_("The head left"), head=None)
        _account_disable(actor=actor, person=staff)
    return staff


def staff_reactivate(*, actor, staff: Staff, summary: str = "") -> Staff:
    """A staff member who left comes back: the entry and their login account are active again."""
    with transaction.atomic():
        staff = locked(staff)
        if staff.active:
            raise DomainError(_("%(name)s is already active."), params={"name": staff.name})
        audited_change(actor=actor, instance=staff, summary=summary or _("Returned"), active=True, left_on=None)
        _account_enable(actor=actor, person=staff)
        if _joins_finance(staff.department):
            _finance_post_alert(actor=actor, staff=staff, department=staff.department)
    return staff

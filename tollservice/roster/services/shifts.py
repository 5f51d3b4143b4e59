"""Shift leaders (当班负责人) by date and shift (ORG-5); complaints are routed by them (CMP-3)."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from tollservice.audit.services import audited_change, audited_create, locked
from tollservice.core.errors import DomainError
from tollservice.roster.models import (
    ShiftLeaderAssignment,
    Staff,
    Team,
)
from tollservice.roster.services._common import _check_active_staff


def _check_shift(
    *, assignment: ShiftLeaderAssignment | None, date: datetime.date, shift: str, staff: Staff, team: Team | None
) -> None:
    clash = ShiftLeaderAssignment.objects.filter(date=date, shift=shift).select_related("staff")
    if assignment is not None:
        clash = clash.exclude(pk=assignment.pk)
    if (taken := clash.first()) is not None:
        raise DomainError(
            _("%(name)s is already shift leader for the %(shift)s on %(date)s."),
            field="shift",
            params={"name": taken.staff.name, "shift": taken.get_shift_display(), "date": date.isoformat()},
        )
    if assignment is None or assignment.staff_id != staff.pk:
        _check_active_staff(staff, field="staff")
    if team is not None and not team.active and (assignment is None or assignment.team_id != team.pk):
        raise DomainError(_("The team “%(team)s” is disbanded."), field="team", params={"team": team.name})


def shift_leader_assignment_create(
    *, actor, date: datetime.date, shift: str, staff: Staff, team: Team | None = None
) -> ShiftLeaderAssignment:
    """Name the shift leader (当班负责人) of one date and shift (ORG-5); one per date and shift.
    The team on duty defaults to the shift leader's own team."""
    _check_shift(assignment=None, date=date, shift=shift, staff=staff, team=team)
    try:
        with transaction.atomic():
            return audited_create(
                actor=actor, model=ShiftLeaderAssignment, date=date, shift=shift, staff=staff, team=team or staff.team
            )
    except IntegrityError:  # a concurrent request took the shift between the check and the insert
        _check_shift(assignment=None, date=date, shift=shift, staff=staff, team=team)
        raise


def shift_leader_assignment_update(
    *,
    actor,
    assignment: ShiftLeaderAssignment,
    date: datetime.date,
    shift: str,
    staff: Staff,
    team: Team | None,
) -> ShiftLeaderAssignment:
    with transaction.atomic():
        assignment = locked(assignment)
        _check_shift(assignment=assignment, date=date, shift=shift, staff=staff, team=team)
        audited_change(actor=actor, instance=assignment, date=date, shift=shift, staff=staff, team=team or staff.team)
    return assignment

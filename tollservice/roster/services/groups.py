"""The leadership group (ORG-1) and its office (ORG-2): seats with dates, so history is kept."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tollservice.access.roles import forget_roles
from tollservice.audit.services import audited_change, audited_create, locked
from tollservice.core.errors import DomainError
from tollservice.roster.models import (
    LeadershipMembership,
    OfficeMembership,
    Staff,
)
from tollservice.roster.services._common import _check_active_staff
from tollservice.roster.services.alerts import POST_LEADERSHIP, POST_OFFICE, role_granted_alert


def _check_membership_dates(*, start_date: datetime.date, end_date: datetime.date | None) -> None:
    if end_date is not None and end_date < start_date:
        raise DomainError(_("The end date cannot be before the start date."), field="end_date")


def _overlapping(queryset, *, start_date: datetime.date, exclude_pk: int | None = None):
    """Seats that are open on or after ``start_date`` (a new seat starting then would overlap)."""
    qs = queryset.filter(Q(end_date__isnull=True) | Q(end_date__gte=start_date))
    return qs.exclude(pk=exclude_pk) if exclude_pk else qs


def _membership_add(
    *, actor, model, staff: Staff, role: str, start_date: datetime.date, single_roles: set[str], post, **extra
):
    _check_active_staff(staff, field="staff")
    with transaction.atomic():
        # Lock the staff row so two concurrent additions for one person cannot both pass the checks.
        locked(staff)
        if _overlapping(model.objects.filter(staff=staff), start_date=start_date).exists():
            raise DomainError(
                _("%(name)s already holds a seat from that date; end it first."),
                field="staff",
                params={"name": staff.name},
            )
        if role in single_roles:
            holders = _overlapping(model.objects.filter(role=role), start_date=start_date)
            holder = holders.select_related("staff").first()
            if holder is not None:
                raise DomainError(
                    _("%(name)s holds that post from %(start)s; end their seat first."),
                    field="role",
                    params={"name": holder.staff.name, "start": holder.start_date.isoformat()},
                )
        seat = audited_create(actor=actor, model=model, staff=staff, role=role, start_date=start_date, **extra)
        role_granted_alert(actor=actor, staff=staff, post=post, params={"role": model.Role(role).label})
    if staff.user is not None:
        forget_roles(staff.user)
    return seat


def _membership_end(*, actor, membership, end_date: datetime.date):
    with transaction.atomic():
        membership = locked(membership)
        if membership.end_date is not None and membership.end_date <= end_date:
            raise DomainError(
                _("This seat already ended on %(date)s."),
                field="end_date",
                params={"date": membership.end_date.isoformat()},
            )
        _check_membership_dates(start_date=membership.start_date, end_date=end_date)
        audited_change(actor=actor, instance=membership, summary=_("Seat ended"), end_date=end_date)
    return membership


def leadership_membership_add(*, actor, staff: Staff, role: str, start_date: datetime.date) -> LeadershipMembership:
    """Seat a staff member in the leadership group (ORG-1). The group has one leader at a time;
    a person holds one seat at a time. Changing someone's role is ending one seat and adding another,
    so the history of who held which post is kept."""
    return _membership_add(
        actor=actor,
        model=LeadershipMembership,
        staff=staff,
        role=role,
        start_date=start_date,
        single_roles={LeadershipMembership.Role.LEADER},
        post=POST_LEADERSHIP,
    )


def leadership_membership_end(
    *, actor, membership: LeadershipMembership, end_date: datetime.date
) -> LeadershipMembership:
    """End a leadership-group seat (ORG-1); the row stays as history."""
    return _membership_end(actor=actor, membership=membership, end_date=end_date)


def office_membership_add(
    *, actor, staff: Staff, role: str, start_date: datetime.date, concurrent: bool | None = None
) -> OfficeMembership:
    """Seat a staff member in the group office (ORG-2). It has one director at a time, who holds
    the post concurrently (兼) with their main post unless told otherwise."""
    if concurrent is None:
        concurrent = role == OfficeMembership.Role.DIRECTOR
    return _membership_add(
        actor=actor,
        model=OfficeMembership,
        staff=staff,
        role=role,
        start_date=start_date,
        concurrent=concurrent,
        single_roles={OfficeMembership.Role.DIRECTOR},
        post=POST_OFFICE,
    )


def office_membership_end(*, actor, membership: OfficeMembership, end_date: datetime.date) -> OfficeMembership:
    """End a group-office seat (ORG-2); the row stays as history."""
    return _membership_end(actor=actor, membership=membership, end_date=end_date)

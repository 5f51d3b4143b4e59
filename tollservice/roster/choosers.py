"""Choosing staff by typing a name or an employee number (``tollservice.core.choosers``).

``staff_search``, ``staff_exact``, ``staff_label`` and ``staff_detail`` are the one way a member of
staff is searched and named in a chooser; a module whose chooser scopes staff otherwise (the
members of an inspection's team) registers its own chooser with these.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from tollservice.core.choosers import Chooser, register_chooser
from tollservice.roster.models import Staff


def staff_search(queryset: QuerySet[Staff], term: str) -> QuerySet[Staff]:
    """Staff whose name or employee number contains ``term`` (every word of it), by number."""
    for word in term.split():
        queryset = queryset.filter(Q(name__icontains=word) | Q(employee_number__icontains=word))
    return queryset.select_related("team").order_by("employee_number")


def staff_exact(queryset: QuerySet[Staff], text: str) -> QuerySet[Staff]:
    """Staff the text names exactly: by employee number (any word of it) or by full name."""
    words = text.split()
    return queryset.filter(Q(employee_number__in=words) | Q(name=text) | Q(name__in=words)).select_related("team")


def staff_label(staff: Staff) -> str:
    return staff.name


def staff_detail(staff: Staff) -> str:
    return " ".join(filter(None, [staff.employee_number, staff.team.name if staff.team_id else ""]))


def _active_staff(*, user, params) -> QuerySet[Staff]:
    staff = Staff.objects.filter(active=True)
    team = params.get("team")
    if team:
        try:
            staff = staff.filter(team_id=int(team))
        except (TypeError, ValueError):
            raise LookupError(team) from None
    return staff


STAFF = register_chooser(
    Chooser(
        name="staff",
        permission="roster.view",
        queryset=_active_staff,
        search=staff_search,
        exact=staff_exact,
        label=staff_label,
        detail=staff_detail,
    )
)

"""The staff chooser of an inspection's form: the staff member concerned by a finding is chosen
from the inspection's team (its members, its leader, the shift leader on duty), by typing a name
or a number (``tollservice.core.choosers``)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from inspections import permissions
from inspections.models import Inspection
from inspections.selectors.scope import inspections_visible_to
from tollservice.core.choosers import Chooser, register_chooser
from tollservice.roster.choosers import staff_detail, staff_exact, staff_label, staff_search
from tollservice.roster.models import Staff

INSPECTION_STAFF = "inspection-staff"


def team_staff(inspection: Inspection) -> QuerySet[Staff]:
    """Who a finding of ``inspection`` may name: the team's active members, its leader and the shift
    leader on duty at the time, and anyone a result already names (who may have left since)."""
    named = inspection.results.exclude(staff=None).values("staff_id")
    return Staff.objects.filter(
        (Q(active=True) & (Q(team_id=inspection.team_id) | Q(pk__in=[inspection.team_leader_id or 0])))
        | Q(pk=inspection.shift_leader_id or 0)
        | Q(pk__in=named)
    )


def _for_inspection(*, user, params) -> QuerySet[Staff]:
    try:
        pk = int(params.get("inspection", ""))
    except (TypeError, ValueError):
        raise LookupError("inspection") from None
    inspection = inspections_visible_to(user).filter(pk=pk).first()
    if inspection is None or not (
        permissions.can(permissions.check_edit, user, inspection)
        or permissions.can(permissions.check_correct, user, inspection)
    ):
        raise LookupError("inspection")
    return team_staff(inspection)


CHOOSER = register_chooser(
    Chooser(
        name=INSPECTION_STAFF,
        permission="inspections.record",
        queryset=_for_inspection,
        search=staff_search,
        exact=staff_exact,
        label=staff_label,
        detail=staff_detail,
    )
)

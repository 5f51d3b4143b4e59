"""The person a penalties list is filtered by, chosen by typing a name or an employee number
(``tollservice.core.choosers``): anyone on the roster, former staff included (their penalties stay
on record), for those who see every penalty."""

from __future__ import annotations

from django.db.models import QuerySet

from tollservice.core.choosers import Chooser, register_chooser
from tollservice.roster.choosers import staff_detail, staff_exact, staff_label, staff_search
from tollservice.roster.models import Staff

PENALTY_STAFF = "penalty-staff"


def any_staff(*, user=None, params=None) -> QuerySet[Staff]:
    return Staff.objects.all()


CHOOSER = register_chooser(
    Chooser(
        name=PENALTY_STAFF,
        permission="penalties.view_all",
        queryset=any_staff,
        search=staff_search,
        exact=staff_exact,
        label=staff_label,
        detail=staff_detail,
    )
)

"""The staff chooser of the complaint pages (``tollservice.core.choosers``): whoever handles
complaints — a team leader or a collector who owns one, not only the office — names a colleague
(the person complained about, whose account is heard, who apologised, to whom a case is handed
over) by typing a name or an employee number. The roster's own ``staff`` chooser is for those
who see the roster, which team leaders and collectors do not."""

from __future__ import annotations

from django.db.models import QuerySet

from tollservice.core.choosers import Chooser, register_chooser
from tollservice.roster.choosers import staff_detail, staff_exact, staff_label, staff_search
from tollservice.roster.models import Staff

COMPLAINT_STAFF = "complaint-staff"


def active_staff(*, user=None, params=None) -> QuerySet[Staff]:
    return Staff.objects.filter(active=True)


CHOOSER = register_chooser(
    Chooser(
        name=COMPLAINT_STAFF,
        permission="complaints.handle",
        queryset=active_staff,
        search=staff_search,
        exact=staff_exact,
        label=staff_label,
        detail=staff_detail,
    )
)

"""A year's complaint figures per team and per person, for rankings (the awards), and the
complaints behind each figure.

They count as the monthly figures do (``complaint_figures``): complaints accepted in the period,
voided registrations nowhere, "upheld" and "satisfied" as the settings define them
(``rules.upheld_outcomes``, ``rules.satisfied_results``). Upheld complaints are incidents (a
duplicate counts with its primary, CMP-1); a return visit counts per driver (each linked driver
is asked). A team's complaints are those of the team on duty at the incident; a person's upheld
complaints are those whose standing verdict (the latest) finds them at fault, and their
return visits those of the complaints about them.

Like ``inspections.selectors.tallies`` the tallies take no ``user``: a ranking is the same for
every reader, and only counts leave this module. The list behind a figure takes ``user=`` and
scopes like every other list.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import BooleanField, Case, Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When

from complaints import rules
from complaints.models import Complaint, ComplaintSettings, ComplaintSubject, Verdict, VerdictStaff
from complaints.selectors.figures import _period
from complaints.selectors.lists import complaint_queryset


@dataclass(frozen=True)
class ReturnVisitTally:
    """Drivers reached by a return visit, and how many of them were satisfied."""

    visited: int
    satisfied: int


def _latest_verdict() -> Subquery:
    return Subquery(
        Verdict.objects.filter(complaint_id=OuterRef("verdict__complaint_id"))
        .order_by("-recorded_at", "-pk")
        .values("pk")[:1]
    )


def _upheld(settings: ComplaintSettings) -> tuple[str, ...]:
    return rules.upheld_outcomes(partly_counts=settings.partly_upheld_counts)


def upheld_tallies(*, date_from: datetime.date, date_to: datetime.date) -> tuple[dict[int, int], dict[int, int]]:
    """Upheld complaints accepted in the period: ``(by_team, by_staff)`` (two queries and the
    settings)."""
    upheld = _upheld(ComplaintSettings.load())
    incidents = Complaint.objects.incidents().filter(_period(date_from, date_to), verdict_outcome__in=upheld)
    by_team = dict(
        incidents.exclude(team_id=None).order_by().values("team_id").annotate(n=Count("pk")).values_list("team_id", "n")
    )
    at_fault = (
        VerdictStaff.objects.filter(at_fault=True, verdict__complaint__in=incidents)
        .annotate(latest=_latest_verdict())
        .filter(verdict_id=F("latest"))
    )
    by_staff = dict(
        at_fault.order_by()
        .values("staff_id")
        .annotate(n=Count("verdict__complaint_id", distinct=True))
        .values_list("staff_id", "n")
    )
    return by_team, by_staff


def return_visit_tallies(
    *, date_from: datetime.date, date_to: datetime.date
) -> tuple[dict[int, ReturnVisitTally], dict[int, ReturnVisitTally]]:
    """Return visits of the complaints accepted in the period, per team and per person the
    complaint is about: ``(by_team, by_staff)`` (two queries and the settings)."""
    satisfied = rules.satisfied_results(basically_counts=ComplaintSettings.load().basically_satisfied_counts)
    visited = Complaint.objects.live().filter(_period(date_from, date_to), return_visited_at__isnull=False)
    counts = {"visited": Count("pk"), "satisfied": Count("pk", filter=Q(return_visit_result__in=satisfied))}
    by_team = {
        team_id: ReturnVisitTally(n, good)
        for team_id, n, good in visited.exclude(team_id=None)
        .order_by()
        .values("team_id")
        .annotate(**counts)
        .values_list("team_id", "visited", "satisfied")
    }
    subjects = ComplaintSubject.objects.filter(complaint__in=visited)
    by_staff = {
        staff_id: ReturnVisitTally(n, good)
        for staff_id, n, good in subjects.order_by()
        .values("staff_id")
        .annotate(
            visited=Count("complaint_id"),
            satisfied=Count("complaint_id", filter=Q(complaint__return_visit_result__in=satisfied)),
        )
        .values_list("staff_id", "visited", "satisfied")
    }
    return by_team, by_staff


# --- The complaints behind a figure (scoped to the reader) ---------------------------------------------


def complaints_counted_for(
    *,
    user,
    date_from: datetime.date,
    date_to: datetime.date,
    team_id: int | None = None,
    staff_id: int | None = None,
) -> QuerySet[Complaint]:
    """The complaints accepted in the period that a team's (or a person's) figures count, among
    those the user may see: a team's complaints, or those about the person or finding them at
    fault. Each row says whether it counts as upheld (``counts_upheld``) and for whom its return
    visit counts; voided registrations are left out."""
    if (team_id is None) == (staff_id is None):
        raise ValueError("Pass exactly one of team_id or staff_id")
    upheld = _upheld(ComplaintSettings.load())
    complaints = complaint_queryset(user=user).filter(_period(date_from, date_to), voided_at__isnull=True)
    if team_id is not None:
        complaints = complaints.filter(team_id=team_id)
        counts_upheld = Q(primary__isnull=True, verdict_outcome__in=upheld)
    else:
        at_fault = VerdictStaff.objects.filter(at_fault=True, staff_id=staff_id, verdict__complaint_id=OuterRef("pk"))
        at_fault = at_fault.annotate(latest=_latest_verdict()).filter(verdict_id=F("latest"))
        about = ComplaintSubject.objects.filter(staff_id=staff_id, complaint_id=OuterRef("pk"))
        complaints = complaints.annotate(at_fault=Exists(at_fault)).filter(Q(at_fault=True) | Exists(about))
        counts_upheld = Q(primary__isnull=True, verdict_outcome__in=upheld, at_fault=True)
    return complaints.annotate(
        counts_upheld=Case(When(counts_upheld, then=Value(True)), default=Value(False), output_field=BooleanField())
    ).order_by("accepted_at", "pk")

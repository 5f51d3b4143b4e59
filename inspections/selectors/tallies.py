"""A year's figures per team and per person, for rankings (the awards' gold-medal teams and service
stars), and the records behind each figure.

The tallies read every team and person alike, whoever asks, so that a ranking is the same for the
office and for the collector reading their own standing: like ``rating_exclusions`` they take no
``user``, and they count only what anyone may know — inspections in effect (a covert visit once
published), orders and supervisors' evaluations. Whoever shows them decides who sees which row.
The record lists behind a figure take ``user=`` and scope like every other list.

Points are summed as whole hundredths in the database (``PointsField``), so every sum is exact;
an average is left to the caller, who divides the exact sum by the count.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from inspections import rules
from inspections.models import Deduction, Inspection, RectificationOrder, SupervisorTeamEvaluation
from inspections.models.fields import PointsField
from inspections.selectors.scope import findings_visible_to, inspections_visible_to
from tollservice.access.permissions import has_permission

EFFECTIVE = list(Inspection.EFFECTIVE)


@dataclass(frozen=True)
class ScoreTally:
    """A team's inspections in effect in the period and the exact sum of their scores."""

    inspections: int
    score_sum: Decimal


@dataclass(frozen=True)
class OrderTally:
    """Rectification orders due in the period (cancelled ones aside) and how many were late
    (``rules.order_is_late``)."""

    issued: int
    late: int

    @property
    def on_time(self) -> int:
        return self.issued - self.late


@dataclass(frozen=True)
class VetoBreach:
    """A breached veto item: the team and the person are out of the period's rating."""

    subject: str
    team_id: int | None
    staff_id: int | None
    inspection_id: int
    reference: str
    shift_date: datetime.date


def team_score_tallies(*, start: datetime.date, end: datetime.date, kind: str | None = None) -> dict[int, ScoreTally]:
    """Per team: inspections in effect whose shift falls in the period (of one ``kind`` if given)
    and the sum of their scores (one query)."""
    inspections = Inspection.objects.filter(status__in=EFFECTIVE, shift_date__range=(start, end))
    if kind:
        inspections = inspections.filter(kind=kind)
    rows = (
        inspections.order_by()
        .values("team_id")
        .annotate(inspections=Count("pk"), score_sum=Sum("score", output_field=PointsField()))
        .values_list("team_id", "inspections", "score_sum")
    )
    return {team_id: ScoreTally(count, total or Decimal("0.00")) for team_id, count, total in rows}


def deduction_tallies(
    *, start: datetime.date, end: datetime.date, subject: str, kind: str | None = None
) -> dict[int, Decimal]:
    """What each subject (person, team, team leader or shift leader on duty) lost in the period:
    the exact sum of their deduction rows, keyed by staff id (by team id for teams; one query)."""
    rows = Deduction.objects.filter(subject=subject, occurred_on__range=(start, end))
    if kind:
        rows = rows.filter(kind=kind)
    key = "team_id" if subject == Deduction.Subject.TEAM else "staff_id"
    totals = rows.order_by().values(key).annotate(points=Sum("points")).values_list(key, "points")
    return dict(totals)


def order_tallies(
    *, start: datetime.date, end: datetime.date, today: datetime.date | None = None
) -> tuple[dict[int, OrderTally], dict[int, OrderTally]]:
    """Orders due in the period, per team and per person assigned: ``(by_team, by_assignee)``.
    Late as the meeting circular counts it (``rules.order_is_late``), as of ``today`` (one query)."""
    today = today or timezone.localdate()
    rows = (
        RectificationOrder.objects.filter(deadline__range=(start, end))
        .exclude(status=RectificationOrder.Status.CANCELLED)
        .values_list("team_id", "assignee_id", "status", "deadline", "answered_on")
    )
    counts = {"team": defaultdict(lambda: [0, 0]), "assignee": defaultdict(lambda: [0, 0])}
    for team_id, assignee_id, status, deadline, answered_on in rows:
        late = rules.order_is_late(
            deadline=deadline,
            answered_on=answered_on,
            awaiting_answer=status in RectificationOrder.AWAITING_ANSWER,
            today=today,
        )
        for group, key in (("team", team_id), ("assignee", assignee_id)):
            if key is not None:
                counts[group][key][0] += 1
                counts[group][key][1] += int(late)
    by_team = {key: OrderTally(issued, late) for key, (issued, late) in counts["team"].items()}
    by_assignee = {key: OrderTally(issued, late) for key, (issued, late) in counts["assignee"].items()}
    return by_team, by_assignee


def evaluation_tallies(*, start: datetime.date, end: datetime.date) -> dict[int, Counter]:
    """Per team: how many supervisors' evaluations (INS-6) gave each rating, over the reports
    whose period ends in ``start`` … ``end`` (one query)."""
    rows = (
        SupervisorTeamEvaluation.objects.filter(report__period_end__range=(start, end))
        .order_by()
        .values("team_id", "rating")
        .annotate(n=Count("pk"))
        .values_list("team_id", "rating", "n")
    )
    tallies: dict[int, Counter] = defaultdict(Counter)
    for team_id, rating, n in rows:
        tallies[team_id][rating] += n
    return dict(tallies)


def veto_breaches(*, start: datetime.date, end: datetime.date) -> list[VetoBreach]:
    """The breached veto items behind ``rating_exclusions``, with the inspection each was found in
    (for the reasons shown beside an exclusion; one query)."""
    rows = (
        Deduction.objects.filter(vetoed=True, occurred_on__range=(start, end))
        .filter(Q(subject=Deduction.Subject.TEAM) | Q(subject=Deduction.Subject.PERSON))
        .select_related("inspection")
        .order_by("occurred_on", "pk")
    )
    return [
        VetoBreach(
            subject=row.subject,
            team_id=row.team_id,
            staff_id=row.staff_id,
            inspection_id=row.inspection_id,
            reference=row.inspection.reference,
            shift_date=row.occurred_on,
        )
        for row in rows
    ]


# --- The records behind a figure (scoped to the reader) ----------------------------------------------


def person_deductions(
    *, user, start: datetime.date, end: datetime.date, staff_id: int, kind: str | None = None
) -> QuerySet[Deduction]:
    """The deductions a person bore in the period (as the person concerned), each with its
    finding and inspection, among the findings the user may see."""
    rows = Deduction.objects.filter(
        subject=Deduction.Subject.PERSON,
        staff_id=staff_id,
        occurred_on__range=(start, end),
        finding__in=findings_visible_to(user),
    )
    if kind:
        rows = rows.filter(kind=kind)
    return rows.select_related("inspection", "finding", "finding__item").order_by("occurred_on", "pk")


def team_evaluations(*, user, start: datetime.date, end: datetime.date, team_id: int) -> QuerySet:
    """The supervisors' evaluations of a team in reports whose period ends in the period, for
    those who read supervisors' reports (a supervisor: their own)."""
    if not has_permission(user, "supervisor_reports.view"):
        return SupervisorTeamEvaluation.objects.none()
    rows = SupervisorTeamEvaluation.objects.filter(team_id=team_id, report__period_end__range=(start, end))
    if not has_permission(user, "inspections.view_all"):
        rows = rows.filter(report__supervisor__user=user)
    return rows.select_related("report", "report__supervisor").order_by("report__period_end", "pk")


def team_inspections_in_effect(
    *, user, start: datetime.date, end: datetime.date, team_id: int, kind: str | None = None
) -> QuerySet[Inspection]:
    """The inspections in effect behind a team's score tally, among those the user may see."""
    inspections = inspections_visible_to(user).filter(
        team_id=team_id, status__in=EFFECTIVE, shift_date__range=(start, end)
    )
    if kind:
        inspections = inspections.filter(kind=kind)
    return inspections.order_by("shift_date", "pk")

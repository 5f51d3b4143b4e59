"""What the office's dashboard, rankings and the station affairs meeting circular read.

Scores and deductions are summed in the database as whole hundredths of a point (exact on SQLite
and PostgreSQL), over inspections in effect only: a covert visit counts once it is published.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Min, Q, QuerySet, Sum
from django.utils import timezone

from inspections import rules
from inspections.models import (
    Deduction,
    FindingOutcome,
    Inspection,
    InspectionSettings,
    ItemResult,
    MeetingCircular,
    RectificationOrder,
    SupervisorReport,
)
from inspections.models.fields import PointsField
from inspections.selectors.scope import inspections_visible_to
from tollservice.access.permissions import has_permission
from tollservice.core.dates import month_end, month_start
from tollservice.roster.models import Team

EFFECTIVE = list(Inspection.EFFECTIVE)
# Held, whether or not in effect yet: what coverage counts (a void visit or a draft does not).
HELD = [Inspection.Status.SUBMITTED, Inspection.Status.RETURNED, *EFFECTIVE]


# --- Coverage ------------------------------------------------------------------------------------------------


@dataclass
class TeamCoverage:
    team: Team
    inspections: int
    target: int

    @property
    def missed(self) -> bool:
        return rules.coverage_missed(self.inspections, target=self.target)


@dataclass
class Coverage:
    month: datetime.date
    target: int
    min_inspectors: int
    teams: list[TeamCoverage] = field(default_factory=list)
    # Leadership inspections (INS-1) with fewer inspectors than the target.
    short_leadership: list[Inspection] = field(default_factory=list)

    @property
    def missed(self) -> list[Team]:
        return [row.team for row in self.teams if row.missed]

    @property
    def covered_share(self) -> Decimal:
        if not self.teams:
            return Decimal(0)
        return Decimal(sum(1 for row in self.teams if not row.missed)) / Decimal(len(self.teams))


def coverage(*, user, month: datetime.date | None = None) -> Coverage:
    """The office's dashboard: how often each active team was inspected this month against the
    target, the teams missed, and leadership inspections with too few inspectors (4 queries)."""
    month = month_start(month or timezone.localdate())
    config = InspectionSettings.current()
    result = Coverage(
        month=month, target=config.team_inspections_per_month, min_inspectors=config.leadership_min_inspectors
    )
    if not has_permission(user, "inspections.coverage"):
        return result
    held = inspections_visible_to(user).filter(status__in=HELD, shift_date__range=(month, month_end(month)))
    counts = dict(held.order_by().values_list("team_id").annotate(n=Count("pk")).values_list("team_id", "n"))
    teams = Team.objects.filter(active=True).order_by("name")
    result.teams = [TeamCoverage(team=t, inspections=counts.get(t.pk, 0), target=result.target) for t in teams]
    result.short_leadership = list(
        held.filter(kind=Inspection.Kind.LEADERSHIP)
        .annotate(inspector_count=Count("inspectors"))
        .filter(inspector_count__lt=result.min_inspectors)
        .select_related("team")
        .order_by("occurred_at")
    )
    return result


# --- Scores and rankings -------------------------------------------------------------------------------------


def team_scores(*, user, start: datetime.date, end: datetime.date, kind: str | None = None) -> QuerySet:
    """Per team: inspections in effect, average and lowest score, how many failed on a veto item.
    Rankings compare inspections of one kind: pass ``kind``."""
    inspections = inspections_visible_to(user).filter(status__in=EFFECTIVE, shift_date__range=(start, end))
    if kind:
        inspections = inspections.filter(kind=kind)
    return (
        inspections.order_by()
        .values("team_id", "team__name")
        .annotate(
            inspections=Count("pk"),
            average_score=Avg("score", output_field=PointsField()),
            lowest_score=Min("score"),
            vetoed=Count("pk", filter=Q(vetoed=True)),
        )
        .order_by("-average_score", "team__name")
    )


def subject_deductions(
    *, user, start: datetime.date, end: datetime.date, subject: str, kind: str | None = None
) -> QuerySet:
    """What each person (or team, or team leader, or shift leader on duty) lost in the period:
    the sum of their deduction rows (joint liability), findings counted, veto breaches. For
    rankings and awards; the office and the leadership group only."""
    if not has_permission(user, "inspections.view_all"):
        return Deduction.objects.none()
    rows = Deduction.objects.filter(subject=subject, occurred_on__range=(start, end))
    if kind:
        rows = rows.filter(kind=kind)
    key = "team_id" if subject == Deduction.Subject.TEAM else "staff_id"
    return (
        rows.order_by()
        .values(key)
        .annotate(
            points=Sum("points"), findings=Count("finding_id", distinct=True), vetoes=Count("pk", filter=Q(vetoed=True))
        )
        .order_by("-points", key)
    )


def rating_exclusions(*, start: datetime.date, end: datetime.date) -> dict[str, set[int]]:
    """A breached veto item excludes the team and the person from the period's rating."""
    rows = Deduction.objects.filter(vetoed=True, occurred_on__range=(start, end)).values_list(
        "subject", "team_id", "staff_id"
    )
    excluded = {"teams": set(), "staff": set()}
    for subject, team_id, staff_id in rows:
        if subject == Deduction.Subject.TEAM:
            excluded["teams"].add(team_id)
        elif subject == Deduction.Subject.PERSON:
            excluded["staff"].add(staff_id)
    return excluded


# --- The station affairs meeting circular (INS-3) ----------------------------------------------------------------


def _points(value) -> str:
    return "" if value is None else str(Decimal(value).quantize(Decimal("0.01")))


def meeting_circular_content(*, start: datetime.date, end: datetime.date, today: datetime.date | None = None) -> dict:
    """INS-3: what the station affairs meeting hears for the period — inspections held, scores by
    team, problems found, penalties, rectifications on time and overdue, supervisor reports
    handled. Only inspections in effect count, so a covert visit appears once it is published.
    Plain values only (kept as JSON when the circular is published); labels are looked up when
    shown, in the reader's language."""
    today = today or timezone.localdate()
    inspections = Inspection.objects.filter(status__in=EFFECTIVE, shift_date__range=(start, end))
    by_kind = Counter(inspections.values_list("kind", flat=True))
    teams = [
        {
            "team": row["team__name"],
            "inspections": row["inspections"],
            "average_score": _points(row["average_score"]),
            "lowest_score": _points(row["lowest_score"]),
            "vetoed": row["vetoed"],
        }
        for row in inspections.order_by()
        .values("team__name")
        .annotate(
            inspections=Count("pk"),
            average_score=Avg("score", output_field=PointsField()),
            lowest_score=Min("score"),
            vetoed=Count("pk", filter=Q(vetoed=True)),
        )
        .order_by("-average_score", "team__name")
    ]
    findings = (
        ItemResult.objects.findings()
        .filter(inspection__in=inspections)
        .select_related("item", "staff", "inspection", "inspection__team")
        .order_by("inspection__occurred_at", "inspection_id", "position")
    )
    problems = [
        {
            "reference": f.inspection.reference,
            "date": f.inspection.shift_date.isoformat(),
            "kind": f.inspection.kind,
            "team": f.inspection.team.name,
            "item": f"{f.item.code} {f.item.title}",
            "staff": f.staff.name if f.staff_id else "",
            "occurrences": f.occurrences,
            "deduction": _points(f.deduction),
            "note": f.note,
        }
        for f in findings
    ]
    penalty_outcomes = (
        FindingOutcome.objects.filter(kind=FindingOutcome.Kind.PENALTY, finding__inspection__in=inspections)
        .select_related("penalty", "penalty__staff", "finding__item", "finding__inspection")
        .order_by("penalty__incident_date", "pk")
    )
    penalties = [
        {
            "reference": o.finding.inspection.reference,
            "staff": o.penalty.staff.name,
            "item": o.finding.item.title,
            "status": o.penalty.status,
            "fine_fen": o.penalty.fine_fen,
        }
        for o in penalty_outcomes
    ]
    orders = RectificationOrder.objects.filter(deadline__range=(start, end)).exclude(
        status=RectificationOrder.Status.CANCELLED
    )
    order_rows = list(orders.values_list("status", "deadline", "answered_on"))
    late = sum(
        1
        for status, deadline, answered_on in order_rows
        if rules.order_is_late(
            deadline=deadline,
            answered_on=answered_on,
            awaiting_answer=status in RectificationOrder.AWAITING_ANSWER,
            today=today,
        )
    )
    statuses = Counter(status for status, _deadline, _answered in order_rows)
    reports = SupervisorReport.objects.filter(submitted_at__date__range=(start, end))
    report_rows = list(reports.values_list("status", "decision_due", "decided_at"))
    decided = [(due, at) for status, due, at in report_rows if status == SupervisorReport.Status.DECIDED]
    return {
        "period": [start.isoformat(), end.isoformat()],
        "inspections": {"total": sum(by_kind.values()), "by_kind": dict(sorted(by_kind.items()))},
        "teams": teams,
        "problems": problems,
        "penalties": penalties,
        "rectifications": {
            "issued": len(order_rows),
            "verified": statuses.get(RectificationOrder.Status.VERIFIED, 0),
            "open": sum(statuses.get(s, 0) for s in RectificationOrder.OPEN_STATUSES),
            "on_time": len(order_rows) - late,
            "late": late,
        },
        "supervisor_reports": {
            "received": len(report_rows),
            "decided": len(decided),
            "decided_in_time": sum(1 for due, at in decided if timezone.localtime(at).date() <= due),
            "pending": len(report_rows) - len(decided),
        },
    }


def meeting_circular_list(*, user) -> QuerySet[MeetingCircular]:
    """Published circulars for everyone; drafts too for the office."""
    if not has_permission(user, "meeting_circulars.view"):
        return MeetingCircular.objects.none()
    circulars = MeetingCircular.objects.all()
    if not has_permission(user, "meeting_circulars.manage"):
        circulars = circulars.filter(status=MeetingCircular.Status.PUBLISHED)
    return circulars.select_related("created_by", "published_by").order_by("-period_end", "-pk")


def meeting_circular_detail(*, user, pk: int) -> tuple[MeetingCircular, dict]:
    """A circular and its content: frozen once published, computed afresh while a draft."""
    circular = meeting_circular_list(user=user).get(pk=pk)
    if circular.status == MeetingCircular.Status.PUBLISHED:
        return circular, circular.content
    return circular, meeting_circular_content(start=circular.period_start, end=circular.period_end)


def month_bounds(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    return month_start(day), month_end(day)

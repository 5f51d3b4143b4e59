"""The records behind one candidate's figures, so that every number of the ranking can be traced
(AWD-1): the inspections and deductions, the complaints, the rectification orders and the
supervisors' evaluations that each criterion counted — each from its module's selectors, scoped
to the reader, and linked to its own page and to the module's filtered list where they exist."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from awards.links import optional_url
from awards.selectors.ranking import COVERT, Ranking, RankingRow
from complaints.models import ReturnVisit, Verdict
from complaints.selectors import tallies as complaint_tallies
from inspections import rules as inspection_rules
from inspections import selectors as inspection_selectors
from inspections.models import RectificationOrder
from inspections.selectors import tallies as inspection_tallies


@dataclass
class Record:
    """One line behind a figure: when, what, its value, whether it counted against, a link."""

    date: object
    reference: str
    text: str
    value: str = ""
    against: bool = False
    url: str = ""


@dataclass
class Section:
    criteria: tuple[str, ...]
    records: list[Record] = field(default_factory=list)
    list_url: str = ""  # the module's list, filtered to the candidate and the year where it can be


@dataclass
class Breakdown:
    row: RankingRow
    sections: dict[str, Section]


def _dates(ranking: Ranking) -> dict:
    return {"start": ranking.start.isoformat(), "end": ranking.end.isoformat()}


def _inspection_section(user, ranking: Ranking, row: RankingRow) -> Section:
    if ranking.for_teams:
        inspections = inspection_tallies.team_inspections_in_effect(
            user=user, start=ranking.start, end=ranking.end, team_id=row.key
        ).select_related("team")
        records = [
            Record(
                date=inspection.shift_date,
                reference=inspection.reference,
                text=inspection.get_kind_display(),
                value=str(inspection.score),
                against=inspection.kind == COVERT,
                url=optional_url("inspections:inspection_detail", pk=inspection.pk),
            )
            for inspection in inspections
        ]
        list_url = optional_url("inspections:inspection_list", query={"team": row.key, **_dates(ranking)})
    else:
        deductions = inspection_tallies.person_deductions(
            user=user, start=ranking.start, end=ranking.end, staff_id=row.key
        )
        records = [
            Record(
                date=deduction.occurred_on,
                reference=deduction.inspection.reference,
                text=f"{deduction.finding.item.code} {deduction.finding.item.title} · {deduction.get_kind_display()}",
                value=f"-{deduction.points}",
                against=deduction.kind == COVERT,
                url=optional_url("inspections:inspection_detail", pk=deduction.inspection_id),
            )
            for deduction in deductions
        ]
        list_url = ""
    return Section(criteria=("inspection", "covert"), records=records, list_url=list_url)


def _complaint_section(user, ranking: Ranking, row: RankingRow) -> Section:
    scope = {"team_id": row.key} if ranking.for_teams else {"staff_id": row.key}
    complaints = complaint_tallies.complaints_counted_for(
        user=user, date_from=ranking.start, date_to=ranking.end, **scope
    )
    records = []
    for complaint in complaints:
        verdict = Verdict.Outcome(complaint.verdict_outcome).label if complaint.verdict_outcome else ""
        visit = ReturnVisit.Result(complaint.return_visit_result).label if complaint.return_visit_result else ""
        records.append(
            Record(
                date=timezone.localdate(complaint.accepted_at),
                reference=complaint.number,
                text=" · ".join(str(part) for part in (complaint.get_category_display(), verdict, visit) if part),
                against=complaint.counts_upheld,
                url=optional_url("complaints:detail", pk=complaint.pk),
            )
        )
    list_url = optional_url("complaints:list", query={"team": row.key}) if ranking.for_teams else ""
    return Section(criteria=("complaints", "satisfaction"), records=records, list_url=list_url)


def _order_section(user, ranking: Ranking, row: RankingRow) -> Section:
    orders = inspection_selectors.order_list(user=user, start=ranking.start, end=ranking.end)
    orders = orders.filter(team_id=row.key) if ranking.for_teams else orders.filter(assignee_id=row.key)
    today = timezone.localdate()
    records = []
    for order in orders.exclude(status=RectificationOrder.Status.CANCELLED):
        late = inspection_rules.order_is_late(
            deadline=order.deadline,
            answered_on=order.answered_on,
            awaiting_answer=order.status in RectificationOrder.AWAITING_ANSWER,
            today=today,
        )
        records.append(
            Record(
                date=order.deadline,
                reference=order.inspection.reference,
                text=f"{order.instructions[:60]} · {order.get_status_display()}",
                value=order.answered_on.isoformat() if order.answered_on else "",
                against=late,
                url=optional_url("inspections:order_detail", pk=order.pk),
            )
        )
    list_url = ""
    if ranking.for_teams:
        list_url = optional_url("inspections:order_list", query={"team": row.key, **_dates(ranking)})
    return Section(criteria=("rectification",), records=records, list_url=list_url)


def _evaluation_section(user, ranking: Ranking, row: RankingRow) -> Section:
    team_id = row.key if ranking.for_teams else row.subject.team_id
    evaluations = inspection_tallies.team_evaluations(user=user, start=ranking.start, end=ranking.end, team_id=team_id)
    records = [
        Record(
            date=evaluation.report.period_end,
            reference=evaluation.report.supervisor.name,
            text=evaluation.evaluation[:80],
            value=evaluation.get_rating_display(),
            url=optional_url("inspections:report_detail", pk=evaluation.report_id),
        )
        for evaluation in evaluations
    ]
    return Section(criteria=("evaluation",), records=records)


def candidate_breakdown(*, user, ranking: Ranking, key: int) -> Breakdown | None:
    """The records behind candidate ``key``'s figures, those the user may see; ``None`` for a key
    that is not a candidate of the ranking."""
    row = ranking.row_for(key)
    if row is None:
        return None
    sections = {
        "inspection": _inspection_section(user, ranking, row),
        "complaints": _complaint_section(user, ranking, row),
        "rectification": _order_section(user, ranking, row),
        "evaluation": _evaluation_section(user, ranking, row),
    }
    return Breakdown(row=row, sections=sections)

"""A year's ranking of one award's candidates (AWD-1), with who is excluded and why (AWD-2, INS-5).

Computed the same way whoever reads it, from the other modules' selectors only: award eligibility
from ``penalties.selectors`` (violations in the year, losses of eligibility), the veto exclusions
and the inspection figures from ``inspections.selectors`` (``rating_exclusions``, ``tallies``),
the complaint figures from ``complaints.selectors.tallies``. ``awards.rules.rank`` orders them.
A fixed number of queries, whatever the number of candidates.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext, ngettext

from awards import rules
from awards.links import optional_url
from awards.models import AwardKind, Nomination, Selection
from complaints.selectors import tallies as complaint_tallies
from inspections.models import Deduction, Inspection
from inspections.selectors import rating_exclusions
from inspections.selectors import tallies as inspection_tallies
from penalties import selectors as penalty_selectors
from penalties.rules import year_bounds as policy_year_bounds
from tollservice.access.permissions import has_permission
from tollservice.core.text import join_list
from tollservice.roster.models import TEAM_ORDER, Staff, Team

COVERT = Inspection.Kind.SUPERVISOR_COVERT


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """The award year: what the penalty policy counts as a year (AWD-2 reads violations by that
    year), the calendar year while no policy is set."""
    policy = penalty_selectors.policy_in_force_or_none()
    if policy is None:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return policy_year_bounds(year, policy=policy)


@dataclass(frozen=True)
class Reason:
    """Why a candidate is not eligible, with a link to the record for readers who may open it."""

    kind: str  # "violation", "revocation" or "veto"
    label: str
    url: str = ""


class CandidateLine:
    """What a line of a ranking shows however it was read (computed now, or stored): the
    subclass gives ``subject`` and ``nomination``."""

    @property
    def name(self) -> str:
        return self.subject.name

    @property
    def active_nomination(self) -> Nomination | None:
        nomination = self.nomination
        return nomination if nomination is not None and nomination.status in Nomination.ACTIVE else None


class RankingOfSelection:
    """What a ranking says around its lines, computed now or stored: the subclass gives
    ``selection``, ``weights`` (the ones its figures were computed with) and ``taken``."""

    @property
    def year(self) -> int:
        return self.selection.campaign.year

    @property
    def for_teams(self) -> bool:
        return self.selection.for_teams

    @property
    def columns(self) -> list[CriterionColumn]:
        return criterion_columns(self.selection.kind, self.weights)

    @property
    def places_left(self) -> int:
        return max(0, self.selection.places - self.taken)


@dataclass
class RankingRow(CandidateLine):
    ranked: rules.Ranked
    subject: Team | Staff
    reasons: list[Reason] = field(default_factory=list)
    nomination: Nomination | None = None  # the active one (pending or approved), else the latest

    @property
    def key(self) -> int:
        return self.subject.pk

    @property
    def rank(self) -> int | None:
        return self.ranked.rank

    @property
    def score(self) -> Decimal | None:
        return self.ranked.score

    @property
    def eligible(self) -> bool:
        return not self.ranked.candidate.excluded

    @property
    def measures(self) -> list[rules.Measure]:
        return [self.ranked.candidate.measures[key] for key in rules.CRITERIA]

    def figures(self, columns: Sequence[CriterionColumn]) -> list[Figure]:
        return figures_of(columns, dict(self.ranked.candidate.measures), for_team=isinstance(self.subject, Team))


@dataclass(frozen=True)
class CriterionColumn:
    key: str
    label: str
    explanation: str
    weight: int


@dataclass
class Ranking(RankingOfSelection):
    selection: Selection
    start: datetime.date
    end: datetime.date
    rows: list[RankingRow]
    computed_at: datetime.datetime

    @property
    def weights(self) -> dict[str, int]:
        return {key: int(self.selection.weights.get(key, 0)) for key in rules.CRITERIA}

    @property
    def ranked_count(self) -> int:
        return sum(1 for row in self.rows if row.rank is not None)

    @property
    def taken(self) -> int:
        return sum(1 for row in self.rows if row.active_nomination is not None)

    @property
    def considered(self) -> set[int]:
        """Candidates put forward already: pending, approved or rejected (AWD-1's order)."""
        return {
            row.key
            for row in self.rows
            if row.nomination is not None and row.nomination.status != Nomination.Status.WITHDRAWN
        }

    def row_for(self, key: int) -> RankingRow | None:
        return next((row for row in self.rows if row.key == key), None)

    def passed_over(self, key: int) -> list[RankingRow]:
        skipped = {r.candidate.key for r in rules.passed_over(self._ranked, key, considered=self.considered)}
        return [row for row in self.rows if row.key in skipped]

    @property
    def _ranked(self) -> list[rules.Ranked]:
        return [row.ranked for row in self.rows]


def criterion_columns(kind: str, weights: dict[str, int]) -> list[CriterionColumn]:
    """The criteria with their labels, what each counts, and their weights, in the reader's language."""
    ratings = join_list(f"{label} {rules.RATING_POINTS[value]}" for value, label in _rating_labels())
    columns = []
    for key in rules.CRITERIA:
        text = rules.CRITERION_TEXTS[key]
        team = kind == AwardKind.GOLD_TEAM
        explanation = str(text.explanation if team else text.person_explanation)
        explanation = explanation % {"points": rules.UPHELD_COMPLAINT_POINTS, "ratings": ratings}
        label = text.label if team else text.person_label
        columns.append(CriterionColumn(key, str(label), explanation, int(weights.get(key, 0))))
    return columns


@dataclass(frozen=True)
class Figure:
    """One criterion of one candidate as a page shows it: its column (label, weight, what it
    counts), its value, its points, and what it counted in words."""

    column: CriterionColumn
    value: object
    points: object
    text: str


def figures_of(columns: Sequence[CriterionColumn], measures, *, for_team: bool) -> list[Figure]:
    """The figures of a ranking row (``Measure`` objects) or of an award's frozen ones (dicts)."""
    result = []
    for column in columns:
        measure = measures.get(column.key) if isinstance(measures, dict) else None
        if isinstance(measure, rules.Measure):
            value, points, basis = measure.value, measure.points, measure.basis
        else:
            measure = measure or {}
            value, points, basis = measure.get("value"), measure.get("points"), measure.get("basis", {})
        result.append(Figure(column, value, points, measure_text(column.key, basis, for_team=for_team)))
    return result


def measure_text(criterion: str, basis: dict, *, for_team: bool) -> str:
    """What a figure counted, in words: "3 inspections, 291.50 points in all", "2 of 3 on time"…
    (``basis`` as a ``Measure`` keeps it, or as an award's frozen figures do)."""
    if criterion in (rules.INSPECTION, rules.COVERT):
        if for_team:
            if not basis.get("count"):
                return gettext("no inspection in effect")
            return (
                ngettext(
                    "%(count)s inspection, %(total)s points in all",
                    "%(count)s inspections, %(total)s points in all",
                    basis["count"],
                )
                % basis
            )
        return gettext("%(lost)s points lost") % basis
    if criterion == rules.COMPLAINTS:
        return ngettext("%(upheld)s upheld complaint", "%(upheld)s upheld complaints", basis.get("upheld", 0)) % basis
    if criterion == rules.SATISFACTION:
        if not basis.get("denominator"):
            return gettext("no return visit")
        return gettext("%(numerator)s of %(denominator)s drivers satisfied") % basis
    if criterion == rules.RECTIFICATION:
        if not basis.get("denominator"):
            return gettext("no rectification order")
        return gettext("%(numerator)s of %(denominator)s answered on time") % basis
    if not basis:
        return gettext("no evaluation")
    labels = dict(_rating_labels())
    return join_list(f"{labels.get(rating, rating)} {n}" for rating, n in basis.items())


def _rating_labels():
    from inspections.models import SupervisorTeamEvaluation

    return SupervisorTeamEvaluation.Rating.choices


# --- Computing it -----------------------------------------------------------------------------------


def _candidates(selection: Selection) -> list[Team] | list[Staff]:
    if selection.for_teams:
        return list(Team.objects.filter(active=True).order_by(*TEAM_ORDER))
    # Service stars are front-line staff: people in a team.
    return list(
        Staff.objects.filter(active=True, team__isnull=False, team__active=True)
        .select_related("team")
        .order_by(*(f"team__{name}" for name in TEAM_ORDER), "name", "pk")
    )


def _measures_for_teams(teams: Sequence[Team], start, end, today) -> dict[int, dict[str, rules.Measure]]:
    scores = inspection_tallies.team_score_tallies(start=start, end=end)
    covert = inspection_tallies.team_score_tallies(start=start, end=end, kind=COVERT)
    upheld, _upheld_staff = complaint_tallies.upheld_tallies(date_from=start, date_to=end)
    visits, _visits_staff = complaint_tallies.return_visit_tallies(date_from=start, date_to=end)
    orders, _orders_staff = inspection_tallies.order_tallies(start=start, end=end, today=today)
    evaluations = inspection_tallies.evaluation_tallies(start=start, end=end)
    measures = {}
    for team in teams:
        score = scores.get(team.pk, inspection_tallies.ScoreTally(0, Decimal(0)))
        covert_score = covert.get(team.pk, inspection_tallies.ScoreTally(0, Decimal(0)))
        visit = visits.get(team.pk, complaint_tallies.ReturnVisitTally(0, 0))
        order = orders.get(team.pk, inspection_tallies.OrderTally(0, 0))
        measures[team.pk] = {
            rules.INSPECTION: rules.measure_average(rules.INSPECTION, total=score.score_sum, count=score.inspections),
            rules.COVERT: rules.measure_average(
                rules.COVERT, total=covert_score.score_sum, count=covert_score.inspections
            ),
            rules.COMPLAINTS: rules.measure_upheld(rules.COMPLAINTS, upheld=upheld.get(team.pk, 0)),
            rules.SATISFACTION: rules.measure_rate(
                rules.SATISFACTION, numerator=visit.satisfied, denominator=visit.visited
            ),
            rules.RECTIFICATION: rules.measure_rate(
                rules.RECTIFICATION, numerator=order.on_time, denominator=order.issued
            ),
            rules.EVALUATION: rules.measure_ratings(rules.EVALUATION, counts=evaluations.get(team.pk, {})),
        }
    return measures


def _measures_for_staff(people: Sequence[Staff], start, end, today) -> dict[int, dict[str, rules.Measure]]:
    person = Deduction.Subject.PERSON
    lost = inspection_tallies.deduction_tallies(start=start, end=end, subject=person)
    lost_covert = inspection_tallies.deduction_tallies(start=start, end=end, subject=person, kind=COVERT)
    _upheld_teams, upheld = complaint_tallies.upheld_tallies(date_from=start, date_to=end)
    _visits_teams, visits = complaint_tallies.return_visit_tallies(date_from=start, date_to=end)
    _orders_teams, orders = inspection_tallies.order_tallies(start=start, end=end, today=today)
    evaluations = inspection_tallies.evaluation_tallies(start=start, end=end)
    measures = {}
    for member in people:
        visit = visits.get(member.pk, complaint_tallies.ReturnVisitTally(0, 0))
        order = orders.get(member.pk, inspection_tallies.OrderTally(0, 0))
        measures[member.pk] = {
            rules.INSPECTION: rules.measure_deductions(rules.INSPECTION, lost=lost.get(member.pk, Decimal(0))),
            rules.COVERT: rules.measure_deductions(rules.COVERT, lost=lost_covert.get(member.pk, Decimal(0))),
            rules.COMPLAINTS: rules.measure_upheld(rules.COMPLAINTS, upheld=upheld.get(member.pk, 0)),
            rules.SATISFACTION: rules.measure_rate(
                rules.SATISFACTION, numerator=visit.satisfied, denominator=visit.visited
            ),
            rules.RECTIFICATION: rules.measure_rate(
                rules.RECTIFICATION, numerator=order.on_time, denominator=order.issued
            ),
            rules.EVALUATION: rules.measure_ratings(rules.EVALUATION, counts=evaluations.get(member.team_id, {})),
        }
    return measures


def _exclusions(selection: Selection, subjects, year: int, start, end) -> dict[int, list[Reason]]:
    """AWD-2 / INS-5: why each candidate is not eligible — a violation in the year or a loss of
    eligibility (penalties), a breached veto item (inspections) — each with the link to its
    record (``reasons_for`` keeps a link only for readers who may open it)."""
    if selection.for_teams:
        eligibility = penalty_selectors.award_eligibility_teams_bulk(teams=subjects, year=year)
    else:
        eligibility = penalty_selectors.award_eligibility_bulk(staff=subjects, year=year)
    reasons: dict[int, list[Reason]] = {subject.pk: [] for subject in subjects}
    for pk, verdict in eligibility.items():
        for reason in verdict.reasons:
            reasons[pk].append(Reason(reason.kind, reason.label, reason.url))
    excluded = rating_exclusions(start=start, end=end)["teams" if selection.for_teams else "staff"]
    excluded &= set(reasons)
    if excluded:
        subject = Deduction.Subject.TEAM if selection.for_teams else Deduction.Subject.PERSON
        for breach in inspection_tallies.veto_breaches(start=start, end=end):
            pk = breach.team_id if subject == Deduction.Subject.TEAM else breach.staff_id
            if breach.subject != subject or pk not in excluded:
                continue
            label = gettext("Breached a veto item in inspection %(reference)s on %(date)s") % {
                "reference": breach.reference,
                "date": breach.shift_date.isoformat(),
            }
            url = optional_url("inspections:inspection_detail", pk=breach.inspection_id)
            reasons[pk].append(Reason("veto", label, url))
    return reasons


# Who may follow a reason's link: the penalty of a violation, the decision on a loss of
# eligibility, the inspection with the breached veto item.
_REASON_PERMISSIONS = {
    "violation": "penalties.view_own",
    "revocation": "penalties.eligibility",
    "veto": "inspections.view_all",
}


def reasons_for(reasons: Sequence[Reason], user) -> list[Reason]:
    """``reasons`` as ``user`` reads them: the link kept only where they may open the record."""
    allowed: dict[str, bool] = {}
    shown = []
    for reason in reasons:
        permission = _REASON_PERMISSIONS.get(reason.kind, "penalties.eligibility")
        if permission not in allowed:
            allowed[permission] = has_permission(user, permission)
        shown.append(reason if allowed[permission] or not reason.url else Reason(reason.kind, reason.label))
    return shown


def nominations_by_candidate(selection: Selection, keys: Sequence[int] | None = None) -> dict[int, Nomination]:
    """Each candidate's active nomination, or else their latest one (of ``keys`` only, if given)."""
    found: dict[int, Nomination] = {}
    nominations = selection.nominations.select_related("nominated_by", "closed_by").order_by("nominated_at", "pk")
    if keys is not None:
        field = "team_id__in" if selection.for_teams else "staff_id__in"
        nominations = nominations.filter(**{field: list(keys)})
    for nomination in nominations:
        key = nomination.candidate_id
        current = found.get(key)
        if current is None or current.status not in Nomination.ACTIVE:
            found[key] = nomination
    return found


def compute_ranking(*, selection: Selection, user=None, today: datetime.date | None = None) -> Ranking:
    """AWD-1 / AWD-2: the ranking of ``selection``'s candidates in its year, computed from the
    data now (the same for every reader; ``user`` decides only which reasons carry links)."""
    ranking = compute_full_ranking(selection=selection, today=today)
    for row in ranking.rows:
        row.reasons = reasons_for(row.reasons, user)
    return ranking


def compute_full_ranking(*, selection: Selection, today: datetime.date | None = None) -> Ranking:
    """The ranking as ``compute_ranking`` makes it, every reason with its link: what a stored
    ranking keeps (``awards.services.ranking_refresh``), each reader's links chosen on reading."""
    today = today or timezone.localdate()
    year = selection.campaign.year
    start, end = year_bounds(year)
    subjects = _candidates(selection)
    if selection.for_teams:
        measures = _measures_for_teams(subjects, start, end, today)
    else:
        measures = _measures_for_staff(subjects, start, end, today)
    reasons = _exclusions(selection, subjects, year, start, end)
    candidates = [
        rules.Candidate(
            key=subject.pk,
            name=subject.name,
            measures=measures[subject.pk],
            excluded=bool(reasons[subject.pk]),
            order=_order(subject, selection),
        )
        for subject in subjects
    ]
    by_key = {subject.pk: subject for subject in subjects}
    nominations = nominations_by_candidate(selection)
    rows = [
        RankingRow(
            ranked=ranked,
            subject=by_key[ranked.candidate.key],
            reasons=reasons[ranked.candidate.key],
            nomination=nominations.get(ranked.candidate.key),
        )
        for ranked in rules.rank(candidates, selection.weights)
    ]
    return Ranking(selection=selection, start=start, end=end, rows=rows, computed_at=timezone.now())


def _order(subject, selection: Selection) -> tuple:
    if selection.for_teams:
        return (subject.display_order, subject.name)
    return (subject.team.display_order, subject.team.name, subject.name)


def ranking_snapshot(ranking: Ranking, row: RankingRow) -> dict:
    """What an award keeps of the ranking it was decided on: every figure, as text (exact), with
    the weights and the constants of the formula, so the decision never changes afterwards."""
    return {
        "year": ranking.year,
        "kind": ranking.selection.kind,
        "period": [ranking.start.isoformat(), ranking.end.isoformat()],
        "computed_at": ranking.computed_at.isoformat(),
        "name": row.name,
        "team": "" if ranking.for_teams else row.subject.team.name,
        "rank": row.rank,
        "ranked": ranking.ranked_count,
        "composite": None if row.score is None else str(row.score),
        "weight_used": row.ranked.weight_used,
        "weights": ranking.weights,
        "upheld_complaint_points": rules.UPHELD_COMPLAINT_POINTS,
        "rating_points": rules.RATING_POINTS,
        "measures": measures_as_text(row.measures),
    }


def measures_as_text(measures: Sequence[rules.Measure]) -> dict:
    """A row's figures as text (exact): what an award and a stored ranking keep."""
    return {
        measure.criterion: {
            "value": None if measure.value is None else str(measure.value),
            "points": None if measure.points is None else str(measure.points),
            "basis": measure.basis,
        }
        for measure in measures
    }


def measures_from_text(kept: dict) -> list[rules.Measure]:
    """The figures ``measures_as_text`` kept, as ``Measure`` objects in the criteria's order."""
    measures = []
    for key in rules.CRITERIA:
        figure = kept.get(key) or {}
        value, points = figure.get("value"), figure.get("points")
        measures.append(
            rules.Measure(
                key,
                None if value is None else Decimal(value),
                None if points is None else Decimal(points),
                figure.get("basis") or {},
            )
        )
    return measures

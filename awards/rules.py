"""The rules of the campaign and the awards, one function each, each naming its plan ID.

Plain functions over plain values (no queries): the selectors and services call them with what
they loaded, and the tests call them directly. **The ranking is ``rank``**, the one function that
turns a year's figures into the order the office nominates from (AWD-1); every number in it is a
``Decimal`` to two places (whole hundredths), never a float.

The formula, as the pages show it beside the ranking:

- Each criterion gives a candidate between 0 and 100 points (``measure_*`` below): an average
  score is its own points; points lost in inspections are taken from 100; each upheld complaint
  takes ``UPHELD_COMPLAINT_POINTS`` from 100; a rate (return visits satisfied, orders answered on
  time) is its percentage; supervisors' ratings are averaged on ``RATING_POINTS``. None of these
  goes below 0. A criterion without data for a candidate (no covert visit, no return visit …) is
  left out of that candidate's score; a team with no inspection in effect in the year has nothing
  to be ranked on and is listed without a rank.
- Score = Σ (weight × points) ÷ Σ (weights of the criteria with data), rounded half up to two
  places.
- Candidates are ranked by score, highest first; equal scores share a rank (1, 2, 2, 4). Anyone
  not eligible (AWD-2, INS-5) is listed with the reasons and not ranked.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from awards.models import AwardKind, CampaignPhase
from tollservice.core.errors import DomainError
from tollservice.core.text import join_list

HUNDRED = Decimal(100)
ZERO = Decimal(0)
STEP = Decimal("0.01")

# --- The criteria of the ranking (AWD-1) -------------------------------------------------------

INSPECTION, COVERT, COMPLAINTS, SATISFACTION, RECTIFICATION, EVALUATION = (
    "inspection",
    "covert",
    "complaints",
    "satisfaction",
    "rectification",
    "evaluation",
)
CRITERIA = (INSPECTION, COVERT, COMPLAINTS, SATISFACTION, RECTIFICATION, EVALUATION)

# Without inspections there is nothing to rank a candidate on (a team never inspected in the year).
REQUIRED = INSPECTION
# Each upheld complaint takes this many of the criterion's 100 points.
UPHELD_COMPLAINT_POINTS = 20
# A supervisor's rating of a team, in points.
RATING_POINTS = {"excellent": 100, "good": 85, "fair": 70, "poor": 50}

MAX_WEIGHT = 100
# Part of a stored ranking's inputs: raise it when a change to the code of the formula changes
# anyone's figures, so that every stored ranking is seen as stale and computed again.
FORMULA_VERSION = 1


@dataclass(frozen=True)
class Criterion:
    key: str
    label: object  # lazy translations, for a team and for a person
    person_label: object
    explanation: object
    person_explanation: object


CRITERION_TEXTS = {
    INSPECTION: Criterion(
        INSPECTION,
        _("Average inspection score"),
        _("Inspection deductions"),
        _("The average score of the team's inspections in effect in the year (every kind, covert visits included)."),
        _("100 less the points the person lost as the person concerned in inspections in effect in the year."),
    ),
    COVERT: Criterion(
        COVERT,
        _("Covert-visit score"),
        _("Covert-visit deductions"),
        _("The average score of the supervisors' covert visits to the team, once published."),
        _("100 less the points the person lost in the supervisors' covert visits, once published."),
    ),
    COMPLAINTS: Criterion(
        COMPLAINTS,
        _("Upheld complaints"),
        _("Upheld complaints"),
        _("100 less %(points)s for each upheld complaint about the team on duty (an incident counted once)."),
        _("100 less %(points)s for each upheld complaint whose standing verdict finds the person at fault."),
    ),
    SATISFACTION: Criterion(
        SATISFACTION,
        _("Return-visit satisfaction"),
        _("Return-visit satisfaction"),
        _("Drivers satisfied at the return visit, of those reached, for complaints about the team (percent)."),
        _("Drivers satisfied at the return visit, of those reached, for complaints about the person (percent)."),
    ),
    RECTIFICATION: Criterion(
        RECTIFICATION,
        _("Rectifications on time"),
        _("Rectifications on time"),
        _("Rectification orders due in the year answered by their deadline, of those issued to the team (percent)."),
        _("Rectification orders due in the year answered by their deadline, of those assigned to the person."),
    ),
    EVALUATION: Criterion(
        EVALUATION,
        _("Supervisors' evaluations"),
        _("Supervisors' evaluations of the team"),
        _("The supervisors' ratings of the team in the year, averaged: %(ratings)s."),
        _("The supervisors' ratings of the person's team in the year, averaged: %(ratings)s."),
    ),
}

DEFAULT_WEIGHTS = {
    AwardKind.GOLD_TEAM: {
        INSPECTION: 30,
        COVERT: 20,
        COMPLAINTS: 20,
        SATISFACTION: 10,
        RECTIFICATION: 10,
        EVALUATION: 10,
    },
    AwardKind.SERVICE_STAR: {
        INSPECTION: 30,
        COVERT: 20,
        COMPLAINTS: 25,
        SATISFACTION: 10,
        RECTIFICATION: 5,
        EVALUATION: 10,
    },
}
DEFAULT_PLACES = {AwardKind.GOLD_TEAM: 2, AwardKind.SERVICE_STAR: 5}
DEFAULT_REWARD_FEN = {AwardKind.GOLD_TEAM: 200_000, AwardKind.SERVICE_STAR: 50_000}


def hundredths(value: Decimal) -> Decimal:
    """``value`` rounded half up to two places: how every figure of the ranking is kept."""
    return value.quantize(STEP, rounding=ROUND_HALF_UP)


def clamp(points: Decimal) -> Decimal:
    """Points between 0 and 100, to two places."""
    return max(ZERO, min(HUNDRED, points)).quantize(STEP)


@dataclass(frozen=True)
class Measure:
    """One criterion's figure for one candidate: ``value`` as shown (an average score, points
    lost, a count, a percentage), ``points`` out of 100 that its weight multiplies (``None`` when
    there is no data), and the counts it comes from (``basis``)."""

    criterion: str
    value: Decimal | int | None
    points: Decimal | None
    basis: dict = field(default_factory=dict)


def measure_average(criterion: str, *, total: Decimal, count: int) -> Measure:
    """An average score: the exact sum divided by the count."""
    if not count:
        return Measure(criterion, None, None, {"count": 0})
    average = hundredths(Decimal(total) / count)
    return Measure(criterion, average, clamp(average), {"count": count, "total": str(hundredths(Decimal(total)))})


def measure_deductions(criterion: str, *, lost: Decimal, findings: int | None = None) -> Measure:
    """Points lost, taken from 100."""
    lost = hundredths(Decimal(lost))
    basis = {"lost": str(lost)} if findings is None else {"lost": str(lost), "findings": findings}
    return Measure(criterion, lost, clamp(HUNDRED - lost), basis)


def measure_upheld(criterion: str, *, upheld: int, points_each: int = UPHELD_COMPLAINT_POINTS) -> Measure:
    """Upheld complaints, each taking ``points_each`` from 100."""
    return Measure(criterion, upheld, clamp(HUNDRED - points_each * upheld), {"upheld": upheld})


def measure_rate(criterion: str, *, numerator: int, denominator: int) -> Measure:
    """A share, as a percentage."""
    if not denominator:
        return Measure(criterion, None, None, {"numerator": 0, "denominator": 0})
    percent = hundredths(HUNDRED * numerator / denominator)
    return Measure(criterion, percent, clamp(percent), {"numerator": numerator, "denominator": denominator})


def measure_ratings(criterion: str, *, counts: Mapping[str, int]) -> Measure:
    """Supervisors' ratings averaged on ``RATING_POINTS``."""
    counts = {rating: n for rating, n in counts.items() if n and rating in RATING_POINTS}
    total = sum(counts.values())
    if not total:
        return Measure(criterion, None, None, {})
    average = hundredths(Decimal(sum(RATING_POINTS[rating] * n for rating, n in counts.items())) / total)
    return Measure(criterion, average, clamp(average), dict(sorted(counts.items())))


# --- The ranking (AWD-1, AWD-2) ----------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A team or a person with their year's measures; ``excluded`` when not eligible (AWD-2)."""

    key: int
    name: str
    measures: Mapping[str, Measure]
    excluded: bool = False
    # How equal scores are listed (the team's display order, the person's name): never their rank.
    order: tuple = ()


@dataclass(frozen=True)
class Ranked:
    candidate: Candidate
    score: Decimal | None
    weight_used: int
    rank: int | None  # None: not eligible, or no data at all


def composite_score(measures: Mapping[str, Measure], weights: Mapping[str, int]) -> tuple[Decimal | None, int]:
    """AWD-1: Σ (weight × points) ÷ Σ (weights of the criteria with data), to two places;
    ``(None, 0)`` without the inspections (``REQUIRED``) or when no weighted criterion has data.
    Returns the score and the weight used."""
    required = measures.get(REQUIRED)
    if required is None or required.points is None:
        return None, 0
    used = [
        (int(weights.get(key, 0)), measure.points)
        for key, measure in measures.items()
        if measure.points is not None and int(weights.get(key, 0)) > 0
    ]
    weight = sum(w for w, _points in used)
    if not weight:
        return None, 0
    return hundredths(sum((w * points for w, points in used), ZERO) / weight), weight


def rank(candidates: Sequence[Candidate], weights: Mapping[str, int]) -> list[Ranked]:
    """AWD-1 / AWD-2: the year's ranking. Eligible candidates with a score come first, highest
    score first, equal scores sharing a rank (1, 2, 2, 4) and listed in their ``order``; then
    those without any data; then those not eligible, with their score for information but no
    rank."""
    scored = [(candidate, *composite_score(candidate.measures, weights)) for candidate in candidates]
    rankable = sorted(
        (row for row in scored if not row[0].excluded and row[1] is not None),
        key=lambda row: (-row[1], row[0].order, row[0].key),
    )
    ranking: list[Ranked] = []
    for index, (candidate, score, weight) in enumerate(rankable):
        shared = ranking and ranking[-1].score == score
        ranking.append(Ranked(candidate, score, weight, ranking[-1].rank if shared else index + 1))
    no_data = [row for row in scored if not row[0].excluded and row[1] is None]
    excluded = [row for row in scored if row[0].excluded]
    excluded.sort(key=lambda row: (row[1] is None, -(row[1] or ZERO), row[0].order, row[0].key))
    for candidate, score, weight in [*sorted(no_data, key=lambda row: (row[0].order, row[0].key)), *excluded]:
        ranking.append(Ranked(candidate, score, weight, None))
    return ranking


# --- Nominating and approving (AWD-1, AWD-2) ---------------------------------------------------


def passed_over(ranking: Sequence[Ranked], key: int, *, considered: set[int]) -> list[Ranked]:
    """AWD-1: the eligible candidates ranked above ``key`` whom nobody has put forward yet (a
    nomination pending, approved or rejected counts as considered; a withdrawn one does not).
    Nominating past them is nominating out of order. A candidate without a rank passes over
    every ranked one not yet considered."""
    target = next(row for row in ranking if row.candidate.key == key)
    return [
        row
        for row in ranking
        if row.rank is not None
        and row.candidate.key != key
        and row.candidate.key not in considered
        and (target.rank is None or row.rank < target.rank)
    ]


def check_nomination(*, target: Ranked, skipped: Sequence[Ranked], reason: str, places_left: int) -> None:
    """AWD-2: nobody who is not eligible is nominated. AWD-1: no more nominations than places,
    and nominating out of order — past someone ranked higher — needs a written reason."""
    if target.candidate.excluded:
        raise DomainError(
            _("%(name)s is not eligible for this year's awards (see the reasons in the list)."),
            code="not_eligible",
            params={"name": target.candidate.name},
        )
    if places_left <= 0:
        raise DomainError(
            _("Every place of this award is taken by a nomination; withdraw one first."), code="no_places_left"
        )
    if skipped and not reason.strip():
        raise DomainError(
            _("This nomination passes over %(names)s, ranked higher: give the reason in writing."),
            field="out_of_order_reason",
            code="out_of_order",
            params={"names": join_list(row.candidate.name for row in skipped)},
        )


def still_eligible(*, name: str, reasons: Sequence[str]) -> None:
    """AWD-2 at approval: a violation or a loss of eligibility since the nomination stops it."""
    if reasons:
        raise DomainError(
            _("%(name)s is no longer eligible: %(reasons)s. The office should withdraw the nomination."),
            code="not_eligible",
            params={"name": name, "reasons": join_list(reasons)},
        )


CERTIFICATE_PREFIX = {AwardKind.GOLD_TEAM: "JP", AwardKind.SERVICE_STAR: "BB"}


def certificate_number(*, year: int, kind: str, sequence: int) -> str:
    """AWD-1: certificates are numbered per year and award: 2026JP001 (金牌服务班组),
    2026BB001 (服务标兵)."""
    return f"{year}{CERTIFICATE_PREFIX[kind]}{sequence:03d}"


def plaque_number(*, year: int, sequence: int) -> str:
    """AWD-1: honour plaques are numbered per year: 2026HP01."""
    return f"{year}HP{sequence:02d}"


def check_weights(weights: Mapping[str, int]) -> dict[str, int]:
    """Whole numbers from 0 to 100 for the known criteria, at least one above 0."""
    cleaned = {}
    for key in CRITERIA:
        value = weights.get(key, 0)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_WEIGHT:
            raise DomainError(
                _("A weight is a whole number from 0 to %(max)s."), field=key, code="weight", params={"max": MAX_WEIGHT}
            )
        cleaned[key] = value
    if not any(cleaned.values()):
        raise DomainError(_("Give at least one criterion a weight."), code="no_weight")
    return cleaned


# --- The campaign's phases (CAM-1) and the study (CAM-2) ----------------------------------------

Phase = CampaignPhase.Kind


@dataclass(frozen=True)
class PhaseDates:
    kind: str
    starts_on: datetime.date
    ends_on: datetime.date | None


def default_phases(year: int) -> list[PhaseDates]:
    """CAM-1: study and mobilization 1–15 August, organization and implementation 16–31
    August, then the long-term mechanism, which stands from 1 September."""
    return [
        PhaseDates(Phase.STUDY, datetime.date(year, 8, 1), datetime.date(year, 8, 15)),
        PhaseDates(Phase.IMPLEMENTATION, datetime.date(year, 8, 16), datetime.date(year, 8, 31)),
        PhaseDates(Phase.LONG_TERM, datetime.date(year, 9, 1), None),
    ]


def check_phases(year: int, phases: Sequence[PhaseDates]) -> None:
    """CAM-1: the three phases in their order, each ending on or after its start and before the
    next one starts, the first two within the campaign's year; the long-term mechanism has no end."""
    by_kind = {phase.kind: phase for phase in phases}
    if set(by_kind) != set(Phase.values):
        raise DomainError(_("Give the dates of every phase."), code="phases_missing")
    ordered = [by_kind[kind] for kind in Phase.values]
    for phase in ordered[:2]:
        if phase.ends_on is None:
            raise DomainError(_("Give the last day of this phase."), field=f"{phase.kind}_end", code="no_end")
        if phase.ends_on < phase.starts_on:
            raise DomainError(_("A phase cannot end before it starts."), field=f"{phase.kind}_end", code="backwards")
        if phase.starts_on.year != year or phase.ends_on.year != year:
            raise DomainError(
                _("This phase falls outside %(year)s."),
                field=f"{phase.kind}_start",
                code="wrong_year",
                params={"year": year},
            )
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if later.starts_on <= earlier.ends_on:
            raise DomainError(
                _("Each phase starts after the previous one ends."), field=f"{later.kind}_start", code="overlap"
            )


@dataclass(frozen=True)
class PhaseNow:
    """Where a campaign stands on a day: in a phase, before the first, or between two."""

    phase: str | None  # the phase in progress, or the last one finished while between phases
    state: str  # "before", "in", "between", "standing"


def phase_on(phases: Sequence[PhaseDates], day: datetime.date) -> PhaseNow:
    """CAM-1: the phase in progress on ``day``. The long-term mechanism, once started, stands."""
    ordered = sorted(phases, key=lambda phase: phase.starts_on)
    if not ordered or day < ordered[0].starts_on:
        return PhaseNow(None, "before")
    current = None
    for phase in ordered:
        if phase.starts_on <= day:
            current = phase
    if current.kind == Phase.LONG_TERM:
        return PhaseNow(current.kind, "standing")
    if current.ends_on is not None and day > current.ends_on:
        return PhaseNow(current.kind, "between")
    return PhaseNow(current.kind, "in")


def check_study_date(studied_on: datetime.date, *, year: int, today: datetime.date) -> None:
    """CAM-2: a study is recorded for the campaign's year, and not ahead of time."""
    if studied_on > today:
        raise DomainError(_("The day of the study cannot be in the future."), field="studied_on", code="future")
    if studied_on.year != year:
        raise DomainError(
            _("The study counts for the %(year)s campaign: choose a day in %(year)s."),
            field="studied_on",
            code="wrong_year",
            params={"year": year},
        )

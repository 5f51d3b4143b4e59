"""The awards' rules on hand-checked figures: the ranking formula (AWD-1), exclusions (AWD-2,
INS-5), nominating in order, numbering, and the campaign's phases (CAM-1) and study (CAM-2).

Every expected number below was worked out by hand (the working is in the comments); the
arithmetic is Decimal throughout, rounded half up to two places."""

import datetime
from decimal import Decimal as D

import pytest

from awards import rules
from awards.models import AwardKind
from tollservice.core.errors import DomainError

TEAM_WEIGHTS = rules.DEFAULT_WEIGHTS[AwardKind.GOLD_TEAM]  # 30 / 20 / 20 / 10 / 10 / 10
STAR_WEIGHTS = rules.DEFAULT_WEIGHTS[AwardKind.SERVICE_STAR]  # 30 / 20 / 25 / 10 / 5 / 10


def team(
    key,
    name,
    *,
    inspections=(0, "0"),
    covert=(0, "0"),
    upheld=0,
    visits=(0, 0),
    orders=(0, 0),
    ratings=None,
    excluded=False,
    order=None,
):
    """A team's measures from its raw tallies: (count, score sum), upheld complaints,
    (satisfied, visited), (on time, issued), {rating: n}."""
    return rules.Candidate(
        key=key,
        name=name,
        excluded=excluded,
        order=order or (key,),
        measures={
            rules.INSPECTION: rules.measure_average(rules.INSPECTION, total=D(inspections[1]), count=inspections[0]),
            rules.COVERT: rules.measure_average(rules.COVERT, total=D(covert[1]), count=covert[0]),
            rules.COMPLAINTS: rules.measure_upheld(rules.COMPLAINTS, upheld=upheld),
            rules.SATISFACTION: rules.measure_rate(rules.SATISFACTION, numerator=visits[0], denominator=visits[1]),
            rules.RECTIFICATION: rules.measure_rate(rules.RECTIFICATION, numerator=orders[0], denominator=orders[1]),
            rules.EVALUATION: rules.measure_ratings(rules.EVALUATION, counts=ratings or {}),
        },
    )


def person(key, name, *, lost="0", lost_covert="0", upheld=0, visits=(0, 0), orders=(0, 0), ratings=None):
    return rules.Candidate(
        key=key,
        name=name,
        order=(key,),
        measures={
            rules.INSPECTION: rules.measure_deductions(rules.INSPECTION, lost=D(lost)),
            rules.COVERT: rules.measure_deductions(rules.COVERT, lost=D(lost_covert)),
            rules.COMPLAINTS: rules.measure_upheld(rules.COMPLAINTS, upheld=upheld),
            rules.SATISFACTION: rules.measure_rate(rules.SATISFACTION, numerator=visits[0], denominator=visits[1]),
            rules.RECTIFICATION: rules.measure_rate(rules.RECTIFICATION, numerator=orders[0], denominator=orders[1]),
            rules.EVALUATION: rules.measure_ratings(rules.EVALUATION, counts=ratings or {}),
        },
    )


# --- Measures ----------------------------------------------------------------------------------------


def test_each_measure_gives_points_out_of_100_exactly():
    # AWD-1: 291.50 / 3 = 97.1666… → 97.17; its points are the average itself.
    average = rules.measure_average(rules.INSPECTION, total=D("291.50"), count=3)
    assert (average.value, average.points, average.basis) == (D("97.17"), D("97.17"), {"count": 3, "total": "291.50"})
    # Half up, not to even: 190.25 / 2 = 95.125 → 95.13.
    assert rules.measure_average(rules.COVERT, total=D("190.25"), count=2).points == D("95.13")
    assert rules.measure_average(rules.COVERT, total=D(0), count=0).points is None
    # 4.5 points lost → 95.50; never below 0.
    assert rules.measure_deductions(rules.INSPECTION, lost=D("4.5")).points == D("95.50")
    assert rules.measure_deductions(rules.INSPECTION, lost=D("130")).points == D("0")
    # Each upheld complaint takes 20: 2 → 60, 6 → 0.
    assert rules.measure_upheld(rules.COMPLAINTS, upheld=2).points == D("60.00")
    assert rules.measure_upheld(rules.COMPLAINTS, upheld=6).points == D("0")
    # 2 of 3 → 66.666… → 66.67 %.
    assert rules.measure_rate(rules.SATISFACTION, numerator=2, denominator=3).points == D("66.67")
    assert rules.measure_rate(rules.SATISFACTION, numerator=0, denominator=0).points is None
    # (100 + 85 + 50) / 3 = 78.333… → 78.33.
    ratings = rules.measure_ratings(rules.EVALUATION, counts={"excellent": 1, "good": 1, "poor": 1})
    assert ratings.points == D("78.33")
    assert rules.measure_ratings(rules.EVALUATION, counts={}).points is None


# --- The ranking (AWD-1, AWD-2) -------------------------------------------------------------------------


def test_awd1_team_ranking_on_hand_checked_figures():
    # AWD-1, team A: inspections 291.50/3 = 97.17; covert 190/2 = 95.00; 1 upheld → 80;
    # satisfied 3/4 = 75.00; orders 2/2 = 100; ratings (100 + 85)/2 = 92.50.
    # 30×97.17 + 20×95 + 20×80 + 10×75 + 10×100 + 10×92.5 = 2915.1 + 1900 + 1600 + 750 + 1000 + 925
    # = 9090.1; ÷ 100 = 90.901 → 90.90.
    a = team(
        1,
        "一班",
        inspections=(3, "291.50"),
        covert=(2, "190"),
        upheld=1,
        visits=(3, 4),
        orders=(2, 2),
        ratings={"excellent": 1, "good": 1},
    )
    # Team B: inspections 200/2 = 100; no covert visit and no return visit: left out; 0 upheld → 100;
    # orders 0/1 → 0; rating good → 85. Weights with data: 30 + 20 + 10 + 10 = 70.
    # (3000 + 2000 + 0 + 850) ÷ 70 = 83.5714… → 83.57.
    b = team(2, "二班", inspections=(2, "200"), orders=(0, 1), ratings={"good": 1})
    # Team E: the same figures as B, listed after it (display order), sharing rank 2.
    e = team(5, "五班", inspections=(2, "200"), orders=(0, 1), ratings={"good": 1})
    # Team C: never inspected: nothing to rank it on, whatever its clean complaint record.
    c = team(3, "三班")
    # Team D (AWD-2 / INS-5): not eligible; its score (100) is shown, without a rank.
    d = team(4, "四班", inspections=(1, "100"), excluded=True)
    ranking = rules.rank([d, c, e, b, a], TEAM_WEIGHTS)
    assert [(r.candidate.name, r.score, r.weight_used, r.rank) for r in ranking] == [
        ("一班", D("90.90"), 100, 1),
        ("二班", D("83.57"), 70, 2),
        ("五班", D("83.57"), 70, 2),
        ("三班", None, 0, None),
        ("四班", D("100.00"), 50, None),
    ]


def test_awd1_service_star_ranking_on_hand_checked_figures():
    # Person X: lost 4.50 → 95.50; covert clean → 100; 1 upheld → 80; no return visit; order 1/1 → 100;
    # team rated good → 85. Weights with data 30 + 20 + 25 + 5 + 10 = 90.
    # (2865 + 2000 + 2000 + 500 + 850) ÷ 90 = 8215 ÷ 90 = 91.2777… → 91.28.
    x = person(1, "甲", lost="4.50", upheld=1, orders=(1, 1), ratings={"good": 1})
    # Person Y: clean: (3000 + 2000 + 2500 + 850) ÷ 85 = 98.2352… → 98.24.
    y = person(2, "乙", ratings={"good": 1})
    # Person Z: lost 2 in a covert visit, which counts among all inspections too (98) and the covert
    # ones (98): (30×98 + 20×98 + 2500 + 850) ÷ 85 = 8250 ÷ 85 = 97.0588… → 97.06.
    z = person(3, "丙", lost="2", lost_covert="2", ratings={"good": 1})
    ranking = rules.rank([x, y, z], STAR_WEIGHTS)
    assert [(r.candidate.name, r.score, r.rank) for r in ranking] == [
        ("乙", D("98.24"), 1),
        ("丙", D("97.06"), 2),
        ("甲", D("91.28"), 3),
    ]


def test_awd1_weights_change_the_order_and_a_zero_weight_leaves_a_criterion_out():
    x = person(1, "甲", lost="4.50", upheld=1, orders=(1, 1), ratings={"good": 1})
    y = person(2, "乙", lost="10", ratings={"excellent": 1})
    # Complaints only: 甲 80, 乙 100.
    only_complaints = dict.fromkeys(rules.CRITERIA, 0) | {rules.COMPLAINTS: 1}
    assert [(r.candidate.name, r.score) for r in rules.rank([x, y], only_complaints)] == [
        ("乙", D("100.00")),
        ("甲", D("80.00")),
    ]
    # Inspections only: 甲 95.50, 乙 90.00.
    only_inspections = dict.fromkeys(rules.CRITERIA, 0) | {rules.INSPECTION: 3}
    assert [(r.candidate.name, r.score) for r in rules.rank([x, y], only_inspections)] == [
        ("甲", D("95.50")),
        ("乙", D("90.00")),
    ]


def test_no_float_ever_enters_the_ranking():
    a = team(
        1,
        "一班",
        inspections=(3, "291.50"),
        covert=(2, "190"),
        upheld=1,
        visits=(3, 4),
        orders=(2, 2),
        ratings={"excellent": 1, "good": 1},
    )
    [ranked] = rules.rank([a], TEAM_WEIGHTS)
    values = [ranked.score, *(m.value for m in a.measures.values()), *(m.points for m in a.measures.values())]
    assert all(isinstance(value, D | int) for value in values)


# --- Nominating (AWD-1, AWD-2) ----------------------------------------------------------------------------


def _ranking():
    return rules.rank(
        [
            team(1, "一班", inspections=(1, "99")),
            team(2, "二班", inspections=(1, "98")),
            team(3, "三班", inspections=(1, "98")),
            team(4, "四班", inspections=(1, "97")),
            team(5, "五班"),
            team(6, "六班", inspections=(1, "100"), excluded=True),
        ],
        TEAM_WEIGHTS,
    )


def test_awd1_nominating_past_a_higher_ranked_candidate_is_out_of_order():
    ranking = _ranking()
    names = lambda rows: [row.candidate.name for row in rows]  # noqa: E731
    assert names(rules.passed_over(ranking, 1, considered=set())) == []
    # 三班 shares rank 2 with 二班: only 一班 is above it.
    assert names(rules.passed_over(ranking, 3, considered=set())) == ["一班"]
    assert names(rules.passed_over(ranking, 4, considered=set())) == ["一班", "二班", "三班"]
    # Those already put forward (pending, approved or rejected) are not passed over.
    assert names(rules.passed_over(ranking, 4, considered={1, 2})) == ["三班"]
    # A team without a rank passes over every ranked one not yet considered.
    assert names(rules.passed_over(ranking, 5, considered={1})) == ["二班", "三班", "四班"]


def test_awd1_out_of_order_needs_a_written_reason():
    ranking = _ranking()
    fourth = ranking[3]
    skipped = rules.passed_over(ranking, 4, considered=set())
    with pytest.raises(DomainError) as error:
        rules.check_nomination(target=fourth, skipped=skipped, reason="  ", places_left=2)
    assert error.value.field == "out_of_order_reason" and error.value.code == "out_of_order"
    assert "一班" in str(error.value) and "三班" in str(error.value)
    rules.check_nomination(target=fourth, skipped=skipped, reason="一班、二班、三班另有任务", places_left=2)
    rules.check_nomination(target=ranking[0], skipped=[], reason="", places_left=2)


def test_awd1_no_more_nominations_than_places():
    ranking = _ranking()
    with pytest.raises(DomainError) as error:
        rules.check_nomination(target=ranking[0], skipped=[], reason="", places_left=0)
    assert error.value.code == "no_places_left"


def test_awd2_ins5_nobody_excluded_is_nominated_or_approved():
    # AWD-2 / INS-5: the excluded team is refused, at nomination and again at approval.
    excluded = _ranking()[-1]
    assert excluded.candidate.name == "六班" and excluded.rank is None
    with pytest.raises(DomainError) as error:
        rules.check_nomination(target=excluded, skipped=[], reason="理由", places_left=2)
    assert error.value.code == "not_eligible"
    with pytest.raises(DomainError) as error:
        rules.still_eligible(name="六班", reasons=["取消评先评优资格：消极应付"])
    assert error.value.code == "not_eligible"
    rules.still_eligible(name="一班", reasons=[])


def test_awd1_certificates_and_plaques_are_numbered_per_year():
    assert rules.certificate_number(year=2026, kind=AwardKind.GOLD_TEAM, sequence=1) == "2026JP001"
    assert rules.certificate_number(year=2026, kind=AwardKind.SERVICE_STAR, sequence=12) == "2026BB012"
    assert rules.plaque_number(year=2025, sequence=3) == "2025HP03"


def test_weights_are_whole_numbers_and_not_all_zero():
    assert rules.check_weights({rules.INSPECTION: 5}) == {
        key: (5 if key == rules.INSPECTION else 0) for key in rules.CRITERIA
    }
    for bad in ({rules.INSPECTION: -1}, {rules.INSPECTION: 101}, {rules.INSPECTION: 1.5}):
        with pytest.raises(DomainError):
            rules.check_weights(bad)
    with pytest.raises(DomainError) as error:
        rules.check_weights({})
    assert error.value.code == "no_weight"


# --- The campaign (CAM-1, CAM-2) ----------------------------------------------------------------------


def test_cam1_default_phases_are_the_plans():
    # CAM-1: 1–15 August, 16–31 August, then the long-term mechanism.
    phases = rules.default_phases(2026)
    assert [(p.kind, p.starts_on, p.ends_on) for p in phases] == [
        ("study", datetime.date(2026, 8, 1), datetime.date(2026, 8, 15)),
        ("implementation", datetime.date(2026, 8, 16), datetime.date(2026, 8, 31)),
        ("long_term", datetime.date(2026, 9, 1), None),
    ]
    rules.check_phases(2026, phases)


@pytest.mark.parametrize(
    ("day", "phase", "state"),
    [
        (datetime.date(2026, 7, 31), None, "before"),
        (datetime.date(2026, 8, 1), "study", "in"),
        (datetime.date(2026, 8, 15), "study", "in"),
        (datetime.date(2026, 8, 16), "implementation", "in"),
        (datetime.date(2026, 9, 1), "long_term", "standing"),
        (datetime.date(2027, 3, 1), "long_term", "standing"),
    ],
)
def test_cam1_the_phase_in_progress(day, phase, state):
    # CAM-1: where the campaign stands on a day; the long-term mechanism, once reached, stands.
    assert rules.phase_on(rules.default_phases(2026), day) == rules.PhaseNow(phase, state)


def test_cam1_between_two_phases():
    phases = [
        rules.PhaseDates("study", datetime.date(2026, 8, 1), datetime.date(2026, 8, 10)),
        rules.PhaseDates("implementation", datetime.date(2026, 8, 20), datetime.date(2026, 8, 31)),
        rules.PhaseDates("long_term", datetime.date(2026, 9, 1), None),
    ]
    assert rules.phase_on(phases, datetime.date(2026, 8, 12)) == rules.PhaseNow("study", "between")


@pytest.mark.parametrize(
    ("study", "implementation", "long_term", "code"),
    [
        ((8, 10, 8, 1), (8, 16, 8, 31), (9, 1), "backwards"),
        ((8, 1, 8, 16), (8, 16, 8, 31), (9, 1), "overlap"),
        ((8, 1, 8, 15), (8, 16, 8, 31), (8, 31), "overlap"),
    ],
)
def test_cam1_phases_follow_one_another(study, implementation, long_term, code):
    def d(month, day):
        return datetime.date(2026, month, day)

    phases = [
        rules.PhaseDates("study", d(*study[:2]), d(*study[2:])),
        rules.PhaseDates("implementation", d(*implementation[:2]), d(*implementation[2:])),
        rules.PhaseDates("long_term", d(*long_term), None),
    ]
    with pytest.raises(DomainError) as error:
        rules.check_phases(2026, phases)
    assert error.value.code == code


def test_cam1_phases_belong_to_their_year():
    phases = rules.default_phases(2025)
    with pytest.raises(DomainError) as error:
        rules.check_phases(2026, phases)
    assert error.value.code == "wrong_year"


def test_cam2_a_study_is_recorded_in_its_year_and_not_ahead_of_time():
    today = datetime.date(2026, 8, 5)
    rules.check_study_date(datetime.date(2026, 8, 3), year=2026, today=today)
    with pytest.raises(DomainError) as error:
        rules.check_study_date(datetime.date(2026, 8, 6), year=2026, today=today)
    assert error.value.code == "future"
    with pytest.raises(DomainError) as error:
        rules.check_study_date(datetime.date(2025, 12, 30), year=2026, today=today)
    assert error.value.code == "wrong_year"

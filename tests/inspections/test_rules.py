"""The one scoring function, on cases checked by hand (INS-1, INS-6: every kind is scored by it)."""

from decimal import Decimal as D

import pytest

from inspections import rules
from inspections.rules import BREACHED, COMPLIANT, NOT_APPLICABLE, Entry, ItemTerms
from tollservice.core.errors import DomainError

# The default checklist's shapes: uniform 4 points, 2 per lapse; smile 6, 0.5 per vehicle; queue 8,
# 2 per lapse and 4 for a jam, the shift leader losing 2; sleeping 12, 6 per lapse, team leader 2,
# shift leader 2; a veto item of no points.
UNIFORM = ItemTerms(id="uniform", points=D("4"), deduction=D("2"))
SMILE = ItemTerms(id="smile", points=D("6"), deduction=D("0.5"))
QUEUE = ItemTerms(id="queue", points=D("8"), deduction=D("2"), grave_deduction=D("4"), shift_leader_deduction=D("2"))
SLEEP = ItemTerms(
    id="sleep", points=D("12"), deduction=D("6"), team_leader_deduction=D("2"), shift_leader_deduction=D("2")
)
CAPPED = ItemTerms(id="capped", points=D("10"), deduction=D("2"), cap=D("3"))
VETO = ItemTerms(id="veto", points=D("0"), deduction=D("0"), veto=True)
REST = ItemTerms(id="rest", points=D("60"), deduction=D("5"))  # the rest of the 100 points
CHECKLIST = [UNIFORM, SMILE, QUEUE, SLEEP, CAPPED, VETO, REST]


def breach(key, item, occurrences, *, grave=False, staff=None):
    return Entry(key=key, item=item.id, verdict=BREACHED, occurrences=occurrences, grave=grave, staff=staff)


def ok(item, verdict=COMPLIANT):
    return Entry(key=f"ok-{item.id}", item=item.id, verdict=verdict)


def test_all_compliant_scores_full_marks():
    result = rules.score(CHECKLIST, [ok(item) for item in CHECKLIST])
    assert (result.score, result.deduction, result.raw_deduction, result.vetoed) == (D("100"), 0, 0, False)


def test_one_uniform_lapse_deducts_two():
    result = rules.score(CHECKLIST, [breach(1, UNIFORM, 1)])
    assert result.score == D("98")
    assert result.findings[1].team == D("2")


def test_three_uniform_lapses_are_capped_at_the_items_points_and_the_raw_deduction_is_kept():
    result = rules.score(CHECKLIST, [breach(1, UNIFORM, 3)])
    assert result.raw_deduction == D("6")  # 3 × 2, shown beside the score
    assert result.deduction == D("4")  # never beyond the item's 4 points
    assert result.score == D("96")
    assert result.capped


def test_half_a_point_per_vehicle():
    result = rules.score(CHECKLIST, [breach(1, SMILE, 5)])
    assert result.score == D("97.5")


def test_a_jam_caused_by_staff_deducts_the_graver_amount():
    # one queue lapse (2) and one jam (4): 6 of the item's 8 points
    result = rules.score(CHECKLIST, [breach(1, QUEUE, 1), breach(2, QUEUE, 1, grave=True)])
    assert result.score == D("94")
    assert (result.findings[1].team, result.findings[2].team) == (D("2"), D("4"))
    # two jams: 8, exactly the item's points; three would still be 8
    assert rules.score(CHECKLIST, [breach(1, QUEUE, 3, grave=True)]).deduction == D("8")


def test_an_explicit_cap_below_the_points_wins():
    result = rules.score(CHECKLIST, [breach(1, CAPPED, 4)])
    assert (result.raw_deduction, result.deduction, result.score) == (D("8"), D("3"), D("97"))


def test_not_applicable_deducts_nothing():
    entries = [ok(item, NOT_APPLICABLE) for item in CHECKLIST]
    result = rules.score(CHECKLIST, entries)
    assert result.score == D("100")
    assert not result.items["queue"].applicable


def test_deductions_add_up_across_items():
    # uniform 2 + smile 1.5 + sleeping 6 + rest capped 60 → 69.5 deducted
    entries = [breach(1, UNIFORM, 1), breach(2, SMILE, 3), breach(3, SLEEP, 1), breach(4, REST, 20)]
    result = rules.score(CHECKLIST, entries)
    assert result.raw_deduction == D("2") + D("1.5") + D("6") + D("100")
    assert result.deduction == D("69.5")
    assert result.score == D("30.5")


def test_a_breached_veto_item_fails_the_inspection_and_keeps_the_other_deductions():
    result = rules.score(CHECKLIST, [breach(1, UNIFORM, 1), breach(2, VETO, 1, staff="zhang")])
    assert result.vetoed
    assert result.score == D("0")
    assert result.deduction == D("2")  # shown beside the failed score
    assert result.findings[2].veto


def test_joint_liability_person_team_team_leader_and_shift_leader():
    # sleeping on duty, once: the person and the team lose 6, the team leader 2, the shift leader 2
    result = rules.score(CHECKLIST, [breach(1, SLEEP, 1, staff="li")])
    share = result.findings[1]
    assert (share.person, share.team, share.team_leader, share.shift_leader) == (D("6"), D("6"), D("2"), D("2"))


def test_two_people_on_one_item_share_the_teams_cap_but_each_answers_for_their_own():
    # two collectors each with 2 uniform lapses: raw 4 + 4; the team loses the item's 4 points once
    result = rules.score(CHECKLIST, [breach(1, UNIFORM, 2, staff="a"), breach(2, UNIFORM, 2, staff="b")])
    assert result.deduction == D("4")
    assert (result.findings[1].team, result.findings[2].team) == (D("4"), D("0"))
    assert (result.findings[1].person, result.findings[2].person) == (D("4"), D("4"))


def test_one_person_twice_on_one_item_is_capped_for_that_person():
    result = rules.score(CHECKLIST, [breach(1, UNIFORM, 2, staff="a"), breach(2, UNIFORM, 1, staff="a")])
    assert (result.findings[1].person, result.findings[2].person) == (D("4"), D("0"))


def test_the_shift_leader_is_capped_at_the_items_limit_too():
    result = rules.score(CHECKLIST, [breach(1, QUEUE, 3), breach(2, QUEUE, 3)])
    assert sum(f.shift_leader for f in result.findings.values()) == D("8")


def test_the_score_never_goes_below_zero():
    big = ItemTerms(id="big", points=D("100"), deduction=D("30"))
    assert rules.score([big], [breach(1, big, 5)]).score == D("0")


@pytest.mark.parametrize(
    "entry",
    [
        Entry(key=1, item="uniform", verdict=BREACHED, occurrences=0),
        Entry(key=1, item="uniform", verdict=COMPLIANT, occurrences=2),
        Entry(key=1, item="uniform", verdict=BREACHED, occurrences=1, grave=True),  # no graver deduction
        Entry(key=1, item="unknown", verdict=COMPLIANT),
        Entry(key=1, item="uniform", verdict="maybe"),
    ],
)
def test_inconsistent_entries_are_refused(entry):
    with pytest.raises(DomainError):
        rules.score(CHECKLIST, [entry])


def test_missing_and_conflicting_items():
    entries = [ok(UNIFORM), breach(1, SMILE, 1), ok(SMILE)]
    assert rules.missing_items([i.id for i in CHECKLIST], entries) == ["queue", "sleep", "capped", "veto", "rest"]
    assert rules.conflicting_items(entries) == ["smile"]


def test_time_limits():
    import datetime

    published = datetime.datetime(2026, 3, 1, 9, 0)
    assert rules.appeal_deadline(published, days=7) == datetime.datetime(2026, 3, 8, 9, 0)  # INS-6
    assert rules.revisit_too_soon(published, published + datetime.timedelta(days=29), gap_days=30)  # INS-6
    assert not rules.revisit_too_soon(published, published + datetime.timedelta(days=30), gap_days=30)
    assert not rules.revisit_too_soon(None, published, gap_days=30)
    day = datetime.date(2026, 3, 10)
    # INS-2: awaiting the answer past the deadline, or answered after it
    assert rules.order_is_late(deadline=day, answered_on=None, awaiting_answer=True, today=day + datetime.timedelta(1))
    assert not rules.order_is_late(deadline=day, answered_on=None, awaiting_answer=True, today=day)
    assert rules.order_is_late(deadline=day, answered_on=day + datetime.timedelta(1), awaiting_answer=False, today=day)
    assert not rules.order_is_late(deadline=day, answered_on=day, awaiting_answer=False, today=day)
    assert rules.overdue_threshold_reached(2, threshold=2)  # INS-4 / INS-5
    assert not rules.overdue_threshold_reached(1, threshold=2)
    assert not rules.overdue_threshold_reached(5, threshold=0)  # 0 switches it off

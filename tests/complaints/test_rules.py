"""The complaint rules as plain functions (complaints/rules.py): time limits over the working
calendar and pauses, the status flow, escalation, verdicts, duplicates, personal data."""

import datetime

import pytest
from django.utils import timezone

from complaints import rules
from complaints.models import Complaint
from tollservice.core.calendar.workdays import WorkingCalendar
from tollservice.core.errors import DomainError
from tollservice.core.validators import text_within

D = datetime.date


def at(year, month, day, hour=0, minute=0):
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


# 2026's Spring Festival as the State Council set it: 15–23 February off, 14 and 28 worked.
SPRING_2026 = WorkingCalendar(
    {**{D(2026, 2, d): "holiday" for d in range(15, 24)}, D(2026, 2, 14): "workday", D(2026, 2, 28): "workday"}
)


# --- Time limits --------------------------------------------------------------------------------------


def test_answer_is_due_at_the_end_of_the_fifth_working_day():
    # Accepted Monday 7 December 2026, 10:00: Tue, Wed, Thu, Fri, Mon → Monday 14th, end of day.
    due = rules.answer_due(accepted_at=at(2026, 12, 7, 10), working_days=5, calendar=WorkingCalendar())
    assert timezone.localtime(due).date() == D(2026, 12, 14)
    assert timezone.localtime(due).time() == datetime.time.max


def test_answer_limit_skips_the_spring_festival_and_counts_the_make_up_saturdays():
    # Accepted Thursday 12 February 2026: Fri 13, Sat 14 (make-up day), then the holiday
    # 15–23, Tue 24, Wed 25, Thu 26 → the 5th working day is 26 February.
    due = rules.answer_due(accepted_at=at(2026, 2, 12, 9), working_days=5, calendar=SPRING_2026)
    assert timezone.localtime(due).date() == D(2026, 2, 26)


def test_days_wholly_spent_waiting_on_the_driver_do_not_count():
    # Paused Monday 7 December 17:00 until Thursday 10th 9:00: Tuesday and Wednesday were spent
    # waiting; Monday and Thursday were partly worked and count.
    pauses = [(at(2026, 12, 7, 17), at(2026, 12, 10, 9))]
    due = rules.answer_due(accepted_at=at(2026, 12, 7, 10), working_days=5, calendar=WorkingCalendar(), pauses=pauses)
    assert timezone.localtime(due).date() == D(2026, 12, 16)  # two working days later than the 14th


def test_a_pause_within_one_day_moves_nothing_and_an_open_pause_stops_the_clock():
    calendar = WorkingCalendar()
    same_day = [(at(2026, 12, 8, 9), at(2026, 12, 8, 16))]
    assert rules.answer_due(
        accepted_at=at(2026, 12, 7, 10), working_days=5, calendar=calendar, pauses=same_day
    ) == rules.answer_due(accepted_at=at(2026, 12, 7, 10), working_days=5, calendar=calendar)
    open_pause = [(at(2026, 12, 8, 9), None)]
    assert (
        rules.answer_due(accepted_at=at(2026, 12, 7, 10), working_days=5, calendar=calendar, pauses=open_pause) is None
    )


def test_a_pause_over_a_holiday_does_not_count_the_holiday_twice():
    # Waiting from Friday 13 February 2026 to Wednesday 25th: every day between is excluded
    # (14th was a working day, the rest holidays anyway). Counting resumes on the 25th.
    pauses = [(at(2026, 2, 13, 15), at(2026, 2, 25, 9))]
    due = rules.answer_due(accepted_at=at(2026, 2, 12, 9), working_days=5, calendar=SPRING_2026, pauses=pauses)
    # Fri 13 (1), [14 waiting], 25 (2), 26 (3), 27 (4), Sat 28 make-up (5).
    assert timezone.localtime(due).date() == D(2026, 2, 28)


def test_a_hotline_centres_deadline_and_an_extension_override_the_station_limit():  # CMP-9
    deadline = at(2026, 12, 9, 17)
    assert (
        rules.answer_due(
            accepted_at=at(2026, 12, 7, 10), working_days=5, calendar=WorkingCalendar(), order_deadline=deadline
        )
        == deadline
    )
    extended = rules.answer_due(
        accepted_at=at(2026, 12, 7, 10),
        working_days=5,
        calendar=WorkingCalendar(),
        order_deadline=deadline,
        extended_to=D(2026, 12, 20),
    )
    assert extended == rules.end_of_day(D(2026, 12, 20))


def test_first_contact_accept_and_return_visit_limits():
    accepted = at(2026, 12, 7, 10)
    assert rules.first_contact_due(accepted_at=accepted, hours=24) == at(2026, 12, 8, 10)
    assert rules.accept_due(received_at=accepted, hours=24) == at(2026, 12, 8, 10)
    assert rules.return_visit_due(answered_at=at(2026, 12, 10, 16), days=3) == rules.end_of_day(D(2026, 12, 13))


def test_an_extension_is_asked_for_before_the_limit_and_for_a_later_date():
    due = at(2026, 12, 14, 23, 59)
    rules.check_extension(now=at(2026, 12, 14, 12), answer_due=due, new_due=D(2026, 12, 21))
    with pytest.raises(DomainError) as late:
        rules.check_extension(now=at(2026, 12, 15, 9), answer_due=due, new_due=D(2026, 12, 21))
    assert late.value.code == "limit_passed"
    with pytest.raises(DomainError):
        rules.check_extension(now=at(2026, 12, 14, 12), answer_due=due, new_due=D(2026, 12, 14))
    with pytest.raises(DomainError):
        rules.check_extension(now=at(2026, 12, 14, 12), answer_due=None, new_due=D(2026, 12, 21))


def _complaint(**values) -> Complaint:
    accepted = at(2026, 12, 7, 10)
    defaults = {
        "accepted_at": accepted,
        "accept_due": accepted,
        "first_contact_due": at(2026, 12, 8, 10),
        "answer_due": at(2026, 12, 14, 23),
    }
    defaults.update(values)
    return Complaint(**defaults)


def test_missed_limits_name_each_limit_done_late_or_overdue():  # PEN-4
    assert rules.missed_limits(_complaint(first_contact_at=at(2026, 12, 7, 12)), now=at(2026, 12, 9)) == []
    assert rules.missed_limits(_complaint(), now=at(2026, 12, 9)) == ["first_contact"]
    late = _complaint(
        accept_due=at(2026, 12, 6, 10),
        first_contact_at=at(2026, 12, 7, 12),
        answered_at=at(2026, 12, 15, 9),
        answered_on_time=False,
        return_visit_due=at(2026, 12, 18, 23),
    )
    assert rules.missed_limits(late, now=at(2026, 12, 20)) == ["accept", "answer", "return_visit"]
    paused = _complaint(first_contact_at=at(2026, 12, 7, 12), answer_due=None)
    assert rules.missed_limits(paused, now=at(2027, 1, 20)) == []  # the clock is stopped


# --- Status flow and escalation (CMP-3, CMP-5) ------------------------------------------------------------


def test_status_flow():
    S = Complaint.Status
    for current, new in [
        (S.REGISTERED, S.INVESTIGATING),
        (S.INVESTIGATING, S.ANSWERED),
        (S.ANSWERED, S.RETURN_VISIT),
        (S.RETURN_VISIT, S.CLOSED),
        (S.RETURN_VISIT, S.INVESTIGATING),  # reopened by a review
        (S.CLOSED, S.INVESTIGATING),  # returned by a hotline centre
    ]:
        rules.check_transition(current, new)
    for current, new in [(S.REGISTERED, S.CLOSED), (S.INVESTIGATING, S.RETURN_VISIT), (S.CLOSED, S.ANSWERED)]:
        with pytest.raises(DomainError):
            rules.check_transition(current, new)


def test_escalation_goes_up_the_chain():  # CMP-3, CMP-5
    L = Complaint.Level
    assert rules.escalation_levels(L.FRONT_LINE) == [L.SHIFT_LEADER, L.TOLL_OFFICE_HEAD, L.GROUP_OFFICE]
    assert rules.escalation_levels(L.SHIFT_LEADER) == [L.TOLL_OFFICE_HEAD, L.GROUP_OFFICE]
    # CMP-5: reported straight to the leadership group's office.
    assert rules.escalation_levels(L.FRONT_LINE, L.GROUP_OFFICE) == [L.GROUP_OFFICE]
    with pytest.raises(DomainError):
        rules.escalation_levels(L.GROUP_OFFICE)
    with pytest.raises(DomainError):
        rules.escalation_levels(L.TOLL_OFFICE_HEAD, L.SHIFT_LEADER)


# --- Verdict, apology, penalties ----------------------------------------------------------------------


def test_a_verdict_is_consistent_with_who_was_at_fault():
    rules.check_verdict(outcome="upheld", fault="station", staff_at_fault=[1])
    rules.check_verdict(outcome="partly_upheld", fault="both", staff_at_fault=[])
    rules.check_verdict(outcome="not_upheld", fault="driver", staff_at_fault=[])
    for outcome, fault, staff in [("upheld", "driver", []), ("not_upheld", "station", []), ("not_upheld", "none", [1])]:
        with pytest.raises(DomainError):
            rules.check_verdict(outcome=outcome, fault=fault, staff_at_fault=staff)


def test_cmp4_an_apology_is_owed_when_the_station_is_at_fault_or_both_are():  # CMP-4
    assert rules.apology_required("station") and rules.apology_required("both")
    assert not rules.apology_required("driver") and not rules.apology_required("none")


def test_pen3_a_penalty_follows_an_upheld_complaint_after_the_staff_members_account():  # PEN-3
    rules.pen3_may_propose(outcome="upheld", at_fault=True, has_statement=True)
    with pytest.raises(DomainError) as missing:
        rules.pen3_may_propose(outcome="upheld", at_fault=True, has_statement=False)
    assert missing.value.code == "statement_missing"
    for outcome, at_fault in [("not_upheld", True), ("upheld", False)]:
        with pytest.raises(DomainError):
            rules.pen3_may_propose(outcome=outcome, at_fault=at_fault, has_statement=True)


def test_pen4_grounds_are_a_missed_limit_or_handling_at_fault():  # PEN-4
    assert rules.pen4_grounds(_complaint(first_contact_at=at(2026, 12, 7, 12)), now=at(2026, 12, 9)) == []
    assert rules.pen4_grounds(_complaint(), now=at(2026, 12, 9)) == ["first_contact"]
    reviewed = _complaint(first_contact_at=at(2026, 12, 7, 12), handling_at_fault=True)
    assert rules.pen4_grounds(reviewed, now=at(2026, 12, 9)) == ["handling_at_fault"]


def test_the_figures_definitions_are_configurable():
    assert rules.satisfied_results(basically_counts=True) == ("satisfied", "basically")
    assert rules.satisfied_results(basically_counts=False) == ("satisfied",)
    assert rules.upheld_outcomes(partly_counts=False) == ("upheld",)


# --- Duplicates (CMP-1) --------------------------------------------------------------------------------


def test_cmp1_duplicates_are_scored_with_their_reasons():  # CMP-1
    new = rules.DuplicateFacts(
        plate="赣A12345", phone="13812345678", lane_id=5, incident_at=at(2026, 12, 7, 10), text="收费员态度恶劣"
    )
    same = rules.DuplicateFacts(
        plate="赣A12345", phone="", lane_id=5, incident_at=at(2026, 12, 7, 10, 20), text="收费员态度很恶劣"
    )
    score = rules.duplicate_score(new, same)
    reasons = dict(score.reasons)
    assert reasons["相同车牌号"] == rules.SAME_PLATE
    assert reasons["相同车道"] == rules.SAME_LANE
    assert reasons["事发时间相差20分钟"] == 25
    assert score.points == sum(reasons.values()) >= rules.SUGGEST_AT
    unrelated = rules.DuplicateFacts(lane_id=6, incident_at=at(2026, 12, 7, 20), text="加油站卫生差")
    assert rules.duplicate_score(new, unrelated).points < rules.SUGGEST_AT


def test_text_similarity_on_chinese_character_pairs():
    assert rules.text_similarity("收费员态度恶劣", "收费员态度恶劣") == 1.0
    assert rules.text_similarity("收费员态度恶劣", "天气很好") == 0.0
    assert 0.5 < rules.text_similarity("收费员态度恶劣！", "收费员的态度恶劣") < 1.0
    assert rules.text_similarity("", "收费") == 0.0


# --- The driver's personal data -----------------------------------------------------------------------


def test_phone_numbers_are_checked_and_normalised():
    assert rules.normalise_phone("138 1234 5678", required=True) == "13812345678"
    assert rules.normalise_phone("+86 138-1234-5678", required=True) == "13812345678"
    assert rules.normalise_phone("0791-88886666", required=True) == "0791-88886666"
    assert rules.normalise_phone("", required=False) == ""
    for wrong in ("1381234567a", "12345", "23812345678"):
        with pytest.raises(DomainError) as refused:
            rules.normalise_phone(wrong, required=True)
        assert refused.value.field == "phone"
    with pytest.raises(DomainError):
        rules.normalise_phone("", required=True)


def test_plates_are_checked_and_normalised():
    assert rules.normalise_plate("赣a 12345") == "赣A12345"
    assert rules.normalise_plate("赣A·D12345") == "赣AD12345"  # new-energy plate
    assert rules.normalise_plate("") == ""
    with pytest.raises(DomainError):
        rules.normalise_plate("ABC123")


def test_masks():
    assert rules.mask_phone("13812345678") == "138****5678"
    assert rules.mask_phone("0791-88886666") == "079******6666"
    assert rules.mask_plate("赣A12345") == "赣A***45"
    assert rules.mask_phone("") == rules.mask_plate("") == ""


def test_redact_removes_phones_plates_emails_and_names():
    text = "张三的电话13812345678，车牌赣A12345，邮箱zs@example.com，座机0791-88886666。"
    redacted = rules.redact(text, names=["张三"])
    for secret in ("张三", "13812345678", "赣A12345", "zs@example.com", "88886666"):
        assert secret not in redacted


def test_text_limits_have_messages():
    with pytest.raises(DomainError) as too_long:
        text_within("字" * 2001, field="description", limit=2000)
    assert "2000" in str(too_long.value) and too_long.value.field == "description"

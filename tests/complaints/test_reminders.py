"""A complaint's time limits through the reminder engine: the deadlines set, moved and closed by
the services, each reminder sent exactly once, escalation along the complaint's chain after a
missed limit (CMP-3, CMP-5), and the November reminder to enter the coming year's calendar."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from complaints import reminders, services
from complaints.models import Complaint
from tests.complaints.conftest import at
from tests.complaints.factories import answered, register, submit_online
from tests.roster.factories import ShiftLeaderAssignmentFactory
from tollservice.core.calendar import services as calendar_services
from tollservice.core.calendar.models import CalendarYear
from tollservice.core.calendar.reminders import NEXT_YEAR, next_year_reminder_set
from tollservice.notifications.models import Notification
from tollservice.reminders.models import Deadline, Reminder
from tollservice.reminders.services import reminders_send_due
from tollservice.roster.models import OfficeMembership
from tollservice.roster.selectors import shift_at


def on_duty(people, moment):
    """The roster's shift leader for the shift of ``moment`` (the fixture's cover only today)."""
    date, shift = shift_at(moment=moment)
    ShiftLeaderAssignmentFactory(date=date, shift=shift, staff=people.shift_leader, team=people.team)


def deadline(obj, kind) -> Deadline:
    return Deadline.objects.get(object_id=str(obj.pk), kind=kind)


def test_registering_sets_the_first_contact_and_answer_limits_for_the_owner(people):
    # CMP-8: whoever registers answers for the limits.
    complaint = register(people).complaint
    first = deadline(complaint, reminders.FIRST_CONTACT)
    answer = deadline(complaint, reminders.ANSWER)
    assert first.due_at == complaint.first_contact_due and answer.due_at == complaint.answer_due
    assert list(answer.responsible.all()) == [people.office]
    assert answer.url == complaint.get_absolute_url() and complaint.number in answer.title
    assert "13812345678" not in answer.title and "张三" not in answer.title  # no driver data


def test_a_web_complaint_is_the_group_offices_until_someone_takes_it_up(people):
    complaint = submit_online(people).complaint
    assert set(deadline(complaint, reminders.ANSWER).responsible.all()) == {people.office, people.office2}
    services.complaint_take_up(complaint=complaint, by=people.office2)
    assert list(deadline(complaint, reminders.ANSWER).responsible.all()) == [people.office2]


def test_each_step_closes_or_moves_its_limit(people):
    complaint = register(people).complaint
    services.complaint_contact_record(complaint=complaint, by=people.office, method="phone")
    assert deadline(complaint, reminders.FIRST_CONTACT).status == Deadline.Status.COMPLETED
    services.complaint_pause(complaint=complaint, by=people.office, reason="等照片")
    assert deadline(complaint, reminders.ANSWER).status == Deadline.Status.CANCELLED  # the clock stopped
    services.complaint_resume(complaint=complaint, by=people.office)
    complaint.refresh_from_db()
    running = Deadline.objects.get(object_id=str(complaint.pk), kind=reminders.ANSWER, status=Deadline.Status.OPEN)
    assert running.due_at == complaint.answer_due
    complaint = answered(people, complaint)
    assert not Deadline.objects.filter(kind=reminders.ANSWER, status=Deadline.Status.OPEN).exists()
    visit = deadline(complaint, reminders.RETURN_VISIT)
    assert visit.due_at == complaint.return_visit_due and visit.status == Deadline.Status.OPEN
    services.complaint_return_visit_record(complaint=complaint, by=people.office, result="dissatisfied", method="phone")
    assert deadline(complaint, reminders.RETURN_VISIT).status == Deadline.Status.COMPLETED
    review = complaint.reviews.get()
    assert deadline(review, reminders.REVIEW).status == Deadline.Status.OPEN
    assert list(deadline(review, reminders.REVIEW).responsible.all()) == [people.head.user]
    services.complaint_review_decide(review=review, by=people.head.user, reopen_case=False, reasons="处理得当")
    assert deadline(review, reminders.REVIEW).status == Deadline.Status.COMPLETED


def _still_pending(complaint) -> list[str]:
    held = Reminder.objects.filter(deadline__object_id=str(complaint.pk), deadline__status=Deadline.Status.OPEN)
    return sorted(set(held.pending().values_list("deadline__kind", flat=True)))


def test_an_answer_ends_the_first_contact_and_answer_limits_and_closing_ends_everything(people):
    # CMP-2: answered without a recorded call first, nobody is reminded to call or to answer.
    complaint = answered(people, register(people).complaint)
    assert deadline(complaint, reminders.FIRST_CONTACT).status == Deadline.Status.COMPLETED
    assert deadline(complaint, reminders.ANSWER).status == Deadline.Status.COMPLETED
    assert _still_pending(complaint) == [reminders.RETURN_VISIT]
    services.complaint_return_visit_record(complaint=complaint, by=people.office, result="satisfied", method="phone")
    services.complaint_close(complaint=complaint, by=people.office)
    assert _still_pending(complaint) == []
    assert not Deadline.objects.filter(object_id=str(complaint.pk), status=Deadline.Status.OPEN).exists()


def test_voiding_cancels_every_limit(people):
    complaint = register(people).complaint
    services.complaint_void(complaint=complaint, by=people.office, reason="误登记")
    kinds = Deadline.objects.filter(object_id=str(complaint.pk)).values_list("kind", "status")
    assert sorted(kinds) == [
        (reminders.ANSWER, Deadline.Status.CANCELLED),
        (reminders.FIRST_CONTACT, Deadline.Status.CANCELLED),
    ]


def _notices(user, number) -> list[str]:
    return list(Notification.objects.filter(recipient=user, subject__contains=number).values_list("subject", flat=True))


def test_each_reminder_is_sent_exactly_once_and_escalates_along_the_chain(people, clock):
    # CMP-3 / CMP-5: a missed answer limit goes to the shift leader on duty at the incident's
    # time, then the head of the toll-collection office, then the group office.
    clock.set(at(2026, 3, 2, 10))  # a Monday
    on_duty(people, at(2026, 3, 2, 8))
    complaint = register(people, incident_at=at(2026, 3, 2, 8)).complaint
    services.complaint_contact_record(complaint=complaint, by=people.office, method="phone")
    complaint.refresh_from_db()
    due = timezone.localtime(complaint.answer_due)
    assert due.date() == datetime.date(2026, 3, 9)  # the fifth working day
    sent = []
    day = due.date() - datetime.timedelta(days=2)
    while day <= due.date() + datetime.timedelta(days=4):
        clock.set(at(day.year, day.month, day.day, 9))
        sent.append((day, reminders_send_due(), reminders_send_due()))  # a second run sends nothing
        day += datetime.timedelta(days=1)
    assert all(second == 0 for _day, _first, second in sent)
    assert Reminder.objects.filter(sent_at__isnull=False).count() == sum(first for _day, first, _second in sent)
    number = complaint.number
    office_notices = _notices(people.office, number)
    assert len([s for s in office_notices if s.startswith("到期提醒")]) == 2  # the day before and the day itself
    assert len([s for s in office_notices if s.startswith("逾期提醒")]) == 4  # daily while overdue
    assert len(_notices(people.shift_leader.user, number)) == 1  # escalation level 1, a day late
    assert len(_notices(people.head.user, number)) == 1  # level 2
    director = OfficeMembership.objects.get(role=OfficeMembership.Role.DIRECTOR).staff.user
    assert director == people.office  # level 3 reaches the director, who also owns it here
    escalated = [s for s in office_notices if s.startswith("逾期升级")]
    assert len(escalated) == 1


def test_escalation_starts_above_whoever_coordinates_the_complaint_already(people, clock):
    clock.set(at(2026, 3, 2, 10))
    on_duty(people, at(2026, 3, 2, 8))
    complaint = register(people, incident_at=at(2026, 3, 2, 8)).complaint
    services.complaint_escalate(complaint=complaint, by=people.office, reason="司机不满")
    assert Complaint.objects.get(pk=complaint.pk).escalated_to == people.shift_leader
    complaint.refresh_from_db()
    due = timezone.localtime(complaint.answer_due).date() + datetime.timedelta(days=1)
    clock.set(at(due.year, due.month, due.day, 9))
    reminders_send_due()
    assert len(_notices(people.head.user, complaint.number)) == 1  # level 1 is now the head
    assert [s for s in _notices(people.shift_leader.user, complaint.number) if s.startswith("逾期升级")] == []


def test_the_office_is_reminded_each_november_to_enter_the_coming_years_calendar(people):
    assert next_year_reminder_set(today=datetime.date(2026, 10, 31)) is None
    entry = next_year_reminder_set(today=datetime.date(2026, 11, 2))
    assert entry.year == 2027
    reminder = Deadline.objects.get(kind=NEXT_YEAR)
    assert timezone.localtime(reminder.due_at).date() == datetime.date(2026, 12, 1)
    assert people.office in reminder.responsible.all()
    next_year_reminder_set(today=datetime.date(2026, 11, 3))  # daily: the same deadline, not moved
    assert Deadline.objects.filter(kind=NEXT_YEAR).count() == 1
    calendar_services.calendar_year_confirm(actor=people.office, year=2027, source="国办发明电〔2026〕X号")
    assert Deadline.objects.get(kind=NEXT_YEAR).status == Deadline.Status.COMPLETED
    assert next_year_reminder_set(today=datetime.date(2026, 11, 4)) is None
    assert CalendarYear.objects.get(year=2027).confirmed


@pytest.mark.parametrize("kind", [reminders.FIRST_CONTACT, reminders.ANSWER, reminders.RETURN_VISIT])
def test_reminders_name_the_complaint_but_never_the_driver(people, clock, kind):
    clock.set(at(2026, 3, 2, 10))
    complaint = register(people, incident_at=at(2026, 3, 2, 8)).complaint
    if kind == reminders.RETURN_VISIT:
        complaint = answered(people, complaint)
    clock.set(deadline(complaint, kind).due_at + datetime.timedelta(days=2))
    assert reminders_send_due() >= 1
    texts = " ".join(Notification.objects.values_list("subject", "body").first())
    assert complaint.number in texts and "13812345678" not in texts and "张三" not in texts

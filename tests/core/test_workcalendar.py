"""The working calendar (tollservice.core.calendar): weekends, public holidays and make-up
working days (调休), seeded for 2026 from the State Council's notice and edited by the office."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.roster.factories import user_with_role
from tollservice.audit.models import AuditEntry
from tollservice.core.calendar import selectors, services
from tollservice.core.calendar.models import CalendarDay, CalendarYear
from tollservice.core.calendar.workdays import WorkingCalendar, is_working_day, working_days_add
from tollservice.core.errors import DomainError

D = datetime.date


def test_weekdays_work_and_weekends_rest_without_entries():
    calendar = WorkingCalendar()
    assert calendar.is_working_day(D(2027, 3, 5))  # a Friday
    assert not calendar.is_working_day(D(2027, 3, 6))  # Saturday
    assert calendar.add_working_days(D(2027, 3, 5), 1) == D(2027, 3, 8)  # Friday + 1 → Monday
    assert calendar.add_working_days(D(2027, 3, 5), 0) == D(2027, 3, 5)
    assert calendar.working_days_between(D(2027, 3, 5), D(2027, 3, 12)) == 5


def test_holidays_rest_and_make_up_days_work():
    calendar = WorkingCalendar({D(2027, 3, 8): "holiday", D(2027, 3, 13): "workday"})
    assert not calendar.is_working_day(D(2027, 3, 8))
    assert calendar.is_working_day(D(2027, 3, 13))
    # Friday 5th + 2: Monday 8th is a holiday, so Tuesday 9th and Wednesday 10th.
    assert calendar.add_working_days(D(2027, 3, 5), 2) == D(2027, 3, 10)
    # Skipped days do not count either (a complaint's days waiting on the driver).
    assert calendar.add_working_days(D(2027, 3, 5), 2, skip={D(2027, 3, 9)}) == D(2027, 3, 11)


def test_a_negative_count_is_refused():
    with pytest.raises(ValueError):
        WorkingCalendar().add_working_days(D(2027, 1, 1), -1)


@pytest.mark.django_db
def test_2026_is_seeded_from_the_state_councils_notice():
    days = dict(CalendarDay.objects.filter(date__year=2026).values_list("date", "kind"))
    # Spring Festival: 15–23 February off, Saturdays 14 and 28 February worked.
    assert all(days[D(2026, 2, d)] == "holiday" for d in range(15, 24))
    assert days[D(2026, 2, 14)] == days[D(2026, 2, 28)] == "workday"
    # National Day: 1–7 October off, Sunday 20 September and Saturday 10 October worked.
    assert days[D(2026, 10, 1)] == days[D(2026, 10, 7)] == "holiday"
    assert days[D(2026, 9, 20)] == days[D(2026, 10, 10)] == "workday"
    assert sum(kind == "workday" for kind in days.values()) == 6
    assert sum(kind == "holiday" for kind in days.values()) == 3 + 9 + 3 + 5 + 3 + 3 + 7
    assert selectors.calendar_year_entered(year=2026)


@pytest.mark.django_db
def test_working_days_add_reads_the_seeded_calendar():
    # Friday 13 February 2026 + 1 working day: Saturday 14th is a make-up working day.
    assert working_days_add(D(2026, 2, 13), 1) == D(2026, 2, 14)
    # Saturday 14th + 1: the holiday runs 15–23 February; Tuesday 24th is the next working day.
    assert working_days_add(D(2026, 2, 14), 1) == D(2026, 2, 24)
    # Wednesday 30 September + 3: National Day 1–7 October; Thursday 8th, Friday 9th, Saturday 10th.
    assert working_days_add(D(2026, 9, 30), 3) == D(2026, 10, 10)
    assert not is_working_day(D(2026, 5, 5)) and is_working_day(D(2026, 5, 9))


@pytest.mark.django_db
def test_one_query_per_year_touched():
    with CaptureQueriesContext(connection) as queries:
        working_days_add(D(2026, 12, 28), 10)  # into 2027
    assert len(queries) == 2


@pytest.mark.django_db
def test_the_office_enters_days_and_confirms_a_year_audited():
    office = user_with_role("office")
    day = services.calendar_day_set(actor=office, date=D(2027, 2, 8), kind="holiday", name="春节")
    assert AuditEntry.objects.filter(object_id=str(day.pk), action=AuditEntry.Action.CREATE).exists()
    services.calendar_day_set(actor=office, date=D(2027, 2, 8), kind="holiday", name="春节假期")
    assert CalendarDay.objects.get(date=D(2027, 2, 8)).name == "春节假期"
    with pytest.raises(DomainError) as refused:
        services.calendar_day_set(actor=office, date=D(2027, 2, 10), kind="workday", name="春节")
    assert refused.value.field == "date"  # a make-up day is a Saturday or Sunday
    services.calendar_day_remove(actor=office, date=D(2027, 2, 8))
    assert not CalendarDay.objects.filter(date=D(2027, 2, 8)).exists()
    assert not selectors.calendar_year_entered(year=2027)
    services.calendar_year_confirm(actor=office, year=2027, source="国务院办公厅通知")
    assert CalendarYear.objects.get(year=2027).confirmed_by == office
    with pytest.raises(DomainError):
        services.calendar_year_confirm(actor=office, year=2027)


@pytest.mark.django_db
def test_only_the_office_and_the_administrator_edit_the_calendar():
    for role in ("leadership", "team_leader", "staff", "finance"):
        with pytest.raises(DomainError):
            services.calendar_day_set(actor=user_with_role(role), date=D(2027, 1, 1), kind="holiday", name="元旦")
    services.calendar_day_set(actor=user_with_role("admin"), date=D(2027, 1, 1), kind="holiday", name="元旦")


@pytest.mark.django_db
def test_the_office_is_reminded_from_november_until_next_year_is_confirmed():
    assert selectors.calendar_next_year_missing(today=D(2026, 10, 31)) is None
    assert selectors.calendar_next_year_missing(today=D(2026, 11, 1)) == 2027
    services.calendar_year_confirm(actor=user_with_role("office"), year=2027)
    assert selectors.calendar_next_year_missing(today=D(2026, 12, 2)) is None

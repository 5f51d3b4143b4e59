"""The complaint figures' kept months (issue 9): a whole month's counts are kept and read by
later reports, recounted after any write to one of its complaints, never kept from a count that
a concurrent write overtook, and always equal to a count of the month's complaints."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from complaints import selectors, services
from complaints.models import ComplaintMonthCounts, Review
from complaints.selectors import figures
from tests.complaints.conftest import at
from tests.complaints.factories import answered, extended_media_case, investigated, register, submit_online
from tests.query_plan import selects
from tollservice.core.dates import month_end, shift_month

pytestmark = pytest.mark.django_db


@pytest.fixture
def month(clock):
    """The first day of last month (ended, so whole in any report that reaches today)."""
    return shift_month(timezone.localdate().replace(day=1), -1)


class Station:
    """Moves the clock between the month's days (when the complaints are handled) and now
    (when the figures are read)."""

    def __init__(self, clock, month: datetime.date):
        self.clock, self.month, self.now = clock, month, clock.now

    def during_the_month(self, day: int = 10, hour: int = 10, *, months_before: int = 0) -> None:
        month = shift_month(self.month, -months_before)
        self.clock.set(at(month.year, month.month, day, hour))

    def today(self) -> None:
        self.clock.set(self.now)


@pytest.fixture
def station(clock, month):
    return Station(clock, month)


def _kept_row(month: datetime.date) -> ComplaintMonthCounts:
    return ComplaintMonthCounts.objects.get(month=month)


def _complaint_counts(captured) -> list[str]:
    return [sql for sql in selects(captured) if 'FROM "complaints_complaint"' in sql and "COUNT" in sql]


def _assert_kept_month_is_true(month: datetime.date) -> None:
    """Read the month as the report does (kept), and compare with its complaints counted."""
    kept = figures.count_complaints(month, month_end(month))
    assert kept == figures.count_accepted(month, month_end(month))
    row = _kept_row(month)
    assert row.counted_changes == row.changes, "the month's counts were kept as current"


def test_a_kept_month_equals_its_complaints_counted_after_every_step(people, station, month):  # CMP-1
    """Each step of a month's complaints, the figures read in between: the kept month is
    recounted after each write and matches a count of its complaints (incidents once, CMP-1)."""
    made = {}

    def register_a_phone_call_and_a_web_complaint():
        made["phone"] = register(people).complaint
        # The driver had written online the month before; linked later as a duplicate, it is
        # answered with the phone call: its own month changes with the link and the answer.
        station.during_the_month(hour=20, months_before=1)
        made["web"] = submit_online(people).complaint

    def link_the_web_complaint_as_a_duplicate():
        services.complaint_link_duplicate(complaint=made["web"], primary=made["phone"], by=people.office)

    def investigate_a_letter():
        made["letter"] = investigated(
            people,
            register(people, channel="letter", category="charging").complaint,
            outcome="not_upheld",
            fault="driver",
            at_fault=False,
        )

    def answer_the_phone_call():
        answered(people, made["phone"])

    def answer_the_letter():
        services.complaint_answer(complaint=made["letter"], by=people.office, reply="收费符合标准。")

    def visit_the_drivers():
        services.complaint_return_visit_record(
            complaint=made["phone"], by=people.office, result="satisfied", method="phone"
        )
        services.complaint_return_visit_record(
            complaint=made["web"], by=people.office, result="basically", method="phone"
        )
        services.complaint_return_visit_record(
            complaint=made["letter"], by=people.office, result="dissatisfied", method="phone"
        )

    def decide_the_review():
        services.complaint_review_decide(
            review=Review.objects.get(complaint=made["letter"]), by=people.head.user, reopen_case=False, reasons="维持"
        )

    def extend_a_media_case():
        extended_media_case(people)

    def void_a_mistake():
        services.complaint_void(complaint=register(people).complaint, by=people.office, reason="误登记")

    steps = [
        register_a_phone_call_and_a_web_complaint,
        link_the_web_complaint_as_a_duplicate,
        investigate_a_letter,
        answer_the_phone_call,
        answer_the_letter,
        extend_a_media_case,
        void_a_mistake,
    ]
    months = [shift_month(month, -1), month]
    station.today()
    for kept in months:
        _assert_kept_month_is_true(kept)  # empty months, kept
    for step in steps:
        station.during_the_month()
        step()
        station.today()
        for kept in months:
            _assert_kept_month_is_true(kept)
    # The return visits and the review come this month, on complaints of the last two.
    for step in (visit_the_drivers, decide_the_review):
        step()
        for kept in months:
            _assert_kept_month_is_true(kept)

    totals = figures.count_complaints(months[0], month_end(month))
    assert (totals["received"], totals["incidents"], totals["dissatisfied"], totals["reviewed"]) == (4, 3, 1, 1)
    assert (totals["visited_satisfied"], totals["visited_basically"], totals["extensions"]) == (1, 1, 1)
    web = figures.count_complaints(months[0], month_end(months[0]))
    assert (web["received"], web["incidents"], web["answered_drivers"]) == (1, 0, 1)


def test_a_count_overtaken_by_a_write_is_not_kept(people, station, month):
    """A reader counts the month, a write to one of its complaints commits before the reader
    keeps the count: the count is refused (the write moved the month's counter), and the next
    reader counts again. Also when the month had no row when the reader began."""
    station.during_the_month()
    first = register(people).complaint
    second = register(people).complaint
    station.today()
    last_day = month_end(month)

    def count_then_void(complaint):
        def count(counted_month):
            counts = figures.count_accepted(counted_month, month_end(counted_month))
            services.complaint_void(complaint=complaint, by=people.office, reason="误登记")
            return counts

        return count

    # The month has a row (the registrations bumped it): the conditional update is refused.
    ComplaintMonthCounts.objects.counts_of([month], count=count_then_void(first), keys=figures.COUNTED)
    row = _kept_row(month)
    assert row.counted_changes != row.changes
    assert figures.count_complaints(month, last_day)["received"] == 1
    _assert_kept_month_is_true(month)

    # No row yet: the write's own row wins over the reader's insertion.
    ComplaintMonthCounts.objects.all().delete()
    ComplaintMonthCounts.objects.counts_of([month], count=count_then_void(second), keys=figures.COUNTED)
    row = _kept_row(month)
    assert row.counted_changes is None and row.changes == 1
    assert figures.count_complaints(month, last_day)["received"] == 0
    _assert_kept_month_is_true(month)


def test_a_year_reads_its_kept_months_and_recounts_only_a_changed_one(people, station, month):
    """Issue 9: after the first report, a year of figures reads twelve kept rows and counts only
    the days outside whole months; a write to a complaint recounts its month alone."""
    station.during_the_month()
    complaint = register(people).complaint
    station.today()
    today = timezone.localdate()
    year_from = shift_month(today.replace(day=1), -11)
    days = 0 if today == month_end(today) else 1  # this month's days, unless it ended today

    def read_the_year():
        with CaptureQueriesContext(connection) as captured:
            result = selectors.complaint_figures(user=people.office, date_from=year_from, date_to=today)
        return result, captured

    first, captured = read_the_year()
    assert len(_complaint_counts(captured)) == 12  # eleven months and this month's days, or twelve
    again, captured = read_the_year()
    assert len(_complaint_counts(captured)) == days
    assert len(captured) == 2 + days  # the settings, the kept months, the days
    assert again.received == first.received == 1

    services.complaint_contact_record(complaint=complaint, by=people.office, method="phone", note="已联系司机")
    _after_a_write, captured = read_the_year()
    assert len(_complaint_counts(captured)) == 1 + days  # last month only, and the days
    assert len(captured) == 2 + days + 2  # … and the recounted month kept


def test_a_change_of_definitions_applies_to_kept_months_without_a_recount(people, station, month):
    """The kept counts are raw (each return-visit result and verdict outcome on its own): the
    satisfaction and upheld rates follow the settings at once."""
    station.during_the_month()
    complaint = answered(people, register(people).complaint, outcome="partly_upheld")
    services.complaint_return_visit_record(complaint=complaint, by=people.office, result="basically", method="phone")
    station.today()
    last_day = month_end(month)
    before = selectors.complaint_figures(user=people.office, date_from=month, date_to=last_day)
    assert (before.satisfaction.numerator, before.upheld.numerator) == (1, 1)

    services.complaint_settings_update(
        actor=people.office, basically_satisfied_counts=False, partly_upheld_counts=False
    )
    with CaptureQueriesContext(connection) as captured:
        after = selectors.complaint_figures(user=people.office, date_from=month, date_to=last_day)
    assert not _complaint_counts(captured)
    assert (after.satisfaction.numerator, after.satisfaction.denominator) == (0, 1)
    assert (after.upheld.numerator, after.upheld.denominator) == (0, 1)


def test_periods_reaching_far_back_or_ahead_count_only_months_with_complaints(people, station, month):
    """A period from 2000 counts and keeps the months from the first complaint's on; the days
    after today count nothing (nothing is accepted later than now)."""
    station.during_the_month()
    register(people)
    station.today()
    result = selectors.complaint_figures(
        user=people.office, date_from=datetime.date(2000, 1, 1), date_to=datetime.date(2999, 12, 31)
    )
    assert result.received == 1
    assert not ComplaintMonthCounts.objects.filter(month__lt=month).exists()
    assert not ComplaintMonthCounts.objects.filter(month__gt=timezone.localdate()).exists()
    ahead = selectors.complaint_figures(
        user=people.office, date_from=datetime.date(2999, 1, 1), date_to=datetime.date(2999, 12, 31)
    )
    assert ahead.received == 0 and ahead.date_to == datetime.date(2999, 12, 31)

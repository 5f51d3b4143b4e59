"""The complaints list and the registration ledger read their page through an index in the page's
order (issue 9), filtered or not: the plan of the main query is read on SQLite and, with a
PostgreSQL ``DATABASE_URL``, on PostgreSQL (tests/query_plan.py)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from complaints import selectors
from complaints.models import Complaint, ComplaintMonthCounts, Extension, ReturnVisit, Review
from tests.complaints.factories import register
from tests.query_plan import assert_indexed, selects
from tollservice.core.dates import shift_month

pytestmark = pytest.mark.django_db

PAGE = 25


@pytest.fixture
def registered(people):
    for _ in range(3):
        register(people)
    return people


def test_the_staff_list_is_read_in_its_order_through_an_index(registered):
    office = registered.office
    assert_indexed(selectors.complaint_list(user=office)[:PAGE], [Complaint])
    for filters in ({"status": Complaint.Status.REGISTERED}, {"channel": Complaint.Channel.PHONE}):
        assert_indexed(selectors.complaint_list(user=office, **filters)[:PAGE], [Complaint])


def test_the_ledger_is_read_in_number_order_through_an_index(registered):
    year = timezone.localdate().year
    assert_indexed(selectors.complaint_ledger(user=registered.office, year=year)[:50], [Complaint])


def test_the_figures_read_a_year_from_indexes_alone(registered):
    """Issue 9: every count of the figures (a month's, or the days outside whole months) reads
    the complaints from the figures' index (every column it counts, no row of the table), and
    the dissatisfied return visits, decided reviews and approved extensions each once through
    an index rather than probed for every complaint; the kept months are read by their key."""
    today = timezone.localdate()
    year_start = shift_month(today.replace(day=1), -11)  # eleven whole months, and this one's days
    with CaptureQueriesContext(connection) as captured:
        selectors.complaint_figures(user=registered.office, date_from=year_start, date_to=today)
    counts = [sql for sql in selects(captured) if 'FROM "complaints_complaint"' in sql and "COUNT" in sql]
    assert len(counts) == 12  # each month counted once (none was kept yet)
    for aggregate in counts:
        assert "EXISTS" not in aggregate.upper()  # nothing correlated per complaint
        plan = assert_indexed(aggregate, [Complaint, ReturnVisit, Review, Extension])
        if connection.vendor == "sqlite":
            assert "USING COVERING INDEX complaint_figures" in str(plan), plan
    (kept,) = [sql for sql in selects(captured) if 'FROM "complaints_complaintmonthcounts"' in sql]
    assert_indexed(kept, [ComplaintMonthCounts])


def test_a_team_leader_s_list_is_counted_through_indexes(registered, client):
    # Issue 9: a team leader's scope (the team's complaints and their own: owned, first responded
    # to, registered, escalated to them, reviewed by them) counted row by row read 10,000
    # complaints one by one at 200,000 rows. Its indexed form (``visible_q(indexed=True)``) is
    # counted through the indexes; the page still walks the list's order index.
    from complaints import access
    from tollservice.core.pagination import COUNT_CAP

    leader = registered.team_leader.user
    register(registered, by=leader, lane=registered.other_lane)  # their own, outside the team's lane
    for user in (leader, registered.office, registered.leader, registered.collector.user, registered.staff_user):
        both = [set(Complaint.objects.filter(access.visible_q(user, indexed=indexed))) for indexed in (False, True)]
        assert both[0] == both[1], user
    client.force_login(leader)
    for filters in ({}, {"status": Complaint.Status.REGISTERED}, {"channel": Complaint.Channel.PHONE}):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("complaints:list"), filters)
        page = response.context["page_obj"]
        listed = selectors.complaint_list(user=leader, **filters)
        assert page.paginator.count == len(listed) > 0, filters
        (counted,) = [sql for sql in selects(captured) if f"LIMIT {COUNT_CAP + 1}" in sql]
        assert "EXISTS" not in counted.upper()
        assert_indexed(counted, [Complaint], allow_index_scan=True)

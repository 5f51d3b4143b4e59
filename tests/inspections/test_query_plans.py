"""Each inspections list reads its page through an index in the page's order, never by reading
and sorting the whole table (issue 9): the plan of its main query is read on SQLite and on
PostgreSQL (tests/query_plan.py: run the file with a PostgreSQL ``DATABASE_URL`` for the
latter). The tables are tiny here; the plan shows what the database would do with 200,000 rows."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from inspections import selectors
from inspections.models import Inspection, ItemResult, RectificationOrder
from inspections.services import rectification_order_issue
from tests.inspections.factories import a_moment, finding, inspection
from tests.list_plans import assert_list_pages_indexed
from tests.query_plan import assert_indexed, selects

pytestmark = pytest.mark.django_db

Kind = Inspection.Kind
TABLES = [Inspection, ItemResult, RectificationOrder]
PAGE = 25


@pytest.fixture
def filed(site):
    for days_ago in (2, 3):
        done = inspection(
            by=site.office,
            team=site.team_a,
            breaches={"JC-02": (1, site.collector), "JC-11": (1, None)},
            occurred_at=a_moment(days_ago=days_ago),
        )
        rectification_order_issue(finding=finding(done, "JC-11"), issued_by=site.office, instructions="整改")
    inspection(by=site.supervisor, team=site.team_b, kind=Kind.SUPERVISOR_COVERT, occurred_at=a_moment(4))
    return site


def readers(site):
    return {"office": site.office, "team leader": site.leader_a.user, "supervisor": site.supervisor}


# A reader whose scope is a union of narrow parts (their team's, their own visits, what names
# them) is paged part by part, each through its own index, and the parts merged
# (``tollservice.core.pagination.in_branches``): every page's queries are read here, as the view
# runs them — the first page, after and before a row, the last page.
A_MOMENT = timezone.make_aware(datetime.datetime(2026, 5, 1, 9, 30))


def test_the_inspection_list_is_read_in_its_order_through_an_index(filed):
    user = filed.office
    plan = assert_indexed(selectors.inspection_list(user=user)[:PAGE], TABLES)
    if connection.vendor == "sqlite":
        # Each row's findings are counted among the inspection's own, not by reading every finding
        # through an index that names the verdict only (at 200,000 rows: 94 ms, not 49, a page).
        counted = str(plan).split("CORRELATED SCALAR SUBQUERY")[1]
        assert "COVERING INDEX result_inspection_order (inspection_id=? AND verdict=?)" in counted, plan
    # The filters: kind and status; a team; a lane.
    assert_indexed(
        selectors.inspection_list(user=user, kind=Kind.OFFICE_ROUTINE, status=Inspection.Status.CLOSED)[:PAGE], TABLES
    )
    assert_indexed(selectors.inspection_list(user=user, team=filed.team_a)[:PAGE], TABLES)


@pytest.mark.parametrize("reader", ["office", "team leader", "supervisor"])
@pytest.mark.parametrize("params", [{}, {"kind": Kind.OFFICE_ROUTINE, "status": "closed"}, {"team": "team_a"}])
def test_the_inspection_pages_are_read_in_their_order_through_indexes(filed, client, reader, params):
    client.force_login(readers(filed)[reader])
    params = {name: filed.team_a.pk if value == "team_a" else value for name, value in params.items()}
    assert_list_pages_indexed(
        client,
        reverse("inspections:inspection_list"),
        ordering=Inspection.objects.order_by("-occurred_at", "-pk"),
        boundary=[A_MOMENT, 1000],
        tables=TABLES,
        params=params,
    )


@pytest.mark.parametrize("reader", ["office", "team leader"])
def test_the_finding_list_is_read_in_its_order_through_an_index(filed, reader):
    user = readers(filed)[reader]
    assert_indexed(selectors.finding_list(user=user)[:PAGE], TABLES)
    assert_indexed(selectors.finding_list(user=user, team=filed.team_a)[:PAGE], TABLES)


@pytest.mark.parametrize("reader", ["office", "team leader"])
@pytest.mark.parametrize("params", [{}, {"without_outcome": "true"}])
def test_the_finding_pages_are_read_in_their_order_through_indexes(filed, client, reader, params):
    client.force_login(readers(filed)[reader])
    assert_list_pages_indexed(
        client,
        reverse("inspections:finding_list"),
        ordering=ItemResult.objects.order_by("-occurred_at", "-inspection_id", "position", "pk"),
        boundary=[A_MOMENT, 1000, 3, 1000],
        tables=TABLES,
        params=params,
    )


@pytest.mark.parametrize("url_name", ["inspections:inspection_list", "inspections:finding_list"])
def test_the_office_s_counts_read_no_inspection_row_by_row(filed, client, url_name):
    """Issue 9: the office's capped count of 10,001 findings read each finding's row and joined it
    to its inspection (53 ms at 200,000 rows), and its count of inspections read the table
    (``status <> 'draft'`` has no index). Both now read an index alone (the findings' holds
    ``withdrawn``: 2 ms), and the inspections hidden from the office are read once
    (``selectors.scope.hidden_from``), through the status and kind indexes."""
    client.force_login(filed.office)
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse(url_name))
    (count,) = [sql for sql in selects(captured) if "COUNT(*)" in sql and '"inspections_' in sql]
    plan = assert_indexed(count, TABLES, allow_index_scan=True)
    if connection.vendor == "sqlite":
        # The inspections are read in a list subquery only: never by key, once per counted row.
        assert "LIST SUBQUERY" in str(plan) and "INTEGER PRIMARY KEY" not in str(plan), plan
        assert "USING COVERING INDEX" in str(plan), plan


def test_the_order_list_is_read_in_its_order_through_an_index(filed):
    user = filed.office
    assert_indexed(selectors.order_list(user=user)[:PAGE], TABLES)
    assert_indexed(selectors.order_list(user=user, status=RectificationOrder.Status.OPEN)[:PAGE], TABLES)


@pytest.mark.parametrize("reader", ["office", "team leader"])
@pytest.mark.parametrize("params", [{}, {"status": "open"}])
def test_the_order_pages_are_read_in_their_order_through_indexes(filed, client, reader, params):
    client.force_login(readers(filed)[reader])
    assert_list_pages_indexed(
        client,
        reverse("inspections:order_list"),
        ordering=RectificationOrder.objects.order_by("deadline", "pk"),
        boundary=[datetime.date(2026, 5, 1), 1000],
        tables=TABLES,
        params=params,
    )


def test_the_review_queue_is_read_in_its_order_through_an_index(filed):
    assert_indexed(selectors.review_queue(user=filed.office)[:PAGE], TABLES)

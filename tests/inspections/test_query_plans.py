"""Each inspections list reads its page through an index in the page's order, never by reading
and sorting the whole table (issue 9): the plan of its main query is read on SQLite and on
PostgreSQL (tests/query_plan.py: run the file with a PostgreSQL ``DATABASE_URL`` for the
latter). The tables are tiny here; the plan shows what the database would do with 200,000 rows."""

from __future__ import annotations

import pytest

from inspections import selectors
from inspections.models import Inspection, ItemResult, RectificationOrder
from inspections.services import rectification_order_issue
from tests.inspections.factories import a_moment, finding, inspection
from tests.query_plan import assert_indexed

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


# A reader whose scope is an OR of narrow conditions (their team's, their own visits, what names
# them): SQLite, without statistics, reads each condition through its index (MULTI-INDEX OR) and
# sorts what they found, rows that grow with the team's inspections (PostgreSQL walks the list's
# index); for orders, PostgreSQL joins every inspection to test the scope. A known gap
# (notes/modules.md): the scope would have to be written on the order's and result's own columns.
NARROW_SCOPE = pytest.mark.xfail(reason="a narrow OR scope: see NARROW_SCOPE", strict=False)


@pytest.mark.parametrize(
    "reader",
    ["office", pytest.param("team leader", marks=NARROW_SCOPE), pytest.param("supervisor", marks=NARROW_SCOPE)],
)
def test_the_inspection_list_is_read_in_its_order_through_an_index(filed, reader):
    user = readers(filed)[reader]
    assert_indexed(selectors.inspection_list(user=user)[:PAGE], TABLES)
    # The filters: kind and status; a team; a lane.
    assert_indexed(
        selectors.inspection_list(user=user, kind=Kind.OFFICE_ROUTINE, status=Inspection.Status.CLOSED)[:PAGE], TABLES
    )
    assert_indexed(selectors.inspection_list(user=user, team=filed.team_a)[:PAGE], TABLES)


@pytest.mark.parametrize("reader", ["office", "team leader"])
def test_the_finding_list_is_read_in_its_order_through_an_index(filed, reader):
    user = readers(filed)[reader]
    assert_indexed(selectors.finding_list(user=user)[:PAGE], TABLES)
    assert_indexed(selectors.finding_list(user=user, team=filed.team_a)[:PAGE], TABLES)


@pytest.mark.parametrize("reader", ["office", pytest.param("team leader", marks=NARROW_SCOPE)])
def test_the_order_list_is_read_in_its_order_through_an_index(filed, reader):
    user = readers(filed)[reader]
    assert_indexed(selectors.order_list(user=user)[:PAGE], TABLES)
    assert_indexed(selectors.order_list(user=user, status=RectificationOrder.Status.OPEN)[:PAGE], TABLES)


def test_the_review_queue_is_read_in_its_order_through_an_index(filed):
    assert_indexed(selectors.review_queue(user=filed.office)[:PAGE], TABLES)

"""The query-plan helper (tests/query_plan.py) tells an indexed query from a full scan or sort."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from penalties.models import Penalty
from tests.query_plan import (
    FULL_INDEX_SCAN,
    FULL_SCAN,
    TEMPORARY_SORT,
    _Walk,
    assert_indexed,
    assert_indexed_queries,
    explain,
    selects,
)
from tollservice.roster.models import Staff

pytestmark = pytest.mark.django_db


def kinds(plan) -> set[tuple[str, str]]:
    return {(problem.table, problem.kind) for problem in plan.problems}


def test_a_filter_on_an_unindexed_column_reads_the_table():
    query = Staff.objects.filter(phone="13800000000").order_by()
    assert (Staff._meta.db_table, FULL_SCAN) in kinds(explain(query, [Staff]))
    with pytest.raises(AssertionError, match="full scan of roster_staff"):
        assert_indexed(query, [Staff])


def test_a_filter_on_an_unindexed_column_in_the_order_of_an_index_reads_the_index():
    # Staff are ordered by employee number: the database may walk that index to the end instead
    # of sorting, which reads every row as surely.
    query = Staff.objects.filter(phone="13800000000")
    assert kinds(explain(query, [Staff])) & {(Staff._meta.db_table, FULL_SCAN), (Staff._meta.db_table, FULL_INDEX_SCAN)}
    with pytest.raises(AssertionError, match="scan of roster_staff"):
        assert_indexed(query, [Staff])


def test_a_count_reads_an_index_in_full_which_may_be_allowed():
    count = f"SELECT COUNT(*) FROM {connection.ops.quote_name(Staff._meta.db_table)}"
    assert kinds(explain(count, [Staff])) == {(Staff._meta.db_table, FULL_INDEX_SCAN)}
    with pytest.raises(AssertionError, match="full index scan of roster_staff"):
        assert_indexed(count, [Staff])
    assert_indexed(count, [Staff], allow_index_scan=True)


def test_an_order_no_index_provides_is_a_temporary_sort():
    query = Staff.objects.order_by("phone")[:25]
    assert (Staff._meta.db_table, TEMPORARY_SORT) in kinds(explain(query, [Staff]))
    with pytest.raises(AssertionError, match="temporary sort of roster_staff"):
        assert_indexed(query, [Staff])


def test_a_page_in_the_order_of_an_index_passes():
    plan = assert_indexed(Staff.objects.order_by("employee_number")[:25], [Staff])
    assert plan.lines  # the plan is there to read when a test fails


def test_a_lookup_through_an_index_passes():
    assert_indexed(Staff.objects.filter(employee_number="CT0001"), [Staff])
    # The composite index (staff, eligibility_year, status) serves PEN-2's question.
    assert_indexed(Penalty.objects.filter(staff_id=1, eligibility_year=2026, status="decided").order_by(), [Penalty])


def test_sorting_the_rows_an_index_found_is_a_temporary_sort():
    # One person's penalties in the year grow with the data; the sort would too.
    query = Penalty.objects.filter(staff_id=1, eligibility_year=2026, status="decided").order_by("-fine_fen")
    assert (Penalty._meta.db_table, TEMPORARY_SORT) in kinds(explain(query, [Penalty]))


def test_sorting_what_a_prefetch_picks_passes():
    # Django's prefetch of the page's related rows: 25 keys bound the sort, whatever the table holds.
    assert_indexed(Penalty.objects.filter(pk__in=[1, 2, 3]).order_by("-incident_date"), [Penalty])
    assert_indexed(Penalty.objects.filter(staff_id__in=[1, 2]).order_by("-incident_date"), [Penalty])
    # A list of keys beside another condition is a scope (a team leader's teams), not a prefetch;
    # a list of states is no list of keys: the rows either picks grow with the table.
    scoped = Penalty.objects.filter(team_id__in=[1, 2], status="decided").order_by("-fine_fen")
    states = Penalty.objects.filter(status__in=["decided", "approved"]).order_by("-fine_fen")
    for query in (scoped, states):
        with pytest.raises(AssertionError, match="temporary sort of penalties_penalty"):
            assert_indexed(query, [Penalty])


def test_sorting_the_one_row_a_unique_key_finds_passes():
    # roles_for: the staff member of an account, ``.first()`` in employee-number order.
    assert_indexed(Staff.objects.filter(user_id=1).order_by("employee_number")[:1], [Staff])
    assert_indexed(Staff.objects.filter(pk=1).order_by("phone"), [Staff])
    with pytest.raises(AssertionError, match="temporary sort of roster_staff"):
        assert_indexed(Staff.objects.filter(team_id=1).order_by("phone"), [Staff])


def test_only_the_named_tables_count():
    assert_indexed(Staff.objects.filter(phone="13800000000"), [Penalty])
    assert_indexed(Staff.objects.filter(phone="13800000000"), [])


def test_raw_sql_with_parameters():
    table = connection.ops.quote_name(Staff._meta.db_table)
    plan = explain(f"SELECT * FROM {table} WHERE phone = %s", ["staff"], params=["13800000000"])
    assert plan.problems == [] and plan.lines  # "staff" is no table: nothing named is read
    with pytest.raises(AssertionError, match="full scan"):
        assert_indexed(f"SELECT * FROM {table} WHERE phone = %s", [Staff], params=["13800000000"])


def test_every_select_a_page_ran_is_checked():
    with CaptureQueriesContext(connection) as captured:
        list(Staff.objects.order_by("employee_number")[:25])
        list(Staff.objects.filter(phone="13800000000").order_by())
    assert len(selects(captured)) == 2
    with pytest.raises(AssertionError) as failure:
        assert_indexed_queries(captured, [Staff])
    assert "phone" in str(failure.value)  # the failing query is quoted, with its plan
    assert "employee_number" not in str(failure.value).split("query:")[0]


def _postgres_plan(outer: dict, inner: dict) -> dict:
    scan = {"Node Type": "Hash Join", "Plans": [{**outer, "Parent Relationship": "Outer"}]}
    scan["Plans"].append({"Node Type": "Hash", "Parent Relationship": "Inner", "Plans": [inner]})
    return {"Node Type": "Limit", "Plans": [scan]}


def test_a_hash_join_under_a_limit_streams_its_outer_side_and_builds_its_inner_side_in_full():
    # Read without a database: the walk of a PostgreSQL plan (tiny tables make hash joins cheap,
    # so whichever side the planner picks, the verdict must follow what the join really reads).
    whole_index = {"Node Type": "Index Scan", "Relation Name": "roster_staff", "Index Name": "roster_staff_pkey"}
    by_key = {**whole_index, "Index Cond": "(team_id = 3)"}

    def problems(plan):
        walk = _Walk(connection, "SELECT 1", {"roster_staff"})
        walk(plan, depth=0, limited=False)
        return [problem.kind for problem in walk.problems]

    assert problems(_postgres_plan(outer=whole_index, inner=by_key)) == []
    assert problems(_postgres_plan(outer=by_key, inner=whole_index)) == [FULL_INDEX_SCAN]

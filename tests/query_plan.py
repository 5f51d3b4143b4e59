"""Read the database's plan for a query; fail on a full scan or a temporary sort of a large table.

A list whose cost must not grow with its rows needs its main query to reach the rows of the page
through an index, in the order of the page. Timing cannot prove that in a test (the test tables
are tiny), but the plan can::

    from tests.query_plan import assert_indexed

    def test_penalty_list_reads_its_page_through_an_index(db):
        assert_indexed(selectors.penalty_list(user=office)[:25], tables=[Penalty])

    # or every query a page runs:
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("penalties:penalty_list"))
    assert_indexed_queries(captured, tables=[Penalty, LedgerEntry])

What fails, for each of the named ``tables``:

- a full scan: SQLite's ``SCAN <table>`` without an index (or with an automatic index, which it
  builds by reading the table); PostgreSQL's ``Seq Scan``;
- a full index scan: reading a whole index, with no condition on it and no ``LIMIT`` to stop
  early (SQLite ``SCAN t USING INDEX i`` outside a statement that ends in ``LIMIT``; PostgreSQL
  an index scan without ``Index Cond`` that no ``Limit`` stops). A ``COUNT(*)`` reads an index
  this way by nature: pass ``allow_index_scan=True`` for it;
- a temporary sort: SQLite's ``USE TEMP B-TREE FOR ORDER BY`` (``GROUP BY``, ``DISTINCT``)
  of rows read from the table (the outer table of a join), even of the rows an index found (one
  person's penalties grow too); PostgreSQL's ``Sort`` over it.

A sort in a query whose only condition is a literal list of keys (``WHERE "t"."penalty_id" IN (1,
2, …)``: Django's prefetch of a page's related rows) passes: the list, not the table, bounds it.

A page read *through* an index in its order (SQLite ``SCAN t USING INDEX i`` in a statement
ending in ``LIMIT``, PostgreSQL an index scan under ``Limit``) passes: it stops after the page.
What a plan cannot show is the cost of ``OFFSET``: a deep page reads every row it skips, which
only keyset pagination avoids (``make bench`` measures the last page).

On PostgreSQL the planner rightly prefers a sequential scan, a sort and a hash join for tables of
a few rows, so the plan is read with those off (``enable_seqscan``, ``enable_sort``, and the joins
that read a side whole: for this query only, rolled back afterwards): a scan or sort that remains
has no index to avoid it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.models import QuerySet

FULL_SCAN = "full scan"
FULL_INDEX_SCAN = "full index scan"
TEMPORARY_SORT = "temporary sort"


@dataclass(frozen=True)
class PlanProblem:
    table: str
    kind: str  # FULL_SCAN, FULL_INDEX_SCAN or TEMPORARY_SORT
    detail: str  # the line of the plan that shows it

    def __str__(self) -> str:
        return f"{self.kind} of {self.table}: {self.detail}"


@dataclass(frozen=True)
class Plan:
    sql: str
    lines: list[str]  # the plan as the database prints it, one node per line
    problems: list[PlanProblem]

    def __str__(self) -> str:
        return "\n".join(self.lines)


def explain(query: QuerySet | str, tables: Iterable[str | type[models.Model]] = (), *, params=None, using=None) -> Plan:
    """The plan of ``query`` (a queryset, or SQL with ``params``) and what it does to ``tables``."""
    if isinstance(query, QuerySet):
        using = using or query.db
        sql, params = query.query.get_compiler(using=using).as_sql()
    else:
        sql = query
    using = using or DEFAULT_DB_ALIAS
    connection = connections[using]
    names = {_table_name(table) for table in tables}
    if connection.vendor == "sqlite":
        return _explain_sqlite(connection, sql, params, names)
    if connection.vendor == "postgresql":
        return _explain_postgresql(connection, sql, params, names)
    raise NotImplementedError(f"No plan reader for {connection.vendor}")


def assert_indexed(
    query: QuerySet | str,
    tables: Iterable[str | type[models.Model]],
    *,
    params=None,
    using=None,
    allow_index_scan: bool = False,
) -> Plan:
    """Fail if the plan of ``query`` scans or sorts any of ``tables`` in full."""
    plan = explain(query, tables, params=params, using=using)
    if _failing(plan, allow_index_scan):
        raise AssertionError(_message([plan], allow_index_scan))
    return plan


def assert_indexed_queries(
    captured, tables: Iterable[str | type[models.Model]], *, using=None, allow_index_scan: bool = False
) -> list[Plan]:
    """``assert_indexed`` for every SELECT of a ``CaptureQueriesContext`` (what a page ran)."""
    tables = list(tables)
    plans = [explain(sql, tables, using=using) for sql in selects(captured)]
    failing = [plan for plan in plans if _failing(plan, allow_index_scan)]
    if failing:
        raise AssertionError(_message(failing, allow_index_scan))
    return plans


def _failing(plan: Plan, allow_index_scan: bool) -> list[PlanProblem]:
    return [p for p in plan.problems if not (allow_index_scan and p.kind == FULL_INDEX_SCAN)]


def selects(captured) -> list[str]:
    """The SELECT statements among captured queries (``CaptureQueriesContext`` or its list)."""
    queries = getattr(captured, "captured_queries", captured)
    return [query["sql"] for query in queries if query["sql"].lstrip().upper().startswith(("SELECT", "WITH"))]


def _table_name(table: str | type[models.Model]) -> str:
    return table if isinstance(table, str) else table._meta.db_table


def _message(plans: list[Plan], allow_index_scan: bool) -> str:
    parts = []
    for plan in plans:
        problems = "\n".join(f"  - {problem}" for problem in _failing(plan, allow_index_scan))
        parts.append(f"{problems}\n  query: {plan.sql}\n  plan:\n    " + "\n    ".join(plan.lines))
    return "The database reads a large table in full:\n" + "\n".join(parts)


# --- SQLite ---------------------------------------------------------------------------------------

_SQL_WORDS = {"ON", "WHERE", "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "JOIN", "GROUP", "ORDER", "LIMIT", "USING"}
_TABLE_REF = re.compile(r'\b(?:FROM|JOIN)\s+"?(\w+)"?(?:\s+(?:AS\s+)?"?(\w+)"?)?', re.IGNORECASE)
_ACCESS = re.compile(r"^(SCAN|SEARCH) (\S+)(.*)$")
# A query whose only condition is a key column matched against a literal list of numbers: how
# Django prefetches the related rows of a page (``"t"."penalty_id" IN (1, 2, …)``).
_PREFETCH = re.compile(
    r'WHERE "(\w+)"\."(?:id|\w+_id)" IN \(\s*(?:(?:-?\d+|%s)\s*,\s*)*(?:-?\d+|%s)\s*\)(?: ORDER BY [^()]*)?\s*$'
)
_ENDS_IN_LIMIT = re.compile(r"\bLIMIT\s+(\d+|%s|\?)(\s+OFFSET\s+(\d+|%s|\?))?\s*$", re.IGNORECASE)


def _aliases(sql: str) -> dict[str, str]:
    """Alias (or name) → table, from the FROM and JOIN clauses: the plan names aliases."""
    aliases = {}
    for table, alias in _TABLE_REF.findall(sql):
        aliases[table] = table
        if alias and alias.upper() not in _SQL_WORDS:
            aliases[alias] = table
    return aliases


def _explain_sqlite(connection, sql: str, params, tables: set[str]) -> Plan:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params or ())
        rows = cursor.fetchall()
    aliases = _aliases(sql)
    limited = bool(_ENDS_IN_LIMIT.search(sql))  # the statement's own LIMIT stops its outer loop
    depth: dict[int, int] = {0: -1}
    lines, problems = [], []
    # What each node of the plan reads directly, outer loop first — (table, one row at most) —:
    # a temporary b-tree sorts what its siblings (the other children of its parent) produce.
    reads: dict[int, list[tuple[str, bool]]] = {}
    sorts: list[tuple[int, str]] = []
    nodes: dict[int, tuple[int, str]] = {}
    for node_id, parent, _unused, detail in rows:
        nodes[node_id] = (parent, detail)
        depth[node_id] = depth.get(parent, -1) + 1
        lines.append("  " * depth[node_id] + detail)
        access = _ACCESS.match(detail)
        if access:
            table = aliases.get(access.group(2), access.group(2))
            scan, rest = access.group(1) == "SCAN", access.group(3)
            loop = parent  # an OR over several indexes is still one loop of its parent
            while loop in nodes and _OR_BRANCH.match(nodes[loop][1]):
                loop = nodes[loop][0]
            reads.setdefault(loop, []).append((table, not scan and _one_row_sqlite(connection, table, rest)))
            if table not in tables:
                pass
            elif (scan and " USING " not in rest) or "AUTOMATIC" in rest:
                problems.append(PlanProblem(table, FULL_SCAN, detail))
            elif scan and not (limited and parent == 0):
                problems.append(PlanProblem(table, FULL_INDEX_SCAN, detail))
        elif detail.startswith("USE TEMP B-TREE FOR"):
            sorts.append((parent, detail))
    for parent, detail in sorts:
        table = _sorted_table(reads.get(parent, []), tables, sql)
        if table is not None:
            problems.append(PlanProblem(table, TEMPORARY_SORT, detail))
    return Plan(sql, lines, problems)


_OR_BRANCH = re.compile(r"^(MULTI-INDEX OR|INDEX \d+)$")
_SEARCH_BY = re.compile(r"USING (?:COVERING )?INDEX (\S+) \((.*)\)")


def _one_row_sqlite(connection, table: str, rest: str) -> bool:
    """Whether a SEARCH finds one row at most: by rowid, or by equality on every column of a
    unique index (``.first()`` on a unique lookup sorts one row)."""
    if "INTEGER PRIMARY KEY" in rest:
        return True
    search = _SEARCH_BY.search(rest)
    if search is None:
        return False
    name, constraints = search.groups()
    terms = constraints.split(" AND ")
    if not all(re.fullmatch(r"\w+=\?", term) for term in terms):
        return False
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA index_list({quote(table)})")
        unique = {row[1]: bool(row[2]) for row in cursor.fetchall()}
        cursor.execute(f"PRAGMA index_info({quote(name)})")
        columns = len(cursor.fetchall())
    return unique.get(name, False) and columns == len(terms)


def _sorted_table(reads: list[tuple[str, bool]], tables: set[str], sql: str) -> str | None:
    """The large table whose rows a sort grows with: the first one read (outer loop first)
    neither one row at a time by a unique key nor the subject of a prefetch by a list of keys."""
    bounded = set(_PREFETCH.findall(sql))
    return next((t for t, one_row in reads if t in tables and not one_row and t not in bounded), None)


# --- PostgreSQL -----------------------------------------------------------------------------------

_DISABLED = ("enable_seqscan", "enable_hashjoin", "enable_mergejoin", "enable_material")
_INDEX_SCANS = {"Index Scan", "Index Only Scan", "Bitmap Index Scan"}
# Nodes between a Limit and a scan that still let the Limit stop the scan early.
_STREAMING = {"Limit", "Nested Loop", "Merge Join", "Index Scan", "Index Only Scan", "Result", "Subquery Scan"}


def _explain_postgresql(connection, sql: str, params, tables: set[str]) -> Plan:
    with transaction.atomic(using=connection.alias):
        with connection.cursor() as cursor:
            # Tiny test tables make a sequential scan, a sort, and a join that reads one side
            # whole (hashed, materialized or merged) the cheapest plan, and which one the planner
            # picks turns on the statistics of the moment; with all of them disabled, one that
            # remains has no index to replace it. A prefetch's sort is bounded by its list of
            # keys: disabled, it would push the database into reading a whole index in order
            # instead of finding the few keys and sorting them.
            for setting in _DISABLED:
                cursor.execute(f"SET LOCAL {setting} = off")
            if not _PREFETCH.search(sql):
                cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            (document,) = cursor.fetchone()
        transaction.set_rollback(True, using=connection.alias)  # the settings go with the savepoint
    if isinstance(document, str):
        document = json.loads(document)
    walk = _Walk(connection, sql, tables)
    walk(document[0]["Plan"], depth=0, limited=False)
    return Plan(sql, walk.lines, walk.problems)


def _streams(node: dict, child: dict) -> bool:
    """Whether ``node`` reads ``child`` only as far as its own rows are asked for: a hash join
    reads its outer side row by row, but builds the hash of its inner side in full."""
    if node["Node Type"] == "Hash Join":
        return child.get("Parent Relationship") == "Outer"
    return node["Node Type"] in _STREAMING


def _whole_index(node: dict) -> bool:
    """An index scan with no condition on the index: it reads all of it."""
    if node["Node Type"] in _INDEX_SCANS:
        return "Index Cond" not in node
    return node["Node Type"] == "Bitmap Heap Scan" and "Recheck Cond" not in node


class _Walk:
    def __init__(self, connection, sql: str, tables: set[str]):
        self.connection, self.sql, self.tables = connection, sql, tables
        self.lines: list[str] = []
        self.problems: list[PlanProblem] = []

    def __call__(self, node: dict, *, depth: int, limited: bool) -> None:
        kind = node["Node Type"]
        relation = node.get("Relation Name")
        label = kind + (f" on {relation}" if relation else "")
        if "Index Name" in node:
            label += f" using {node['Index Name']}"
        for key in ("Index Cond", "Filter", "Sort Key"):
            if key in node:
                label += f"  {key}: {node[key]}"
        self.lines.append("  " * depth + label)
        if relation in self.tables and kind == "Seq Scan":
            self.problems.append(PlanProblem(relation, FULL_SCAN, label))
        elif relation in self.tables and not limited and _whole_index(node):
            self.problems.append(PlanProblem(relation, FULL_INDEX_SCAN, label))
        if kind == "Sort":
            table = _sorted_table(self._reads(node), self.tables, self.sql)
            if table is not None:
                self.problems.append(PlanProblem(table, TEMPORARY_SORT, label))
        for child in node.get("Plans", ()):
            self(child, depth=depth + 1, limited=kind == "Limit" or (limited and _streams(node, child)))

    def _reads(self, node: dict) -> list[tuple[str, bool]]:
        """(table, one row at most) of every scan under ``node``, outer side of a join first."""
        found = [(node["Relation Name"], self._one_row(node))] if "Relation Name" in node else []
        for child in node.get("Plans", ()):
            found += self._reads(child)
        return found

    def _one_row(self, node: dict) -> bool:
        """An index scan with equality on every column of a unique index."""
        condition = node.get("Index Cond", "")
        if node["Node Type"] not in _INDEX_SCANS or not condition or "ANY" in condition:
            return False
        if re.search(r"[<>]|<>|!=| IS ", condition):
            return False
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT i.indisunique, i.indnkeyatts FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                "WHERE c.relname = %s",
                [node["Index Name"]],
            )
            row = cursor.fetchone()
        return bool(row and row[0] and condition.count(" = ") == row[1])

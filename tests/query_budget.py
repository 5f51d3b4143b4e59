"""Query budgets that can fail: measure twice, with more rows the second time.

A flat limit (``django_assert_max_num_queries(16)``) keeps passing while a page quietly costs a
query per row, as long as the test's data is small. Measuring twice catches that: run every
case, add rows, run them again, and require that each case **listed more rows** the second time
(otherwise the comparison proves nothing) while costing **exactly as many queries**::

    from tests.query_budget import assert_constant_queries, get_rows

    def test_lists_have_a_query_budget(client, ...):
        make_rows(3)
        assert_constant_queries(
            {
                "staff": get_rows(client, reverse("roster:staff_list")),
                "export": get_rows(client, reverse("roster:export")),  # a download: its lines
                "index": get_rows(client, reverse("roster:index"), rows=lambda r: len(r.context["teams"])),
            },
            grow=lambda: make_rows(6),
            max_queries=16,
        )

A case is any callable that does the work once and returns how many rows it produced:
``get_rows`` makes one for a page or a download (counted by ``response_rows``), ``panel_rows`` one
for a dashboard panel, and a selector can be measured with a small function of its own. The first
measurement's data must fit on one page, since a page lists no more than its page size.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass

import openpyxl
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from tollservice.access.roles import roles_for

Case = Callable[[], int]

# Where a page's rows are when it has no ``page_obj`` (a report's rows, a team's members …).
ROW_CONTEXT_KEYS = ("rows", "members", "history", "object_list")


@dataclass(frozen=True)
class Measurement:
    queries: int
    rows: int
    statements: tuple[str, ...] = ()


def measure(case: Case) -> Measurement:
    """Run ``case`` once, counting the queries it makes and the rows it reports."""
    with CaptureQueriesContext(connection) as context:
        rows = case()
    return Measurement(len(context.captured_queries), rows, tuple(query["sql"] for query in context.captured_queries))


def response_rows(response, content: bytes | None = None) -> int:
    """The rows a response lists: every line of a CSV or Excel download, or the rows of a page
    (its ``page_obj``, else the first of ``ROW_CONTEXT_KEYS`` in its context)."""
    if content is None:
        content = b"".join(response.streaming_content) if response.streaming else response.content
    disposition = response.get("Content-Disposition", "")
    if ".csv" in disposition:
        return len(list(csv.reader(io.StringIO(content.decode("utf-8-sig")))))
    if ".xlsx" in disposition:
        return openpyxl.load_workbook(io.BytesIO(content)).active.max_row
    context = response.context
    if context.get("page_obj") is not None:
        return len(context["page_obj"].object_list)
    for key in ROW_CONTEXT_KEYS:
        if context.get(key) is not None:
            return len(context[key])
    raise AssertionError(f"{response.request['PATH_INFO']}: no list of rows found in the response")


def get_rows(client, url: str, data=None, *, rows: Callable | None = None) -> Case:
    """A case that GETs ``url`` (with ``data``), expects a 200 and returns the rows it lists —
    ``response_rows(response)``, or ``rows(response)`` when the page keeps them elsewhere."""

    def case() -> int:
        response = client.get(url, data)
        # A download streams: read it all inside the measurement, as a browser would.
        content = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code == 200, f"{url} {data}: {response.status_code}"
        return rows(response) if rows is not None else response_rows(response, content)

    return case


def panel_rows(rf, user, panel_function, size: Callable[[dict], int]) -> Case:
    """A case that builds a dashboard panel (``tollservice.dashboard.panels``) for ``user`` and
    renders its template; ``size(panel)`` says how many rows it shows."""
    request = rf.get("/")
    request.user = user
    roles_for(user)  # computed once per request by the context processor anyway

    def case() -> int:
        panel = panel_function(request)
        render_to_string(panel["template"], {"panel": panel}, request=request)
        return size(panel)

    return case


_NUMBERS = re.compile(r"\b\d+\b")


def _extra_statements(few: Measurement, many: Measurement, limit: int = 5) -> list[str]:
    """The statements the larger measurement ran more often (numbers blurred), to point at the culprit."""

    def blurred(statements) -> Counter:
        return Counter(_NUMBERS.sub("N", sql)[:300] for sql in statements)

    extra = blurred(many.statements) - blurred(few.statements)
    return [f"{count}× {sql}" for sql, count in extra.most_common(limit)]


def assert_constant_queries(
    cases: Mapping[Hashable, Case] | Case,
    *,
    grow: Callable[[], object],
    max_queries: int | None = None,
) -> dict[Hashable, tuple[Measurement, Measurement]]:
    """Measure every case, call ``grow()``, measure again; fail unless each case listed more
    rows the second time at exactly the same number of queries (and at most ``max_queries``).

    Each case runs once unmeasured first: a first request fills caches that later ones read
    (content types, the session's user), which is not a cost of the rows.
    Returns ``{case: (first, second)}`` for further checks.
    """
    if callable(cases):
        cases = {"case": cases}
    for case in cases.values():
        case()
    few = {key: measure(case) for key, case in cases.items()}
    grow()
    many = {key: measure(case) for key, case in cases.items()}

    not_grown = {key: (few[key].rows, many[key].rows) for key in cases if few[key].rows >= many[key].rows}
    assert not not_grown, f"rows (before, after) did not grow, so the budget proves nothing: {not_grown}"
    changed = {key: (few[key].queries, many[key].queries) for key in cases if few[key].queries != many[key].queries}
    if changed:
        details = "\n".join(
            f"  {key}: {before} → {after} queries; run more often the second time:\n    "
            + "\n    ".join(_extra_statements(few[key], many[key]))
            for key, (before, after) in changed.items()
        )
        raise AssertionError(f"the query count grew with the rows:\n{details}")
    if max_queries is not None:
        over = {key: many[key].queries for key in cases if many[key].queries > max_queries}
        assert not over, f"over the budget of {max_queries} queries: {over}"
    return {key: (few[key], many[key]) for key in cases}

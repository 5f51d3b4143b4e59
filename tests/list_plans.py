"""Plan tests of a paged list: its first page, a page after and before a row, and its last page
(tollservice/core/pagination.py) each read the large tables through an index, in the list's order::

    assert_list_pages_indexed(
        client, reverse("penalties:penalty_list"),
        ordering=Penalty.objects.order_by("-incident_date", "-pk"),
        boundary=[datetime.date(2026, 5, 1), 1000],
        tables=[Penalty],
    )

The pages need no rows: the boundary is made into a token as the page's links would, and the
plans are read from the queries the pages ran (tests/query_plan.py). The capped count reads up to
``COUNT_CAP`` rows of an index by nature (allowed); the page's own query (ending in ``LIMIT``)
is held to the strict rule.
"""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.query_plan import _ENDS_IN_LIMIT, assert_indexed, assert_indexed_queries, selects
from tollservice.core.pagination import make_token, ordering_of


def assert_list_pages_indexed(client, url: str, *, ordering, boundary, tables, params=None) -> list[str]:
    """Request the list's pages; fail on a full scan or a sort of ``tables``. The page queries."""
    token = make_token(ordering_of(ordering), boundary)
    pages = []
    for cursor in ({}, {"after": token}, {"before": token}, {"page": "last"}):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, {**(params or {}), **cursor})
        assert response.status_code == 200, (url, cursor, response.status_code)
        assert response.context["page_obj"].count == response.context["page_obj"].paginator.count
        assert_indexed_queries(captured, tables, allow_index_scan=True)
        limited = [sql for sql in selects(captured) if _ENDS_IN_LIMIT.search(sql)]
        assert limited, f"{url} {cursor}: no page query ending in LIMIT"
        for sql in limited:
            assert_indexed(sql, tables)
        pages.extend(limited)
    return pages

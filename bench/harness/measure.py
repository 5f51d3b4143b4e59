"""Measure one generated station, figure by figure, as ``python -m bench`` asks.

    .venv/bin/python -m bench.harness.measure --station var/bench/station-….sqlite3 --world rows

One process per station, all started together: the parent asks each for the same figure
(JSON lines on stdin and stdout), then for further timed runs of it one at a time, the stations
taking turns, so that the runs a ratio compares are taken under the same load of a shared
machine. The process works on a copy of the station (signing in writes sessions), deleted
when stdin closes.

For every figure: one timed request that also captures the queries (their plans are read
afterwards) and the context the page was rendered with (for its rows and pages), then one
request under ``tracemalloc`` for the peak memory (it slows Python down, so it is not timed; a
page slower than ``--trace-limit`` seconds is not traced, a download always); each
``"again"`` request is one more timed run. The server time is that of ``Client.get`` with the
body read to the end: the middleware, the real view and its template, the streamed download.
"""

from __future__ import annotations

import argparse
import functools
import gc
import json
import logging
import os
import re
import shutil
import sys
import time
import tracemalloc
import warnings
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
LARGE_TABLE_ROWS = 500  # a table this big in the station counts as large for the plan checks


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.harness.measure")
    parser.add_argument("--station", required=True, type=Path)
    parser.add_argument("--world", default="")
    parser.add_argument("--no-memory", action="store_true")
    parser.add_argument("--trace-limit", type=float, default=3.0)
    args = parser.parse_args(argv)

    # Answers go to the real stdout; anything else that prints goes to stderr.
    answers, sys.stdout = sys.stdout, sys.stderr
    work = args.station.parent / f"run-{os.getpid()}.sqlite3"
    shutil.copyfile(args.station, work)
    # Before Django reads its settings: the copy, whatever DATABASE_URL says.
    os.environ["DATABASE_URL"] = f"sqlite:///{work}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "tollservice.settings.test"
    sys.path.insert(0, str(ROOT))
    logging.disable(logging.INFO)  # django-axes greets every process that starts Django
    warnings.filterwarnings("ignore", "No directory at")  # whitenoise: no collectstatic needed here
    import django

    django.setup()
    from django.db import connection

    try:
        meta = json.loads(args.station.with_suffix(".json").read_text())
        memory = 0.0 if args.no_memory else args.trace_limit
        bench = Bench(meta, world=args.world, memory=memory)
        answers.write(json.dumps({"ready": True}) + "\n")
        answers.flush()
        for line in sys.stdin:
            answers.write(json.dumps(bench.handle(json.loads(line)), ensure_ascii=False) + "\n")
            answers.flush()
    finally:
        connection.close()
        work.unlink(missing_ok=True)


def consume(response) -> int:
    """Read the body to the end, as the server would send it; its size in bytes."""
    if response.streaming:
        size = sum(len(chunk) for chunk in response.streaming_content)
        response.close()
        return size
    return len(response.content)


class _RenderedContext:
    """Keeps the context of the last page rendered (a reference, not a copy: cheap enough to
    stay on while timing, unlike the test runner's instrumentation of every template). Only the
    outermost render counts: a form rendered inside the page (crispy) renders a template too."""

    def __init__(self):
        from django.template.backends import django as backend

        self.last, self.depth = None, 0
        original = backend.Template.render

        def render(template, context=None, request=None):
            if self.depth == 0:
                self.last = context
            self.depth += 1
            try:
                return original(template, context, request)
            finally:
                self.depth -= 1

        backend.Template.render = render


class Bench:
    def __init__(self, meta: dict, *, world: str, memory: float):
        from django.conf import settings
        from django.utils import translation

        self.meta, self.world = meta, world
        # Peak memory is traced for figures faster than ``memory`` seconds (tracing slows the
        # allocations of a large page several times over), and for every download (their
        # memory is a target); 0: never.
        self.memory = memory
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        translation.activate("zh-hans")
        logging.disable(logging.WARNING)  # 403s and the like are reported as figures, not logged
        self.clients: dict = {}
        self.pages: dict[str, int] = {}  # list key → its number of pages, from page 1
        self.rendered = _RenderedContext()
        self.large = self._large_tables()

    def handle(self, request: dict) -> dict:
        """One figure: ``{"list": key, "page": "first"|"last"}``, ``{"report": key, "period":
        name}`` or ``{"export": key, "part": "download"|"bare"}``, measured in full (one timed
        run, its queries and their plans, its peak memory); with ``"again": true``, one more
        timed run of it only (the parent interleaves them with the other stations' runs)."""
        call, always_trace, label = self._figure(request)
        if request.get("again"):
            return self.time_once(call)
        figure = {**self.measure(call, always_trace=always_trace), "page": label}
        if request.get("page") == "first":
            self.pages[request["list"]] = figure.get("pages") or 1
        return figure

    def _figure(self, request: dict) -> tuple[Callable, bool, str]:
        """What to run for ``request``, whether to trace its memory whatever its time, and the
        label of its page."""
        import datetime

        from django.urls import reverse

        from bench.harness import baselines, figures, module_baselines

        today = datetime.date.fromisoformat(self.meta["today"])
        if "list" in request:
            page = next(p for p in figures.LISTS if p.key == request["list"])
            url = reverse(page.url_name, args=page.url_args(today))
            client, params = self._client(page.login), dict(page.params)
            if request["page"] == "last":
                # Keyset pages (tollservice/core/pagination.py) have no numbers: "?page=last".
                params["page"] = "last"
            return (lambda: client.get(url, params)), False, ("last" if request["page"] == "last" else "1")
        if "report" in request:
            report = next(r for r in figures.reports(today) if r.key == request["report"])
            client, url = self._client(report.login), reverse(report.url_name)
            params = report.periods[request["period"]]
            return (lambda: client.get(url, params)), False, request["period"]
        export = next(e for e in figures.EXPORTS if e.key == request["export"])
        if request["part"] == "bare":
            if export.bare:
                bare = module_baselines.bare_xlsx if export.kind == "xlsx" else module_baselines.bare_csv
                # The same reader's rows: the loop reads the list's own scoped queryset.
                loop = functools.partial(bare, export.bare, user=self._user(export.login))
            else:
                loop = baselines.bare_xlsx if export.kind == "xlsx" else baselines.bare_csv
            return loop, False, export.kind
        client, url = self._client(export.login), reverse(export.url_name)
        return (lambda: client.get(url, export.params)), True, export.kind

    def _user(self, login: str):
        from django.contrib.auth import get_user_model

        return get_user_model().objects.get(username=self.meta["logins"][login])

    def _client(self, login: str):
        from django.test import Client

        if login not in self.clients:
            client = Client()
            client.force_login(self._user(login))
            self.clients[login] = client
        return self.clients[login]

    # --- Measuring ------------------------------------------------------------------------------

    def measure(self, call: Callable, *, always_trace: bool = False) -> dict:
        """Time and trace ``call``: a request, or a bare loop returning (rows, bytes)."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from tests.query_plan import explain, selects

        figure: dict = {"rows": None, "pages": None, "plan": [], "error": None}
        times: list[float] = []
        try:
            gc.collect()
            self.rendered.last = None
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                outcome = call()
                figure["bytes"] = self._finish(outcome)
                times.append(time.perf_counter() - started)
            # Each request empties the connection's query log: count them before the next.
            queries = list(captured.captured_queries)
            # After the clock and the query log: a count the page did not show is not its cost.
            self._note(outcome, figure)
            if figure["error"]:
                return figure
            if self.memory and (always_trace or times[0] <= self.memory):
                gc.collect()
                tracemalloc.start()
                try:
                    self._finish(call())
                    figure["peak_mib"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
                finally:
                    tracemalloc.stop()
        except Exception as error:  # a page that fails is a figure too, and the run goes on
            figure["error"] = f"{type(error).__name__}: {error}"
            return figure
        figure["queries"] = len(queries)
        figure["runs_ms"] = [round(t * 1000, 1) for t in times]
        figure["ms"] = figure["runs_ms"][0]
        problems = set()
        for sql in selects(queries):
            for problem in explain(sql, self.large).problems:
                problems.add(f"{problem.kind} of {problem.table}: {problem.detail}  ← {_short(sql)}")
        figure["plan"] = sorted(problems)
        return figure

    def time_once(self, call: Callable) -> dict:
        """One more timed run of a figure already measured (no query log, plans or tracing)."""
        try:
            gc.collect()
            started = time.perf_counter()
            self._finish(call())
            return {"runs_ms": [round((time.perf_counter() - started) * 1000, 1)]}
        except Exception as error:
            return {"error": f"{type(error).__name__}: {error}"}

    def _finish(self, outcome) -> int:
        """Read a response to its end, as the server would send it (or take a bare loop's
        result); its size in bytes."""
        if isinstance(outcome, tuple):
            return outcome[1]
        return consume(outcome)

    def _note(self, outcome, figure: dict) -> None:
        """Note the figure's error, rows and pages. A page's count is read here, after it was
        timed: a page that shows its count has counted already (``KeysetPage`` counts once), and
        one that does not show it (the balances) never counts when it is served."""
        if isinstance(outcome, tuple):
            figure["rows"] = outcome[0]
            return
        if outcome.status_code != 200:
            figure["error"] = f"HTTP {outcome.status_code}"
        context = self.rendered.last or {}
        page_obj = context.get("page_obj")
        if page_obj is not None:
            # The count stops at pagination.COUNT_CAP: a larger list shows as that many rows.
            figure["rows"], figure["pages"] = page_obj.paginator.count, page_obj.paginator.num_pages
        elif context.get("rows") is not None:
            figure["rows"] = len(context["rows"])

    def _large_tables(self) -> list[str]:
        from django.db import connection

        with connection.cursor() as cursor:
            counts = {}
            for table in connection.introspection.table_names(cursor):
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
                counts[table] = cursor.fetchone()[0]
        return sorted(table for table, count in counts.items() if count >= LARGE_TABLE_ROWS)


def _short(sql: str, width: int = 160) -> str:
    """The query without its column list and its values, cut to ``width``: enough to tell which
    one it is, and the same for every page of a list."""
    sql = re.sub(r"\bIN \([^()]*\)", "IN (…)", sql)
    sql = re.sub(r"'[^']*'|\b\d+\b", "?", sql)
    head, sep, rest = sql.partition(" FROM ")
    text = f"{head.split(',')[0]}, … FROM {rest}" if sep and "," in head else sql
    return text if len(text) <= width else text[: width - 1] + "…"


if __name__ == "__main__":
    main()

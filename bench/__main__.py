"""``make bench``: measure every list, report and download on generated stations of three sizes.

    .venv/bin/python -m bench                                # base 2,000 penalties; 20,000 penalties; 20,000 staff
    .venv/bin/python -m bench --rows 200000 --staff 200000   # issue 9's sizes (long)
    .venv/bin/python -m bench --only penalties,reconciliation --no-memory

Stations (``bench.generator``): ``base`` has ``--base-rows`` penalties and ``--base-staff`` staff;
``rows`` has ``--rows`` penalties and the base staff; ``staff`` has the base penalties and
``--staff`` staff. Each is measured by a process of its own (``bench.harness.measure``), all
asked in turn for the same figure so that compared figures share the machine's load of the
moment, then for further timed runs one at a time, the stations taking turns (a figure is the
median of its runs). Lists are compared with the same page of ``base``, the year's reconciliation with the
month's, the downloads with bare loops. Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.harness import figures

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=20_000, help="penalties of the 'rows' station (default 20,000)")
    parser.add_argument("--staff", type=int, default=20_000, help="staff of the 'staff' station (default 20,000)")
    parser.add_argument("--base-rows", type=int, default=2_000)
    parser.add_argument("--base-staff", type=int, default=1_000)
    parser.add_argument("--teams", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=9, help="timed runs per figure, at most (median kept)")
    parser.add_argument("--budget", type=float, default=3.0, help="seconds after which a figure stops repeating")
    parser.add_argument("--min-runs", type=int, default=3, help="timed runs per figure, at least, whatever the budget")
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc runs")
    parser.add_argument(
        "--trace-limit", type=float, default=3.0, help="no tracemalloc run for pages slower than this (s)"
    )
    parser.add_argument("--only", default="", help="comma-separated figure keys (see bench/harness/figures.py)")
    parser.add_argument("--rebuild", action="store_true", help="generate the stations again")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    stations = [("base", args.base_rows, args.base_staff)]
    if args.rows != args.base_rows:
        stations.append(("rows", args.rows, args.base_staff))
    if args.staff != args.base_staff:
        stations.append(("staff", args.base_rows, args.staff))
    print(
        f"make bench: Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, {os.cpu_count()} CPUs; "
        f"up to {args.repeat} timed runs per figure, none more once {args.budget:g} s are spent unless fewer "
        f"than {args.min_runs}; the stations' runs taking turns, median kept",
        flush=True,
    )
    children = {}
    try:
        for label, rows, staff in stations:
            info = _station(rows=rows, staff=staff, teams=args.teams, rebuild=args.rebuild)
            state = "cached" if info["cached"] else f"generated in {info['build_seconds']:.0f} s"
            print(f"  {label}: {Path(info['path']).name} ({state})", flush=True)
            children[label] = Station(label, info, args)
        worlds = _run(children, args)
    finally:
        for child in children.values():
            child.close()

    from bench.harness.report import render

    text, verdicts = render(worlds)
    print("\n" + text)
    print(f"\n(make bench took {(time.perf_counter() - started) / 60:.1f} minutes)")
    if args.json:
        args.json.write_text(json.dumps(worlds, ensure_ascii=False, indent=1))
    return 0 if all(v.met for v in verdicts) else 1


def _station(*, rows: int, staff: int, teams: int, rebuild: bool) -> dict:
    command = [sys.executable, "-m", "bench.generator", "--rows", str(rows), "--staff", str(staff)]
    command += ["--teams", str(teams), "--json"] + (["--rebuild"] if rebuild else [])
    done = subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


class Station:
    """The process measuring one station."""

    def __init__(self, label: str, info: dict, args):
        self.label, self.meta = label, {key: value for key, value in info.items() if key != "cached"}
        command = [sys.executable, "-m", "bench.harness.measure", "--station", info["path"], "--world", label]
        command += ["--trace-limit", str(args.trace_limit)]
        command += ["--no-memory"] if args.no_memory else []
        self.process = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.ask(None)  # wait until it is ready

    def ask(self, request: dict | None) -> dict:
        if request is not None:
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"The {self.label} station's process stopped (exit {self.process.wait()})")
        return json.loads(line)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait()


def _run(children: dict[str, Station], args) -> list[dict]:
    only = {key for key in args.only.split(",") if key}
    chosen = lambda key: not only or key in only  # noqa: E731
    worlds = {
        label: {"world": label, "meta": child.meta, "lists": [], "reports": [], "exports": []}
        for label, child in children.items()
    }
    # The reports and downloads at the base and rows sizes; the staff station differs in staff only.
    with_rows = [label for label in children if label != "staff"]

    def together(asked: list[tuple[str, dict]], name) -> list[dict]:
        measured = _together(children, asked, args)
        for (label, request), figure in zip(asked, measured, strict=True):
            print(_progress(label, name(request), figure), flush=True)
        return measured

    print("\nMeasuring (each figure on every station, their timed runs taking turns):", flush=True)
    for page in figures.LISTS:
        if not chosen(page.key):
            continue
        items = {label: {"key": page.key, "label": page.label} for label in children}
        for which in ("first", "last"):
            asked = [(label, {"list": page.key, "page": which}) for label in children]
            measured = together(asked, lambda _request, page=page: page.label)
            for (label, _request), figure in zip(asked, measured, strict=True):
                items[label][which] = figure
        for label, item in items.items():
            item["rows"], item["pages"] = item["first"].get("rows"), item["first"].get("pages")
            worlds[label]["lists"].append(item)
    for report in figures.reports(datetime.date.fromisoformat(children["base"].meta["today"])):
        if not chosen(report.key):
            continue
        items = {label: {"key": report.key, "label": report.label, "periods": {}} for label in with_rows}
        # The month and the year compared, their runs taking turns; the year's downloads for the
        # record, at the base size only (they are slow).
        compared = [(label, period) for period in ("month", "year") for label in with_rows]
        recorded = [(with_rows[0], period) for period in report.periods if period not in ("month", "year")]
        for group in (compared, recorded):
            asked = [(label, {"report": report.key, "period": period}) for label, period in group]
            name = lambda request, report=report: f"{report.label}, {request['period']}"  # noqa: E731
            for (label, request), figure in zip(asked, together(asked, name), strict=True):
                items[label]["periods"][request["period"]] = figure
        for label, item in items.items():
            worlds[label]["reports"].append(item)
    for export in figures.EXPORTS:
        if not chosen(export.key):
            continue
        for label in with_rows:
            asked = [(label, {"export": export.key, "part": part}) for part in ("download", "bare")]
            download, bare = together(asked, lambda request, export=export: _export_name(export, request))
            item = {"key": export.key, "label": export.label, "kind": export.kind, "download": download, "bare": bare}
            worlds[label]["exports"].append(item)
    return list(worlds.values())


def _export_name(export, request: dict) -> str:
    return export.label if request["part"] == "download" else f"bare {export.kind} loop"


def _together(children: dict[str, Station], asked: list[tuple[str, dict]], args) -> list[dict]:
    """Measure each (station, request) of ``asked`` in full once, then time them again one run
    at a time, taking turns (in reverse order every other round), until each has ``--repeat``
    runs, or has spent ``--budget`` seconds and has ``--min-runs``. A burst of load on the
    shared machine then falls alike on the figures that a ratio compares, rather than on the one
    measured at that moment; each figure is the median of its runs."""
    measured = [children[label].ask(request) for label, request in asked]

    def wants_more(figure: dict) -> bool:
        runs = figure.get("runs_ms") or []
        if figure.get("error") or not runs or len(runs) >= args.repeat:
            return False
        return len(runs) < args.min_runs or sum(runs) < args.budget * 1000

    for turn in range(args.repeat):
        waiting = [index for index, figure in enumerate(measured) if wants_more(figure)]
        if not waiting:
            break
        for index in waiting if turn % 2 else reversed(waiting):
            label, request = asked[index]
            again = children[label].ask({**request, "again": True})
            figure = measured[index]
            if again.get("error"):
                measured[index] = {**figure, "error": again["error"]}
                continue
            runs = figure["runs_ms"] + again["runs_ms"]
            measured[index] = {**figure, "runs_ms": runs, "ms": round(statistics.median(runs), 1)}
    return measured


def _progress(label: str, name: str, figure: dict) -> str:
    if figure.get("error"):
        return f"  {label:5} {name:44} {figure.get('page', ''):>6}  ERROR {figure['error']}"
    rows = f"{figure['rows']:>9,} rows" if figure.get("rows") is not None else " " * 14
    peak = f" {figure['peak_mib']:7.1f} MiB" if figure.get("peak_mib") is not None else ""
    return (
        f"  {label:5} {name:44} {figure.get('page', ''):>6} {rows} {figure['ms']:9.1f} ms "
        f"({len(figure['runs_ms'])} runs) {figure['queries']:3d} queries{peak}"
    )


if __name__ == "__main__":
    sys.exit(main())

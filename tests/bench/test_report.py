"""``make bench``'s verdicts (bench/harness/report.py): what it judges and what it prints for the record."""

from __future__ import annotations

from bench.harness import figures, report


def _world(name: str, exports: list[dict]) -> dict:
    meta = {"scale": {"rows": 2000, "staff": 1000}, "counts": {}}
    return {"world": name, "meta": meta, "lists": [], "reports": [], "exports": exports}


def _export(rows: int, ms: float, bare_ms: float) -> dict:
    return {
        "key": "complaints_csv",
        "label": "Complaints as CSV (office)",
        "kind": "csv",
        "download": {"ms": ms},
        "bare": {"ms": bare_ms, "rows": rows},
    }


def test_a_download_is_judged_by_its_cost_per_row_only_when_it_has_many_rows():
    # 300 rows: the request's floor (15 ms) against a 5 ms loop is no measure of the exporter.
    small = figures.DOWNLOAD_JUDGED_FROM_ROWS // 30
    large = figures.DOWNLOAD_JUDGED_FROM_ROWS * 5
    text, verdicts = report.render(
        [_world("base", [_export(small, 20.0, 5.0)]), _world("rows", [_export(large, 1600.0, 1000.0)])]
    )
    assert [(v.what, v.met) for v in verdicts] == [("Complaints as CSV (office) / bare loop, rows", False)]
    assert "record" in text and "MISS Complaints as CSV (office) / bare loop, rows: 1.6" in text

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


def _excel(rows: int, peak_mib: float) -> dict:
    download = {"ms": 100.0, "peak_mib": peak_mib}
    bare = {"ms": 100.0, "rows": rows}
    return {"key": "x", "label": "Inspections as Excel (office)", "kind": "xlsx", "download": download, "bare": bare}


def test_an_excel_download_s_memory_is_compared_only_with_one_that_fills_a_batch():
    from tollservice.core.exports import EXPORT_CHUNK_SIZE

    assert figures.EXPORT_BATCH_ROWS == EXPORT_CHUNK_SIZE
    grown = [_world("rows", [_excel(figures.EXPORT_BATCH_ROWS * 20, 4.0)])]
    _text, verdicts = report.render([_world("base", [_excel(200, 0.6)]), *grown])
    assert not any("against base" in v.what for v in verdicts)  # 200 rows never fill a batch
    _text, verdicts = report.render([_world("base", [_excel(figures.EXPORT_BATCH_ROWS, 0.6)]), *grown])
    assert [v.met for v in verdicts if "against base" in v.what] == [False]

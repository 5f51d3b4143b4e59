"""How exact is Sum() over money on SQLite? 200,000 amounts, stored two ways.

    DJANGO_SETTINGS_MODULE=tollservice.settings.test .venv/bin/python bench/ledger_sums.py

The same 200,000 amounts (exactly 10,007,655,937.04 yuan in total) are stored once in a
DecimalField in yuan and once in a BigIntegerField in fen, in a temporary SQLite file, and
summed with the ORM. SQLite computes the decimal sum in floating point; the integer sum is exact.
That is why the fine ledger keeps whole fen (PEN-5, tollservice/core/money.py).
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROWS = 200_000
TOTAL_FEN = 1_000_765_593_704  # 10,007,655,937.04 yuan
SEED = 20230801


def amounts(rows: int = ROWS, total: int = TOTAL_FEN, seed: int = SEED) -> list[int]:
    """``rows`` random positive amounts in fen adding up to exactly ``total``."""
    rng = random.Random(seed)
    mean = total // rows
    values = [rng.randint(mean // 10, 2 * mean - mean // 10) for _ in range(rows)]
    shift, remainder = divmod(total - sum(values), rows)
    values = [v + shift for v in values]
    for i in range(remainder):
        values[i] += 1
    assert sum(values) == total and min(values) > 0
    return values


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="ledger-sums-"))
    database = workdir / "bench.sqlite3"
    # Before Django reads its settings: a throwaway SQLite file, whatever DATABASE_URL says.
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tollservice.settings.test")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.db import connection, models
    from django.db.models import Sum

    from tollservice.core.money import fen_to_yuan, format_yuan

    class BenchAmount(models.Model):
        yuan = models.DecimalField(max_digits=14, decimal_places=2)
        fen = models.BigIntegerField()

        class Meta:
            app_label = "bench"
            db_table = "bench_amount"

        def __str__(self) -> str:
            return str(self.yuan)

    try:
        with connection.schema_editor() as editor:
            editor.create_model(BenchAmount)
        values = amounts()
        BenchAmount.objects.bulk_create((BenchAmount(yuan=fen_to_yuan(v), fen=v) for v in values), batch_size=5000)

        started = time.perf_counter()
        decimal_sum = BenchAmount.objects.aggregate(total=Sum("yuan"))["total"]
        decimal_seconds = time.perf_counter() - started
        started = time.perf_counter()
        fen_sum = BenchAmount.objects.aggregate(total=Sum("fen"))["total"]
        fen_seconds = time.perf_counter() - started

        with connection.cursor() as cursor:
            cursor.execute("SELECT SUM(yuan) FROM bench_amount")
            (raw_float,) = cursor.fetchone()
        exact = fen_to_yuan(TOTAL_FEN)
        print(f"SQLite {connection.Database.sqlite_version}, {len(values):,} rows")
        print(f"  exact total             {exact} yuan")
        print(
            f"  Sum(DecimalField, yuan) {decimal_sum} yuan  "
            f"off by {Decimal(decimal_sum) - exact} yuan  ({decimal_seconds * 1000:.1f} ms)"
        )
        print(f"  (SQLite's own SUM over the decimal column: {raw_float!r}, a float)")
        print(
            f"  Sum(BigIntegerField, fen) {fen_sum} fen = {format_yuan(fen_sum)} yuan  "
            f"off by {fen_to_yuan(fen_sum) - exact} yuan  ({fen_seconds * 1000:.1f} ms)"
        )
        if fen_sum != TOTAL_FEN:
            raise SystemExit("integer sum is not exact")
    finally:
        connection.close()
        for path in workdir.iterdir():
            path.unlink()
        workdir.rmdir()


if __name__ == "__main__":
    main()

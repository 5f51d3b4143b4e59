"""How long does the finance office wait for a reconciliation, and how much memory does it take?

    DJANGO_SETTINGS_MODULE=tollservice.settings.test .venv/bin/python bench/reconciliation.py

A throwaway SQLite file gets the demo station (``seed_demo``) and then PENALTIES copies of its
decided penalties, each with its assessed entry and, for three in five, a collection — far more
than a station books in a year (the demo books about 30 entries). It then times, as the finance
office sees them: the month's reconciliation page, a whole year's reconciliation page, and the
year's Excel and CSV downloads, with the number of queries and the peak Python memory of each.
"""

from __future__ import annotations

import datetime
import logging
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

PENALTIES = 20_000
BATCH = 2_000


def measure(label: str, action) -> None:
    """Run ``action`` twice: once timed, once under tracemalloc (which slows Python down) for the
    peak memory it allocates."""
    from django.db import connection, reset_queries

    reset_queries()
    started = time.perf_counter()
    size = action()
    seconds = time.perf_counter() - started
    queries = len(connection.queries)
    tracemalloc.start()
    action()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"  {label:<38} {seconds * 1000:7.0f} ms  {queries:3d} queries  peak {peak / 2**20:6.1f} MiB  {size}")


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="reconciliation-"))
    # Before Django reads its settings: a throwaway SQLite file, whatever DATABASE_URL says.
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tollservice.settings.test")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    logging.disable(logging.WARNING)  # the seeding's task and sign-in logs
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from django.utils import timezone

    from penalties.models import LedgerEntry, Penalty

    setup_test_environment()  # responses carry their template context, as in the tests
    settings.DEBUG = True  # record queries; templates and responses are unchanged
    try:
        call_command("migrate", verbosity=0)
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        templates = list(Penalty.objects.filter(ledger_entries__kind=LedgerEntry.Kind.ASSESSED).distinct())
        finance = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.COLLECTED).first().recorded_by
        year = timezone.localdate().year
        first_day = datetime.date(year, 1, 1)
        copied = [f for f in Penalty._meta.concrete_fields if not f.primary_key]

        started = time.perf_counter()
        for batch_start in range(0, PENALTIES, BATCH):
            clones = []
            for index in range(batch_start, min(batch_start + BATCH, PENALTIES)):
                source = templates[index % len(templates)]
                clone = Penalty(**{f.attname: getattr(source, f.attname) for f in copied})
                clone.circular_id = clone.joint_with_id = None
                clones.append(clone)
            Penalty.objects.bulk_create(clones)
            entries = []
            for offset, penalty in enumerate(clones):
                index = batch_start + offset
                booked = first_day + datetime.timedelta(days=index % 330)
                common = {"penalty": penalty, "amount_fen": penalty.fine_fen or 20_000, "recorded_by": finance}
                entries.append(
                    LedgerEntry(
                        sequence=1,
                        kind=LedgerEntry.Kind.ASSESSED,
                        account=LedgerEntry.Account.FINES_RECEIVABLE,
                        booked_on=booked,
                        **common,
                    )
                )
                if index % 5 < 3:
                    entries.append(
                        LedgerEntry(
                            sequence=2,
                            kind=LedgerEntry.Kind.COLLECTED,
                            account=LedgerEntry.Account.NON_OPERATING_INCOME,
                            booked_on=booked + datetime.timedelta(days=7),
                            receipt_number=f"BENCH-{index:06d}",
                            **common,
                        )
                    )
            LedgerEntry.objects.bulk_create(entries)
        total = LedgerEntry.objects.count()
        print(f"SQLite {connection.Database.sqlite_version}: {Penalty.objects.count():,} penalties, {total:,} entries")
        print(f"  (loaded in {time.perf_counter() - started:.1f} s)")

        client = Client()
        client.force_login(finance)
        url = reverse("penalties:reconciliation")
        march = {"month": f"{year}-03"}
        whole_year = {"start": first_day.isoformat(), "end": datetime.date(year, 12, 31).isoformat()}

        def page(params):
            def run():
                response = client.get(url, params)
                assert response.status_code == 200 and response.context["rec"].balanced
                return f"{len(response.context['rows']):,} rows, {len(response.content) / 2**20:.1f} MiB of HTML"

            return run

        def download(params, kind):
            def run():
                response = client.get(url, {**params, "export": kind})
                assert response.status_code == 200, response.status_code
                size = sum(len(chunk) for chunk in response.streaming_content)
                return f"{size / 2**20:.1f} MiB {kind}"

            return run

        client.get(url, march)  # warm up: templates, translations, URL resolver
        measure("March's reconciliation page", page(march))
        measure("the year's reconciliation page", page(whole_year))
        measure("the year's reconciliation as Excel", download(whole_year, "xlsx"))
        measure("the year's reconciliation as CSV", download(whole_year, "csv"))
    finally:
        connection.close()
        for path in workdir.iterdir():
            path.unlink()
        workdir.rmdir()


if __name__ == "__main__":
    main()

"""Ledger sums are exact to the fen on SQLite and PostgreSQL (PEN-5).

SQLite sums a DecimalField (stored as REAL) in floating point: for the amounts below it returns
10007655937.04122 instead of 10007655937.04 (bench/ledger_sums.py shows it for 200,000 rows).
The ledger stores whole fen in a BigIntegerField and sums integers, exact on both databases.
"""

from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from penalties.models import LedgerEntry
from penalties.selectors import ledger_balances, ledger_reconciliation, ledger_totals, penalty_balance
from tests.penalties.factories import decided_service_code
from tests.roster.factories import user_with_role
from tollservice.core.money import fen_to_yuan

EXACT_TOTAL_FEN = 1000765593704  # 10,007,655,937.04 yuan
SMALL = [1] * 2000 + [10] * 2000  # 0.01 and 0.10 yuan
_large = EXACT_TOTAL_FEN - sum(SMALL) - 20000  # the penalty's own 200-yuan assessment is the first entry
LARGE = [_large // 7] * 6 + [_large - 6 * (_large // 7)]


@pytest.fixture
def big_ledger(people):
    penalty = decided_service_code(office=people.office, staff=people.collector)  # 20000 fen assessed
    today = timezone.localdate()
    LedgerEntry.objects.bulk_create(
        LedgerEntry(
            penalty=penalty,
            sequence=sequence,
            kind=LedgerEntry.Kind.ASSESSED,
            account=LedgerEntry.Account.FINES_RECEIVABLE,
            amount_fen=amount,
            booked_on=today,
            recorded_by=people.office,
        )
        for sequence, amount in enumerate(LARGE + SMALL, start=2)
    )
    return penalty


def test_integer_fen_sums_are_exact(big_ledger):
    # PEN-5: to the fen, on whichever database runs the suite.
    assert LedgerEntry.objects.count() == 1 + len(LARGE) + len(SMALL)
    totals = ledger_totals()
    assert totals.assessed_fen == EXACT_TOTAL_FEN
    assert fen_to_yuan(totals.assessed_fen) == Decimal("10007655937.04")
    assert penalty_balance(penalty=big_ledger).outstanding_fen == EXACT_TOTAL_FEN
    (row,) = ledger_balances(user=user_with_role("finance"), by="department")
    assert row.totals.outstanding_fen == EXACT_TOTAL_FEN
    today = timezone.localdate()
    report = ledger_reconciliation(user=user_with_role("finance"), start=today, end=today)
    assert report.balanced and report.period.assessed_fen == EXACT_TOTAL_FEN


def test_yuan_as_floating_point_would_not_be_exact_on_sqlite(big_ledger):
    # Why the ledger stores fen: the same amounts in yuan, summed by SQLite as REAL, drift.
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: PostgreSQL sums numerics exactly, so there is no drift to show")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT SUM(amount_fen / 100.0), SUM(amount_fen) FROM {LedgerEntry._meta.db_table}")
        as_yuan, as_fen = cursor.fetchone()
    assert as_fen == EXACT_TOTAL_FEN
    assert isinstance(as_yuan, float)
    assert Decimal(repr(as_yuan)) != Decimal("10007655937.04")

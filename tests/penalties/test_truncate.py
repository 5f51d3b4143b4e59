"""PEN-5 on PostgreSQL: the append-only tables refuse TRUNCATE as they refuse UPDATE and DELETE.

Before migration 0008 a ``TRUNCATE … CASCADE`` — of the ledger, or of any table a penalty
points at, such as the roster's staff — emptied the ledger, and only the closed months would
have noticed. The guard is lifted only by the test runner's flush (the test settings' database
backend) — which empties these tables after each of these tests — while the portal's
connection, as production configures it, cannot lift it.
"""

import pytest
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction
from django.db.backends.postgresql.operations import DatabaseOperations as PortalOperations

from penalties.models import LedgerEntry, Penalty, PenaltyEvent, PenaltyProvision
from tests.penalties.factories import decided_service_code
from tests.services import require_postgres

# Committed rows, as in the running portal (and PostgreSQL refuses any TRUNCATE of a table with
# foreign-key checks still pending in the same transaction, which would hide the trigger).
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ledger(people):
    require_postgres()
    decided_service_code(office=people.office, staff=people.collector, n=2)
    decided_service_code(office=people.office, staff=people.other)
    return LedgerEntry.objects.count()


def _refused(sql: str) -> str:
    with pytest.raises(DatabaseError) as refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    return str(refused.value)


@pytest.mark.parametrize(
    "sql",
    [
        "TRUNCATE penalties_ledgerentry",
        "TRUNCATE penalties_ledgerentry CASCADE",
        "TRUNCATE penalties_penalty CASCADE",
        "TRUNCATE penalties_penaltyevent, penalties_penaltyprovision",
        # A table the ledger only reaches through foreign keys: the cascade reaches the ledger.
        "TRUNCATE roster_staff CASCADE",
    ],
)
def test_the_portal_connection_cannot_truncate_the_ledger(ledger, sql):
    # PEN-5: no 小金库 — not even by emptying the books from a console.
    assert "cannot be truncated" in _refused(sql)
    assert LedgerEntry.objects.count() == ledger > 0
    assert Penalty.objects.count() == 2 and PenaltyEvent.objects.exists() and PenaltyProvision.objects.exists()


def test_the_portals_own_flush_is_refused_too(ledger):
    # What ``manage.py flush`` runs with the portal's (production) database backend: refused.
    statements = PortalOperations(connection).sql_flush(no_style(), ["penalties_ledgerentry"], allow_cascade=True)
    assert statements and not any("allow_truncate" in statement for statement in statements)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    assert LedgerEntry.objects.count() == ledger


def test_only_the_test_runners_flush_lifts_the_guard_and_only_for_itself(ledger):
    # The test settings' backend turns the setting on for the flush's own transaction
    # (SET LOCAL): within it TRUNCATE passes; after it the guard stands again.
    statements = connection.ops.sql_flush(no_style(), ["penalties_ledgerentry"], allow_cascade=True)
    assert statements[0] == "SET LOCAL tollservice.allow_truncate = 'on'"
    with transaction.atomic():
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        assert LedgerEntry.objects.count() == 0
        transaction.set_rollback(True)
    assert LedgerEntry.objects.count() == ledger
    assert "cannot be truncated" in _refused("TRUNCATE penalties_ledgerentry")

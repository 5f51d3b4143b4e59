"""Exactly-once collection under real concurrency, on PostgreSQL (PEN-5).

Two clerks press "collected" at the same moment, each in its own thread with its own database
connection. The row lock makes the second wait and then find nothing outstanding; should the
lock ever be missing, the unique (penalty, sequence) constraint still refuses the second entry.
"""

import threading
import time

import pytest
from django.db import connection

from penalties import services
from penalties.models import LedgerEntry
from penalties.services import ledger as ledger_services
from tests.penalties.factories import decided_service_code
from tests.services import require_postgres
from tollservice.core.errors import DomainError

pytestmark = pytest.mark.postgres


def _race(calls):
    """Run each call in its own thread, released together by a barrier; collect the outcomes."""
    barrier = threading.Barrier(len(calls))
    outcomes = []

    def run(call):
        try:
            barrier.wait(timeout=10)
            outcomes.append(("ok", call()))
        except DomainError as exc:
            outcomes.append(("refused", exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def _clerks_collect(people, penalty):
    return _race(
        [
            lambda: services.fine_collect(
                penalty=penalty, collected_by=people.finance, receipt_number=f"A-{penalty.pk}"
            ),
            lambda: services.fine_collect(
                penalty=penalty, collected_by=people.finance2, receipt_number=f"B-{penalty.pk}"
            ),
        ]
    )


def test_pen5_two_clerks_at_once_make_one_collection(transactional_db, people, monkeypatch):
    # PEN-5: exactly-once under the row lock. The first clerk dawdles while holding the lock,
    # so the second certainly arrives while it is held.
    require_postgres()
    balance = ledger_services.penalty_balance

    def slow_balance(**kwargs):
        result = balance(**kwargs)
        time.sleep(0.2)
        return result

    monkeypatch.setattr(ledger_services, "penalty_balance", slow_balance)
    for staff in (people.collector, people.other):
        penalty = decided_service_code(office=people.office, staff=staff)
        outcomes = _clerks_collect(people, penalty)
        assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"]
        refused = next(value for kind, value in outcomes if kind == "refused")
        assert refused.code == "nothing_outstanding"
        assert LedgerEntry.objects.filter(penalty=penalty, kind=LedgerEntry.Kind.COLLECTED).count() == 1


def test_pen5_database_constraint_holds_without_the_lock(transactional_db, people, monkeypatch):
    # PEN-5: take the lock away and let both clerks read the same balance and entry number;
    # the unique (penalty, sequence) constraint still lets only one collection in.
    require_postgres()
    penalty = decided_service_code(office=people.office, staff=people.collector)
    monkeypatch.setattr(ledger_services, "lock_penalty", lambda pk: ledger_services.Penalty.objects.get(pk=pk))
    both_read = threading.Barrier(2)
    next_sequence = ledger_services._next_sequence

    def sequence_then_wait(penalty):
        sequence = next_sequence(penalty)
        both_read.wait(timeout=10)
        return sequence

    monkeypatch.setattr(ledger_services, "_next_sequence", sequence_then_wait)
    outcomes = _clerks_collect(people, penalty)
    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"]
    refused = next(value for kind, value in outcomes if kind == "refused")
    assert refused.code == "concurrent_entry"
    assert LedgerEntry.objects.filter(penalty=penalty, kind=LedgerEntry.Kind.COLLECTED).count() == 1


def test_pen5_concurrent_collection_and_waiver_never_overdraw(transactional_db, people, monkeypatch):
    # PEN-5: a clerk collecting while the second waiver approval lands: never more than assessed.
    require_postgres()
    penalty = decided_service_code(office=people.office, staff=people.collector)
    waiver = services.waiver_request(penalty=penalty, requested_by=people.office, reason="困难")
    services.waiver_approve(waiver=waiver, approved_by=people.leader)
    outcomes = _race(
        [
            lambda: services.fine_collect(penalty=penalty, collected_by=people.finance, receipt_number="C-1"),
            lambda: services.waiver_approve(waiver=waiver, approved_by=people.leader2),
        ]
    )
    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"]
    assert ledger_services.penalty_balance(penalty=penalty).outstanding_fen == 0
    assert LedgerEntry.objects.filter(penalty=penalty).exclude(kind=LedgerEntry.Kind.ASSESSED).count() == 1

"""Closing a month while a late entry for it is being booked, on PostgreSQL (PEN-5).

A clerk records a receipt dated last month while the finance office closes last month. Either
the receipt is booked first and the closing counts it, or the closing comes first and the
receipt is refused; never a receipt that slips into a month already closed, which would leave
the figures kept at closing different from the books.
"""

import datetime
import threading
import time

import pytest
from django.db import connection
from django.utils import timezone

from penalties import services
from penalties.demo import _clock as demo_clock
from penalties.models import LedgerEntry
from penalties.services import ledger as ledger_services
from tests.penalties.factories import decided_service_code
from tests.services import require_postgres
from tollservice.core.errors import DomainError

pytestmark = pytest.mark.postgres


def _last_month() -> tuple[datetime.date, datetime.date]:
    end = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    return end.replace(day=1), end


def test_pen5_a_receipt_booked_while_its_month_closes_is_counted_or_refused(transactional_db, people, monkeypatch):
    # PEN-5: the booking checks the closed date, then dawdles before writing; the closing
    # starts in that gap.
    require_postgres()
    start, end = _last_month()
    moment = datetime.datetime.combine(start, datetime.time(10), tzinfo=timezone.get_current_timezone())
    with demo_clock(moment):
        fine = decided_service_code(office=people.office, staff=people.collector, incident_date=start)

    next_sequence = ledger_services._next_sequence
    checked = threading.Event()

    def slow_next_sequence(penalty):
        checked.set()
        time.sleep(0.5)
        return next_sequence(penalty)

    monkeypatch.setattr(ledger_services, "_next_sequence", slow_next_sequence)
    outcomes = {}

    def collect():
        try:
            services.fine_collect(penalty=fine, collected_by=people.finance, receipt_number="R-LATE", collected_on=end)
            outcomes["collect"] = "ok"
        except DomainError as exc:
            outcomes["collect"] = exc.code
        finally:
            connection.close()

    def close():
        try:
            assert checked.wait(timeout=10)
            outcomes["close"] = services.ledger_period_close(month=start, closed_by=people.finance2)
        finally:
            connection.close()

    threads = [threading.Thread(target=collect), threading.Thread(target=close)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)

    closing = outcomes["close"]
    booked = LedgerEntry.objects.filter(booked_on__range=(start, end))
    collected = sum(e.amount_fen for e in booked.filter(kind=LedgerEntry.Kind.COLLECTED))
    # The closing waited for the receipt in flight and counted it.
    assert outcomes["collect"] == "ok"
    assert (closing.collected_fen, closing.entries_count) == (collected, booked.count()) == (fine.fine_fen, 2)

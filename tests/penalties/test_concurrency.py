"""Exactly-once collection under real concurrency, on PostgreSQL (PEN-5).

Two clerks press "collected" at the same moment, each in its own thread with its own database
connection. The row lock makes the second wait and then find nothing outstanding; should the
lock ever be missing, the unique (penalty, sequence) constraint still refuses the second entry.
"""

import threading
import time

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from penalties import services
from penalties.models import LedgerEntry, Penalty
from penalties.services import ledger as ledger_services
from tests.penalties.concurrency import race
from tests.penalties.factories import decided_service_code
from tests.roster.factories import user_with_role
from tests.services import require_postgres
from tests.submissions import opened

pytestmark = pytest.mark.postgres


def _clerks_collect(people, penalty):
    return race(
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


@pytest.mark.django_db(transaction=True)
def test_pen5_two_clerks_pressing_collected_at_once_over_http_make_one_collection(people, monkeypatch):
    # PEN-5 through the screen: two finance clerks, each signed in on their own client, post the
    # collection form for the same fine at the same moment. One receipt is booked; the other clerk
    # gets the form back with a clear refusal, never a 500 (the test client re-raises a server
    # error, and a 500 response would fail the status check).
    require_postgres()
    penalty = decided_service_code(office=people.office, staff=people.collector)
    assert penalty.status in Penalty.IN_FORCE
    url = reverse("penalties:fine_collect", args=[penalty.pk])
    amount = f"{penalty.fine_fen // 100}.{penalty.fine_fen % 100:02d}"
    clerks = [people.finance, people.finance2, user_with_role("finance")]

    # Whoever gets the lock first waits, holding it, until every clerk has reached the lock, so
    # the others are certainly queued behind it rather than arriving after the commit.
    arrived = []
    all_arrived = threading.Event()
    lock_penalty = ledger_services.lock_penalty
    balance = ledger_services.penalty_balance

    def counted_lock(pk):
        arrived.append(pk)
        if len(arrived) == len(clerks):
            all_arrived.set()
        return lock_penalty(pk)

    def slow_balance(**kwargs):
        result = balance(**kwargs)
        all_arrived.wait(timeout=10)
        time.sleep(0.2)
        return result

    monkeypatch.setattr(ledger_services, "lock_penalty", counted_lock)
    monkeypatch.setattr(ledger_services, "penalty_balance", slow_balance)

    barrier = threading.Barrier(len(clerks))
    responses, errors = {}, []

    def press(n, user):
        try:
            client = Client()
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
            client.force_login(user)
            data = {"receipt_number": f"HTTP-{n}", "collected_on": timezone.localdate().isoformat(), "amount": amount}
            data |= opened(client, url)  # each clerk opened the form (and got its one-time token)
            barrier.wait(timeout=10)
            responses[n] = client.post(url, data)
        except Exception as exc:  # reported below, with the thread's own traceback kept
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=(n, user)) for n, user in enumerate(clerks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert not errors, errors
    assert all_arrived.is_set()  # every clerk really reached the lock while the first held it

    booked = [n for n, response in responses.items() if response.status_code == 302]
    refused = [n for n, response in responses.items() if response.status_code == 200]
    assert len(booked) == 1 and len(refused) == len(clerks) - 1, {n: r.status_code for n, r in responses.items()}
    assert responses[booked[0]]["Location"] == reverse("penalties:penalty_detail", args=[penalty.pk])
    for n in refused:
        form = responses[n].context["form"]
        assert form.non_field_errors() == [
            "Nothing is outstanding on this fine: it has been collected or waived already."
        ]
    collections = LedgerEntry.objects.filter(penalty=penalty, kind=LedgerEntry.Kind.COLLECTED)
    assert [(entry.receipt_number, entry.amount_fen) for entry in collections] == [
        (f"HTTP-{booked[0]}", penalty.fine_fen)
    ]
    assert balance(penalty=penalty).outstanding_fen == 0


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
    outcomes = race(
        [
            lambda: services.fine_collect(penalty=penalty, collected_by=people.finance, receipt_number="C-1"),
            lambda: services.waiver_approve(waiver=waiver, approved_by=people.leader2),
        ]
    )
    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"]
    assert ledger_services.penalty_balance(penalty=penalty).outstanding_fen == 0
    assert LedgerEntry.objects.filter(penalty=penalty).exclude(kind=LedgerEntry.Kind.ASSESSED).count() == 1

"""The fine ledger (PEN-5): collection, waivers, reversals, append-only, reconciliation."""

import datetime

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone, translation

from penalties import services
from penalties.demo import _clock as demo_clock
from penalties.models import LedgerEntry, Penalty, WaiverRequest
from penalties.selectors import (
    attach_balances,
    ledger_balances,
    ledger_closed_through,
    ledger_receipts,
    ledger_reconciliation,
    ledger_totals,
    penalty_balance,
    penalty_detail,
    penalty_list,
    penalty_outstanding,
    waiver_queue,
)
from tests.penalties.factories import collection_around_the_services, decided_service_code
from tollservice.core.append_only import AppendOnlyError
from tollservice.core.errors import DomainError

Kind = LedgerEntry.Kind


@pytest.fixture
def fine(people):
    """A 400-yuan PEN-1 fine in force."""
    return decided_service_code(office=people.office, staff=people.collector, n=2)


# --- Collection -------------------------------------------------------------------------------


def test_pen5_only_the_finance_office_collects(people, fine):
    # PEN-5: fines are collected centrally by the finance office.
    for user in (people.office, people.leader, people.staff_user, people.team_leader.user):
        with pytest.raises(DomainError):
            services.fine_collect(penalty=fine, collected_by=user, receipt_number="R-1")
    assert not fine.ledger_entries.filter(kind=Kind.COLLECTED).exists()


def test_pen5_collection_is_non_operating_income_with_receipt(people, fine):
    # PEN-5: booked as non-operating income (营业外收入), with receipt number, date and collector.
    entry = services.fine_collect(
        penalty=fine, collected_by=people.finance, receipt_number=" CW-2024-0001 ", collected_on=timezone.localdate()
    )
    assert entry.account == LedgerEntry.Account.NON_OPERATING_INCOME
    with translation.override("en"):
        assert str(entry.get_account_display()) == "Non-operating income"
    assert (entry.receipt_number, entry.collector, entry.amount_fen) == ("CW-2024-0001", people.finance, 40000)
    assert penalty_balance(penalty=fine).outstanding_fen == 0
    assert list(ledger_receipts(user=people.finance)) == [entry]


def test_collection_is_exactly_once(people, fine):
    # PEN-5: the second press finds nothing outstanding.
    services.fine_collect(penalty=fine, collected_by=people.finance, receipt_number="R-1")
    with pytest.raises(DomainError) as refused:
        services.fine_collect(penalty=fine, collected_by=people.finance2, receipt_number="R-2")
    assert refused.value.code == "nothing_outstanding"
    assert fine.ledger_entries.filter(kind=Kind.COLLECTED).count() == 1


def test_part_payments_and_their_limits(people, fine):
    services.fine_collect(penalty=fine, collected_by=people.finance, receipt_number="R-1", amount_fen=15000)
    with pytest.raises(DomainError, match="250.00"):
        services.fine_collect(penalty=fine, collected_by=people.finance, receipt_number="R-2", amount_fen=25001)
    with pytest.raises(DomainError):
        services.fine_collect(penalty=fine, collected_by=people.finance, receipt_number="R-2", amount_fen=0)
    with pytest.raises(DomainError):  # receipt numbers are unique
        services.fine_collect(penalty=fine, collected_by=people.finance, receipt_number="R-1", amount_fen=100)
    with pytest.raises(DomainError):
        services.fine_collect(
            penalty=fine,
            collected_by=people.finance,
            receipt_number="R-3",
            collected_on=timezone.localdate() + datetime.timedelta(days=1),
        )
    services.fine_collect(penalty=fine, collected_by=people.finance, receipt_number="R-2")
    assert penalty_balance(penalty=fine) == type(penalty_balance(penalty=fine))(40000, 40000, 0)


def test_penalty_not_in_force_owes_nothing(people):
    # PEN-5: money is owed from the decision (or approval), not from the proposal.
    decided_service_code(office=people.office, staff=people.collector)
    awaiting = decided_service_code(office=people.office, staff=people.collector)
    with pytest.raises(DomainError):
        services.fine_collect(penalty=awaiting, collected_by=people.finance, receipt_number="R-9")


# --- Waivers ----------------------------------------------------------------------------------


def test_waiver_needs_two_different_approvers_one_from_leadership(people, fine):
    # PEN-5: formally waived, by two different approvers, one of them from the leadership group.
    waiver = services.waiver_request(penalty=fine, requested_by=people.office, reason="家庭困难，经所务会研究")
    assert waiver.amount_fen == 40000
    with pytest.raises(DomainError):  # the requester cannot approve
        services.waiver_approve(waiver=waiver, approved_by=people.office)
    services.waiver_approve(waiver=waiver, approved_by=people.finance)
    assert list(waiver_queue(user=people.finance)) == []
    assert list(waiver_queue(user=people.leader)) == [waiver]
    with pytest.raises(DomainError):  # the same approver twice
        services.waiver_approve(waiver=waiver, approved_by=people.finance)
    with pytest.raises(DomainError) as refused:  # two approvers, neither from the leadership group
        services.waiver_approve(waiver=waiver, approved_by=people.office2)
    assert refused.value.code == "needs_leadership"
    assert not fine.ledger_entries.filter(kind=Kind.WAIVED).exists()
    services.waiver_approve(waiver=waiver, approved_by=people.leader)
    waiver.refresh_from_db()
    assert waiver.status == WaiverRequest.Status.APPROVED
    entry = fine.ledger_entries.get(kind=Kind.WAIVED)
    assert (entry.amount_fen, entry.waiver) == (40000, waiver)
    assert penalty_balance(penalty=fine).outstanding_fen == 0
    with pytest.raises(DomainError):
        services.waiver_approve(waiver=waiver, approved_by=people.leader2)


def test_two_leadership_members_may_approve(people, fine):
    waiver = services.waiver_request(penalty=fine, requested_by=people.finance, reason="x", amount_fen=10000)
    services.waiver_approve(waiver=waiver, approved_by=people.leader)
    services.waiver_approve(waiver=waiver, approved_by=people.leader2)
    assert penalty_balance(penalty=fine) == type(penalty_balance(penalty=fine))(40000, 0, 10000)


def test_waiver_limits_and_rejection(people, fine):
    with pytest.raises(DomainError):
        services.waiver_request(penalty=fine, requested_by=people.office, reason="x", amount_fen=40001)
    with pytest.raises(DomainError):
        services.waiver_request(penalty=fine, requested_by=people.staff_user, reason="x")
    waiver = services.waiver_request(penalty=fine, requested_by=people.office, reason="x")
    with pytest.raises(DomainError):  # one pending at a time
        services.waiver_request(penalty=fine, requested_by=people.office, reason="y")
    services.waiver_reject(waiver=waiver, rejected_by=people.leader, reason="理由不充分")
    waiver.refresh_from_db()
    assert waiver.status == WaiverRequest.Status.REJECTED
    assert penalty_balance(penalty=fine).outstanding_fen == 40000


def test_waiver_cannot_exceed_what_is_left_when_approved(people, fine):
    waiver = services.waiver_request(penalty=fine, requested_by=people.office, reason="x")
    services.waiver_approve(waiver=waiver, approved_by=people.leader)
    services.fine_collect(penalty=fine, collected_by=people.finance, receipt_number="R-1", amount_fen=100)
    with pytest.raises(DomainError):
        services.waiver_approve(waiver=waiver, approved_by=people.finance2)
    assert penalty_balance(penalty=fine).outstanding_fen == 39900


# --- Reversal ---------------------------------------------------------------------------------


def test_reversal_of_a_wrong_collection(people, fine):
    entry = services.fine_collect(penalty=fine, collected_by=people.finance, receipt_number="R-1")
    with pytest.raises(DomainError):
        services.ledger_entry_reverse(entry=entry, reversed_by=people.finance, reason="")
    with pytest.raises(DomainError):  # finance office only
        services.ledger_entry_reverse(entry=entry, reversed_by=people.office, reason="错账")
    reversal = services.ledger_entry_reverse(entry=entry, reversed_by=people.finance, reason="收据号录错")
    assert (reversal.kind, reversal.reverses, reversal.reversed_kind) == (Kind.REVERSAL, entry, Kind.COLLECTED)
    assert reversal.account == LedgerEntry.Account.NON_OPERATING_INCOME
    assert penalty_balance(penalty=fine).outstanding_fen == 40000
    with pytest.raises(DomainError):  # once
        services.ledger_entry_reverse(entry=entry, reversed_by=people.finance, reason="again")
    with pytest.raises(DomainError):  # a reversal is not reversed
        services.ledger_entry_reverse(entry=reversal, reversed_by=people.finance, reason="again")
    services.fine_collect(penalty=fine, collected_by=people.finance, receipt_number="R-2")
    assert penalty_balance(penalty=fine).outstanding_fen == 0


def test_reversing_a_waiver_reopens_the_fine_and_says_so_on_the_request(people, fine):
    # PEN-5: a waiver corrected in the ledger no longer stands as "approved".
    waiver = services.waiver_request(penalty=fine, requested_by=people.office, reason="家庭困难")
    services.waiver_approve(waiver=waiver, approved_by=people.leader)
    services.waiver_approve(waiver=waiver, approved_by=people.finance)
    waived = fine.ledger_entries.get(kind=Kind.WAIVED)
    services.ledger_entry_reverse(entry=waived, reversed_by=people.finance, reason="减免依据不足")
    waiver.refresh_from_db()
    assert waiver.status == WaiverRequest.Status.REVERSED
    assert penalty_balance(penalty=fine).outstanding_fen == 40000
    # and a new waiver of the amount owed again may be asked for
    services.waiver_request(penalty=fine, requested_by=people.office, reason="重新申请")


def test_revoking_a_waived_fine_marks_the_waiver_reversed(people, fine):
    waiver = services.waiver_request(penalty=fine, requested_by=people.office, reason="家庭困难", amount_fen=10000)
    services.waiver_approve(waiver=waiver, approved_by=people.leader)
    services.waiver_approve(waiver=waiver, approved_by=people.finance)
    services.penalty_revoke(penalty=fine, revoked_by=people.office2, reasons="认定有误")
    waiver.refresh_from_db()
    assert waiver.status == WaiverRequest.Status.REVERSED
    assert penalty_balance(penalty=fine).outstanding_fen == 0


def test_assessed_fine_is_cancelled_only_by_revocation(people, fine):
    assessed = fine.ledger_entries.get(kind=Kind.ASSESSED)
    with pytest.raises(DomainError) as refused:
        services.ledger_entry_reverse(entry=assessed, reversed_by=people.finance, reason="x")
    assert refused.value.code == "assessed_needs_revocation"


# --- Append-only ------------------------------------------------------------------------------


def test_ledger_entries_are_append_only(people, fine):
    entry = fine.ledger_entries.get()
    entry.amount_fen = 1
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount_fen=1)
    with pytest.raises(AppendOnlyError):
        LedgerEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        fine.ledger_entries.all().delete()
    with pytest.raises(AppendOnlyError):
        LedgerEntry.objects.bulk_update([entry], ["amount_fen"])
    assert LedgerEntry.objects.get(pk=entry.pk).amount_fen == 40000


def test_guards_hold_on_django_internal_paths(people, fine):
    # PEN-5: Django's base manager (related lookups, deletion) goes through the same guards.
    entry = fine.ledger_entries.get()
    with pytest.raises(AppendOnlyError):
        LedgerEntry._base_manager.filter(pk=entry.pk).update(amount_fen=1)
    with pytest.raises(AppendOnlyError):
        LedgerEntry._base_manager.filter(pk=entry.pk).delete()
    with pytest.raises(AppendOnlyError):
        Penalty._base_manager.filter(pk=fine.pk).update(fine_fen=1)
    # A new object that borrows a decided penalty's primary key is an insert, which fails;
    # it never overwrites the decided row behind the model's checks.
    impostor = Penalty(
        pk=fine.pk,
        staff=fine.staff,
        department=fine.department,
        rule=fine.rule,
        source=fine.source,
        incident_date=fine.incident_date,
        description="改写",
        eligibility_year=fine.eligibility_year,
        fine_fen=1,
        proposed_by=people.office,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        impostor.save()
    fine.refresh_from_db()
    assert (fine.fine_fen, fine.description) == (40000, "检查发现当班收费员未使用文明用语。")


def test_pen1_the_provisions_a_fine_was_computed_from_stay_cited(fine):
    # PEN-1: 2 provisions × 200 yuan; what the fine was computed from cannot be taken away.
    link = fine.provision_links.first()
    with pytest.raises(AppendOnlyError), transaction.atomic():
        fine.provisions.clear()
    with pytest.raises(AppendOnlyError):
        link.delete()
    link.text = "改写"
    with pytest.raises(AppendOnlyError):
        link.save()
    assert fine.provision_links.count() == 2 and fine.fine_fen == 40000


@pytest.mark.parametrize(
    "table",
    ["penalties_ledgerentry", "penalties_penaltyevent", "penalties_penaltypolicy", "penalties_penaltyprovision"],
)
def test_database_refuses_to_change_append_only_rows(people, fine, table):
    # PEN-5: below the ORM too (raw SQL, a database console): a trigger refuses the UPDATE, and
    # on PostgreSQL the DELETE (SQLite keeps DELETE for the test runner's flush).
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} ORDER BY id LIMIT 1")  # noqa: S608 - fixed table names
        (row_id,) = cursor.fetchone()
        with pytest.raises(DatabaseError), transaction.atomic():
            cursor.execute(f"UPDATE {table} SET id = id WHERE id = %s", [row_id])  # noqa: S608
        if connection.vendor == "postgresql":
            with pytest.raises(DatabaseError), transaction.atomic():
                cursor.execute(f"DELETE FROM {table} WHERE id = %s", [row_id])  # noqa: S608
        cursor.execute(f"SELECT count(*) FROM {table} WHERE id = %s", [row_id])  # noqa: S608
        assert cursor.fetchone() == (1,)


def test_database_refuses_a_second_entry_with_the_same_number(people, fine):
    # PEN-5: the constraint behind exactly-once, whatever the code above it does.
    entry = fine.ledger_entries.get()
    duplicate = LedgerEntry(
        penalty=fine,
        sequence=entry.sequence,
        kind=Kind.COLLECTED,
        account=LedgerEntry.Account.NON_OPERATING_INCOME,
        amount_fen=40000,
        booked_on=timezone.localdate(),
        receipt_number="R-X",
        recorded_by=people.finance,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_database_refuses_a_collection_not_booked_as_non_operating_income(people, fine):
    bad = LedgerEntry(
        penalty=fine,
        sequence=99,
        kind=Kind.COLLECTED,
        account=LedgerEntry.Account.FINES_RECEIVABLE,
        amount_fen=1,
        booked_on=timezone.localdate(),
        receipt_number="R-Y",
        recorded_by=people.finance,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        bad.save()


# --- Reconciliation and balances ----------------------------------------------------------------


def test_pen5_reconciliation_accounts_for_every_fen(people):
    # PEN-5: assessed = collected + waived + outstanding, to the fen, every entry listed.
    today = timezone.localdate()
    a = decided_service_code(office=people.office, staff=people.collector, n=3)  # 600
    b = decided_service_code(office=people.office, staff=people.other, n=1)  # 200
    services.fine_collect(penalty=a, collected_by=people.finance, receipt_number="R-1", amount_fen=12345)
    waiver = services.waiver_request(penalty=b, requested_by=people.office, reason="x", amount_fen=5001)
    services.waiver_approve(waiver=waiver, approved_by=people.finance)
    services.waiver_approve(waiver=waiver, approved_by=people.leader)
    wrong = services.fine_collect(penalty=b, collected_by=people.finance, receipt_number="R-2", amount_fen=999)
    services.ledger_entry_reverse(entry=wrong, reversed_by=people.finance, reason="错账")

    report = ledger_reconciliation(user=people.finance, start=today, end=today)
    assert report.balanced
    assert report.opening.outstanding_fen == 0
    assert report.period.assessed_fen == 80000
    assert report.period.collected_fen == 12345
    assert report.period.waived_fen == 5001
    assert report.closing.outstanding_fen == 80000 - 12345 - 5001
    assert report.due_fen == report.accounted_fen
    assert len(report.entries) == LedgerEntry.objects.count() == 6

    later = ledger_reconciliation(
        user=people.finance, start=today + datetime.timedelta(days=1), end=today + datetime.timedelta(days=30)
    )
    assert later.balanced and later.entries == []
    assert later.opening.outstanding_fen == later.closing.outstanding_fen == report.closing.outstanding_fen

    # A download streams the entries instead of loading them; its figures are the same aggregates.
    streamed = ledger_reconciliation(user=people.finance, start=today, end=today, with_entries=False)
    assert streamed.entries is None and streamed.balanced
    assert (streamed.opening, streamed.period, streamed.closing) == (report.opening, report.period, report.closing)


def test_reconciliation_period_must_be_ordered():
    with pytest.raises(DomainError):
        ledger_reconciliation(user=None, start=datetime.date(2024, 2, 1), end=datetime.date(2024, 1, 1))


def test_balances_per_person_team_and_department(people):
    decided_service_code(office=people.office, staff=people.collector, n=2)
    other = decided_service_code(office=people.office, staff=people.other, n=1)
    services.fine_collect(penalty=other, collected_by=people.finance, receipt_number="R-1")
    by_staff = {row.key: row.totals for row in ledger_balances(user=people.finance, by="staff")}
    assert by_staff[people.collector].outstanding_fen == 40000
    assert by_staff[people.other].outstanding_fen == 0
    (team_row,) = ledger_balances(user=people.finance, by="team")
    assert (team_row.key, team_row.totals.assessed_fen, team_row.totals.outstanding_fen) == (people.team, 60000, 40000)
    (department_row,) = ledger_balances(user=people.finance, by="department")
    assert department_row.key == people.toll_office
    assert ledger_totals().outstanding_fen == 40000
    assert [p.outstanding_fen for p in penalty_outstanding(user=people.finance)] == [40000]


# --- Closing a month ---------------------------------------------------------------------------


def _last_month() -> tuple[datetime.date, datetime.date]:
    end = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    return end.replace(day=1), end


def _fine_decided_on(people, day: datetime.date):
    moment = datetime.datetime.combine(day, datetime.time(10), tzinfo=timezone.get_current_timezone())
    with demo_clock(moment):
        return decided_service_code(office=people.office, staff=people.collector, incident_date=day)


def test_pen5_closed_month_stays_as_it_was_closed(people):
    # PEN-5: once the finance office closes a month, nothing is booked on or before its last
    # day, so the reconciliation it filed stays true; the closing keeps the month's figures.
    start, end = _last_month()
    fine = _fine_decided_on(people, start + datetime.timedelta(days=2))
    services.fine_collect(
        penalty=fine,
        collected_by=people.finance,
        receipt_number="R-1",
        collected_on=start + datetime.timedelta(days=5),
        amount_fen=5000,
    )
    with pytest.raises(DomainError) as refused:
        services.ledger_period_close(month=start, closed_by=people.office)
    assert refused.value.code == "permission_denied"
    with pytest.raises(DomainError) as refused:
        services.ledger_period_close(month=timezone.localdate(), closed_by=people.finance)
    assert refused.value.code == "month_not_over"
    filed = ledger_reconciliation(user=people.finance, start=start, end=end)

    closing = services.ledger_period_close(month=end, closed_by=people.finance, note="已与总账核对")
    assert closing.month == start
    assert (closing.assessed_fen, closing.collected_fen, closing.waived_fen) == (20000, 5000, 0)
    assert (closing.entries_count, closing.outstanding_fen) == (2, 15000)
    assert ledger_closed_through() == end

    with pytest.raises(DomainError) as refused:  # a late receipt cannot be backdated into it
        services.fine_collect(penalty=fine, collected_by=people.finance, receipt_number="R-2", collected_on=end)
    assert (refused.value.code, refused.value.field) == ("period_closed", "collected_on")
    assert end.isoformat() in str(refused.value)
    services.fine_collect(penalty=fine, collected_by=people.finance, receipt_number="R-2", amount_fen=1000)
    services.ledger_entry_reverse(
        entry=fine.ledger_entries.get(receipt_number="R-1"), reversed_by=people.finance, reason="收据作废"
    )  # a correction is booked today, in the open month
    again = ledger_reconciliation(user=people.finance, start=start, end=end)
    assert (again.opening, again.period, again.closing) == (filed.opening, filed.period, filed.closing)

    for month in (start, start - datetime.timedelta(days=1)):  # closed, and everything before it
        with pytest.raises(DomainError) as refused:
            services.ledger_period_close(month=month, closed_by=people.finance2)
        assert refused.value.code == "already_closed"
    closing.note = "改"
    with pytest.raises(AppendOnlyError):
        closing.save()


def test_pen5_a_month_that_does_not_balance_cannot_be_closed(people):
    # PEN-5: an entry written around the services (more collected than assessed) shows up.
    start, _ = _last_month()
    fine = _fine_decided_on(people, start + datetime.timedelta(days=1))
    collection_around_the_services(
        fine, amount_fen=fine.fine_fen + 1, booked_on=start + datetime.timedelta(days=3), recorded_by=people.finance
    )
    with pytest.raises(DomainError) as refused:
        services.ledger_period_close(month=start, closed_by=people.finance)
    assert refused.value.code == "unbalanced"
    assert ledger_closed_through() is None


# --- Query budgets ----------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 6])
def test_lists_cost_a_constant_number_of_queries(people, django_assert_max_num_queries, count):
    for i in range(count):
        staff = people.collector if i % 2 else people.other
        penalty = decided_service_code(office=people.office, staff=staff)
        if penalty.status == penalty.Status.DECIDED:
            services.fine_collect(penalty=penalty, collected_by=people.finance, receipt_number=f"R-{i}", amount_fen=1)
    today = timezone.localdate()
    with django_assert_max_num_queries(4):
        page = list(penalty_list(user=people.finance)[:25])
        attach_balances(page)  # the page's balances: one query
        rows = [(p.staff.name, p.team, p.department, p.outstanding_fen) for p in page]
        assert len(rows) == count
    with django_assert_max_num_queries(4):
        report = ledger_reconciliation(user=people.finance, start=today, end=today)
        assert [(e.penalty.staff.name, e.recorded_by.username) for e in report.entries]
    with django_assert_max_num_queries(2):
        assert ledger_balances(user=people.finance, by="staff")
    with django_assert_max_num_queries(2):
        list(penalty_outstanding(user=people.finance))
    pk = penalty_list(user=people.finance).first().pk
    with django_assert_max_num_queries(12):
        detail = penalty_detail(user=people.finance, pk=pk)
        [(e.actor, e.kind) for e in detail.events.all()]
        [(e.recorded_by, e.kind) for e in detail.ledger_entries.all()]

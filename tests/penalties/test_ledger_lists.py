"""Issue 9 for the fine ledger (PEN-5): the ledger-derived balance the outstanding list filters
on agrees with the ledger after every kind of booking, and the ledger's lists and the
reconciliation read their pages and sums through indexes (tests/query_plan.py)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from penalties import exports, services
from penalties.demo import _clock as demo_clock
from penalties.models import LedgerEntry, LedgerMonthTotal, LedgerStaffMonthTotal, OutstandingTotal, Penalty
from penalties.models.ledger import _month_totals
from penalties.selectors import (
    LedgerTotals,
    balances_of_penalties,
    ledger_balance_keys,
    ledger_balance_keys_to_count,
    ledger_balance_totals,
    ledger_balance_without_team,
    ledger_balances,
    ledger_balances_of,
    ledger_entry_list,
    ledger_receipts,
    ledger_reconciliation,
    ledger_totals,
    outstanding_figures,
    penalty_balance,
    penalty_outstanding,
)
from tests.penalties.factories import collection_around_the_services, decided_service_code
from tests.penalties.test_views import signed_in_client
from tests.query_plan import TEMPORARY_SORT, assert_indexed, assert_indexed_queries, explain, selects
from tests.roster.factories import StaffFactory
from tollservice.core.dates import month_end
from tollservice.roster.models import Staff

Kind = LedgerEntry.Kind
LEDGER_TABLES = [LedgerEntry, Penalty]


def _owed_agrees_with_the_ledger() -> None:
    for penalty in Penalty.objects.all():
        balance = penalty_balance(penalty=penalty)
        kept = (penalty.owed_fen, penalty.ledger_collected_fen, penalty.ledger_waived_fen)
        assert kept == (balance.outstanding_fen, balance.collected_fen, balance.waived_fen), f"penalty #{penalty.pk}"


@pytest.fixture
def fines(people):
    """Three fines in force: one collected in part, one waived in part, one untouched."""
    part = decided_service_code(office=people.office, staff=people.collector, n=2)  # 400 yuan
    services.fine_collect(penalty=part, collected_by=people.finance, receipt_number="R-1", amount_fen=15000)
    waived = decided_service_code(office=people.office, staff=people.other)
    waiver = services.waiver_request(penalty=waived, requested_by=people.office, reason="困难", amount_fen=5000)
    services.waiver_approve(waiver=waiver, approved_by=people.leader)
    services.waiver_approve(waiver=waiver, approved_by=people.finance)
    untouched = decided_service_code(office=people.office, staff=StaffFactory(team=people.team))
    return part, waived, untouched


def test_pen5_owed_fen_follows_every_booking(people, fines):
    # PEN-5: the ledger is the source of truth; the maintained balance moves with each entry.
    part, waived, untouched = fines
    _owed_agrees_with_the_ledger()
    assert [Penalty.objects.get(pk=p.pk).owed_fen for p in fines] == [25000, 15000, 20000]
    collection = part.ledger_entries.get(kind=Kind.COLLECTED)
    services.ledger_entry_reverse(entry=collection, reversed_by=people.finance, reason="收据号错误")
    _owed_agrees_with_the_ledger()
    services.fine_collect(penalty=part, collected_by=people.finance, receipt_number="R-2")
    services.ledger_entry_reverse(
        entry=waived.ledger_entries.get(kind=Kind.WAIVED), reversed_by=people.finance, reason="减免依据不足"
    )
    services.penalty_revoke(penalty=untouched, revoked_by=people.office2, reasons="认定有误")
    _owed_agrees_with_the_ledger()
    assert [Penalty.objects.get(pk=p.pk).owed_fen for p in fines] == [0, 20000, 0]
    # Written in bulk (the benchmark's generator), they are set from the ledger again.
    Penalty.objects.refresh_balances()
    _owed_agrees_with_the_ledger()


def _outstanding_totals_agree_with_the_ledger(finance) -> None:
    """The kept totals of the fines owed are the ledger's own figures of the fines the
    outstanding list shows, per year, team and department."""
    listed = list(penalty_outstanding(user=finance))
    kept = {
        (row.eligibility_year, row.team_id, row.department_id): (
            row.fines,
            row.owed_fen,
            row.collected_fen,
            row.waived_fen,
        )
        for row in OutstandingTotal.objects.all()
        if row.fines or row.owed_fen or row.collected_fen or row.waived_fen
    }
    derived: dict[tuple, tuple] = {}
    for penalty in listed:
        balance = penalty_balance(penalty=penalty)
        key = (penalty.eligibility_year, penalty.team_id, penalty.department_id)
        fines, owed, collected, waived = derived.get(key, (0, 0, 0, 0))
        derived[key] = (
            fines + 1,
            owed + balance.outstanding_fen,
            collected + balance.collected_fen,
            waived + balance.waived_fen,
        )
    assert kept == derived
    figures = outstanding_figures(user=finance)
    assert figures.fines == len(listed)
    assert figures.totals == ledger_totals(LedgerEntry.objects.filter(penalty__in=listed))


def test_pen5_outstanding_totals_follow_every_booking(people, fines):
    # PEN-5: the count and totals of the fines owed are kept per year, team and department with
    # every entry booked (a fine leaves them once settled, comes back when a collection is
    # reversed, leaves on revocation), and a rebuild from the balances finds them unchanged.
    part, waived, untouched = fines
    _outstanding_totals_agree_with_the_ledger(people.finance)
    assert outstanding_figures(user=people.finance).fines == 3
    services.fine_collect(penalty=part, collected_by=people.finance, receipt_number="R-2")  # settled
    _outstanding_totals_agree_with_the_ledger(people.finance)
    assert outstanding_figures(user=people.finance).fines == 2
    collection = part.ledger_entries.get(receipt_number="R-1")
    services.ledger_entry_reverse(entry=collection, reversed_by=people.finance, reason="收据号错误")  # owed again
    services.ledger_entry_reverse(
        entry=waived.ledger_entries.get(kind=Kind.WAIVED), reversed_by=people.finance, reason="减免依据不足"
    )
    services.penalty_revoke(penalty=untouched, revoked_by=people.office2, reasons="认定有误")
    _outstanding_totals_agree_with_the_ledger(people.finance)
    assert outstanding_figures(user=people.finance).fines == 2
    OutstandingTotal.objects.rebuild()
    _outstanding_totals_agree_with_the_ledger(people.finance)


def test_pen5_outstanding_figures_follow_the_filters(people, fines):
    # The figures of a filtered list are those of the rows it lists: by year, team, department
    # (kept totals) and person (the person's own fines).
    part, waived, untouched = fines
    finance = people.finance
    outstanding = penalty_outstanding(user=finance)

    def figures_of(penalties):
        return (len(penalties), ledger_totals(LedgerEntry.objects.filter(penalty__in=penalties)))

    for filters, listed in [
        ({"year": part.eligibility_year}, outstanding.filter(eligibility_year=part.eligibility_year)),
        ({"year": part.eligibility_year + 1}, outstanding.none()),
        ({"team": people.team}, outstanding.filter(team=people.team)),
        ({"department": part.department}, outstanding.filter(department=part.department)),
        ({"staff": part.staff}, outstanding.filter(staff=part.staff)),
        ({"staff": waived.staff, "team": people.team}, outstanding.filter(staff=waived.staff, team=people.team)),
    ]:
        figures = outstanding_figures(user=finance, **filters)
        assert (figures.fines, figures.totals) == figures_of(list(listed)), filters
    # Someone who may not read the ledger sees nothing.
    assert outstanding_figures(user=people.staff_user).fines == 0


def _month_totals_agree_with_the_ledger() -> None:
    for model in (LedgerMonthTotal, LedgerStaffMonthTotal):
        group = list(model.GROUPED_BY)
        kept = {
            (row.month, *(getattr(row, name) for name in group)): (
                row.entries,
                row.assessed_fen,
                row.collected_fen,
                row.waived_fen,
            )
            for row in model.objects.all()
        }
        derived = {
            (row["month"], *(row[name] for name in group)): (
                row["entries"],
                row["assessed_fen"],
                row["collected_fen"],
                row["waived_fen"],
            )
            for row in _month_totals(LedgerEntry.objects.all(), model.GROUPED_BY)
        }
        assert kept == derived, model.__name__


def test_pen5_month_totals_follow_every_booking(people, fines):
    # PEN-5: the sums per month, team and department (and per month and person) are derived
    # from the ledger; each booking moves them in its own transaction, and a rebuild from the
    # ledger finds them unchanged.
    part, waived, untouched = fines
    _month_totals_agree_with_the_ledger()
    assert LedgerMonthTotal.objects.count() >= 1
    assert LedgerStaffMonthTotal.objects.count() == 3  # three people, this month
    collection = part.ledger_entries.get(kind=Kind.COLLECTED)
    services.ledger_entry_reverse(entry=collection, reversed_by=people.finance, reason="收据号错误")
    services.fine_collect(penalty=part, collected_by=people.finance, receipt_number="R-2")
    services.ledger_entry_reverse(
        entry=waived.ledger_entries.get(kind=Kind.WAIVED), reversed_by=people.finance, reason="减免依据不足"
    )
    services.penalty_revoke(penalty=untouched, revoked_by=people.office2, reasons="认定有误")
    _month_totals_agree_with_the_ledger()
    assert ledger_balance_totals(user=people.finance) == ledger_totals()
    LedgerMonthTotal.objects.rebuild()
    LedgerStaffMonthTotal.objects.rebuild()
    _month_totals_agree_with_the_ledger()


def test_pen5_balances_per_team_from_month_totals_are_the_ledgers(people):
    # PEN-5: the balances per person, team and department are read from the month totals for whole
    # months and from the entries for the days of a month cut by the range: the same figures,
    # for any range, as summing the entries.
    last = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    earlier = (last.replace(day=1) - datetime.timedelta(days=1)).replace(day=10)
    outsider = StaffFactory(team=None, department=people.team.department)
    for day, staff in [(earlier, people.collector), (last.replace(day=5), people.other), (last, outsider)]:
        moment = datetime.datetime.combine(day, datetime.time(10), tzinfo=timezone.get_current_timezone())
        with demo_clock(moment):
            fine = decided_service_code(office=people.office, staff=staff, incident_date=day)
        services.fine_collect(
            penalty=fine, collected_by=people.finance, receipt_number=f"R-{day}", collected_on=day, amount_fen=5000
        )
    ranges = [
        (None, None),
        (earlier, None),
        (None, last),
        (earlier.replace(day=1), last),
        (earlier, last.replace(day=20)),
        (last.replace(day=2), last.replace(day=20)),
        (last.replace(day=6), last),
        (earlier.replace(day=11), earlier.replace(day=20)),
    ]
    for start, end in ranges:
        scope = {"user": people.finance, "start": start, "end": end}
        assert ledger_balance_totals(**scope) == ledger_totals(_range(start, end)), (start, end)
        for by in ("staff", "team", "department"):
            everything = {row.key: row.totals for row in ledger_balances(by=by, **scope)}
            keys = list(ledger_balance_keys(by=by, **scope))
            without_team = ledger_balance_without_team(**scope) if by == "team" else None
            paged = ledger_balances_of(by=by, keys=keys, **scope)
            if without_team:
                paged += ledger_balances_of(by=by, keys=[None], **scope)
                assert without_team.totals == everything[None]
            assert {row.key: row.totals for row in paged} == everything, (by, start, end)
    assert ledger_balance_keys(user=people.staff_user, by="team").count() == 0  # no ledger for staff
    assert ledger_balance_totals(user=people.staff_user) == LedgerTotals()


def _range(start, end):
    entries = LedgerEntry.objects.all()
    if start:
        entries = entries.filter(booked_on__gte=start)
    if end:
        entries = entries.filter(booked_on__lte=end)
    return entries


def test_pen5_the_outstanding_list_is_what_the_ledger_leaves_owed(people, fines):
    part, waived, untouched = fines
    listed = list(penalty_outstanding(user=people.finance))
    assert listed == sorted([part, waived, untouched], key=lambda p: (p.in_force_from, p.pk))
    services.fine_collect(penalty=waived, collected_by=people.finance, receipt_number="R-3")
    assert waived not in penalty_outstanding(user=people.finance)
    # The page's balances are read for its rows only, from the ledger.
    balances = balances_of_penalties([part.pk, waived.pk])
    assert (balances[part.pk].collected_fen, balances[part.pk].outstanding_fen) == (15000, 25000)
    assert balances[waived.pk].outstanding_fen == 0
    report = exports.OutstandingReport()
    (row,) = [r for r in report.rows(report.source(penalty_outstanding(user=people.finance))) if r.values[0] == part.pk]
    assert row.values[7:] == [40000, 15000, 0, 25000]


def test_pen5_balances_are_read_a_page_of_keys_at_a_time(people, fines):
    everything = {row.key: row.totals for row in ledger_balances(user=people.finance, by="staff")}
    keys = list(ledger_balance_keys(user=people.finance, by="staff"))
    assert set(keys) == set(everything)
    assert [key.employee_number for key in keys] == sorted(key.employee_number for key in keys)
    paged = ledger_balances_of(user=people.finance, by="staff", keys=keys[:2]) + ledger_balances_of(
        user=people.finance, by="staff", keys=keys[2:]
    )
    assert {row.key: row.totals for row in paged} == everything
    total = ledger_balance_totals(user=people.finance)
    assert total.outstanding_fen == sum(totals.outstanding_fen for totals in everything.values()) == 60000
    assert ledger_balance_keys(user=people.staff_user, by="team").count() == 0  # no ledger for staff


def test_pen5_the_reconciliation_pages_its_entries_and_still_balances(people, fines):
    today = timezone.localdate()
    rec = ledger_reconciliation(user=people.finance, start=today, end=today, with_entries=False)
    assert rec.balanced and rec.entries is None
    assert rec.entries_net == rec.period.outstanding_fen == 60000
    response = signed_in_client(people.finance).get(
        reverse("penalties:reconciliation"), {"start": today.isoformat(), "end": today.isoformat()}
    )
    assert response.status_code == 200
    page = response.context["page_obj"]
    assert page.paginator.count == LedgerEntry.objects.count() == len(response.context["rows"])


def test_pen5_an_entry_written_around_the_services_unbalances_the_period(people, fines):
    # PEN-5: more collected than assessed shows, though the maintained balance never saw it.
    part, _, _ = fines
    today = timezone.localdate()
    collection_around_the_services(part, amount_fen=100000, booked_on=today, recorded_by=people.finance)
    rec = ledger_reconciliation(user=people.finance, start=today, end=today, with_entries=False)
    assert rec.overpaid_penalty_ids == [part.pk] and not rec.balanced


def test_pen5_reconciliation_reads_kept_months_and_agrees_with_every_entry(people, fines):
    # PEN-5: the opening and closing balances come from the month totals (and the days of a
    # month cut by the period, from the entries); they are the sums of every entry before the
    # period and up to its end, for a month, a year, a range cut inside months and a day.
    part, _, _ = fines
    today = timezone.localdate()
    last_month_end = today.replace(day=1) - datetime.timedelta(days=1)
    with demo_clock(
        datetime.datetime.combine(last_month_end, datetime.time(10), tzinfo=timezone.get_current_timezone())
    ):
        someone = StaffFactory(team=people.team)
        earlier = decided_service_code(office=people.office, staff=someone, incident_date=last_month_end)
        services.fine_collect(penalty=earlier, collected_by=people.finance, receipt_number="R-L", amount_fen=5000)
    services.fine_collect(penalty=part, collected_by=people.finance, receipt_number="R-9", amount_fen=100)
    periods = [
        (last_month_end.replace(day=1), last_month_end),
        (today.replace(day=1) - datetime.timedelta(days=365), today),
        (last_month_end - datetime.timedelta(days=3), today),
        (today, today),
    ]
    for start, end in periods:
        rec = ledger_reconciliation(user=people.finance, start=start, end=end, with_entries=False)
        assert rec.opening == ledger_totals(LedgerEntry.objects.filter(booked_on__lt=start)), (start, end)
        assert rec.closing == ledger_totals(LedgerEntry.objects.filter(booked_on__lte=end)), (start, end)
        assert rec.period == ledger_totals(LedgerEntry.objects.filter(booked_on__range=(start, end)))
        assert rec.balanced and not rec.overpaid_penalty_ids
    # The month's figures add up its kept month totals and its own entries, never the entries
    # booked before it.
    start, end = periods[0]
    with CaptureQueriesContext(connection) as captured:
        ledger_reconciliation(user=people.finance, start=start, end=end, with_entries=False)
    assert any("penalties_ledgermonthtotal" in sql for sql in selects(captured))


def test_pen5_an_entry_around_the_services_in_a_whole_month_is_named(people):
    # PEN-5: an entry written around the services (more collected than assessed) in a month the
    # period holds whole: the month totals never saw it, so the figures disagree, and the
    # penalty it overpaid is named, in that month's reconciliation and in the year's.
    last_month_end = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    with demo_clock(
        datetime.datetime.combine(last_month_end, datetime.time(10), tzinfo=timezone.get_current_timezone())
    ):
        fine = decided_service_code(office=people.office, staff=people.collector, incident_date=last_month_end)
    collection_around_the_services(
        fine, amount_fen=fine.fine_fen + 1, booked_on=last_month_end, recorded_by=people.finance
    )
    for start in (last_month_end.replace(day=1), last_month_end.replace(day=1) - datetime.timedelta(days=300)):
        rec = ledger_reconciliation(user=people.finance, start=start, end=timezone.localdate(), with_entries=False)
        assert rec.overpaid_penalty_ids == [fine.pk] and not rec.balanced


def test_pen5_a_longer_period_takes_its_closed_months_as_filed(people, fines):
    # PEN-5: a period longer than a month adds up its closed months as filed at closing (they
    # were reconciled with their entries then, and nothing can be booked in them since) and the
    # entries of its other days: the same figures as every entry, and the page says so. A
    # month's own page still reads its entries and compares them with the closing.
    today = timezone.localdate()
    last_month_end = today.replace(day=1) - datetime.timedelta(days=1)
    last_month = last_month_end.replace(day=1)
    with demo_clock(
        datetime.datetime.combine(last_month_end, datetime.time(10), tzinfo=timezone.get_current_timezone())
    ):
        earlier = decided_service_code(
            office=people.office, staff=StaffFactory(team=people.team), incident_date=last_month_end
        )
        services.fine_collect(penalty=earlier, collected_by=people.finance, receipt_number="R-L", amount_fen=5000)
    services.ledger_period_close(month=last_month, closed_by=people.finance)
    start = last_month - datetime.timedelta(days=40)
    rec = ledger_reconciliation(user=people.finance, start=start, end=today, with_entries=False)
    first_whole = start if start.day == 1 else month_end(start) + datetime.timedelta(days=1)
    assert rec.filed == (first_whole, last_month_end)
    assert rec.period == ledger_totals(LedgerEntry.objects.filter(booked_on__range=(start, today)))
    assert rec.closing == ledger_totals(LedgerEntry.objects.filter(booked_on__lte=today))
    assert rec.balanced
    response = signed_in_client(people.finance).get(
        reverse("penalties:reconciliation"), {"start": start.isoformat(), "end": today.isoformat()}
    )
    assert 'id="reconciliation-filed"' in response.content.decode()
    month = ledger_reconciliation(user=people.finance, start=last_month, end=last_month_end, with_entries=False)
    assert month.filed is None and month.balanced
    # An entry written around the services in the closed month: the month's page sees it.
    collection_around_the_services(earlier, amount_fen=100, booked_on=last_month_end, recorded_by=people.finance)
    assert not ledger_reconciliation(user=people.finance, start=last_month, end=last_month_end).balanced


# --- Plans: every list's main query and the reconciliation's sums go through an index -----------


def test_the_outstanding_list_reads_its_page_through_an_index(people, fines):
    outstanding = penalty_outstanding(user=people.finance)
    assert_indexed(outstanding.values_list("pk")[:25], LEDGER_TABLES)
    assert_indexed(outstanding.reverse().values_list("pk")[:25], LEDGER_TABLES)
    # Counting reads the index of owed fines (the fines owed), not every penalty.
    sql, params = outstanding.order_by().values("pk").query.sql_with_params()
    assert_indexed(f"SELECT COUNT(*) FROM ({sql}) AS owed", LEDGER_TABLES, params=params, allow_index_scan=True)


def test_the_outstanding_fines_count_and_totals_read_kept_totals(people, fines):
    # Issue 9: 28,000 fines owed at 200,000 penalties. Their count and totals add up the kept
    # totals per year, team and department (one query, no penalty, no ledger entry); a person's
    # read the index of owed fines, through their own fines.
    with CaptureQueriesContext(connection) as captured:
        figures = outstanding_figures(user=people.finance)
    assert figures.fines == 3
    assert figures.totals == ledger_totals(LedgerEntry.objects.filter(penalty__in=fines))
    (query,) = selects(captured)
    assert "penalties_outstandingtotal" in query and "penalties_penalty" not in query
    with CaptureQueriesContext(connection) as captured:
        outstanding_figures(user=people.finance, staff=fines[0].staff)
    (query,) = selects(captured)
    assert "penalties_ledgerentry" not in query
    assert_indexed(query, LEDGER_TABLES, allow_index_scan=True)


def test_the_outstanding_page_counts_and_sums_from_kept_totals(people, fines):
    # The page's count and its totals cards come from the figures, the rows from the list.
    client = signed_in_client(people.finance)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("penalties:outstanding"))
    assert response.status_code == 200
    assert response.context["page_obj"].count == 3
    assert response.context["totals"] == ledger_totals(LedgerEntry.objects.filter(penalty__in=fines))
    assert not any("COUNT(" in sql.upper() and "penalties_penalty" in sql for sql in selects(captured))
    # A filter the form refuses lists nothing and counts nothing (the typed value stays).
    response = client.get(reverse("penalties:outstanding"), {"year": "abc"})
    assert response.status_code == 200
    assert response.context["page_obj"].count == 0 and response.context["totals"] == LedgerTotals()
    assert 'value="abc"' in response.content.decode()


def test_the_receipts_list_reads_its_page_through_an_index(people, fines):
    receipts = ledger_receipts(user=people.finance).order_by("-booked_on", "-created_at", "-pk")
    assert_indexed(exports.ReceiptReport().source(receipts)[:25], LEDGER_TABLES)
    assert_indexed(exports.ReceiptReport().source(receipts.reverse())[:25], LEDGER_TABLES)


def test_the_reconciliation_reads_its_sums_and_its_page_through_indexes(people, fines):
    today = timezone.localdate()
    start = today - datetime.timedelta(days=30)
    with CaptureQueriesContext(connection) as captured:
        ledger_reconciliation(user=people.finance, start=start, end=today, with_entries=False)
    # The period's sums read the index (booked_on, kind, reversed_kind, amount_fen) over its
    # days; the balances before and after it add the month totals up to a month.
    assert_indexed_queries(captured, [*LEDGER_TABLES, LedgerMonthTotal], allow_index_scan=True)
    report = exports.ReconciliationReport(
        ledger_reconciliation(user=people.finance, start=start, end=today, with_entries=False)
    )
    assert_indexed(report.source(ledger_entry_list(user=people.finance, start=start, end=today))[:50], LEDGER_TABLES)


def test_a_page_of_balances_reads_its_keys_and_their_sums_through_indexes(people, fines):
    # A page of people reads the roster in its order, each person looked up in their months
    # (not every person with a month found and sorted: 200,000 staff); the count reads the
    # months once, not the roster.
    tables = [*LEDGER_TABLES, LedgerStaffMonthTotal, Staff]
    assert_indexed(ledger_balance_keys(user=people.finance, by="staff")[:50], tables)
    assert_indexed(ledger_balance_keys(user=people.finance, by="staff").reverse()[:50], tables)
    counted = ledger_balance_keys_to_count(user=people.finance, by="staff")
    assert set(counted) == set(ledger_balance_keys(user=people.finance, by="staff"))
    sql, params = counted.order_by().values("pk")[:10001].query.sql_with_params()
    plan = explain(f"SELECT COUNT(*) FROM ({sql}) AS keys", tables, params=params)
    assert not [p for p in plan.problems if p.table == "roster_staff"], plan
    # Teams are sorted by their display order: a sort of the roster's few dozen teams, which
    # PostgreSQL's plan shows above the look-ups into the ledger; nothing else may be sorted.
    plan = explain(ledger_balance_keys(user=people.finance, by="team")[:50], LEDGER_TABLES)
    assert not [p for p in plan.problems if not (p.kind == TEMPORARY_SORT and "roster_team" in p.detail)], plan
    for by in ("staff", "team"):
        keys = list(ledger_balance_keys(user=people.finance, by=by)[:50])
        with CaptureQueriesContext(connection) as captured:
            ledger_balances_of(user=people.finance, by=by, keys=keys)
        assert_indexed_queries(captured, [*LEDGER_TABLES, LedgerStaffMonthTotal])


def test_the_balances_page_and_download_agree(people, fines):
    client = signed_in_client(people.finance)
    page = client.get(reverse("penalties:balances"), {"by": "team"})
    assert page.status_code == 200
    download = client.get(reverse("penalties:balances"), {"by": "team", "export": "csv"})
    text = b"".join(download.streaming_content).decode("utf-8-sig")
    assert text.count("\n") == 1 + len(page.context["rows"]) + 1  # header, rows, totals
    assert "600.00" in text.splitlines()[-1]


@pytest.mark.parametrize(
    ("page", "query"),
    [
        ("penalties:reconciliation", {"start": "0001-01-01", "end": "2026-11-30"}),
        ("penalties:reconciliation", {"start": "2026-01-01", "end": "9999-12-31"}),
        ("penalties:balances", {"start": "0001-01-01", "end": "2026-11-30"}),
    ],
)
def test_a_period_outside_the_portal_s_calendar_is_refused_with_a_message(people, page, query):
    """A year-1 or year-9999 end (typed, or a link) is a typing error said as such, with what was
    typed kept, and the default period shown; it once failed the reconciliation (a month before
    year 1 has no neighbour)."""
    response = signed_in_client(people.finance).get(reverse(page), query)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose a day between 2000-01-01 and 2999-12-31." in html  # the finance clerk reads English here
    assert all(f'value="{value}"' in html for value in query.values())

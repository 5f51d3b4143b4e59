"""The benchmark's generator (bench/generator, bench/parts) writes what the services would have
written: a small station is built in the test database and checked against the plan's rules,
acted on through the services, and every page ``make bench`` measures answers for its role."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from bench.generator import Scale, World, load_parts
from bench.generator.registry import Part, _ordered
from bench.harness import figures
from complaints.models import Complaint, RegistrationCounter
from inspections.models import Inspection, ItemResult, Prohibition, RectificationOrder
from inspections.services import _effects
from penalties import selectors, services
from penalties.models import LedgerEntry, LedgerPeriodClose, Penalty
from tollservice.core.dates import month_end
from tollservice.core.list_views import PAGE_SIZE
from tollservice.roster.models import Staff, Team

pytestmark = pytest.mark.django_db


def test_a_generated_station_is_what_the_services_would_have_written(client):
    # One station for every check: building it is most of the time.
    world = World(Scale(rows=150, staff=140, teams=7), today=timezone.localdate(), out=io.StringIO())
    for part in load_parts():
        with transaction.atomic():
            part.build(world)
    check_size(world)
    check_ledger(world)
    check_pen2()
    check_inspections()
    check_complaints()
    check_rankings(world)  # before the pages: they must find the stored rankings
    check_pages(world, client)
    check_services(world)  # last: it changes the station


def check_size(world):
    assert Penalty.objects.count() == 150
    assert Staff.objects.count() == 140
    assert Team.objects.count() == 7 and not Team.objects.filter(leader__isnull=True).exists()
    assert world.meta["penalties"]["busy_rows"] > 25  # "my penalties" has more than a page


def check_ledger(world):
    finance = world.facts["roster"].users["finance"]
    whole = selectors.ledger_reconciliation(user=finance, start=world.first_day, end=world.today)
    assert whole.balanced and whole.period.assessed_fen > whole.period.collected_fen > 0
    closings = list(LedgerPeriodClose.objects.all())
    assert closings
    for closing in closings:
        end = month_end(closing.month)
        period = selectors.ledger_reconciliation(user=finance, start=closing.month, end=end, with_entries=False).period
        assert (period.assessed_fen, period.collected_fen, period.waived_fen) == (
            closing.assessed_fen,
            closing.collected_fen,
            closing.waived_fen,
        )
        # PEN-5: nothing was booked in a month after it was closed.
        late = LedgerEntry.objects.filter(booked_on__range=(closing.month, end), created_at__gt=closing.closed_at)
        assert not late.exists()
    # The outstanding fines' kept figures are those of the fines listed.
    listed = selectors.penalty_outstanding(user=finance)
    figures = selectors.outstanding_figures(user=finance)
    assert figures.fines == listed.count() > 0
    assert figures.totals == selectors.ledger_totals(LedgerEntry.objects.filter(penalty__in=listed))
    # The leader's waivers to approve fill a page at every scale (the bench compares full pages).
    assert selectors.waiver_queue(user=world.facts["roster"].users["leader"]).count() >= PAGE_SIZE


def check_pen2():  # PEN-2: a second violation in the year was escalated
    for penalty in Penalty.objects.filter(status__in=Penalty.COUNTS_AS_VIOLATION):
        earlier = (
            Penalty.objects.violations()
            .filter(
                staff=penalty.staff, incident_date__year=penalty.incident_date.year, decided_at__lt=penalty.decided_at
            )
            .exclude(pk=penalty.pk)
        )
        if earlier.exists():
            assert penalty.escalated, penalty
    assert Penalty.objects.filter(status=Penalty.Status.AWAITING_APPROVAL, escalated=True).exists()


def check_services(world):
    users = world.facts["roster"].users
    office, leader, finance = users["office"], users["leader"], users["finance"]
    outstanding = selectors.penalty_outstanding(user=finance).first()
    entry = services.fine_collect(penalty=outstanding, collected_by=finance, receipt_number="TEST-1", amount_fen=100)
    assert entry.sequence == outstanding.ledger_entries.count()
    waiting = Penalty.objects.filter(status=Penalty.Status.AWAITING_APPROVAL).first()
    extra = {"reasons": "同意", "prohibitions": [Prohibition.objects.first()]} if waiting.escalated else {}
    assert services.penalty_approve(penalty=waiting, approved_by=leader, **extra).status == Penalty.Status.APPROVED
    proposed = Penalty.objects.filter(status=Penalty.Status.PROPOSED).first()
    if proposed is not None:
        assert services.penalty_decide(penalty=proposed, decided_by=office).status != Penalty.Status.PROPOSED


def check_pages(world, client):  # every page make bench measures answers its role
    logins = {role: world.facts["roster"].users[name] for role, name in world.meta["logins"].items()}
    requests = [(page.login, page.url_name, page.url_args(world.today), page.params) for page in figures.LISTS]
    for report in figures.reports(world.today):
        requests += [(report.login, report.url_name, [], params) for params in report.periods.values()]
    requests += [(export.login, export.url_name, [], export.params) for export in figures.EXPORTS]
    for login, url_name, args, params in requests:
        client.force_login(logins[login])
        response = client.get(reverse(url_name, args=args), params)
        assert response.status_code == 200, (login, url_name, params)


def check_rankings(world):
    """AWD-1: this year's rankings of both awards are stored (the pages read them) and are what
    the live computation ranks."""
    from awards import selectors as award_selectors
    from awards.models import AwardKind, RankingSnapshot, Selection

    for kind in AwardKind.values:
        selection = Selection.objects.select_related("campaign").get(campaign__year=world.today.year, kind=kind)
        stored = award_selectors.ranking_stored(user=world.facts["roster"].users["office"], selection=selection)
        assert stored is not None and not stored.stale
        assert stored.snapshot.trigger == RankingSnapshot.Trigger.SCHEDULE
        rows = award_selectors.stored_rows(stored, award_selectors.stored_entries(stored), user=None)
        live = award_selectors.compute_ranking(selection=selection, today=world.today).rows
        assert [(r.key, r.rank, r.score) for r in rows] == [(r.key, r.rank, r.score) for r in live]


def check_inspections():
    """Every inspection in effect has the score the one scoring function gives its results, and
    its deductions add up to what it lost (INS-1, 连带责任); every finding of a closed one has an
    outcome (INS-2)."""
    effective = Inspection.objects.filter(status__in=Inspection.EFFECTIVE)
    assert effective.exists() and ItemResult.objects.findings().exists()
    for inspection in effective.select_related("checklist_version")[:40]:
        assert _effects.compute(inspection).score == inspection.score == Decimal(100) - inspection.deduction
        team = inspection.deductions.filter(subject="team").aggregate(total=Sum("points"))["total"] or 0
        assert team == inspection.deduction
    closed = ItemResult.objects.findings().filter(inspection__status=Inspection.Status.CLOSED)
    assert not closed.filter(outcomes__isnull=True).exists()
    for order in RectificationOrder.objects.filter(status=RectificationOrder.Status.VERIFIED):
        assert order.verified_at > order.answered_at and order.verified_by_id != order.answered_by_id


def check_complaints():
    """CMP-7: each year's ledger is numbered without gaps and the counter stands at its last
    number; a closed complaint went through every step; an answered one is answered."""
    for counter in RegistrationCounter.objects.all():
        numbers = sorted(Complaint.objects.filter(year=counter.year).values_list("sequence", flat=True))
        assert numbers == list(range(1, counter.last_number + 1))
    closed = Complaint.objects.filter(status=Complaint.Status.CLOSED).first()
    kinds = set(closed.events.values_list("kind", flat=True))
    assert {"registered", "contact", "verdict", "answered", "return_visit", "closed"} <= kinds
    assert closed.verdicts.exists() and closed.return_visits.exists()
    assert Complaint.objects.filter(primary__isnull=False).exists()


def test_parts_run_after_the_parts_they_need():
    def part(name, *after):
        return Part(name, lambda world: None, after, (), None)

    parts = {p.name: p for p in [part("records", "penalties"), part("penalties", "roster"), part("roster")]}
    assert [p.name for p in _ordered(parts)] == ["roster", "penalties", "records"]
    with pytest.raises(ValueError, match="unknown"):
        _ordered({"a": part("a", "b")})
    with pytest.raises(ValueError, match="wait for each other"):
        _ordered({"a": part("a", "b"), "b": part("b", "a")})

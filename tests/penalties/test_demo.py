"""The demo year of penalties (``seed_demo``): loaded once, the same every time, and every
penalties page has something real to show to the demo account that uses it."""

import datetime
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from penalties import demo
from penalties.models import (
    AccountabilityRecord,
    Circular,
    EligibilityRevocation,
    LedgerEntry,
    LedgerPeriodClose,
    Penalty,
    PenaltyEvent,
    PenaltyPolicy,
    TalkRecord,
    WaiverRequest,
)
from penalties.selectors import ledger_reconciliation
from tollservice.audit.models import AuditEntry
from tollservice.core.dates import month_end
from tollservice.notifications.models import Notification
from tollservice.roster.models import Station

pytestmark = pytest.mark.django_db

MODELS = [
    Penalty,
    PenaltyEvent,
    LedgerEntry,
    WaiverRequest,
    Circular,
    AccountabilityRecord,
    TalkRecord,
    EligibilityRevocation,
    PenaltyPolicy,
    Notification,
    AuditEntry,
]


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _counts() -> dict:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def seeded(db):
    _seed()
    return demo.demo_year(timezone.localdate())


def test_the_demo_seeder_is_listed_after_the_roster():
    seeders = settings.DEMO_SEEDERS
    assert "penalties.demo.seed" in seeders
    assert seeders.index("tollservice.roster.demo.seed") < seeders.index("penalties.demo.seed")


def test_seeding_twice_changes_nothing(seeded):
    counts = _counts()
    output = _seed()
    assert _counts() == counts
    assert "already has a station" in output
    # The seeder itself skips a database that has penalties, even when called directly.
    out = StringIO()
    demo.seed(station=Station.objects.get(), stdout=out)
    assert _counts() == counts and "already loaded" in out.getvalue()


def test_a_year_of_penalties_across_the_rules(seeded):
    year = seeded
    # The penalties' own demo; the inspections and complaints demos propose theirs from findings
    # and complaints, linked to those records.
    penalties = Penalty.objects.filter(source_content_type__isnull=True)
    assert 15 <= penalties.count() <= 25
    assert {p.incident_date.year for p in penalties} == {year}
    months = {p.incident_date.month for p in penalties}
    assert min(months) == 1 and max(months) == 11
    assert set(penalties.values_list("rule", flat=True)) == set(Penalty.Rule.values)
    statuses = set(penalties.values_list("status", flat=True))
    assert statuses == set(Penalty.Status.values)
    # PEN-2: one escalation decided by the leadership group, one still waiting.
    assert penalties.filter(escalated=True, status="approved").exists()
    assert penalties.filter(escalated=True, status="awaiting_approval").exists()
    # PEN-3 with accountability and a circular; PEN-4 as a pair.
    assert AccountabilityRecord.objects.exists()
    assert Circular.objects.filter(status="published").exists() and Circular.objects.filter(status="draft").exists()
    assert penalties.filter(rule="handling_head", joint_with__rule="handling_handler").exists()
    # PEN-5: collected, waived by two approvers (one of the leadership group), outstanding, reversed.
    waived = WaiverRequest.objects.get(status="approved")
    assert waived.approvals.count() == 2 and waived.approvals.filter(as_leadership=True).exists()
    assert WaiverRequest.objects.filter(status="pending").exists()
    assert LedgerEntry.objects.filter(kind="collected").count() >= 8
    assert LedgerEntry.objects.filter(kind="reversal", reversed_kind="collected").exists()
    assert TalkRecord.objects.count() >= 2 and EligibilityRevocation.objects.count() == 1
    assert PenaltyPolicy.objects.count() == 2
    # PEN-5: the books closed month by month through October, each closing as reconciled.
    closings = LedgerPeriodClose.objects.order_by("month")
    assert [c.month for c in closings] == [datetime.date(year, m, 1) for m in range(1, 11)]
    for closing in closings:
        rec = ledger_reconciliation(user=closing.closed_by, start=closing.month, end=month_end(closing.month))
        assert rec.balanced
        assert (closing.assessed_fen, closing.collected_fen, closing.waived_fen) == (
            rec.period.assessed_fen,
            rec.period.collected_fen,
            rec.period.waived_fen,
        )
    # The steps are spread over the year, not stamped with the day of seeding.
    decided = penalties.filter(decided_at__isnull=False).order_by("decided_at")
    assert timezone.localdate(decided.first().decided_at) == datetime.date(year, 1, 10)
    assert all(
        timezone.localdate(e.created_at) == e.booked_on for e in LedgerEntry.objects.all()
    )  # each entry recorded on its booking day
    assert PenaltyEvent.objects.filter(at__year=year, at__month=4).exists()


def test_the_demo_is_the_same_every_time(db):
    def signature() -> list:
        return list(
            Penalty.objects.order_by("incident_date", "staff__employee_number").values_list(
                "staff__employee_number", "rule", "status", "incident_date", "fine_fen"
            )
        )

    with transaction.atomic():
        _seed()
        first = signature()
        transaction.set_rollback(True)
    assert not Penalty.objects.exists()
    _seed()
    assert signature() == first


SCREENS = {
    "office": [
        "penalties:penalty_list",
        "penalties:talk_list",
        "penalties:eligibility_revocation_list",
        "penalties:circular_list",
    ],
    "leader": ["penalties:approval_queue", "penalties:waiver_list"],
    "finance": ["penalties:outstanding", "penalties:receipt_list", "penalties:balances"],
    "teamleader": ["penalties:penalty_list", "penalties:circular_list"],
    "staff1": ["penalties:my_penalties"],
}


def test_every_screen_has_something_to_show(seeded, client):
    year = seeded
    User = get_user_model()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for username, names in SCREENS.items():
        client.force_login(User.objects.get(username=username))
        for name in names:
            response = client.get(reverse(name))
            assert response.status_code == 200, (username, name)
            assert response.context["rows"], f"{name} is empty for {username}"
        assert client.get(reverse("dashboard:home")).status_code == 200

    client.force_login(User.objects.get(username="finance"))
    response = client.get(reverse("penalties:reconciliation"), {"month": f"{year}-11"})
    assert response.context["rows"] and response.context["rec"].balanced
    waivers = client.get(reverse("penalties:waiver_list"), {"show": "all"})
    assert {row.values[-1] for row in waivers.context["rows"]} == {"Approved", "Awaiting approval"}

    client.force_login(User.objects.get(username="office"))
    dashboard = client.get(reverse("dashboard:home")).content.decode()
    assert 'id="panel-penalties-office"' in dashboard
    assert client.get(reverse("penalties:policy")).context["history"]
    penalty = Penalty.objects.filter(escalated=True, status="approved").get()
    detail = client.get(reverse("penalties:penalty_detail", args=[penalty.pk])).content.decode()
    assert "Approved by the leadership group" in detail and "Collected" in detail
    lookup = client.get(reverse("penalties:eligibility_lookup"), {"staff_pk": penalty.staff_id, "year": year})
    assert not lookup.context["lookup"].result.eligible
    circular = Circular.objects.filter(status="published").first()
    assert client.get(reverse("penalties:circular_print", args=[circular.pk])).status_code == 200

    client.force_login(User.objects.get(username="leader"))
    assert 'id="panel-penalties-approvals"' in client.get(reverse("dashboard:home")).content.decode()

"""The demo year of complaints (``seed_demo``): every channel, duplicates, overdue, upheld with
penalties, dissatisfied and reopened — loaded once, safe to run twice."""

from __future__ import annotations

from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from complaints import demo
from complaints.models import Complaint, ComplaintPenalty, DepartmentComplaintMethod, Review
from tollservice.roster.models import Lane, Station

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db):
    call_command("seed_demo", stdout=StringIO())


def test_the_complaints_seeder_runs_after_the_roster_and_the_penalties():
    seeders = settings.DEMO_SEEDERS
    assert seeders.index("penalties.demo.seed") < seeders.index("complaints.demo.seed")


def test_a_year_of_complaints_through_every_channel_loaded_once_and_shown(client, seeded):
    complaints = Complaint.objects.all()
    assert 30 <= complaints.count() <= 50
    assert set(complaints.values_list("channel", flat=True)) == set(Complaint.Channel.values)
    months = {c.accepted_at.month for c in complaints}
    assert min(months) == 1 and max(months) == 11
    assert complaints.exclude(primary=None).count() >= 2  # duplicates linked (CMP-1)
    assert complaints.overdue().count() >= 3  # still open, past their limits
    assert complaints.filter(verdict_outcome="upheld").exists()
    assert ComplaintPenalty.objects.filter(kind="verified_complaint").count() == 2  # PEN-3
    assert ComplaintPenalty.objects.filter(kind="handling_violation").count() == 2  # PEN-4 pair
    assert Review.objects.filter(status=Review.Status.REOPENED).exists()
    assert Review.objects.filter(status=Review.Status.STANDS).exists()
    assert complaints.filter(reopened_count=1, status=Complaint.Status.CLOSED).exists()
    assert complaints.exclude(voided_at=None).count() == 1
    assert Lane.objects.count() >= 8 and DepartmentComplaintMethod.objects.filter(published=True).count() == 2

    # Seeding again changes nothing.
    count = Complaint.objects.count()
    out = StringIO()
    demo.seed(station=Station.objects.get(), stdout=out)
    assert "already loaded" in out.getvalue() and Complaint.objects.count() == count

    # The office's pages show it.
    client.force_login(get_user_model().objects.get(username="office"))
    for url in (
        reverse("complaints:list"),
        reverse("complaints:ledger"),
        reverse("complaints:figures"),
        reverse("complaints:posters"),
        reverse("dashboard:home"),
        *(c.get_absolute_url() for c in Complaint.objects.all()[:10]),
    ):
        assert client.get(url).status_code == 200, url

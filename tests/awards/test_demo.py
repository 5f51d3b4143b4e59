"""The demo's two campaigns (``seed_demo``): last year decided, this year open, and the issue's
"Done when" story walkable by the demo's ``office`` and ``leader``."""

from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from awards import demo, permissions, selectors
from awards.models import Award, Campaign, Nomination, StudyRecord, StudyReminder
from tollservice.roster.models import Station

pytestmark = pytest.mark.django_db


def test_the_awards_seeder_runs_after_the_roster_and_the_penalties():
    seeders = settings.DEMO_SEEDERS
    assert seeders.index("penalties.demo.seed") < seeders.index("awards.demo.seed")


def test_the_demo_has_a_decided_year_and_an_open_one_and_the_story_walks(client):
    call_command("seed_demo", stdout=StringIO())
    this_year = timezone.localdate().year
    decided, open_ = Campaign.objects.get(year=this_year - 1), Campaign.objects.get(year=this_year)
    users = {u.username: u for u in get_user_model().objects.all()}
    # Last year: decided, frozen, plaques presented, the commendation circulated.
    awards = list(Award.objects.filter(year=decided.year))
    assert {a.kind for a in awards} == {"gold_team", "service_star"} and len(awards) == 5
    assert all(a.figures["rank"] and a.plaque_presented_on for a in awards)
    assert all(a.nomination.nominated_by == users["office"] and a.approved_by == users["leader"] for a in awards)
    assert decided.commendation.status == "published"
    # This year: open, study mostly recorded, reminders sent, nothing nominated yet.
    assert not Nomination.objects.filter(selection__campaign=open_).exists()
    assert StudyRecord.objects.filter(campaign=open_).exists()
    if timezone.localdate() > open_.phases.get(kind="study").ends_on:
        assert StudyReminder.objects.filter(campaign=open_).exists()

    # Seeding again changes nothing; the seeder alone skips a database with campaigns.
    counts = (Campaign.objects.count(), Award.objects.count(), StudyRecord.objects.count())
    call_command("seed_demo", stdout=StringIO())
    out = StringIO()
    demo.seed(station=Station.objects.get(), stdout=out)
    assert "already loaded" in out.getvalue()
    assert (Campaign.objects.count(), Award.objects.count(), StudyRecord.objects.count()) == counts

    # The story: office ranks (teams ranked, the INS-5 loss shown with its reason) and nominates;
    # office, who also sits in the leadership group, may not approve; leader may.
    office, leader = users["office"], users["leader"]
    client.force_login(office)
    gold = open_.selections.get(kind="gold_team")
    page = client.get(reverse("awards:ranking", args=[open_.year, "gold_team"]))
    rows = page.context["rows"]
    assert rows[0].rank == 1 and any(not row.eligible and row.reasons for row in rows)
    first = rows[0]
    response = client.post(
        reverse("awards:nominate", args=[open_.year, "gold_team", first.key]), {"citation": "全年服务规范，成绩突出。"}
    )
    assert response.status_code == 302
    nomination = Nomination.objects.get(selection=gold)
    assert not permissions.can_approve(office, nomination)
    assert permissions.can_approve(leader, nomination)
    client.force_login(leader)
    response = client.post(reverse("awards:nomination_approve", args=[nomination.pk]), {"reward": "2000.00"})
    assert response.status_code == 302
    award = Award.objects.get(nomination=nomination)
    assert client.get(reverse("awards:certificate", args=[award.pk])).status_code == 200
    assert selectors.commendation_of(user=office, campaign=open_) is None

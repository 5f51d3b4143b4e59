"""Every day typed on the awards' forms (the campaign's phases, a study, a plaque) is refused
outside the portal's calendar, kept on the form, and nothing is recorded (``tests.date_bounds``)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from awards.models import CampaignPhase, StudyRecord
from tests.awards.factories import GOLD, approve, nominate, open_campaign, scored_teams, selection
from tests.date_bounds import EXTREME_DAYS, assert_refused
from tollservice.audit.models import AuditEntry

PHASE_FIELDS = ["study_start", "study_end", "implementation_start", "implementation_end", "long_term_start"]


def _phases(year: int) -> dict:
    return {
        "method_document": "考核办法",
        "study_start": f"{year}-08-01",
        "study_end": f"{year}-08-15",
        "implementation_start": f"{year}-08-16",
        "implementation_end": f"{year}-08-31",
        "long_term_start": f"{year}-09-01",
    }


@pytest.mark.parametrize("day", EXTREME_DAYS)
@pytest.mark.parametrize("field", PHASE_FIELDS)
def test_a_campaigns_phase_is_dated_in_the_calendar(client, site, year, day, field):
    open_campaign(site, year)
    phases = sorted(CampaignPhase.objects.values_list("kind", "starts_on", "ends_on"))
    entries = AuditEntry.objects.count()
    client.force_login(site.office)
    response = client.post(reverse("awards:campaign_change", args=[year]), {**_phases(year), field: day})
    assert_refused(response, day, audit_entries=entries)
    assert sorted(CampaignPhase.objects.values_list("kind", "starts_on", "ends_on")) == phases


@pytest.mark.parametrize("day", EXTREME_DAYS)
def test_a_study_is_dated_in_the_calendar(client, site, year, day):
    open_campaign(site, year)
    entries = AuditEntry.objects.count()
    client.force_login(site.leader_a.user)
    response = client.post(
        reverse("awards:study_record", args=[year]),
        {"staff_pk": [site.collector.pk], "materials": ["method", "plan"], "studied_on": day},
    )
    assert_refused(response, day, audit_entries=entries)
    assert not StudyRecord.objects.exists()


@pytest.mark.parametrize("day", EXTREME_DAYS)
def test_a_plaques_presentation_is_dated_in_the_calendar(client, site, year, day):
    scored_teams(site)
    award = approve(nominate(site, selection(open_campaign(site, year), GOLD), site.team_b), site.leader)
    entries = AuditEntry.objects.count()
    client.force_login(site.office)
    response = client.post(
        reverse("awards:plaque_record", args=[award.pk]), {"presented_on": day, "location": "收费站荣誉室"}
    )
    assert_refused(response, day, audit_entries=entries)
    award.refresh_from_db()
    assert award.plaque_presented_on is None

"""Decisions of one year taken at the same moment, on PostgreSQL: the campaign's row lock makes
the second wait and then see the first (AWD-1: no more nominations than places, one approval,
certificates numbered without gaps or repeats)."""

import pytest

from awards.models import Award, Nomination
from tests.awards.factories import GOLD, STAR, approve, nominate, open_campaign, scored_teams, selection
from tests.penalties.concurrency import race
from tests.roster.factories import user_with_role
from tests.services import require_postgres

pytestmark = pytest.mark.postgres


def test_awd1_two_office_members_taking_the_last_place_at_once_take_it_once(standard, site, year):
    require_postgres()
    scored_teams(site)
    gold = selection(open_campaign(site, year), GOLD)
    nominate(site, gold, site.team_b)  # one of the two places
    third = user_with_role("office")
    outcomes = race(
        [
            lambda: nominate(site, gold, site.team_a, by=site.office2),
            lambda: nominate(site, gold, site.team_a, by=third),
        ]
    )
    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"], outcomes
    assert Nomination.objects.filter(selection=gold, status="nominated").count() == 2


def test_awd1_two_leaders_approving_at_once_make_one_award_and_numbers_never_repeat(standard, site, year):
    require_postgres()
    scored_teams(site)
    campaign = open_campaign(site, year)
    gold, star = selection(campaign, GOLD), selection(campaign, STAR)
    first = nominate(site, gold, site.team_b)
    stars = [nominate(site, star, member, reason="测试") for member in (site.collector_b, site.leader_b)]
    outcomes = race([lambda: approve(first, site.leader), lambda: approve(first, site.leader2)])
    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"], outcomes
    # Two awards of the year approved at the same moment get different plaque numbers.
    outcomes = race([lambda: approve(stars[0], site.leader), lambda: approve(stars[1], site.leader2)])
    assert [kind for kind, _ in outcomes] == ["ok", "ok"], outcomes
    awards = Award.objects.filter(year=year)
    assert sorted(a.plaque_number for a in awards) == [f"{year}HP01", f"{year}HP02", f"{year}HP03"]
    assert sorted(a.certificate_number for a in awards.filter(kind=STAR)) == [f"{year}BB001", f"{year}BB002"]

"""The awards' pages: the issue's "Done when" story through the screens, buttons from the same
checks as the services, bad input kept, each employee's own standing, downloads, and query
budgets measured twice."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from awards import panels, selectors, services, tasks
from awards.models import Award, Campaign, Nomination
from penalties import services as penalty_services
from tests.awards.factories import (
    GOLD,
    STAR,
    approve,
    director_with_a_leadership_seat,
    nominate,
    open_campaign,
    scored_teams,
    selection,
    violation,
)
from tests.inspections.factories import inspection
from tests.query_budget import assert_constant_queries, get_rows, panel_rows
from tests.roster.factories import StaffFactory, TeamFactory, UserFactory


@pytest.fixture
def login(client):
    def sign_in(user):
        client.logout()
        client.force_login(user)
        return client

    return sign_in


def _text(response) -> str:
    return response.content.decode()


# --- The "Done when" story --------------------------------------------------------------------------


def test_done_when_office_ranks_and_nominates_leader_approves_certificate_prints_in_chinese(site, year, login):
    # AWD-1 / AWD-2 / INS-5: as the office, this year's selection shows the teams ranked with the
    # reasons for every exclusion; the office nominates; the leader approves; the certificate prints.
    scored_teams(site)
    third = TeamFactory(department=site.toll_office, name="收费三班")
    inspection(by=site.office, team=third)
    penalty_services.eligibility_revoke(decided_by=site.office, team=third, year=year, reason="消极应付规范化服务活动")
    director = director_with_a_leadership_seat()
    campaign = open_campaign(site, year)
    client = login(director)
    page = client.get(reverse("awards:ranking", args=[year, GOLD]))
    assert page.status_code == 200
    text = _text(page)
    rows = page.context["rows"]
    assert [(row.name, row.rank) for row in rows] == [("收费二班", 1), ("收费一班", 2), ("收费三班", None)]
    # The reason for the exclusion, linked to the decision; the weights and the formula beside it.
    assert "消极应付规范化服务活动" in text and "/penalties/eligibility/losses/" in text
    assert 'id="ranking-formula"' in text and "×30" in text
    # Each figure links to the records behind it.
    assert reverse("awards:candidate", args=[year, GOLD, site.team_a.pk]) + "#criterion-inspection" in text
    candidate = client.get(reverse("awards:candidate", args=[year, GOLD, site.team_a.pk]))
    assert len(candidate.context["sections"]["inspection"].records) == 2

    response = client.post(
        reverse("awards:nominate", args=[year, GOLD, site.team_b.pk]), {"citation": "全年零投诉，暗访满分。"}
    )
    nomination = Nomination.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "awards:nomination_detail", args=[nomination.pk]
    )
    # Four eyes: the director, who also sits in the leadership group, is not offered the approval.
    detail = client.get(reverse("awards:nomination_detail", args=[nomination.pk]))
    assert not detail.context["may_approve"] and 'id="approve-button"' not in _text(detail)
    assert 'id="four-eyes-note"' in _text(detail)
    refused = client.post(reverse("awards:nomination_approve", args=[nomination.pk]), {"reward": "2000.00"})
    assert refused.status_code == 200 and not Award.objects.exists()  # refused, the form kept
    # The leader approves.
    client = login(site.leader)
    detail = client.get(reverse("awards:nomination_detail", args=[nomination.pk]))
    assert 'id="approve-button"' in _text(detail)
    response = client.post(reverse("awards:nomination_approve", args=[nomination.pk]), {"reward": "2000.00"})
    award = Award.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("awards:award_detail", args=[award.pk])
    assert award.reward_fen == 200_000 and award.certificate_number == f"{year}JP001"
    # The certificate, in Chinese whatever the reader's language.
    client.cookies["django_language"] = "en"
    certificate = _text(client.get(reverse("awards:certificate", args=[award.pk])))
    for words in ("荣誉证书", "收费二班", "金牌服务班组", f"证书编号：{year}JP001", "特发此证，以资鼓励。"):
        assert words in certificate, words
    assert campaign.year == year


def test_the_director_with_a_leadership_seat_reaches_the_approval_page_but_is_refused(site, year, login):
    # AWD-1 four eyes on the screen: the page says why, the POST is refused with the form kept.
    scored_teams(site)
    director = director_with_a_leadership_seat()
    nomination = nominate(site, selection(open_campaign(site, year), GOLD), site.team_b, by=director)
    client = login(director)
    page = client.get(reverse("awards:nomination_approve", args=[nomination.pk]))
    assert page.status_code == 200 and 'id="form-warning"' in _text(page)
    response = client.post(reverse("awards:nomination_approve", args=[nomination.pk]), {"reward": "1234.50"})
    assert response.status_code == 200 and not Award.objects.exists()
    assert response.context["form"].data["reward"] == "1234.50"


def test_nominating_out_of_order_without_a_reason_keeps_what_was_typed(site, year, login):
    scored_teams(site)
    open_campaign(site, year)
    client = login(site.office)
    url = reverse("awards:nominate", args=[year, GOLD, site.team_a.pk])
    page = client.get(url)
    assert "收费二班" in page.context["intro"]  # who is passed over, before anything is sent
    response = client.post(url, {"citation": "班组建设扎实。"})
    assert response.status_code == 200 and not Nomination.objects.exists()
    assert "out_of_order_reason" in response.context["form"].errors
    assert "班组建设扎实。" in _text(response)
    response = client.post(url, {"citation": "班组建设扎实。", "out_of_order_reason": "二班另行推荐省级表彰"})
    assert response.status_code == 302 and Nomination.objects.get().passed_over == ["收费二班"]


def test_buttons_come_from_the_same_checks_as_the_services(site, year, login):
    scored_teams(site)
    gold = selection(open_campaign(site, year), GOLD)
    # The office is offered "Nominate"; the leadership group is not.
    office_page = login(site.office).get(reverse("awards:ranking", args=[year, GOLD]))
    assert office_page.context["may_nominate"] and reverse(
        "awards:nominate", args=[year, GOLD, site.team_b.pk]
    ) in _text(office_page)
    leader_page = login(site.leader).get(reverse("awards:ranking", args=[year, GOLD]))
    assert not leader_page.context["may_nominate"] and "/nominate/" not in _text(leader_page)
    # Once approved, the weights are not offered for change, and the page says why.
    approve(nominate(site, gold, site.team_b), site.leader)
    office_page = login(site.office).get(reverse("awards:ranking", args=[year, GOLD]))
    assert not office_page.context["may_change"]
    settings_page = login(site.office).get(reverse("awards:selection_change", args=[year, GOLD]))
    assert 'id="form-warning"' in _text(settings_page)


def test_the_office_sets_places_reward_and_weights_on_the_page(site, year, login):
    open_campaign(site, year)
    client = login(site.office)
    data = {"places": "3", "reward": "1500.50"} | {f"weight_{key}": "10" for key in GOLD_KEYS}
    response = client.post(reverse("awards:selection_change", args=[year, GOLD]), data)
    assert response.status_code == 302
    gold = selection(open_campaign_or_get(site, year), GOLD)
    assert (gold.places, gold.reward_fen, gold.weights["covert"]) == (3, 150_050, 10)
    data["weight_covert"] = "101"
    response = client.post(reverse("awards:selection_change", args=[year, GOLD]), data)
    assert response.status_code == 200 and "weight_covert" in response.context["form"].errors


GOLD_KEYS = ("inspection", "covert", "complaints", "satisfaction", "rectification", "evaluation")


def open_campaign_or_get(site, year):
    return Campaign.objects.get(year=year)


# --- Each employee's own standing ----------------------------------------------------------------------


def test_each_employee_sees_their_own_standing_and_why_not_eligible(site, year, login):
    scored_teams(site)
    open_campaign(site, year)
    violation(site, site.collector_b)
    # The collector: ranked among the service stars, with their figures.
    page = login(site.collector.user).get(reverse("awards:standing"))
    assert page.status_code == 200
    [own] = page.context["standings"]
    assert own.kind == STAR and own.row.rank == 5 and str(own.row.score) == "97.80"  # behind 4 clean records
    assert "97.80" in _text(page)
    # Not eligible: why, with the link to the person's own penalty.
    page = login(site.collector_b.user).get(reverse("awards:standing"))
    [own] = page.context["standings"]
    assert not own.row.eligible and "/penalties/" in _text(page)
    # A team leader: their own standing and their team's.
    page = login(site.leader_a.user).get(reverse("awards:standing"))
    assert [own.kind for own in page.context["standings"]] == [STAR, GOLD]
    assert page.context["standings"][1].row.rank == 2


def test_a_team_leader_confirms_their_teams_study_on_a_phone_sized_form(site, year, login):
    campaign = open_campaign(site, year)
    client = login(site.leader_a.user)
    url = reverse("awards:study_record", args=[year])
    page = client.get(url)
    offered = set(page.context["form"].fields["staff"].queryset)
    assert site.collector in offered and site.collector_b not in offered
    today = timezone.localdate()
    day = today if today.year == year else today.replace(year=year, month=12, day=31)
    response = client.post(
        url, {"staff_pk": [site.collector.pk], "materials": ["method", "plan"], "studied_on": day.isoformat()}
    )
    assert response.status_code == 302
    assert campaign.study_records.filter(staff=site.collector).count() == 2
    listing = client.get(reverse("awards:study_list", args=[year]))
    assert {row.staff.pk for row in listing.context["rows"]} == {
        s.pk for s in (site.leader_a, site.collector, site.collector2, site.office_in_team.staff_profile)
    }


def test_the_office_reminds_those_who_have_not_studied(site, year, login):
    open_campaign(site, year)
    client = login(site.office)
    response = client.post(reverse("awards:study_remind", args=[year]), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].endswith("?pending=1")
    message = [str(m) for m in response.context["messages"]][0]
    assert "收费员乙" in message  # no account, no email: the office is told


# --- Downloads --------------------------------------------------------------------------------------


def test_the_ranking_downloads_with_the_same_rows(site, year, login):
    scored_teams(site)
    open_campaign(site, year)
    client = login(site.office)
    response = client.get(reverse("awards:ranking", args=[year, GOLD]), {"export": "csv"})
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [line[1] for line in lines[1:]] == ["收费二班", "收费一班"]
    assert lines[1][0] == "1" and lines[1][-3] == "100.00"
    xlsx = client.get(reverse("awards:ranking", args=[year, STAR]), {"export": "xlsx"})
    assert xlsx.status_code == 200 and ".xlsx" in xlsx["Content-Disposition"]


# --- Query budgets ---------------------------------------------------------------------------------------


def _more(site, n):
    """n more teams, each with two members and an inspection; the first member of the first one
    with a violation (excluded)."""
    for index in range(n):
        team = TeamFactory(department=site.toll_office)
        members = [StaffFactory(department=site.toll_office, team=team, user=UserFactory()) for _ in range(2)]
        inspection(by=site.office, team=team)
        if index == 0:
            violation(site, members[0])


def _ranked(response) -> int:
    return len(response.context["rows"])


def _stored(year):
    for kind in (GOLD, STAR):
        services.ranking_refresh(year=year, kind=kind)


def test_the_candidate_lists_and_panels_cost_the_same_queries_whatever_their_rows(site, year, login, rf):
    scored_teams(site)
    open_campaign(site, year)
    _stored(year)  # the rankings read the stored ranking (tests/awards/test_rankings.py)
    office = login(site.office)
    cases = {
        "gold": get_rows(office, reverse("awards:ranking", args=[year, GOLD]), rows=_ranked),
        "star": get_rows(office, reverse("awards:ranking", args=[year, STAR]), rows=_ranked),
        "star-csv": get_rows(office, reverse("awards:ranking", args=[year, STAR]), {"export": "csv"}),
        "study": get_rows(office, reverse("awards:study_list", args=[year])),
        "panel": panel_rows(rf, site.office, panels.campaign_panel, lambda panel: panel["progress"][1]),
    }
    assert_constant_queries(cases, grow=lambda: (_more(site, 3), _stored(year)), max_queries=30)


def test_the_winners_lists_and_the_queue_cost_the_same_queries_whatever_their_rows(site, year, login, rf):
    scored_teams(site)
    campaign = open_campaign(site, year)
    star, gold = selection(campaign, STAR), selection(campaign, GOLD)
    services.selection_change(selection=star, changed_by=site.office, places=20, reward_fen=1, weights=star.weights)
    approve(nominate(site, star, site.leader_b), site.leader)
    nominate(site, gold, site.team_b)
    leader = Client()
    leader.force_login(site.leader)
    office = login(site.office)

    def more():
        for member in (site.collector_b, site.collector2, site.leader_a):
            approve(nominate(site, star, member, reason="测试"), site.leader)
        nominate(site, gold, site.team_a, reason="测试")
        nominate(site, star, site.collector, reason="测试")

    assert_constant_queries(
        {
            "winners": get_rows(office, reverse("awards:award_list")),
            "winners-csv": get_rows(office, reverse("awards:award_list"), {"export": "csv"}),
            "plaques": get_rows(office, reverse("awards:plaque_register")),
            "campaign": get_rows(
                office, reverse("awards:campaign_detail", args=[year]), rows=lambda r: len(r.context["awards"])
            ),
            "queue": get_rows(leader, reverse("awards:approval_queue")),
            "panel": panel_rows(rf, site.leader, panels.campaign_panel, lambda panel: panel["queue_count"]),
        },
        grow=more,
        max_queries=25,
    )


# --- The dashboard and the schedule (CAM-1, CAM-2) -----------------------------------------------------


def test_cam1_the_dashboard_shows_everyone_the_phase_in_progress(site, year, login):
    campaign = open_campaign(site, year)
    now = selectors.phase_now(campaign)
    page = login(site.collector.user).get(reverse("dashboard:home"))
    text = _text(page)
    assert 'id="panel-campaign"' in text and campaign.phases.get(kind="study").get_kind_display() in text
    if now.phase:
        assert 'id="panel-current-phase"' in text
    # The collector's own study, not yet recorded, links to their standing.
    assert reverse("awards:standing") in text


def test_without_this_years_campaign_only_the_office_is_offered_to_open_it(site, login):
    assert 'id="panel-campaign"' not in _text(login(site.collector.user).get(reverse("dashboard:home")))
    assert reverse("awards:campaign_open") in _text(login(site.office).get(reverse("dashboard:home")))


def test_cam2_the_study_reminders_run_on_the_beat():
    from tollservice.celery import app

    entry = app.conf.beat_schedule["awards-remind-study"]
    assert entry["task"] == "awards.tasks.remind_study_before_phase_ends"
    assert tasks.remind_study_before_phase_ends.name == entry["task"]

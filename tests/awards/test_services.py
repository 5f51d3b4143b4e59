"""The campaign (CAM-1, CAM-2) and the selection (AWD-1, AWD-2, INS-5) through the services, on
figures the other modules record through theirs."""

import datetime
from decimal import Decimal as D

import pytest
from django.utils import timezone

from awards import rules, selectors, services
from awards.models import Award, Nomination, StudyRecord, StudyReminder
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
from tests.roster.factories import user_with_role
from tollservice.core.errors import DomainError
from tollservice.notifications.models import Notification

# --- CAM-1: the campaign and its phases ----------------------------------------------------------------


def test_cam1_a_campaign_opens_with_the_plans_phases_and_both_awards(site, year):
    campaign = open_campaign(site, year)
    phases = [(p.kind, p.starts_on, p.ends_on) for p in campaign.phases.order_by("starts_on")]
    assert phases == [(p.kind, p.starts_on, p.ends_on) for p in rules.default_phases(year)]
    assert {(s.kind, s.places, s.reward_fen) for s in campaign.selections.all()} == {
        (GOLD, 2, 200_000),
        (STAR, 5, 50_000),
    }
    assert selection(campaign, GOLD).weights == rules.DEFAULT_WEIGHTS[GOLD]
    assert campaign.method_document == "赣高路费字〔2023〕14号"


def test_cam1_only_the_office_opens_a_campaign_and_once_a_year(site, year):
    with pytest.raises(DomainError):
        services.campaign_open(year=year, opened_by=site.leader)
    open_campaign(site, year)
    with pytest.raises(DomainError) as error:
        open_campaign(site, year)
    assert error.value.code == "exists"


def test_cam1_the_office_changes_the_phases_in_order(site, year):
    campaign = open_campaign(site, year)
    phases = [
        rules.PhaseDates("study", datetime.date(year, 7, 20), datetime.date(year, 8, 5)),
        rules.PhaseDates("implementation", datetime.date(year, 8, 6), datetime.date(year, 9, 10)),
        rules.PhaseDates("long_term", datetime.date(year, 9, 11), None),
    ]
    services.campaign_change(
        campaign=campaign, changed_by=site.office, phases=phases, method_document="赣高路费字〔2023〕14号"
    )
    assert selectors.phase_now(campaign, datetime.date(year, 8, 6)) == rules.PhaseNow("implementation", "in")
    phases[1] = rules.PhaseDates("implementation", datetime.date(year, 8, 1), datetime.date(year, 9, 10))
    with pytest.raises(DomainError) as error:
        services.campaign_change(campaign=campaign, changed_by=site.office, phases=phases, method_document="x")
    assert error.value.code == "overlap"
    with pytest.raises(DomainError):
        services.campaign_change(
            campaign=campaign, changed_by=site.leader, phases=rules.default_phases(year), method_document="x"
        )


# --- CAM-2: the study ------------------------------------------------------------------------------------


def _day(year):
    today = timezone.localdate()
    return today if today.year == year else datetime.date(year, 12, 31)


def test_cam2_the_office_confirms_anyones_study_a_team_leader_their_teams(site, year):
    campaign = open_campaign(site, year)
    day = _day(year)
    records = services.study_record(
        campaign=campaign,
        staff=[site.collector, site.collector_b],
        materials=["method", "plan"],
        studied_on=day,
        confirmed_by=site.office,
    )
    assert len(records) == 4
    assert {r.confirmed_by for r in records} == {site.office}
    # Team A's leader confirms team A's members, not team B's.
    services.study_record(
        campaign=campaign,
        staff=[site.collector2],
        materials=["method"],
        studied_on=day,
        confirmed_by=site.leader_a.user,
    )
    with pytest.raises(DomainError) as error:
        services.study_record(
            campaign=campaign,
            staff=[site.leader_b],
            materials=["method"],
            studied_on=day,
            confirmed_by=site.leader_a.user,
        )
    assert error.value.code == "not_your_team"
    # A study confirmed once keeps its first record.
    with pytest.raises(DomainError) as error:
        services.study_record(
            campaign=campaign, staff=[site.collector], materials=["plan"], studied_on=day, confirmed_by=site.office2
        )
    assert error.value.code == "already_recorded"
    rows = {row.staff.pk: row for row in selectors.study_rows(user=site.office, campaign=campaign)}
    assert rows[site.collector.pk].done and not rows[site.collector2.pk].done
    assert rows[site.collector.pk].confirmed_by == [site.office.staff_profile.name]
    # A team leader sees their own team's members only.
    mine = {row.staff.pk for row in selectors.study_rows(user=site.leader_a.user, campaign=campaign)}
    assert site.collector.pk in mine and site.collector_b.pk not in mine


def test_cam2_a_study_is_dated_in_the_campaigns_year_and_not_ahead(site, year):
    campaign = open_campaign(site, year)
    with pytest.raises(DomainError) as error:
        services.study_record(
            campaign=campaign,
            staff=[site.collector],
            materials=["method"],
            studied_on=timezone.localdate() + datetime.timedelta(days=1),
            confirmed_by=site.office,
        )
    assert error.value.code == "future"


def test_cam2_those_who_have_not_studied_are_reminded_in_the_portal_or_by_email(site, year):
    campaign = open_campaign(site, year)
    everyone_else = [
        s for s in selectors.study_staff(user=site.office) if s.pk not in (site.collector.pk, site.collector2.pk)
    ]
    services.study_record(
        campaign=campaign,
        staff=everyone_else,
        materials=["method", "plan"],
        studied_on=_day(year),
        confirmed_by=site.office,
    )
    site.collector2.email = "ct9999@changtai.invalid"  # no account: email at the roster's address
    site.collector2.save()
    result = services.study_remind(campaign=campaign, sent_by=site.office)
    assert (result.inbox, result.email, result.unreached) == (1, 1, [])
    assert Notification.objects.filter(recipient=site.collector.user).count() == 1
    assert Notification.objects.filter(recipient=None, recipient_email="ct9999@changtai.invalid").count() == 1
    assert StudyReminder.objects.filter(campaign=campaign).count() == 2
    rows = {row.staff.pk: row for row in selectors.study_rows(user=site.office, campaign=campaign, pending_only=True)}
    assert set(rows) == {site.collector.pk, site.collector2.pk} and rows[site.collector.pk].last_reminded
    with pytest.raises(DomainError):
        services.study_remind(campaign=campaign, sent_by=site.leader)


def test_cam2_reminders_go_out_by_themselves_near_the_end_of_the_study_phase(site, year):
    campaign = open_campaign(site, year)
    study_end = campaign.phases.get(kind="study").ends_on
    assert services.study_reminders_scheduled(today=study_end - datetime.timedelta(days=5)) is None
    first = services.study_reminders_scheduled(today=study_end - datetime.timedelta(days=3))
    assert first is not None and first.sent > 0
    # Once a day, however often the task runs.
    count = StudyReminder.objects.count()
    assert services.study_reminders_scheduled(today=study_end - datetime.timedelta(days=3)) is None
    assert StudyReminder.objects.count() == count


# --- AWD-1 / AWD-2: the ranking --------------------------------------------------------------------------


def test_awd1_teams_are_ranked_on_the_inspections_figures(site, year):
    # AWD-1: team B 100 (inspections 100, no complaint 100) ranks above team A: inspections
    # (97.50 + 97.00) / 2 = 97.25, so (30 × 97.25 + 20 × 100) / 50 = 98.35.
    scored_teams(site)
    ranking = selectors.compute_ranking(selection=selection(open_campaign(site, year), GOLD))
    assert [(row.name, row.rank, row.score) for row in ranking.rows] == [
        ("收费二班", 1, D("100.00")),
        ("收费一班", 2, D("98.35")),
    ]
    team_a = ranking.row_for(site.team_a.pk)
    inspections = team_a.ranked.candidate.measures[rules.INSPECTION]
    assert (inspections.value, inspections.basis) == (D("97.25"), {"count": 2, "total": "194.50"})


def test_awd1_service_stars_are_ranked_on_their_own_deductions(site, year):
    # The collector lost 2.50 + 3.00 = 5.50 points: (30 × 94.50 + 20 × 100 + 25 × 100) / 75 = 97.80.
    scored_teams(site)
    ranking = selectors.compute_ranking(selection=selection(open_campaign(site, year), STAR))
    collector = ranking.row_for(site.collector.pk)
    assert (collector.score, collector.rank) == (D("97.80"), 6)
    assert {row.rank for row in ranking.rows if row.key != site.collector.pk} == {1}


def test_awd2_ins5_a_violation_a_loss_of_eligibility_and_a_veto_exclude_with_reasons(site, year):
    scored_teams(site)
    campaign = open_campaign(site, year)
    violation(site, site.collector_b)  # AWD-2 / PEN-1
    penalty_services.eligibility_revoke(
        decided_by=site.office, team=site.team_a, year=year, reason="消极应付活动"
    )  # INS-5
    inspection(by=site.office, team=site.team_b, breaches={"JC-99": (1, site.leader_b)})  # a veto item
    teams = selectors.compute_ranking(selection=selection(campaign, GOLD), user=site.office)
    for row in teams.rows:
        assert not row.eligible and row.rank is None
    reasons_a = teams.row_for(site.team_a.pk).reasons
    assert [r.kind for r in reasons_a] == ["revocation"] and "消极应付活动" in reasons_a[0].label
    assert reasons_a[0].url.startswith("/penalties/eligibility/losses/")
    assert "veto" in {r.kind for r in teams.row_for(site.team_b.pk).reasons}
    stars = selectors.compute_ranking(selection=selection(campaign, STAR), user=site.office)
    [reason] = stars.row_for(site.collector_b.pk).reasons
    assert reason.kind == "violation" and reason.url.startswith("/penalties/")
    assert not stars.row_for(site.leader_b.pk).eligible  # the veto breach (and its INS-5 loss)
    assert stars.row_for(site.collector.pk).eligible


def test_awd1_the_ranking_costs_the_same_queries_whatever_the_candidates(site, year, django_assert_max_num_queries):
    scored_teams(site)
    campaign = open_campaign(site, year)
    with django_assert_max_num_queries(20):
        selectors.compute_ranking(selection=selection(campaign, STAR), user=site.office)


# --- AWD-1: nominating ------------------------------------------------------------------------------------


def test_awd1_the_office_nominates_in_order_or_with_a_written_reason(site, year):
    scored_teams(site)
    gold = selection(open_campaign(site, year), GOLD)
    with pytest.raises(DomainError) as error:
        nominate(site, gold, site.team_a)  # passes over team B, ranked first
    assert error.value.code == "out_of_order" and error.value.field == "out_of_order_reason"
    nomination = nominate(site, gold, site.team_a, reason="二班年内有两名新员工尚未独立上岗")
    assert (nomination.rank_at_nomination, nomination.score_at_nomination) == (2, "98.35")
    assert nomination.passed_over == ["收费二班"]
    second = nominate(site, gold, site.team_b)  # nothing above it
    assert second.out_of_order_reason == "" and second.passed_over == []
    # Both places are taken.
    with pytest.raises(DomainError) as error:
        nominate(site, gold, site.team_b)
    assert error.value.code in ("nominated", "no_places_left")


def test_awd1_a_candidate_is_nominated_once_and_never_past_the_places(site, year):
    scored_teams(site)
    gold = selection(open_campaign(site, year), GOLD)
    services.selection_change(
        selection=gold, changed_by=site.office, places=1, reward_fen=100_000, weights=gold.weights
    )
    nominate(site, gold, site.team_b)
    with pytest.raises(DomainError) as error:
        nominate(site, gold, site.team_b)
    assert error.value.code == "nominated"
    with pytest.raises(DomainError) as error:
        nominate(site, gold, site.team_a)
    assert error.value.code == "no_places_left"


def test_awd2_an_excluded_candidate_is_not_nominated(site, year):
    scored_teams(site)
    campaign = open_campaign(site, year)
    violation(site, site.collector_b)
    with pytest.raises(DomainError) as error:
        nominate(site, selection(campaign, STAR), site.collector_b, reason="理由")
    assert error.value.code == "not_eligible"


def test_nobody_nominates_themselves_or_their_own_team(site, year):
    scored_teams(site)
    campaign = open_campaign(site, year)
    office_in_team_a = site.office_in_team
    with pytest.raises(DomainError) as error:
        nominate(site, selection(campaign, GOLD), site.team_a, by=office_in_team_a, reason="x")
    assert error.value.code == "own_case"
    with pytest.raises(DomainError) as error:
        nominate(site, selection(campaign, STAR), office_in_team_a.staff_profile, by=office_in_team_a)
    assert error.value.code == "own_case"


# --- AWD-1: the leadership group decides ------------------------------------------------------------------


def test_awd1_four_eyes_whoever_nominated_does_not_approve_even_with_a_leadership_seat(site, year):
    scored_teams(site)
    director = director_with_a_leadership_seat()
    gold = selection(open_campaign(site, year), GOLD)
    nomination = nominate(site, gold, site.team_b, by=director)
    with pytest.raises(DomainError) as error:
        approve(nomination, director)
    assert error.value.code == "four_eyes"
    with pytest.raises(DomainError):
        services.nomination_reject(nomination=nomination, rejected_by=director, reason="x")
    with pytest.raises(DomainError):
        approve(nomination, site.office2)  # the office does not approve
    award = approve(nomination, site.leader)
    assert award.approved_by == site.leader
    # The leadership was told of the nomination, but not the director who made it.
    link = f"/awards/nominations/{nomination.pk}/"
    assert Notification.objects.filter(recipient=site.leader, url=link).exists()
    assert not Notification.objects.filter(recipient=director, url=link).exists()


def test_awd1_approval_freezes_the_figures_and_numbers_the_certificate_and_plaque(site, year):
    scored_teams(site)
    campaign = open_campaign(site, year)
    gold, star = selection(campaign, GOLD), selection(campaign, STAR)
    award = approve(nominate(site, gold, site.team_b), site.leader, reward_fen=250_000)
    assert (award.certificate_number, award.plaque_number) == (f"{year}JP001", f"{year}HP01")
    assert award.reward_fen == 250_000 and award.winner_name == "收费二班"
    assert award.figures["composite"] == "100.00" and award.figures["rank"] == 1 and award.figures["ranked"] == 2
    assert award.figures["weights"] == rules.DEFAULT_WEIGHTS[GOLD]
    assert award.figures["measures"]["inspection"] == {
        "value": "100.00",
        "points": "100.00",
        "basis": {"count": 1, "total": "100.00"},
    }
    star_award = approve(nominate(site, star, site.collector_b), site.leader)
    assert (star_award.certificate_number, star_award.plaque_number) == (f"{year}BB001", f"{year}HP02")
    assert star_award.team_name == "收费二班"
    # Later data changes the ranking, never the decided award.
    inspection(by=site.office, team=site.team_b, breaches={"JC-05": (10, site.collector_b)})
    assert selectors.compute_ranking(selection=gold).row_for(site.team_b.pk).score != D("100.00")
    award.refresh_from_db()
    assert award.figures["composite"] == "100.00" and award.score == D("100.00")
    assert Nomination.objects.get(pk=award.nomination_id).status == Nomination.Status.APPROVED


def test_awd2_a_violation_after_the_nomination_stops_the_approval(site, year):
    scored_teams(site)
    star = selection(open_campaign(site, year), STAR)
    nomination = nominate(site, star, site.collector_b)
    violation(site, site.collector_b)
    with pytest.raises(DomainError) as error:
        approve(nomination, site.leader)
    assert error.value.code == "not_eligible"
    assert not Award.objects.exists()


def test_reject_and_withdraw_need_reasons_and_free_the_place(site, year):
    scored_teams(site)
    gold = selection(open_campaign(site, year), GOLD)
    nomination = nominate(site, gold, site.team_b)
    with pytest.raises(DomainError):
        services.nomination_reject(nomination=nomination, rejected_by=site.leader, reason=" ")
    services.nomination_reject(nomination=nomination, rejected_by=site.leader, reason="群众反映一般")
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.REJECTED and nomination.closing_reason == "群众反映一般"
    # Rejected: considered, so team A is nominated in order now.
    second = nominate(site, gold, site.team_a)
    assert second.passed_over == []
    with pytest.raises(DomainError):
        services.nomination_withdraw(nomination=second, withdrawn_by=site.leader, reason="x")
    services.nomination_withdraw(nomination=second, withdrawn_by=site.office, reason="材料不全")
    with pytest.raises(DomainError) as error:
        approve(second, site.leader)
    assert error.value.code == "not_pending"


def test_awd1_places_reward_and_weights_are_frozen_once_an_award_is_approved(site, year):
    scored_teams(site)
    gold = selection(open_campaign(site, year), GOLD)
    weights = {**gold.weights, "inspection": 50}
    services.selection_change(selection=gold, changed_by=site.office, places=3, reward_fen=300_000, weights=weights)
    gold.refresh_from_db()
    assert (gold.places, gold.reward_fen, gold.weights["inspection"]) == (3, 300_000, 50)
    with pytest.raises(DomainError) as error:
        services.selection_change(selection=gold, changed_by=site.office, places=3, reward_fen=1, weights={})
    assert error.value.code == "no_weight"
    approve(nominate(site, gold, site.team_b), site.leader)
    with pytest.raises(DomainError) as error:
        services.selection_change(selection=gold, changed_by=site.office, places=4, reward_fen=1, weights=weights)
    assert error.value.code == "decided"


# --- What winners get (AWD-1) ------------------------------------------------------------------------------


def test_awd1_the_winner_is_told_and_the_plaque_presentation_recorded(site, year):
    scored_teams(site)
    award = approve(nominate(site, selection(open_campaign(site, year), GOLD), site.team_b), site.leader)
    assert Notification.objects.filter(recipient=site.leader_b.user, url="/awards/mine/").exists()
    with pytest.raises(DomainError):
        services.plaque_record(
            award=award, recorded_by=site.office, presented_on=timezone.localdate() + datetime.timedelta(days=1)
        )
    services.plaque_record(
        award=award, recorded_by=site.office, presented_on=timezone.localdate(), location="二班休息室"
    )
    award.refresh_from_db()
    assert (award.plaque_presented_on, award.plaque_location) == (timezone.localdate(), "二班休息室")


def test_awd1_the_commendation_lists_the_winners_and_is_published_once_all_is_decided(site, year):
    scored_teams(site)
    campaign = open_campaign(site, year)
    gold, star = selection(campaign, GOLD), selection(campaign, STAR)
    with pytest.raises(DomainError) as error:
        services.commendation_draft(campaign=campaign, drafted_by=site.office)
    assert error.value.code == "no_awards"
    approve(nominate(site, gold, site.team_b, citation="全年零投诉，暗访满分。"), site.leader)
    pending = nominate(site, star, site.collector_b)
    commendation = services.commendation_draft(campaign=campaign, drafted_by=site.office)
    assert "收费二班" in commendation.body and "全年零投诉，暗访满分。" in commendation.body
    assert str(year) in commendation.title
    with pytest.raises(DomainError) as error:
        services.commendation_publish(commendation=commendation, published_by=site.office)
    assert error.value.code == "pending"
    services.nomination_withdraw(nomination=pending, withdrawn_by=site.office, reason="暂缓")
    services.commendation_update(commendation=commendation, updated_by=site.office, title="表彰通报", body="正文")
    services.commendation_publish(commendation=commendation, published_by=site.office)
    commendation.refresh_from_db()
    assert commendation.status == "published" and commendation.published_by == site.office
    with pytest.raises(DomainError) as error:
        services.commendation_update(commendation=commendation, updated_by=site.office, title="改", body="改")
    assert error.value.code == "published"


def test_study_records_are_confirmed_by_a_roster_member(site, year):
    # Someone with no roster role confirms nothing.
    campaign = open_campaign(site, year)
    with pytest.raises(DomainError):
        services.study_record(
            campaign=campaign,
            staff=[site.collector],
            materials=[StudyRecord.Material.METHOD],
            studied_on=_day(year),
            confirmed_by=user_with_role("none"),
        )

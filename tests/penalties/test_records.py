"""Talks (INS-4), loss of award eligibility (INS-5, AWD-2), circulars."""

import datetime

import pytest
from django.utils import timezone

from penalties import services
from penalties.models import Circular, TalkRecord
from penalties.selectors import (
    award_eligibility,
    award_eligibility_bulk,
    award_eligibility_teams_bulk,
    talk_follow_ups_open,
    talk_list,
)
from tests.penalties.factories import decided_service_code, proposed_complaint
from tests.roster.factories import TeamFactory, user_with_role
from tollservice.core.append_only import AppendOnlyError
from tollservice.core.errors import DomainError

YEAR = timezone.localdate().year


# --- INS-4 -------------------------------------------------------------------------------------


def test_ins4_admonishment_talk_with_a_person_and_its_follow_up(people):
    # INS-4: who, when, by whom, what was said, follow-up.
    held_at = timezone.now() - datetime.timedelta(hours=2)
    due = timezone.localdate() + datetime.timedelta(days=14)
    talk = services.talk_record(
        recorded_by=people.office,
        kind=TalkRecord.Kind.ADMONISHMENT,
        staff=people.collector,
        held_at=held_at,
        conducted_by=people.head,
        reason="对规范化服务活动不积极响应，多次检查不合格。",
        summary="指出问题，提出整改要求，本人表示接受。",
        follow_up="两周内提交书面整改报告",
        follow_up_due=due,
    )
    assert (talk.subject, talk.held_at, talk.conducted_by, talk.recorded_by) == (
        people.collector,
        held_at,
        people.head,
        people.office,
    )
    assert talk.follow_up_open
    assert list(talk_follow_ups_open(user=people.office, due_by=due)) == [talk]
    with pytest.raises(DomainError):
        services.talk_follow_up_complete(talk=talk, completed_by=people.office, note="")
    services.talk_follow_up_complete(talk=talk, completed_by=people.office, note="已提交整改报告")
    talk.refresh_from_db()
    assert not talk.follow_up_open and talk.follow_up_done_by == people.office
    assert list(talk_follow_ups_open(user=people.office)) == []
    with pytest.raises(DomainError):
        services.talk_follow_up_complete(talk=talk, completed_by=people.office, note="again")


def test_ins4_appointment_talk_with_a_team(people):
    # INS-4: a team may be talked to as well.
    talk = services.talk_record(
        recorded_by=people.leader,
        kind=TalkRecord.Kind.APPOINTMENT,
        team=people.team,
        held_at=timezone.now(),
        conducted_by=people.head,
        reason="班组活动开展不积极",
        summary="约见班组全体人员，通报检查情况。",
    )
    assert talk.subject == people.team and not talk.follow_up_open
    assert list(talk_list(user=people.leader, team=people.team)) == [talk]


@pytest.mark.parametrize(
    "change",
    [
        {"staff": None, "team": None},  # nobody
        {"team": "team"},  # both a person and a team
        {"summary": " "},
        {"held_at": "future"},
    ],
)
def test_ins4_talk_is_checked(people, change):
    # INS-4
    values = {
        "recorded_by": people.office,
        "kind": TalkRecord.Kind.APPOINTMENT,
        "staff": people.collector,
        "held_at": timezone.now(),
        "conducted_by": people.head,
        "reason": "x",
        "summary": "y",
    }
    values.update(change)
    if values.get("team") == "team":
        values["team"] = people.team
    if values["held_at"] == "future":
        values["held_at"] = timezone.now() + datetime.timedelta(days=1)
    with pytest.raises(DomainError):
        services.talk_record(**values)


def test_ins4_talks_are_recorded_by_office_or_leadership(people):
    # INS-4
    with pytest.raises(DomainError):
        services.talk_record(
            recorded_by=people.finance,
            kind=TalkRecord.Kind.APPOINTMENT,
            staff=people.collector,
            held_at=timezone.now(),
            conducted_by=people.head,
            reason="x",
            summary="y",
        )


# --- INS-5 / AWD-2 -----------------------------------------------------------------------------


def test_ins5_person_loses_eligibility_with_a_link_to_the_decision(people):
    # INS-5 / AWD-2
    revocation = services.eligibility_revoke(
        decided_by=people.leader, staff=people.collector, year=YEAR, reason="直接影响规范化服务活动开展效果"
    )
    result = award_eligibility(staff=people.collector, year=YEAR)
    assert not result.eligible and not result
    (reason,) = result.reasons
    assert (reason.kind, reason.obj, reason.url_name, reason.url_kwargs) == (
        "revocation",
        revocation,
        "penalties:eligibility_revocation_detail",
        {"pk": revocation.pk},
    )
    assert "直接影响" in reason.label
    assert award_eligibility(staff=people.collector, year=YEAR - 1).eligible
    with pytest.raises(DomainError):  # once per year
        services.eligibility_revoke(decided_by=people.leader, staff=people.collector, year=YEAR, reason="again")


def test_ins5_team_loses_eligibility(people):
    # INS-5 / AWD-2: a team too; its members keep their own eligibility.
    services.eligibility_revoke(decided_by=people.office, team=people.team, year=YEAR, reason="班组消极应付")
    assert not award_eligibility(team=people.team, year=YEAR).eligible
    assert award_eligibility(staff=people.collector, year=YEAR).eligible


def test_ins5_withdrawn_revocation_restores_eligibility(people):
    # INS-5
    revocation = services.eligibility_revoke(decided_by=people.leader, team=people.team, year=YEAR, reason="x")
    services.eligibility_revocation_withdraw(revocation=revocation, withdrawn_by=people.leader2, reason="认定有误")
    assert award_eligibility(team=people.team, year=YEAR).eligible


def test_ins5_only_leadership_or_office_decide(people):
    # INS-5
    with pytest.raises(DomainError):
        services.eligibility_revoke(decided_by=people.finance, staff=people.collector, year=YEAR, reason="x")


def test_awd2_reasons_list_violations_and_revocations(people):
    # AWD-2: a violation that year (PEN-1) and a loss of eligibility (INS-5), both linked.
    penalty = decided_service_code(office=people.office, staff=people.collector)
    revocation = services.eligibility_revoke(
        decided_by=people.leader, staff=people.collector, year=penalty.eligibility_year, reason="x"
    )
    result = award_eligibility(staff=people.collector, year=penalty.eligibility_year)
    assert [(r.kind, r.obj) for r in result.reasons] == [("violation", penalty), ("revocation", revocation)]


def test_awd2_revoked_penalty_does_not_remove_eligibility(people):
    # AWD-2: revoked penalties don't count.
    penalty = decided_service_code(office=people.office, staff=people.collector)
    services.penalty_revoke(penalty=penalty, revoked_by=people.office2, reasons="认定有误")
    assert award_eligibility(staff=people.collector, year=penalty.eligibility_year).eligible


def test_awd2_for_many_people_in_constant_queries(people, django_assert_num_queries):
    # AWD-2: the awards screens ask for a whole list at once.
    decided_service_code(office=people.office, staff=people.collector)
    with django_assert_num_queries(2):
        result = award_eligibility_bulk(staff=[people.collector, people.other, people.head], year=YEAR)
    assert [result[s.pk].eligible for s in (people.collector, people.other, people.head)] == [False, True, True]


def test_awd2_for_many_teams_in_one_query(people, django_assert_num_queries):
    # INS-5 / AWD-2: the awards' team ranking asks for every team at once.
    other_team = TeamFactory(department=people.team.department)
    services.eligibility_revoke(decided_by=people.office, team=people.team, year=YEAR, reason="班组消极应付")
    with django_assert_num_queries(1):
        result = award_eligibility_teams_bulk(teams=[people.team, other_team], year=YEAR)
    assert [result[t.pk].eligible for t in (people.team, other_team)] == [False, True]
    assert result[people.team.pk].reasons[0].kind == "revocation"


def test_eligibility_needs_exactly_one_subject(people):
    with pytest.raises(ValueError):
        award_eligibility(staff=people.collector, team=people.team, year=YEAR)


# --- Circulars --------------------------------------------------------------------------------


def test_circular_is_edited_as_a_draft_then_published_and_frozen(people):
    # PEN-3 / INS-3: the drafted circulated criticism is edited, published, then final.
    penalty = services.penalty_decide(
        penalty=proposed_complaint(office=people.office, staff=people.collector), decided_by=people.office
    )
    circular = services.circular_update(
        circular=penalty.circular, updated_by=people.office, title="关于收费员甲的通报批评", body="正文"
    )
    with pytest.raises(DomainError):
        services.circular_publish(circular=circular, published_by=people.finance)
    circular = services.circular_publish(circular=circular, published_by=people.office)
    assert circular.status == Circular.Status.PUBLISHED and circular.published_by == people.office
    with pytest.raises(DomainError):
        services.circular_update(circular=circular, updated_by=people.office, title="x", body="y")
    circular = Circular.objects.get(pk=circular.pk)
    circular.title = "silently changed"
    with pytest.raises(AppendOnlyError):
        circular.save()
    with pytest.raises(AppendOnlyError):
        circular.delete()


def test_ins5_nobody_withdraws_a_loss_of_eligibility_of_their_own_or_their_teams(people):
    # INS-5: the person concerned, or a member of the team concerned, cannot undo the decision.
    office_member = user_with_role("office", team=people.team)
    leader = people.leader
    own = services.eligibility_revoke(decided_by=leader, staff=office_member.staff_profile, year=YEAR, reason="x")
    team = services.eligibility_revoke(decided_by=leader, team=people.team, year=YEAR, reason="x")
    for revocation in (own, team):
        with pytest.raises(DomainError) as refused:
            services.eligibility_revocation_withdraw(revocation=revocation, withdrawn_by=office_member, reason="y")
        assert refused.value.code == "own_case"
    assert not award_eligibility(team=people.team, year=YEAR).eligible
    services.eligibility_revocation_withdraw(revocation=team, withdrawn_by=people.office, reason="认定有误")
    assert award_eligibility(team=people.team, year=YEAR).eligible


def test_the_person_criticised_neither_edits_nor_publishes_the_circular(people):
    # PEN-3: the circular criticising an office member is worded and published by someone else.
    criticised = user_with_role("office")
    penalty = services.penalty_decide(
        penalty=proposed_complaint(office=people.office, staff=criticised.staff_profile), decided_by=people.office
    )
    with pytest.raises(DomainError) as refused:
        services.circular_update(circular=penalty.circular, updated_by=criticised, title="x", body="y")
    assert refused.value.code == "own_case"
    with pytest.raises(DomainError):
        services.circular_publish(circular=penalty.circular, published_by=criticised)
    assert Circular.objects.get(pk=penalty.circular_id).status == Circular.Status.DRAFT
    services.circular_publish(circular=penalty.circular, published_by=people.office)

"""Rectification orders (INS-2: 责令限期整改) and teams that leave them overdue (INS-4, INS-5)."""

import datetime

import pytest
from django.http import QueryDict
from django.utils import timezone

from inspections import selectors, services
from inspections.models import InspectionSettings, OverdueProposal, RectificationEvent, RectificationOrder
from penalties.models import TalkRecord
from penalties.selectors import award_eligibility
from tests.inspections.factories import finding, inspection
from tollservice.core.errors import DomainError
from tollservice.core.pagination import paginate
from tollservice.notifications.models import Notification

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def an_order(site, *, team=None, staff=None, deadline=None, **kwargs):
    team = team or site.team_a
    staff = staff or (site.collector if team == site.team_a else site.collector_b)
    done = inspection(by=site.office, team=team, breaches={"JC-11": (1, staff)}, **kwargs)
    return services.rectification_order_issue(
        finding=finding(done, "JC-11"), issued_by=site.office, instructions="整理收费亭，补齐标识", deadline=deadline
    )


def test_ins2_an_order_goes_to_the_team_leader_who_answers_and_someone_else_verifies(site):
    order = an_order(site)
    assert order.assignee == site.leader_a and order.status == RectificationOrder.Status.OPEN
    assert order.deadline == TODAY() + datetime.timedelta(days=7)  # the configured default
    assert Notification.objects.filter(
        recipient=site.leader_a.user, subject__contains=order.deadline.isoformat()
    ).exists()
    with pytest.raises(DomainError):  # another team's leader cannot answer
        services.rectification_answer(order=order, answered_by=site.leader_b.user, answer="已整改")
    services.rectification_answer(order=order, answered_by=site.leader_a.user, answer="已整理，标识已补齐")
    order.refresh_from_db()
    assert order.status == RectificationOrder.Status.ANSWERED and order.answered_on == TODAY()
    with pytest.raises(DomainError):  # the team leader does not verify their own answer
        services.rectification_verify(order=order, verified_by=site.leader_a.user)
    with pytest.raises(DomainError):  # a supervisor who did not inspect cannot verify either
        services.rectification_verify(order=order, verified_by=site.supervisor)
    services.rectification_verify(order=order, verified_by=site.office2, note="复查合格")
    order.refresh_from_db()
    assert order.status == RectificationOrder.Status.VERIFIED and order.verified_by == site.office2
    kinds = list(order.events.values_list("kind", flat=True))
    assert kinds == [RectificationEvent.Kind.ISSUED, RectificationEvent.Kind.ANSWERED, RectificationEvent.Kind.VERIFIED]


def test_a_named_person_answers_and_the_inspector_verifies(site):
    visit = inspection(
        by=site.supervisor,
        team=site.team_a,
        kind="supervisor_open",
        breaches={"JC-11": (1, site.collector)},
        publish_by=site.office,
    )
    order = services.rectification_order_issue(
        finding=finding(visit, "JC-11"), issued_by=site.office, instructions="整理", assignee=site.collector
    )
    services.rectification_answer(order=order, answered_by=site.collector.user, answer="已整理")
    services.rectification_verify(order=order, verified_by=site.supervisor)  # the inspector of the visit
    order.refresh_from_db()
    assert order.status == RectificationOrder.Status.VERIFIED


def test_a_returned_order_is_answered_again(site):
    order = an_order(site)
    services.rectification_answer(order=order, answered_by=site.leader_a.user, answer="已整理")
    with pytest.raises(DomainError):
        services.rectification_return(order=order, returned_by=site.office, reasons="  ")
    services.rectification_return(order=order, returned_by=site.office, reasons="标识仍缺一块")
    order.refresh_from_db()
    assert order.status == RectificationOrder.Status.RETURNED
    services.rectification_answer(order=order, answered_by=site.leader_a.user, answer="已补齐")
    order.refresh_from_db()
    assert order.status == RectificationOrder.Status.ANSWERED


def test_an_order_past_its_deadline_awaiting_the_answer_is_overdue(site):
    order = an_order(site, deadline=TODAY())
    assert not order.overdue
    tomorrow = TODAY() + datetime.timedelta(days=1)
    assert order.is_overdue(tomorrow)
    assert list(RectificationOrder.objects.overdue(today=tomorrow)) == [order]
    assert [o.pk for o in selectors.order_list(user=site.office, overdue=True)] == []
    RectificationOrder.objects.filter(pk=order.pk).update(deadline=TODAY() - datetime.timedelta(days=1))
    assert [o.pk for o in selectors.order_list(user=site.office, overdue=True)] == [order.pk]
    assert [o.pk for o in selectors.orders_due_for(user=site.leader_a.user)] == [order.pk]
    assert selectors.orders_due_for(user=site.leader_b.user) == []


def test_the_office_moves_a_deadline_with_a_reason(site):
    order = an_order(site)
    new = TODAY() + datetime.timedelta(days=20)
    with pytest.raises(DomainError):
        services.rectification_deadline_change(order=order, changed_by=site.office, deadline=new, reason="")
    with pytest.raises(DomainError):
        services.rectification_deadline_change(
            order=order, changed_by=site.office, deadline=TODAY() - datetime.timedelta(days=1), reason="延期"
        )
    with pytest.raises(DomainError):  # not the team leader
        services.rectification_deadline_change(order=order, changed_by=site.leader_a.user, deadline=new, reason="延期")
    services.rectification_deadline_change(order=order, changed_by=site.office, deadline=new, reason="需采购标识牌")
    order.refresh_from_db()
    assert order.deadline == new
    assert order.events.filter(kind=RectificationEvent.Kind.DEADLINE, deadline=new).exists()


def _make_late(orders, days=3):
    past = TODAY() - datetime.timedelta(days=days)
    RectificationOrder.objects.filter(pk__in=[o.pk for o in orders]).update(deadline=past)
    return past


def test_ins4_ins5_a_team_that_leaves_orders_overdue_is_put_to_the_office(site):
    late = [an_order(site), an_order(site, occurred_at=None)]
    on_time = an_order(site, team=site.team_b)
    past = _make_late([*late, on_time])
    services.rectification_answer(order=on_time, answered_by=site.leader_b.user, answer="已整改")
    RectificationOrder.objects.filter(pk=on_time.pk).update(answered_on=past)  # answered on the day: on time
    created = services.overdue_proposals_refresh()
    assert [(p.team, p.late_count) for p in created] == [(site.team_a, 2)]
    assert services.overdue_proposals_refresh() == []  # one proposal per team and month
    proposal = created[0]
    assert set(proposal.orders.all()) == set(late)
    assert [p.pk for p in selectors.overdue_proposal_list(user=site.office)] == [proposal.pk]
    assert list(selectors.overdue_proposal_list(user=site.office_in_team)) == []  # not about one's own team
    # INS-5, through the penalties service
    services.overdue_proposal_resolve(proposal=proposal, resolved_by=site.office, action="eligibility", note="屡次逾期")
    proposal.refresh_from_db()
    assert proposal.status == OverdueProposal.Status.ELIGIBILITY and proposal.revocation.team == site.team_a
    assert not award_eligibility(team=site.team_a, year=proposal.revocation.year).eligible
    with pytest.raises(DomainError):
        services.overdue_proposal_resolve(proposal=proposal, resolved_by=site.office, action="dismiss", note="重复")


def test_ins4_the_office_answers_an_overdue_proposal_with_a_talk(site):
    services.inspection_settings_change(changed_by=site.office, overdue_orders_threshold=1)
    _make_late([an_order(site)])
    [proposal] = services.overdue_proposals_refresh()
    services.overdue_proposal_resolve(
        proposal=proposal,
        resolved_by=site.office,
        action="talk",
        talk={
            "kind": TalkRecord.Kind.APPOINTMENT,
            "held_at": timezone.now() - datetime.timedelta(hours=1),
            "conducted_by": site.leader_staff,
            "summary": "约见班长，要求按期整改",
        },
    )
    proposal.refresh_from_db()
    assert proposal.status == OverdueProposal.Status.TALK
    assert proposal.talk.team == site.team_a
    assert proposal.month.strftime("%Y-%m") in proposal.talk.reason  # the reason says which month


def test_a_setting_of_zero_switches_the_proposals_off(site):
    services.inspection_settings_change(changed_by=site.office, overdue_orders_threshold=0)
    _make_late([an_order(site), an_order(site)])
    assert services.overdue_proposals_refresh() == []


def test_settings_are_checked_and_audited(site):
    with pytest.raises(DomainError):
        services.inspection_settings_change(changed_by=site.office, appeal_days=0)
    with pytest.raises(DomainError):
        services.inspection_settings_change(changed_by=site.leader_a.user, appeal_days=5)
    services.inspection_settings_change(changed_by=site.leader, appeal_days=10, revisit_gap_days=45)
    row = InspectionSettings.current()
    assert (row.appeal_days, row.revisit_gap_days) == (10, 45)


def test_the_daily_task_puts_teams_to_the_office(site):
    from inspections.tasks import refresh_overdue_proposals

    _make_late([an_order(site), an_order(site)])
    assert refresh_overdue_proposals.delay().get() == 1
    assert refresh_overdue_proposals.delay().get() == 0


def test_an_order_is_seen_with_its_inspection_after_a_correction_moves_it_to_another_team(site):
    # The order list of a team leader is read part by part (each team on the order's copy of its
    # inspection's team, their assignments, their own inspections' orders): a page shows what the
    # scope — decided on the inspection — shows, before and after a correction changes the team.
    order = an_order(site)
    services.inspection_correct(
        inspection=order.inspection, corrected_by=site.office, reason="班组录错", team=site.team_b
    )
    order.refresh_from_db()
    assert order.team == site.team_a and order.inspection_team == site.team_b  # the order's own team stays
    for user in (site.leader_a.user, site.leader_b.user, site.collector.user, site.collector_b.user, site.office):
        listed = selectors.order_list(user=user)
        assert list(paginate(QueryDict(""), listed, per_page=25)) == list(listed), user
    assert order in selectors.order_list(user=site.leader_b.user)  # the inspection's team now
    assert order in selectors.order_list(user=site.leader_a.user)  # assigned to them
    assert order in selectors.order_list(user=site.collector_b.user)  # a member of that team

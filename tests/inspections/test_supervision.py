"""Supervisors' open and covert visits and the office's review (INS-6), appeals (INS-6), written
reports and the leadership group's decisions (INS-7), the meeting circular (INS-3), coverage."""

import datetime
from decimal import Decimal as D

import pytest
from django.utils import timezone
from django.utils.translation import gettext

from inspections import selectors, services
from inspections.models import (
    Amendment,
    Appeal,
    Deduction,
    Inspection,
    MeetingCircular,
    RectificationOrder,
    SupervisorReport,
    SupervisorTeamEvaluation,
)
from penalties.models import Penalty
from tests.inspections.factories import Kind, a_moment, finding, inspection
from tests.penalties.factories import provisions
from tollservice.core.errors import DomainError
from tollservice.notifications.models import Notification

pytestmark = pytest.mark.django_db
Status = Inspection.Status


def covert(site, **kwargs):
    kwargs.setdefault("breaches", {"JC-08": (1, site.collector)})
    return inspection(by=site.supervisor, team=site.team_a, kind=Kind.SUPERVISOR_COVERT, **kwargs)


# --- The office's review (INS-6) --------------------------------------------------------------------------------


def test_ins6_a_covert_visit_is_filed_after_the_visit_and_takes_effect_when_published(site):
    visit = covert(site, occurred_at=a_moment(days_ago=2, hour=10))
    assert visit.status == Status.SUBMITTED and visit.supervisor == site.supervisor_profile
    assert visit.submitted_at > visit.occurred_at + datetime.timedelta(days=1)  # filed later than the visit
    assert visit.score == D("95") and visit.published_at is None
    assert not Deduction.objects.filter(inspection=visit).exists()  # not in effect yet
    office_notified = Notification.objects.filter(
        subject=gettext("A supervisor's visit awaits your review")
    ).values_list("recipient", flat=True)
    assert site.office.pk in office_notified and site.office_in_team.pk not in office_notified
    services.inspection_publish(inspection=visit, published_by=site.office)
    visit.refresh_from_db()
    assert visit.status == Status.FILED and visit.published_at is not None and visit.published_by == site.office
    assert Deduction.objects.filter(inspection=visit, subject="team").get().points == D("5")
    assert Notification.objects.filter(
        recipient=site.leader_a.user, subject=gettext("An inspection of your team is in effect")
    ).exists()


def test_ins6_review_is_by_the_office_and_never_by_whoever_entered_it_or_the_visited_team(site):
    visit = covert(site)
    for user in (site.supervisor, site.leader, site.office_in_team, site.leader_a.user):
        with pytest.raises(DomainError):
            services.inspection_publish(inspection=visit, published_by=user)
    paper = inspection(
        by=site.office, team=site.team_b, kind=Kind.SUPERVISOR_OPEN, supervisor=site.supervisor_profile
    )  # entered by the office from a paper report
    with pytest.raises(DomainError):
        services.inspection_publish(inspection=paper, published_by=site.office)
    services.inspection_publish(inspection=paper, published_by=site.office2)


def test_ins6_the_office_returns_a_visit_with_reasons_and_the_supervisor_completes_it(site):
    visit = covert(site)
    services.inspection_return(inspection=visit, returned_by=site.office, reasons="扣分与描述不符，请补充说明")
    visit.refresh_from_db()
    assert visit.status == Status.RETURNED and "扣分" in visit.return_reasons
    assert Notification.objects.filter(recipient=site.supervisor, subject=gettext("Your visit was returned")).exists()
    services.inspection_update(inspection=visit, updated_by=site.supervisor, summary="补充：该员工离岗约十分钟")
    services.inspection_file(inspection=visit, filed_by=site.supervisor)
    visit.refresh_from_db()
    assert visit.status == Status.SUBMITTED and visit.return_reasons == ""


def test_ins6_a_visit_whose_visitor_was_recognised_is_void(site):
    visit = covert(site)
    with pytest.raises(DomainError):
        services.inspection_void(inspection=visit, voided_by=site.office, reason="")
    services.inspection_void(inspection=visit, voided_by=site.office, reason="暗访人员被收费员认出")
    visit.refresh_from_db()
    assert visit.status == Status.VOID
    with pytest.raises(DomainError):
        services.inspection_publish(inspection=visit, published_by=site.office)
    assert selectors.coverage(user=site.office).teams[0].inspections == 0  # a void visit is no inspection


def test_ins6_the_same_supervisor_visiting_the_same_team_within_the_gap_is_flagged(site):
    first = covert(site, occurred_at=a_moment(days_ago=20))
    second = covert(site, occurred_at=a_moment(days_ago=2))
    other_team = inspection(by=site.supervisor, team=site.team_b, kind=Kind.SUPERVISOR_COVERT, occurred_at=a_moment(1))
    other_supervisor = inspection(
        by=site.supervisor2, team=site.team_a, kind=Kind.SUPERVISOR_OPEN, occurred_at=a_moment(1)
    )
    assert (first.revisit_warning, second.revisit_warning) == (False, True)
    assert not other_team.revisit_warning and not other_supervisor.revisit_warning
    assert [v.pk for v in selectors.review_queue(user=site.office)] == [
        first.pk,
        second.pk,
        other_team.pk,
        other_supervisor.pk,
    ]
    services.inspection_settings_change(changed_by=site.office, revisit_gap_days=10)
    third = covert(site, occurred_at=a_moment(days_ago=1))
    assert third.revisit_warning  # one day after the second


def test_a_supervisor_enters_only_their_own_visits(site):
    with pytest.raises(DomainError):
        services.inspection_start(
            created_by=site.supervisor,
            kind=Kind.SUPERVISOR_COVERT,
            occurred_at=a_moment(),
            team=site.team_a,
            supervisor=site.supervisor2.supervisor_profile,
        )
    with pytest.raises(DomainError):  # the office names the supervisor
        services.inspection_start(
            created_by=site.office, kind=Kind.SUPERVISOR_OPEN, occurred_at=a_moment(), team=site.team_a
        )


# --- Appeals (INS-6) -----------------------------------------------------------------------------------------


def published(site, **kwargs):
    return covert(site, publish_by=site.office, **kwargs)


def test_ins6_the_team_appeals_within_the_time_and_an_upheld_appeal_keeps_the_original_score(site):
    visit = published(site, breaches={"JC-08": (1, site.collector), "JC-01": (1, site.collector)})
    leaving = finding(visit, "JC-08")
    order = services.rectification_order_issue(finding=leaving, issued_by=site.office, instructions="加强岗位管理")
    with pytest.raises(DomainError):  # only the visited team's leader
        services.appeal_lodge(finding=leaving, lodged_by=site.leader_b.user, grounds="录像显示未离岗")
    appeal = services.appeal_lodge(finding=leaving, lodged_by=site.leader_a.user, grounds="录像显示该员工未离岗")
    with pytest.raises(DomainError):  # one pending appeal per finding
        services.appeal_lodge(finding=leaving, lodged_by=site.leader_a.user, grounds="再次申诉")
    services.finding_suggest(finding=finding(visit, "JC-01"), suggested_by=site.office, text="注意着装")
    with pytest.raises(DomainError) as error:  # every finding has an outcome, but an appeal waits
        services.inspection_close(inspection=visit, closed_by=site.office)
    assert error.value.code == "appeal_pending"
    for user in (site.supervisor, site.office_in_team):  # never the inspector, never the team
        with pytest.raises(DomainError):
            services.appeal_decide(appeal=appeal, decided_by=user, decision="upheld", reasons="属实")
    services.appeal_decide(appeal=appeal, decided_by=site.office2, decision="upheld", reasons="监控录像证实未离岗")
    visit.refresh_from_db()
    leaving.refresh_from_db()
    assert leaving.withdrawn
    assert (visit.original_score, visit.score) == (D("93"), D("98"))  # both shown
    assert visit.amendments.get().kind == Amendment.Kind.APPEAL
    assert visit.amendments.get().reason == "监控录像证实未离岗"
    order.refresh_from_db()
    assert order.status == RectificationOrder.Status.CANCELLED
    assert not Deduction.objects.filter(finding=leaving).exists()
    services.inspection_close(inspection=visit, closed_by=site.office)  # the withdrawn finding needs no outcome


def test_ins6_a_partly_upheld_appeal_reduces_the_occurrences(site):
    visit = published(site, breaches={"JC-02": (6, site.collector)})
    appeal = services.appeal_lodge(finding=finding(visit, "JC-02"), lodged_by=site.leader_a.user, grounds="只有两辆")
    with pytest.raises(DomainError):
        services.appeal_decide(appeal=appeal, decided_by=site.leader, decision="partly_upheld", reasons="部分属实")
    services.appeal_decide(
        appeal=appeal, decided_by=site.leader, decision="partly_upheld", reasons="录像核实为两辆", occurrences=2
    )
    visit.refresh_from_db()
    appeal.refresh_from_db()
    assert (visit.original_score, visit.score) == (D("97"), D("99"))
    assert (appeal.original_occurrences, appeal.amended_occurrences) == (6, 2)


def test_ins6_a_rejected_appeal_changes_nothing(site):
    visit = published(site)
    appeal = services.appeal_lodge(finding=finding(visit, "JC-08"), lodged_by=site.leader_a.user, grounds="不服")
    services.appeal_decide(appeal=appeal, decided_by=site.office2, decision="rejected", reasons="证据不足")
    visit.refresh_from_db()
    assert visit.score == D("95") and visit.original_score is None and not visit.amendments.exists()
    assert Appeal.objects.get().status == Appeal.Status.REJECTED


def test_ins6_the_appeal_window_closes_after_the_configured_days(site):
    visit = published(site)
    Inspection.objects.filter(pk=visit.pk).update(published_at=timezone.now() - datetime.timedelta(days=8))
    with pytest.raises(DomainError) as error:
        services.appeal_lodge(finding=finding(visit, "JC-08"), lodged_by=site.leader_a.user, grounds="不服")
    assert error.value.code == "too_late"
    services.inspection_settings_change(changed_by=site.office, appeal_days=10)
    services.appeal_lodge(finding=finding(visit, "JC-08"), lodged_by=site.leader_a.user, grounds="不服")


def test_no_appeal_before_publication(site):
    visit = covert(site)
    with pytest.raises(DomainError):
        services.appeal_lodge(finding=finding(visit, "JC-08"), lodged_by=site.leader_a.user, grounds="不服")


# --- Supervisors' reports (INS-6, INS-7) ---------------------------------------------------------------------


def a_report(site, **kwargs):
    visit = published(site)
    return services.supervisor_report_submit(
        submitted_by=site.supervisor,
        period_start=visit.shift_date,
        period_end=visit.shift_date,
        summary="本月暗访一次，整体服务较好。",
        evaluations=[(site.team_a, SupervisorTeamEvaluation.Rating.GOOD, "微笑服务到位，个别人员离岗。")],
        suggestions="加强岗位纪律",
        penalty_suggestions="建议对离岗人员按规定处理",
        visits=[visit],
        **kwargs,
    )


def test_ins6_ins7_a_supervisors_report_is_decided_by_the_leadership_group_in_time(site):
    report = a_report(site)
    assert report.decision_due == timezone.localdate() + datetime.timedelta(days=15)
    assert Notification.objects.filter(
        recipient=site.leader, subject=gettext("A supervisor's report awaits the leadership group's decision")
    ).exists()
    queue = selectors.supervisor_report_queue(user=site.leader)
    assert [r.pk for r in queue] == [report.pk] and not queue[0].decision_overdue
    assert selectors.supervisor_report_queue(user=site.office) == []
    # INS-7: a penalty suggested is proposed by the office through the penalty services
    penalty = services.supervisor_report_penalty_propose(
        report=report,
        proposed_by=site.office,
        staff=site.collector,
        provisions=provisions(1),
        incident_date=site.moment.date(),
        description="监督员暗访发现离岗",
    )
    assert penalty.source == Penalty.Source.SUPERVISOR_SUGGESTION and penalty.source_object == report
    with pytest.raises(DomainError):  # the office does not decide; the leadership group does
        services.supervisor_report_decide(report=report, decided_by=site.office, decision="accepted", actions="x")
    with pytest.raises(DomainError):
        services.supervisor_report_decide(report=report, decided_by=site.leader, decision="accepted", actions="")
    services.supervisor_report_decide(
        report=report, decided_by=site.leader, decision="partly", actions="对离岗人员处罚，要求一班整改"
    )
    report.refresh_from_db()
    assert report.status == SupervisorReport.Status.DECIDED and list(report.penalties.all()) == [penalty]
    decided = gettext("The leadership group decided on your report: %(decision)s") % {
        "decision": gettext("Partly accepted")
    }
    assert Notification.objects.filter(recipient=site.supervisor, subject=decided).exists()
    assert selectors.supervisor_report_queue(user=site.leader) == []


def test_ins7_a_report_past_its_decision_date_shows_as_overdue(site):
    report = a_report(site)
    SupervisorReport.objects.filter(pk=report.pk).update(decision_due=timezone.localdate() - datetime.timedelta(1))
    assert selectors.supervisor_report_queue(user=site.leader)[0].decision_overdue


def test_a_report_covers_the_supervisors_own_visits_and_evaluates_each_team(site):
    other = inspection(by=site.supervisor2, team=site.team_b, kind=Kind.SUPERVISOR_OPEN)
    common = {"period_start": site.moment.date(), "period_end": site.moment.date(), "summary": "总体评价"}
    with pytest.raises(DomainError):
        services.supervisor_report_submit(
            submitted_by=site.supervisor, evaluations=[(site.team_b, "good", "好")], visits=[other], **common
        )
    with pytest.raises(DomainError):
        services.supervisor_report_submit(submitted_by=site.supervisor, evaluations=[], **common)
    with pytest.raises(DomainError):
        services.supervisor_report_submit(submitted_by=site.office, evaluations=[(site.team_b, "good", "好")], **common)
    own = services.supervisor_report_submit(
        submitted_by=site.supervisor, evaluations=[(site.team_b, "fair", "一般")], **common
    )
    assert [r.pk for r in selectors.supervisor_report_list(user=site.supervisor)] == [own.pk]
    assert list(selectors.supervisor_report_list(user=site.supervisor2)) == []
    assert list(selectors.supervisor_report_list(user=site.leader_a.user)) == []


# --- The station affairs meeting circular (INS-3) --------------------------------------------------------------


def test_ins3_the_circular_lists_the_period_and_shows_a_covert_visit_only_once_published(site):
    day = site.moment.date()
    routine = inspection(by=site.office, team=site.team_b, breaches={"JC-07": (1, site.collector_b)})
    services.finding_penalty_propose(finding=finding(routine, "JC-07"), proposed_by=site.office)
    order = services.rectification_order_issue(
        finding=finding(routine, "JC-07"), issued_by=site.office, instructions="整改", deadline=timezone.localdate()
    )
    RectificationOrder.objects.filter(pk=order.pk).update(deadline=day)  # now past, unanswered: late
    secret = covert(site)
    content = selectors.meeting_circular_content(start=day, end=day)
    assert content["inspections"] == {"total": 1, "by_kind": {"office_routine": 1}}
    assert [row["team"] for row in content["teams"]] == ["收费二班"]
    assert [p["staff"] for p in content["problems"]] == ["收费员丙"]
    assert content["penalties"][0]["status"] == Penalty.Status.PROPOSED
    assert content["rectifications"]["issued"] == 1 and content["rectifications"]["late"] == 1
    services.inspection_publish(inspection=secret, published_by=site.office)
    content = selectors.meeting_circular_content(start=day, end=day)
    assert content["inspections"]["total"] == 2 and content["inspections"]["by_kind"]["supervisor_covert"] == 1

    circular = services.meeting_circular_draft(
        created_by=site.office, period_start=day, period_end=day, title="所务会通报"
    )
    assert list(selectors.meeting_circular_list(user=site.collector.user)) == []  # a draft: the office only
    services.meeting_circular_publish(circular=circular, published_by=site.office)
    circular.refresh_from_db()
    assert circular.status == MeetingCircular.Status.PUBLISHED and circular.content["inspections"]["total"] == 2
    inspection(by=site.office2, team=site.team_b, occurred_at=site.moment)  # later entries do not change it
    shown, content = selectors.meeting_circular_detail(user=site.collector.user, pk=circular.pk)  # staff read it
    assert content["inspections"]["total"] == 2
    with pytest.raises(DomainError):
        services.meeting_circular_update(circular=circular, updated_by=site.office, title="改标题")
    with pytest.raises(DomainError):
        services.meeting_circular_draft(created_by=site.leader_a.user, period_start=day, period_end=day, title="x")


def test_ins3_a_circular_is_published_once_its_period_is_over(site):
    today = timezone.localdate()
    circular = services.meeting_circular_draft(
        created_by=site.office, period_start=today, period_end=today, title="本月"
    )
    with pytest.raises(DomainError):
        services.meeting_circular_publish(circular=circular, published_by=site.office)


# --- Coverage ------------------------------------------------------------------------------------------------


def test_coverage_shows_each_teams_inspections_against_the_target_and_the_teams_missed(site):
    # on the first days of a month the fixture's moment may fall in the previous month
    month = site.moment.date()
    inspection(by=site.office, team=site.team_a)
    inspection(by=site.office2, team=site.team_a, occurred_at=site.moment)
    inspection(by=site.leader, team=site.team_b, kind=Kind.LEADERSHIP)  # one inspector only
    report = selectors.coverage(user=site.office, month=month)
    assert report.target == 2
    assert [(row.team.name, row.inspections, row.missed) for row in report.teams] == [
        ("收费一班", 2, False),
        ("收费二班", 1, True),
    ]
    assert report.missed == [site.team_b]
    assert [i.team for i in report.short_leadership] == [site.team_b]  # fewer than 2 inspectors
    assert report.covered_share == D("0.5")
    assert selectors.coverage(user=site.leader_a.user, month=month).teams == []  # the office's dashboard


def test_ins6_no_penalty_from_a_report_reveals_an_unpublished_covert_visit(site):
    visit = covert(site)
    report = services.supervisor_report_submit(
        submitted_by=site.supervisor,
        period_start=visit.shift_date,
        period_end=visit.shift_date,
        summary="暗访一次",
        evaluations=[(site.team_a, "poor", "有人离岗")],
        visits=[visit],
    )
    arguments = {
        "report": report,
        "proposed_by": site.office,
        "staff": site.collector,
        "provisions": provisions(1),
        "incident_date": visit.shift_date,
        "description": "离岗",
    }
    with pytest.raises(DomainError) as error:
        services.supervisor_report_penalty_propose(**arguments)
    assert error.value.code == "secret"
    services.inspection_publish(inspection=visit, published_by=site.office)
    services.supervisor_report_penalty_propose(**arguments)

"""The year's figures per team and per person that rankings read (inspections.selectors.tallies):
exact sums over inspections in effect only, the same for every reader, in constant queries."""

import datetime
from decimal import Decimal as D

from django.utils import timezone

from inspections import services
from inspections.models import Deduction, Inspection, SupervisorTeamEvaluation
from inspections.selectors import tallies
from tests.inspections.factories import a_moment, finding, inspection

Kind = Inspection.Kind


def _day():
    return a_moment().date()


def test_team_scores_are_summed_exactly_over_inspections_in_effect(site, django_assert_num_queries):
    inspection(by=site.office, team=site.team_a, breaches={"JC-02": (5, site.collector)})  # 97.5
    inspection(by=site.office2, team=site.team_a, breaches={"JC-05": (3, site.collector)})  # 97
    inspection(by=site.office, team=site.team_b)  # 100
    inspection(by=site.office, team=site.team_b, file=False)  # a draft counts nowhere
    # An unpublished covert visit is not in effect: it counts once published (INS-6).
    inspection(by=site.supervisor, team=site.team_b, kind=Kind.SUPERVISOR_COVERT, breaches={"JC-01": (1, None)})
    day = _day()
    with django_assert_num_queries(1):
        result = tallies.team_score_tallies(start=day, end=day)
    assert result[site.team_a.pk] == tallies.ScoreTally(2, D("194.50"))
    assert result[site.team_b.pk] == tallies.ScoreTally(1, D("100.00"))
    assert tallies.team_score_tallies(start=day, end=day, kind=Kind.SUPERVISOR_COVERT) == {}


def test_a_persons_deductions_are_summed_exactly_and_listed_with_their_findings(site):
    first = inspection(by=site.office, team=site.team_a, breaches={"JC-02": (5, site.collector)})
    inspection(by=site.office2, team=site.team_a, breaches={"JC-05": (3, site.collector)})
    day = _day()
    totals = tallies.deduction_tallies(start=day, end=day, subject=Deduction.Subject.PERSON)
    assert totals == {site.collector.pk: D("5.50")}
    rows = list(tallies.person_deductions(user=site.office, start=day, end=day, staff_id=site.collector.pk))
    assert [row.points for row in rows] == [D("2.50"), D("3.00")]
    assert rows[0].finding == finding(first, "JC-02")
    # The records behind a figure are scoped: someone who sees no inspection sees none of them.
    assert not tallies.person_deductions(user=site.outsider, start=day, end=day, staff_id=site.collector.pk).exists()


def test_orders_are_counted_on_time_or_late_per_team_and_per_person(site):
    visit = inspection(by=site.office, team=site.team_a, breaches={"JC-02": (1, site.collector), "JC-05": (1, None)})
    today = timezone.localdate()
    services.rectification_order_issue(
        finding=finding(visit, "JC-02"),
        issued_by=site.office,
        instructions="加强文明用语",
        deadline=today + datetime.timedelta(days=3),
        assignee=site.collector,
    )
    services.rectification_order_issue(
        finding=finding(visit, "JC-05"), issued_by=site.office, instructions="提高效率", deadline=today
    )
    start, end = today - datetime.timedelta(days=10), today + datetime.timedelta(days=10)
    by_team, by_assignee = tallies.order_tallies(start=start, end=end, today=today)
    assert by_team[site.team_a.pk] == tallies.OrderTally(issued=2, late=0)
    # Two days after the second order's deadline, unanswered: it is late (rules.order_is_late).
    later = today + datetime.timedelta(days=2)
    by_team, by_assignee = tallies.order_tallies(start=start, end=end, today=later)
    assert by_team[site.team_a.pk] == tallies.OrderTally(issued=2, late=1)
    assert by_team[site.team_a.pk].on_time == 1
    assert by_assignee[site.collector.pk] == tallies.OrderTally(issued=1, late=0)


def test_supervisors_evaluations_are_counted_per_team_and_rating(site):
    day = _day()
    services.supervisor_report_submit(
        submitted_by=site.supervisor,
        period_start=day,
        period_end=day,
        summary="本月明查一次。",
        evaluations=[
            (site.team_a, SupervisorTeamEvaluation.Rating.EXCELLENT, "微笑服务到位。"),
            (site.team_b, SupervisorTeamEvaluation.Rating.FAIR, "个别人员离岗。"),
        ],
        suggestions="",
        penalty_suggestions="",
        visits=[],
    )
    result = tallies.evaluation_tallies(start=day, end=day)
    assert result[site.team_a.pk] == {"excellent": 1}
    assert result[site.team_b.pk] == {"fair": 1}
    rows = tallies.team_evaluations(user=site.office, start=day, end=day, team_id=site.team_a.pk)
    assert [row.rating for row in rows] == ["excellent"]
    assert not tallies.team_evaluations(user=site.collector.user, start=day, end=day, team_id=site.team_a.pk).exists()


def test_veto_breaches_name_the_inspection_behind_a_rating_exclusion(site):
    visit = inspection(by=site.office, team=site.team_a, breaches={"JC-99": (1, site.collector)})
    day = _day()
    breaches = tallies.veto_breaches(start=day, end=day)
    assert {(b.subject, b.team_id, b.staff_id) for b in breaches} == {
        ("team", site.team_a.pk, None),
        ("person", None, site.collector.pk),
    }
    assert {b.reference for b in breaches} == {visit.reference}
    inspections = tallies.team_inspections_in_effect(user=site.office, start=day, end=day, team_id=site.team_a.pk)
    assert list(inspections) == [visit]

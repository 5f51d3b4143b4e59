"""Every list, download and dashboard panel of the inspections module costs a fixed number of
queries, however many rows it shows (measured twice, with more rows the second time:
tests/query_budget.py)."""

import pytest
from django.urls import reverse

from inspections import panels, services
from inspections.models import Inspection, MeetingCircular, OverdueProposal
from tests.inspections.factories import a_moment, finding, inspection
from tests.inspections.permission_matrix import photo
from tests.query_budget import assert_constant_queries, get_rows, panel_rows
from tests.roster.factories import TeamFactory
from tollservice.roster.models import Lane

pytestmark = pytest.mark.django_db

Kind = Inspection.Kind


def _world(site, n: int, offset: int) -> None:
    """``n`` more of everything the lists show: inspections with findings, outcomes and orders,
    covert visits awaiting review (one with a photo), appeals, reports, proposals, circulars, lanes."""
    for i in range(offset, offset + n):
        team, person = (site.team_a, site.collector) if i % 2 else (site.team_b, site.collector_b)
        lane = Lane.objects.create(station=site.team_a.station, number=f"L{i}", direction=Lane.Direction.ENTRY)
        done = inspection(
            by=site.office,
            team=team,
            lane=lane,
            breaches={"JC-07": (1, person), "JC-11": (1, None), "JC-02": (2, person)},
            occurred_at=a_moment(days_ago=2, hour=8 + i % 10),
        )
        services.finding_penalty_propose(finding=finding(done, "JC-07"), proposed_by=site.office)
        services.finding_suggest(finding=finding(done, "JC-02"), suggested_by=site.office, text="加强教育。")
        services.rectification_order_issue(finding=finding(done, "JC-11"), issued_by=site.office, instructions="整改")
        draft = inspection(
            by=site.supervisor, team=team, kind=Kind.SUPERVISOR_COVERT, occurred_at=a_moment(3 + i), file=False
        )
        services.evidence_photo_add(inspection=draft, added_by=site.supervisor, upload=photo())
        services.inspection_file(inspection=draft, filed_by=site.supervisor)
        visit = inspection(
            by=site.supervisor2,
            team=site.team_a,
            kind=Kind.SUPERVISOR_OPEN,
            breaches={"JC-01": (1, site.collector)},
            occurred_at=a_moment(days_ago=1, hour=6 + i % 12),
            publish_by=site.office,
        )
        services.appeal_lodge(finding=finding(visit, "JC-01"), lodged_by=site.leader_a.user, grounds="录像为证。")
        services.supervisor_report_submit(
            submitted_by=site.supervisor,
            period_start=a_moment(days_ago=10).date(),
            period_end=a_moment(days_ago=1).date(),
            summary="总体良好。",
            evaluations=[(site.team_a, "good", "服务规范。"), (site.team_b, "fair", "一般。")],
            visits=[draft],
        )
        OverdueProposal.objects.create(
            team=TeamFactory(station=site.team_a.station, department=site.toll_office),
            month=a_moment().date().replace(day=1),
            late_count=2,
        )
        day = a_moment(days_ago=40 + i).date()
        MeetingCircular.objects.create(title=f"通报{i}", period_start=day, period_end=day, created_by=site.office)
        services.checklist_version_draft(
            created_by=site.office, effective_from=a_moment(days_ago=-10 - i).date(), note=f"修订{i}"
        )


PAGES = [
    "inspections:inspection_list",
    "inspections:finding_list",
    "inspections:order_list",
    "inspections:review_queue",
    "inspections:appeal_list",
    "inspections:report_list",
    "inspections:overdue_list",
    "inspections:circular_list",
    "roster:lane_list",
]
DOWNLOADS = ["inspections:inspection_list", "inspections:finding_list", "inspections:order_list"]


def test_the_office_s_lists_and_downloads_cost_a_fixed_number_of_queries(client, site):
    client.force_login(site.office)
    cases = {name: get_rows(client, reverse(name)) for name in PAGES}
    cases["inspections:version_list"] = get_rows(
        client, reverse("inspections:version_list"), rows=lambda response: len(response.context["versions"])
    )
    for name in DOWNLOADS:
        for kind in ("xlsx", "csv"):
            cases[f"{name} {kind}"] = get_rows(client, reverse(name), {"export": kind})
    _world(site, 2, offset=0)
    assert_constant_queries(cases, grow=lambda: _world(site, 3, offset=2), max_queries=25)


def test_a_team_leader_s_lists_cost_a_fixed_number_of_queries(client, site):
    client.force_login(site.leader_a.user)
    names = ["inspections:inspection_list", "inspections:finding_list", "inspections:order_list"]
    cases = {name: get_rows(client, reverse(name)) for name in names}
    cases["inspections:appeal_list"] = get_rows(client, reverse("inspections:appeal_list"), {"all": "1"})
    _world(site, 2, offset=0)
    assert_constant_queries(cases, grow=lambda: _world(site, 3, offset=2), max_queries=20)


def test_the_dashboard_panels_cost_a_fixed_number_of_queries(rf, site):
    _world(site, 2, offset=0)
    cases = {
        "my orders": panel_rows(rf, site.leader_a.user, panels.my_orders, lambda panel: len(panel["orders"])),
        "coverage": panel_rows(rf, site.office, panels.coverage, lambda panel: len(panel["coverage"].teams)),
    }
    assert_constant_queries(cases, grow=lambda: _world(site, 2, offset=2), max_queries=16)

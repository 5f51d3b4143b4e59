"""The inspections pages: lists with their filters and downloads, an inspection's page, and INS-6
secrecy on every page — an unpublished covert visit is nowhere for the visited team, and every
read of it by anyone else (a list, a download, the page, a photo) is logged and shown."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from inspections import services
from inspections.models import CovertRead, Inspection
from tests.inspections.factories import a_moment, finding, inspection
from tests.inspections.permission_matrix import photo
from tollservice.roster.models import Lane

pytestmark = pytest.mark.django_db

Kind = Inspection.Kind


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


@pytest.fixture
def covert(site):
    """A covert visit of team A, filed, awaiting the office's review (INS-6)."""
    return inspection(
        by=site.supervisor, team=site.team_a, kind=Kind.SUPERVISOR_COVERT, breaches={"JC-09": (1, site.collector)}
    )


def test_the_list_filters_by_kind_team_lane_period_and_status(client, site):
    lane = Lane.objects.create(station=site.team_a.station, number="3", direction=Lane.Direction.EXIT)
    first = inspection(by=site.office, team=site.team_a, lane=lane, occurred_at=a_moment(days_ago=5))
    second = inspection(by=site.office, team=site.team_b, kind=Kind.CCTV, occurred_at=a_moment(days_ago=1))
    client.force_login(site.office)
    url = reverse("inspections:inspection_list")

    def listed(**query):  # the page's rows are the report's values_list() tuples, the key first
        return [row[0] for row in client.get(url, query).context["page_obj"]]

    assert listed() == [second.pk, first.pk]  # newest first
    assert listed(kind=Kind.CCTV) == [second.pk]
    assert listed(team=site.team_a.pk) == [first.pk]
    assert listed(lane=lane.pk) == [first.pk]
    day = a_moment(days_ago=3).date().isoformat()
    assert listed(start=day) == [second.pk] and listed(end=day) == [first.pk]
    assert listed(status="filed") == [second.pk, first.pk] and listed(status="draft") == []
    assert listed(team="nonsense") == []  # an invalid filter lists nothing


def test_the_lists_download_as_excel_and_csv_with_the_same_rows(client, site):
    filed = inspection(by=site.office, team=site.team_a, breaches={"JC-01": (2, site.collector)})
    services.rectification_order_issue(finding=finding(filed, "JC-01"), issued_by=site.office, instructions="整改。")
    client.force_login(site.office)
    rows = _csv(client.get(reverse("inspections:inspection_list"), {"export": "csv"}))
    assert rows[0][:4] == ["编号", "日期时间", "类型", "班组"] and rows[1][0] == filed.reference
    assert rows[1][6] == "96.00" and rows[1][7] == "4.00"  # score and points deducted, exact
    workbook = load_workbook(
        io.BytesIO(b"".join(client.get(reverse("inspections:finding_list"), {"export": "xlsx"}).streaming_content))
    )
    sheet = workbook.active
    assert sheet.max_row == 2 and sheet["E2"].value.startswith("JC-01") and sheet["F2"].value == "收费员甲"
    orders = _csv(client.get(reverse("inspections:order_list"), {"export": "csv"}))
    assert len(orders) == 2 and orders[1][1] == "收费一班"


def test_ins6_an_unpublished_covert_visit_is_nowhere_for_the_visited_team(client, site, covert):
    # INS-6: not in the lists, counts, downloads or dashboard of the team's leader and members —
    # nor of an office member who works in the team — and its page is a 404 to them.
    for user in (site.leader_a.user, site.collector.user, site.office_in_team, site.shift_leader.user):
        client.force_login(user)
        for name in ("inspections:inspection_list", "inspections:finding_list"):
            assert client.get(reverse(name)).context["page_obj"].paginator.count == 0, (user, name)
            assert len(_csv(client.get(reverse(name), {"export": "csv"}))) == 1  # the header only
        assert client.get(reverse("inspections:inspection_detail", args=[covert.pk])).status_code == 404
        assert covert.reference not in client.get(reverse("dashboard:home")).content.decode()
    assert not CovertRead.objects.exists()  # nothing was read


def test_ins6_every_read_of_an_unpublished_covert_visit_is_logged_and_shown_on_it(client, site, covert):
    # INS-6: the office sees the visit; the list, the download and the page each log the read.
    client.force_login(site.office)
    client.get(reverse("inspections:inspection_list"))
    client.get(reverse("inspections:finding_list"), {"export": "xlsx"})
    page = client.get(reverse("inspections:inspection_detail", args=[covert.pk]))
    assert list(CovertRead.objects.order_by("pk").values_list("context", flat=True)) == ["list", "export", "detail"]
    content = page.content.decode()
    assert 'id="read-log"' in content and "发布前的查阅记录" in content
    assert page.context["page"].read_log[0].user == site.office
    # Published, it is read freely: nothing more is logged.
    services.inspection_publish(inspection=covert, published_by=site.office)
    client.get(reverse("inspections:inspection_list"))
    client.get(reverse("inspections:inspection_detail", args=[covert.pk]))
    assert CovertRead.objects.count() == 3
    client.force_login(site.leader_a.user)
    assert client.get(reverse("inspections:inspection_detail", args=[covert.pk])).status_code == 200
    assert client.get(reverse("inspections:inspection_detail", args=[covert.pk])).context["page"].read_log is None


def test_evidence_is_served_only_to_whoever_sees_it(client, site):
    draft = inspection(by=site.supervisor, team=site.team_a, kind=Kind.SUPERVISOR_COVERT, file=False)
    evidence = services.evidence_photo_add(inspection=draft, added_by=site.supervisor, upload=photo())
    services.inspection_file(inspection=draft, filed_by=site.supervisor)
    url = reverse("inspections:evidence_file", args=[evidence.pk])
    client.force_login(site.leader_a.user)
    assert client.get(url).status_code == 404
    client.force_login(site.office)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert CovertRead.objects.filter(context="evidence", user=site.office).exists()


def test_the_page_shows_deductions_beside_the_score_and_an_amended_score_with_the_original(client, site):
    filed = inspection(
        by=site.office, team=site.team_a, breaches={"JC-06": [(3, site.collector, True)], "JC-01": (1, None)}
    )
    assert (filed.score, filed.raw_deduction, filed.deduction) == (90, 14, 10)  # JC-06 capped at 8
    client.force_login(site.office)
    url = reverse("inspections:inspection_detail", args=[filed.pk])
    content = client.get(url).content.decode()
    assert "90.00" in content and "封顶前14.00" in content
    # The office corrects it with a reason: the original score stays beside the new one.
    results = []
    for result in filed.results.select_related("item"):
        breached = result.item.code == "JC-01"
        results.append(
            services.ResultInput(
                item=result.item,
                verdict="compliant" if breached else result.verdict,
                occurrences=0 if breached else result.occurrences,
                grave=result.grave,
                staff=result.staff,
                note=result.note,
                pk=result.pk,
            )
        )
    services.inspection_correct(
        inspection=filed, corrected_by=site.office2, reason="工号牌系临时摘下。", results=results
    )
    content = client.get(url).content.decode()
    assert "原得分90.00" in content and "工号牌系临时摘下。" in content and "92.00" in content


def test_closing_names_each_finding_without_an_outcome(client, site):
    # INS-2: the page lists the findings still without an outcome, and closing refuses naming them.
    filed = inspection(
        by=site.office, team=site.team_a, breaches={"JC-01": (1, site.collector), "JC-03": (2, site.collector2)}
    )
    client.force_login(site.office2)
    url = reverse("inspections:inspection_detail", args=[filed.pk])
    assert 'id="without-outcome"' in client.get(url).content.decode()
    response = client.post(reverse("inspections:inspection_close", args=[filed.pk]), follow=True)
    message = [str(m) for m in response.context["messages"]][0]
    assert "JC-01" in message and "JC-03" in message and "收费员乙" in message
    services.finding_suggest(finding=finding(filed, "JC-01"), suggested_by=site.office2, text="加强教育。")
    services.finding_suggest(finding=finding(filed, "JC-03"), suggested_by=site.office2, text="唱收唱付。")
    client.post(reverse("inspections:inspection_close", args=[filed.pk]))
    filed.refresh_from_db()
    assert filed.status == Inspection.Status.CLOSED


def test_buttons_come_from_the_same_checks_as_the_services(client, site, covert):
    # The office member in the visited team never reviews it; the supervisor who filed it neither.
    visit = inspection(by=site.supervisor, team=site.team_b, kind=Kind.SUPERVISOR_OPEN)
    client.force_login(site.office)
    page = client.get(reverse("inspections:inspection_detail", args=[visit.pk])).context["page"]
    assert page.review and page.void and not page.correct and not page.edit
    client.force_login(site.supervisor)
    page = client.get(reverse("inspections:inspection_detail", args=[visit.pk])).context["page"]
    assert not (page.review or page.void or page.edit)
    # A GET of a step the user may not take sends them back with the reason.
    response = client.get(reverse("inspections:inspection_publish", args=[visit.pk]))
    assert response.status_code == 403  # the supervisor has no review permission at all
    client.force_login(site.office_in_team)
    team_a_visit = inspection(by=site.supervisor2, team=site.team_a, kind=Kind.SUPERVISOR_OPEN)
    response = client.get(reverse("inspections:inspection_publish", args=[team_a_visit.pk]), follow=True)
    assert "不能处理本人所在班组的检查" in [str(m) for m in response.context["messages"]][0]


def test_the_penalty_page_links_to_its_finding_only_for_readers_who_may_see_it(client, site):
    filed = inspection(by=site.office, team=site.team_a, breaches={"JC-07": (1, site.collector)})
    outcome = services.finding_penalty_propose(finding=finding(filed, "JC-07"), proposed_by=site.office)
    url = reverse("penalties:penalty_detail", args=[outcome.penalty_id])
    client.force_login(site.office)
    content = client.get(url).content.decode()
    assert 'id="penalty-source-finding"' in content
    assert reverse("inspections:inspection_detail", args=[filed.pk]) in content
    client.force_login(site.finance)  # sees penalties, not this team's inspections
    response = client.get(url)
    assert response.status_code == 200 and 'id="penalty-source-finding"' not in response.content.decode()


def test_the_dashboard_shows_my_orders_and_the_office_coverage(client, site):
    filed = inspection(by=site.office, team=site.team_a, breaches={"JC-01": (1, site.collector)})
    order = services.rectification_order_issue(
        finding=finding(filed, "JC-01"), issued_by=site.office, instructions="整改。"
    )
    client.force_login(site.leader_a.user)
    content = client.get(reverse("dashboard:home")).content.decode()
    assert 'id="panel-my-orders"' in content and reverse("inspections:order_detail", args=[order.pk]) in content
    client.force_login(site.office)
    content = client.get(reverse("dashboard:home")).content.decode()
    assert 'id="panel-coverage"' in content and 'id="coverage-missed"' in content
    assert "收费二班 0/2" in content  # team B not inspected this month


def test_a_draft_of_a_team_lists_its_open_findings_and_orders_to_re_check(client, site):
    earlier = inspection(by=site.office, team=site.team_a, breaches={"JC-11": (1, None)}, occurred_at=a_moment(5))
    order = services.rectification_order_issue(
        finding=finding(earlier, "JC-11"), issued_by=site.office, instructions="清理。"
    )
    draft = inspection(by=site.office2, team=site.team_a, file=False)
    client.force_login(site.office2)
    content = client.get(reverse("inspections:inspection_detail", args=[draft.pk])).content.decode()
    assert 'id="recheck-summary"' in content and reverse("inspections:order_detail", args=[order.pk]) in content
    fill = client.get(reverse("inspections:inspection_fill", args=[draft.pk]))
    assert [f.pk for f in fill.context["recheck"]["findings"]] == [finding(earlier, "JC-11").pk]
    client.post(
        reverse("inspections:finding_recheck", args=[draft.pk, finding(earlier, "JC-11").pk]),
        {"fixed": "1", "note": "已整洁。"},
    )
    assert draft.rechecks.get().fixed


def test_the_void_button_reads_as_an_action_not_as_a_state(client, site, covert):
    # Found walking issue 10: the review queue's button read "已作废" (voided) instead of "宣布作废".
    client.force_login(site.office)
    for page in (
        client.get(reverse("inspections:review_queue")),
        client.get(reverse("inspections:inspection_detail", args=[covert.pk])),
    ):
        content = page.content.decode()
        assert "宣布作废</a>" in content and "已作废</a>" not in content

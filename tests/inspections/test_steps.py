"""The steps after an inspection, on their pages: the office's review (INS-6), outcomes of findings
(INS-2), rectification orders, appeals, supervisors' reports (INS-7), teams put to the office for
overdue orders (INS-4, INS-5), the checklist editor and settings, the meeting circular (INS-3)."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from inspections import services
from inspections.models import (
    Appeal,
    ChecklistVersion,
    Evidence,
    FindingOutcome,
    Inspection,
    InspectionSettings,
    MeetingCircular,
    OverdueProposal,
    RectificationOrder,
    SupervisorReport,
)
from tests.inspections.factories import a_moment, default_version, finding, inspection
from tests.inspections.permission_matrix import photo

pytestmark = pytest.mark.django_db

Kind = Inspection.Kind


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_ins6_the_office_publishes_returns_or_voids_a_visit(client, site):
    visits = [inspection(by=site.supervisor, team=site.team_b, kind=Kind.SUPERVISOR_COVERT) for _ in range(3)]
    client.force_login(site.office)
    queue = client.get(reverse("inspections:review_queue"))
    assert [v.pk for v in queue.context["page_obj"]] == [v.pk for v in visits]
    assert all(v.can_review for v in queue.context["page_obj"])
    client.post(reverse("inspections:inspection_publish", args=[visits[0].pk]))
    client.post(reverse("inspections:inspection_return", args=[visits[1].pk]), {"reasons": "车道号有误。"})
    client.post(reverse("inspections:inspection_void", args=[visits[2].pk]), {"reason": "监督员被认出。"})
    statuses = [Inspection.objects.get(pk=v.pk).status for v in visits]
    assert statuses == [Inspection.Status.FILED, Inspection.Status.RETURNED, Inspection.Status.VOID]
    # Returning needs reasons: the form comes back with the error.
    visit = inspection(by=site.supervisor, team=site.team_b, kind=Kind.SUPERVISOR_OPEN)
    response = client.post(reverse("inspections:inspection_return", args=[visit.pk]), {"reasons": ""})
    assert response.status_code == 200 and response.context["form"].errors


def test_ins2_each_finding_gets_its_outcome_on_its_page(client, site):
    filed = inspection(
        by=site.office,
        team=site.team_a,
        breaches={"JC-01": (1, site.collector), "JC-07": (1, site.collector), "JC-11": (1, None)},
    )
    client.force_login(site.office2)
    page = client.get(reverse("inspections:inspection_detail", args=[filed.pk])).context["page"]
    penalty_offered = {a.finding.item.code: a.penalty for a in page.findings}
    assert penalty_offered == {"JC-01": False, "JC-07": True, "JC-11": False}  # violations naming a person
    client.post(reverse("inspections:finding_suggest", args=[finding(filed, "JC-01").pk]), {"text": "加强教育。"})
    response = client.post(reverse("inspections:finding_penalty", args=[finding(filed, "JC-07").pk]), {})
    outcome = FindingOutcome.objects.get(kind="penalty")
    assert response["Location"] == reverse("penalties:penalty_detail", args=[outcome.penalty_id])
    deadline = timezone.localdate() + datetime.timedelta(days=5)
    response = client.post(
        reverse("inspections:finding_order", args=[finding(filed, "JC-11").pk]),
        {"instructions": "清理收费亭台面。", "deadline": deadline.isoformat()},
    )
    order = RectificationOrder.objects.get()
    assert response["Location"] == reverse("inspections:order_detail", args=[order.pk])
    assert order.assignee == site.leader_a and order.deadline == deadline
    content = client.get(reverse("inspections:inspection_detail", args=[filed.pk])).content.decode()
    assert "加强教育。" in content and reverse("inspections:order_detail", args=[order.pk]) in content
    assert client.get(reverse("inspections:inspection_detail", args=[filed.pk])).context["page"].close


def test_a_rectification_order_is_answered_with_photos_and_verified_by_someone_else(client, site):
    filed = inspection(by=site.office, team=site.team_a, breaches={"JC-11": (1, None)})
    order = services.rectification_order_issue(
        finding=finding(filed, "JC-11"), issued_by=site.office, instructions="清理台面。"
    )
    client.force_login(site.leader_a.user)
    detail = client.get(reverse("inspections:order_detail", args=[order.pk]))
    assert detail.context["page"].answer and not detail.context["page"].verify
    response = client.post(
        reverse("inspections:order_answer", args=[order.pk]),
        {"answer": "已清理并拍照。", "photos": [photo("a.png"), photo("b.png")]},
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == RectificationOrder.Status.ANSWERED
    assert Evidence.objects.filter(order=order).count() == 2
    # The team leader answered; the office verifies (never whoever answered).
    assert not client.get(reverse("inspections:order_detail", args=[order.pk])).context["page"].verify
    client.force_login(site.office2)
    client.post(reverse("inspections:order_return", args=[order.pk]), {"reasons": "照片不清。"})
    order.refresh_from_db()
    assert order.status == RectificationOrder.Status.RETURNED
    client.force_login(site.leader_a.user)
    client.post(reverse("inspections:order_answer", args=[order.pk]), {"answer": "已重新拍照。"})
    client.force_login(site.office2)
    client.post(reverse("inspections:order_verify", args=[order.pk]), {"note": "复查合格。"})
    order.refresh_from_db()
    assert order.status == RectificationOrder.Status.VERIFIED
    events = [e.kind for e in order.events.all()]
    assert events == ["issued", "answered", "returned", "answered", "verified"]


def test_an_answer_with_a_file_that_is_no_photo_is_refused_and_nothing_is_answered(client, site):
    filed = inspection(by=site.office, team=site.team_a, breaches={"JC-11": (1, None)})
    order = services.rectification_order_issue(
        finding=finding(filed, "JC-11"), issued_by=site.office, instructions="清理。"
    )
    client.force_login(site.leader_a.user)
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("a.jpg", b"GIF89a not really", content_type="image/jpeg")
    response = client.post(
        reverse("inspections:order_answer", args=[order.pk]), {"answer": "已整改。", "photos": [fake]}
    )
    assert response.status_code == 200 and "a.jpg" in response.content.decode()
    order.refresh_from_db()
    assert order.status == RectificationOrder.Status.OPEN and not Evidence.objects.exists()
    assert response.context["form"]["answer"].value() == "已整改。"  # nothing typed is lost


def test_the_office_moves_a_deadline_with_a_reason(client, site):
    filed = inspection(by=site.office, team=site.team_a, breaches={"JC-11": (1, None)})
    order = services.rectification_order_issue(
        finding=finding(filed, "JC-11"), issued_by=site.office, instructions="清理。"
    )
    later = order.deadline + datetime.timedelta(days=7)
    client.force_login(site.office)
    client.post(
        reverse("inspections:order_deadline", args=[order.pk]), {"deadline": later.isoformat(), "reason": "节假日。"}
    )
    order.refresh_from_db()
    assert order.deadline == later


def test_ins6_the_team_appeals_with_evidence_and_someone_other_than_the_inspector_decides(client, site):
    visit = inspection(
        by=site.supervisor,
        team=site.team_a,
        kind=Kind.SUPERVISOR_OPEN,
        breaches={"JC-02": (4, site.collector)},
        publish_by=site.office,
    )
    client.force_login(site.leader_a.user)
    recorded = timezone.localtime(a_moment(days_ago=2)).strftime("%Y-%m-%dT%H:%M")
    client.post(
        reverse("inspections:finding_appeal", args=[finding(visit, "JC-02").pk]),
        {"grounds": "录像显示已使用文明用语。", "photos": [photo()], "camera": "3号车道", "recorded_at": recorded},
    )
    appeal = Appeal.objects.get()
    assert {e.kind for e in Evidence.objects.filter(appeal=appeal)} == {"photo", "cctv"}
    client.force_login(site.office2)
    listed = client.get(reverse("inspections:appeal_list")).context["page_obj"]
    assert [a.pk for a in listed] == [appeal.pk] and listed[0].can_decide
    client.post(
        reverse("inspections:appeal_decide", args=[appeal.pk]),
        {"decision": "partly_upheld", "occurrences": 2, "reasons": "录像显示部分车辆已使用。"},
    )
    visit.refresh_from_db()
    assert visit.original_score == 98 and visit.score == 99
    content = client.get(reverse("inspections:inspection_detail", args=[visit.pk])).content.decode()
    assert "原得分98.00" in content and "录像显示部分车辆已使用。" in content


def test_ins7_a_supervisors_report_and_the_leadership_groups_decision(client, site):
    visit = inspection(by=site.supervisor, team=site.team_a, kind=Kind.SUPERVISOR_OPEN, publish_by=site.office)
    client.force_login(site.supervisor)
    form = client.get(reverse("inspections:report_submit")).context["form"]
    assert visit in form.fields["visits"].queryset
    start, end = a_moment(days_ago=10).date(), a_moment(days_ago=1).date()
    response = client.post(
        reverse("inspections:report_submit"),
        {
            "period_start": start.isoformat(),
            "period_end": end.isoformat(),
            "summary": "总体良好。",
            f"rating_{site.team_a.pk}": "good",
            f"evaluation_{site.team_a.pk}": "服务规范。",
            "visits": [visit.pk],
        },
    )
    report = SupervisorReport.objects.get()
    assert response["Location"] == reverse("inspections:report_detail", args=[report.pk])
    assert [e.team for e in report.evaluations.all()] == [site.team_a] and list(report.visits.all()) == [visit]
    client.force_login(site.leader)
    assert [r.pk for r in client.get(reverse("inspections:report_list")).context["queue"]] == [report.pk]
    client.post(reverse("inspections:report_decide", args=[report.pk]), {"decision": "partly", "actions": "已督促。"})
    report.refresh_from_db()
    assert report.status == SupervisorReport.Status.DECIDED and report.decision == "partly"


def test_ins4_the_office_holds_a_talk_with_a_team_that_left_orders_overdue(client, site):
    proposal = OverdueProposal.objects.create(team=site.team_b, month=a_moment().date().replace(day=1), late_count=2)
    client.force_login(site.office)
    assert [p.pk for p in client.get(reverse("inspections:overdue_list")).context["page_obj"]] == [proposal.pk]
    held = timezone.localtime(a_moment(days_ago=1)).strftime("%Y-%m-%dT%H:%M")
    client.post(
        reverse("inspections:overdue_resolve", args=[proposal.pk]),
        {
            "action": "talk",
            "talk_kind": "appointment",
            "held_at": held,
            "conducted_by": "",
            "conducted_by_pk": site.office.staff_profile.pk,
            "summary": "约见班长，要求按期整改。",
        },
    )
    proposal.refresh_from_db()
    assert proposal.status == OverdueProposal.Status.TALK and proposal.talk.team == site.team_b


def test_the_office_drafts_edits_and_publishes_a_checklist_version(client, site):
    client.force_login(site.office)
    effective = timezone.localdate() + datetime.timedelta(days=10)
    client.post(reverse("inspections:version_draft"), {"effective_from": effective.isoformat(), "note": "调整分值。"})
    draft = ChecklistVersion.objects.get(status="draft")
    assert draft.items.count() == default_version().items.count()
    item = draft.items.get(code="JC-01")
    data = {f: getattr(item, f) for f in ("code", "title", "points", "deduction", "unit", "order")}
    data |= {"team_leader_deduction": 0, "shift_leader_deduction": 0, "points": "6", "category": item.category_id or ""}
    client.post(reverse("inspections:item_update", args=[item.pk]), data)
    item.refresh_from_db()
    assert item.points == 6
    response = client.post(reverse("inspections:version_publish", args=[draft.pk]), follow=True)
    assert response.status_code == 200 and "102.00" in response.content.decode()  # refused: points add up to 102
    data["points"] = "4"
    client.post(reverse("inspections:item_update", args=[item.pk]), data)
    client.post(reverse("inspections:version_publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.is_published
    # Published: no longer offered for editing.
    response = client.get(reverse("inspections:item_update", args=[item.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("inspections:version_detail", args=[draft.pk])
    assert "已发布的检查表不能修改" in " ".join(_messages(response))


def test_the_settings_are_changed_by_the_office(client, site):
    client.force_login(site.office)
    values = {
        "team_inspections_per_month": 3,
        "leadership_min_inspectors": 2,
        "revisit_gap_days": 20,
        "appeal_days": 5,
        "report_decision_days": 10,
        "rectification_days": 7,
        "overdue_orders_threshold": 2,
    }
    client.post(reverse("inspections:settings"), values)
    assert InspectionSettings.current().revisit_gap_days == 20


def test_ins3_the_meeting_circular_prints_on_a4_downloads_as_excel_and_is_published(client, site):
    inspection(by=site.office, team=site.team_a, breaches={"JC-01": (1, site.collector)})
    secret = inspection(
        by=site.supervisor, team=site.team_b, kind=Kind.SUPERVISOR_COVERT, breaches={"JC-09": (1, site.collector_b)}
    )
    month = a_moment().date().replace(day=1)
    client.force_login(site.office)
    client.post(reverse("inspections:circular_draft"), {"month": month.strftime("%Y-%m")})
    circular = MeetingCircular.objects.get()
    assert circular.title == f"{month.year}年{month.month:02d}月所务会通报"
    page = client.get(reverse("inspections:circular_detail", args=[circular.pk]))
    content = page.content.decode()
    assert "inspections-print.css" in content and 'id="circular-sheet"' in content
    assert "收费员甲" in content and secret.reference not in content  # INS-6: unpublished covert visits wait
    workbook = load_workbook(
        io.BytesIO(b"".join(client.get(reverse("inspections:circular_export", args=[circular.pk])).streaming_content))
    )
    values = [c for row in workbook.active.iter_rows(values_only=True) for c in row if c is not None]
    assert circular.title in values and "收费一班" in values
    assert workbook.sheetnames == ["各班组得分", "发现问题", "处分"]
    assert [row[5] for row in workbook["发现问题"].iter_rows(min_row=2, values_only=True)] == ["收费员甲"]
    # Staff read it only once published; published once the month is over.
    client.force_login(site.collector.user)
    assert client.get(reverse("inspections:circular_detail", args=[circular.pk])).status_code == 404
    if circular.period_end < timezone.localdate():
        client.force_login(site.office)
        client.post(reverse("inspections:circular_publish", args=[circular.pk]))
        client.force_login(site.collector.user)
        assert client.get(reverse("inspections:circular_detail", args=[circular.pk])).status_code == 200

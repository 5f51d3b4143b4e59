"""Every day typed on the inspections' forms and list filters is refused outside the portal's
calendar, kept on the form, and nothing is recorded (``tests.date_bounds``)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from inspections import services
from inspections.models import Inspection, OverdueProposal
from tests.date_bounds import EXTREME_DAYS, MESSAGES, assert_refused, typed
from tests.inspections.factories import a_moment, finding, inspection
from tollservice.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def _finding(site):
    return finding(inspection(by=site.office, team=site.team_a, breaches={"JC-01": (1, site.collector)}), "JC-01")


def _order(site):
    return services.rectification_order_issue(finding=_finding(site), issued_by=site.office, instructions="整改。")


def _answered_order(site):
    order = _order(site)
    return services.rectification_answer(order=order, answered_by=site.leader_a.user, answer="已整改。")


def _report(site):
    return services.supervisor_report_submit(
        submitted_by=site.supervisor,
        period_start=a_moment(days_ago=10).date(),
        period_end=a_moment(days_ago=1).date(),
        summary="总体良好。",
        evaluations=[(site.team_a, "good", "服务规范。")],
    )


def _proposal(site):
    return OverdueProposal.objects.create(team=site.team_a, month=a_moment().date().replace(day=1), late_count=2)


# (page, its object, who posts, the field, the rest of the form, a date-and-time picker?)
FORMS = [
    (
        "inspections:inspection_start",
        None,
        "supervisor",
        "occurred_at",
        lambda site: {"kind": Inspection.Kind.SUPERVISOR_COVERT, "team": site.team_a.pk},
        True,
    ),
    (
        "inspections:evidence_cctv_add",
        lambda site: inspection(by=site.office, team=site.team_a, file=False),
        "office",
        "recorded_at",
        lambda site: {"camera": "CAM-03"},
        True,
    ),
    ("inspections:finding_order", _finding, "office", "deadline", lambda site: {"instructions": "整改。"}, False),
    ("inspections:order_deadline", _order, "office", "deadline", lambda site: {"reason": "需要采购工号牌。"}, False),
    (
        "inspections:order_return",
        _answered_order,
        "office2",
        "deadline",
        lambda site: {"reasons": "未整改到位。"},
        False,
    ),
    (
        "inspections:finding_appeal",
        _finding,
        "team_leader",
        "recorded_at",
        lambda site: {"grounds": "录像显示已佩戴。", "camera": "CAM-03"},
        True,
    ),
    (
        "inspections:overdue_resolve",
        _proposal,
        "office",
        "held_at",
        lambda site: {"action": "talk", "talk_kind": "admonishment", "conducted_by_pk": site.leader_b.pk},
        True,
    ),
    (
        "inspections:report_submit",
        None,
        "supervisor",
        "period_start",
        lambda site: {"period_end": a_moment().date().isoformat(), "summary": "总体良好。"},
        False,
    ),
    (
        "inspections:report_submit",
        None,
        "supervisor",
        "period_end",
        lambda site: {"period_start": a_moment().date().isoformat(), "summary": "总体良好。"},
        False,
    ),
    (
        "inspections:report_penalty",
        _report,
        "office",
        "incident_date",
        lambda site: {"staff_pk": site.collector.pk, "description": "着装不规范。"},
        False,
    ),
    ("inspections:circular_draft", None, "office", "period_start", lambda site: {"period_end": "2026-11-30"}, False),
    ("inspections:circular_draft", None, "office", "period_end", lambda site: {"period_start": "2026-11-01"}, False),
    ("inspections:version_draft", None, "office", "effective_from", lambda site: {"note": "调整分值。"}, False),
]


def _user(site, who):
    return site.leader_a.user if who == "team_leader" else getattr(site, who)


@pytest.mark.parametrize("day", EXTREME_DAYS)
@pytest.mark.parametrize(("url_name", "build", "who", "field", "data", "moment"), FORMS)
def test_a_day_typed_on_an_inspections_form_is_in_the_calendar(
    client, site, day, url_name, build, who, field, data, moment
):
    args = [build(site).pk] if build else []
    entries, inspections = AuditEntry.objects.count(), Inspection.objects.count()
    client.force_login(_user(site, who))
    value = typed(day, moment=moment)
    response = client.post(reverse(url_name, args=args), {**data(site), field: value})
    assert_refused(response, value, audit_entries=entries)
    assert Inspection.objects.count() == inspections


@pytest.mark.parametrize("day", EXTREME_DAYS)
@pytest.mark.parametrize(
    "url_name", ["inspections:inspection_list", "inspections:finding_list", "inspections:order_list"]
)
@pytest.mark.parametrize("field", ["start", "end"])
def test_a_lists_period_filter_is_in_the_calendar(client, site, day, url_name, field):
    client.force_login(site.office)
    response = client.get(reverse(url_name), {field: day})
    html = response.content.decode()
    assert response.status_code == 200 and any(message in html for message in MESSAGES)
    assert f'value="{day}"' in html

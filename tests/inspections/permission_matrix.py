"""Role × URL rows for the inspections pages (see tests/permission_matrix.py).

Objects are made through the services: inspections of the team led by the scene's team leader,
entered by the scene's office user, with a finding naming the scene's staff user (so that they
see it). Scope hides what a role may not see: a 404, as if it did not exist. A form page whose
step the role's permission allows but the object does not (not theirs, no longer open) sends the
user back to the object's page with the reason (302). Form pages are posted empty, so an allowed
role gets the form back and nothing changes between roles.
"""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from inspections import services
from inspections.models import ChecklistVersion, Evidence, Inspection, MeetingCircular, OverdueProposal
from tests.inspections.factories import a_moment, finding, inspection, results_for
from tests.penalties.factories import ensure_policy
from tests.permission_matrix import EVERYONE, Case

Kind = Inspection.Kind

SEE_TEAM = frozenset({"admin", "leadership", "office", "team_leader", "staff"})  # view_all, the team, the named
RECORD = frozenset({"leadership", "office", "supervisor"})
OFFICE = frozenset({"office"})
LEADERSHIP = frozenset({"leadership"})
LEAD_OFFICE = frozenset({"leadership", "office"})
STAFF_ROLES = frozenset({"leadership", "office", "finance", "team_leader", "staff"})  # every role that is staff
# Outside the scope, with the permission: the object does not exist for them.
HIDDEN = {"finance": 404, "supervisor": 404}


def photo(name: str = "photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _named(scene):
    return scene.users["staff"].staff_profile


def _filed(scene) -> Inspection:
    """An office routine check of the team, in effect, with a finding naming the staff user."""
    ensure_policy()
    return inspection(by=scene.users["office"], team=scene.team, breaches={"JC-01": (1, _named(scene))})


def _draft(scene) -> Inspection:
    ensure_policy()
    return inspection(by=scene.users["office"], team=scene.team, file=False)


def _pk(make):
    return lambda scene: {"pk": make(scene).pk}


def _finding(scene):
    return finding(_filed(scene), "JC-01")


def _draft_photo(scene) -> Evidence:
    draft = _draft(scene)
    return services.evidence_photo_add(inspection=draft, added_by=scene.users["office"], upload=photo())


def _filed_photo(scene) -> Evidence:
    draft = _draft(scene)
    evidence = services.evidence_photo_add(inspection=draft, added_by=scene.users["office"], upload=photo())
    results = results_for(draft, {"JC-01": (1, _named(scene))})
    services.inspection_results_save(inspection=draft, saved_by=scene.users["office"], results=results)
    services.inspection_file(inspection=draft, filed_by=scene.users["office"])
    return evidence


def _submitted_visit(scene) -> Inspection:
    """A supervisor's open visit of the team, awaiting the office's review."""
    ensure_policy()
    return inspection(by=scene.users["supervisor"], team=scene.team, kind=Kind.SUPERVISOR_OPEN)


def _order(scene):
    return services.rectification_order_issue(
        finding=_finding(scene), issued_by=scene.users["office"], instructions="规范着装，佩戴工号牌。"
    )


def _answered_order(scene):
    order = _order(scene)
    return services.rectification_answer(order=order, answered_by=scene.users["team_leader"], answer="已整改。")


def _appeal(scene):
    return services.appeal_lodge(
        finding=_finding(scene), lodged_by=scene.users["team_leader"], grounds="录像显示已佩戴。"
    )


def _report(scene):
    return services.supervisor_report_submit(
        submitted_by=scene.users["supervisor"],
        period_start=a_moment(days_ago=10).date(),
        period_end=a_moment(days_ago=1).date(),
        summary="总体良好。",
        evaluations=[(scene.team, "good", "服务规范。")],
    )


def _proposal(scene):
    return OverdueProposal.objects.create(team=scene.team, month=a_moment().date().replace(day=1), late_count=2)


def _circular(scene):
    end = a_moment(days_ago=1).date()
    return MeetingCircular.objects.create(
        title="所务会通报", period_start=end.replace(day=1), period_end=end, created_by=scene.users["office"]
    )


def _version(scene):
    return ChecklistVersion.objects.filter(is_default=True).get()


def _draft_version(scene):
    return services.checklist_version_draft(
        created_by=scene.users["office"], effective_from=a_moment(days_ago=-30).date(), note="调整着装项分值"
    )


def _draft_item(scene):
    return _draft_version(scene).items.order_by("order").first()


CASES = [
    # Lists: every role that sees inspections at all; each sees its own scope.
    Case("inspections:inspection_list", EVERYONE),
    Case("inspections:finding_list", EVERYONE),
    Case("inspections:order_list", EVERYONE),
    Case("inspections:appeal_list", EVERYONE),
    Case("inspections:review_queue", OFFICE),
    Case("inspections:circular_list", EVERYONE),
    Case("inspections:version_list", EVERYONE),
    Case("inspections:settings", LEAD_OFFICE),
    Case("inspections:overdue_list", OFFICE),
    Case("inspections:report_list", frozenset({"admin", "leadership", "office", "supervisor"})),
    # Starting and filling in: the office's own draft is seen by nobody else.
    Case("inspections:inspection_start", RECORD),
    Case("inspections:inspection_start", RECORD, method="post", data=lambda scene: {}),
    Case("inspections:inspection_detail", SEE_TEAM, kwargs=_pk(_filed), denied_status=404, status_for={"none": 403}),
    Case(
        "inspections:inspection_update",
        OFFICE,
        kwargs=_pk(_draft),
        status_for={"leadership": 404, "supervisor": 404},
    ),
    Case("inspections:inspection_fill", OFFICE, kwargs=_pk(_draft), status_for={"leadership": 404, "supervisor": 404}),
    Case(
        "inspections:inspection_draft",
        OFFICE,
        kwargs=_pk(_draft),
        method="post",
        ok_status=400,  # posted empty: no results to save
        status_for={"leadership": 404, "supervisor": 404},
    ),
    Case(
        "inspections:evidence_photo_upload",
        OFFICE,
        kwargs=_pk(_draft),
        method="post",
        ok_status=302,  # no photo: back to the form with the reason
        status_for={"leadership": 404, "supervisor": 404},
    ),
    # The staff concerned by a finding: chosen from the draft's team, by whoever fills it in.
    Case(
        "chooser",
        OFFICE,
        kwargs=lambda scene: {"name": "inspection-staff"},
        data=lambda scene: {"inspection": _draft(scene).pk, "q": "员工"},
        status_for={"leadership": 404, "supervisor": 404},
    ),
    Case(
        "inspections:evidence_cctv_add", OFFICE, kwargs=_pk(_draft), status_for={"leadership": 404, "supervisor": 404}
    ),
    Case(
        "inspections:finding_recheck",
        OFFICE,
        kwargs=lambda scene: {"pk": _draft(scene).pk, "finding": _finding(scene).pk},
        method="post",
        ok_status=302,
        status_for={"leadership": 404, "supervisor": 404},
    ),
    Case("inspections:inspection_file", OFFICE, kwargs=_pk(_draft), status_for={"leadership": 404, "supervisor": 404}),
    Case(
        "inspections:evidence_file",
        SEE_TEAM,
        kwargs=_pk(_filed_photo),
        denied_status=404,
        status_for={"none": 403},
    ),
    Case(
        "inspections:evidence_remove",
        OFFICE,
        kwargs=_pk(_draft_photo),
        method="post",
        ok_status=302,
        status_for={"leadership": 404, "supervisor": 404},
    ),
    # The office's review of a supervisor's visit (INS-6), corrections, closing (INS-2).
    Case("inspections:inspection_publish", OFFICE, kwargs=_pk(_submitted_visit)),
    Case("inspections:inspection_return", OFFICE, kwargs=_pk(_submitted_visit)),
    Case("inspections:inspection_void", OFFICE, kwargs=_pk(_submitted_visit)),
    Case("inspections:inspection_correct", OFFICE, kwargs=_pk(_filed)),
    Case("inspections:inspection_close", OFFICE, kwargs=_pk(_filed), method="post", ok_status=302),
    # Outcomes of a finding (INS-2) and appeals (INS-6).
    Case("inspections:finding_suggest", LEAD_OFFICE, kwargs=_pk(_finding)),
    Case("inspections:finding_penalty", OFFICE, kwargs=_pk(_finding)),
    Case("inspections:finding_order", LEAD_OFFICE, kwargs=_pk(_finding)),
    Case("inspections:finding_appeal", frozenset({"team_leader"}), kwargs=_pk(_finding)),
    # Someone other than the inspector decides: the office entered this inspection.
    Case("inspections:appeal_decide", LEADERSHIP, kwargs=_pk(_appeal), status_for={"office": 302}),
    # Rectification orders: assigned to the team's leader; the office verifies and moves deadlines.
    Case("inspections:order_detail", SEE_TEAM, kwargs=_pk(_order), denied_status=404, status_for={"none": 403}),
    Case(
        "inspections:order_answer",
        frozenset({"team_leader"}),
        kwargs=_pk(_order),
        # Staff hold the permission; the order is not theirs to answer (or not theirs to see).
        status_for={"leadership": 302, "office": 302, "staff": 302, "finance": 404},
    ),
    # The office (or an inspector) verifies an answered order; the leadership group is neither.
    Case(
        "inspections:order_verify",
        OFFICE,
        kwargs=_pk(_answered_order),
        status_for={"leadership": 302, "supervisor": 404},
    ),
    Case(
        "inspections:order_return",
        OFFICE,
        kwargs=_pk(_answered_order),
        status_for={"leadership": 302, "supervisor": 404},
    ),
    Case("inspections:order_deadline", OFFICE, kwargs=_pk(_order)),
    Case("inspections:overdue_resolve", OFFICE, kwargs=_pk(_proposal)),
    # Supervisors' reports (INS-6) and the leadership group's decisions (INS-7).
    Case("inspections:report_submit", frozenset({"supervisor"})),
    Case(
        "inspections:report_detail",
        frozenset({"admin", "leadership", "office", "supervisor"}),
        kwargs=_pk(_report),
    ),
    Case("inspections:report_decide", LEADERSHIP, kwargs=_pk(_report)),
    Case("inspections:report_penalty", OFFICE, kwargs=_pk(_report)),
    # The checklist editor (the office) and the meeting circular (INS-3).
    Case("inspections:version_draft", OFFICE),
    Case("inspections:version_detail", EVERYONE, kwargs=_pk(_version)),
    Case("inspections:version_update", OFFICE, kwargs=_pk(_draft_version)),
    Case("inspections:version_publish", OFFICE, kwargs=_pk(_draft_version)),
    Case("inspections:item_create", OFFICE, kwargs=_pk(_draft_version)),
    Case("inspections:item_update", OFFICE, kwargs=_pk(_draft_item)),
    Case("inspections:item_remove", OFFICE, kwargs=_pk(_draft_item), method="post", ok_status=302),
    Case("inspections:circular_draft", OFFICE),
    Case("inspections:circular_detail", OFFICE, kwargs=_pk(_circular), denied_status=404, status_for={"none": 403}),
    Case("inspections:circular_export", OFFICE, kwargs=_pk(_circular), denied_status=404, status_for={"none": 403}),
    Case("inspections:circular_update", OFFICE, kwargs=_pk(_circular)),
    Case("inspections:circular_publish", OFFICE, kwargs=_pk(_circular), method="post", ok_status=302),
]

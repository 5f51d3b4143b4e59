"""Role × URL × status rows for the complaints pages and the working calendar (see
tests/permission_matrix.py).

Complaints are made through the services. Unless a row says otherwise the complaint is a phone
complaint registered by the scene's office user about the team leader's team (``scene.team``):
the office sees and handles it; the team leader sees it (their team) but does not handle it, so
a step page is a 403 to them; the leadership group and a collector do not see it at all (a 404,
as if it did not exist); the administrator, finance and supervisors have no complaints pages.

A step page also depends on where the complaint stands (``selectors.capabilities``): the rows
for answered, paused, duplicate, closed … complaints show a step allowed in one status and
refused (403) in another. Form pages are only opened (GET); the few POST-only steps are posted,
and the first allowed role's post takes effect.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from complaints import services
from complaints.models import Complaint, Extension, Review
from tests.permission_matrix import Case
from tollservice.roster.models import Department

# complaints.handle: every staff member on the roster (finance staff included) may be given a complaint.
HANDLE = frozenset({"leadership", "office", "finance", "team_leader", "staff"})
REGISTER = frozenset({"leadership", "office", "team_leader"})
OFFICE = frozenset({"office"})
FIGURES = frozenset({"admin", "leadership", "office"})
CALENDAR = frozenset({"admin", "office"})
# Roles with complaints pages that do not see the scene's complaint.
UNSEEN = {"leadership": 404, "finance": 404, "staff": 404}

PUBLIC = ["complaints:public_form", "complaints:lookup", "complaints:lookup_add", "complaints:lookup_rate"]


def _office(scene):
    return scene.users["office"]


def _register(scene, *, by=None, channel=Complaint.Channel.PHONE, **kwargs) -> Complaint:
    defaults = {
        "category": Complaint.Category.ATTITUDE,
        "description": "收费员态度生硬。",
        "incident_at": timezone.now() - datetime.timedelta(hours=2),
        "phone": "13812345678",
        "team": scene.team,
    }
    if channel == Complaint.Channel.HOTLINE:
        defaults |= {
            "work_order_centre": Complaint.Centre.HOTLINE_12328,
            "work_order_number": f"W{Complaint.objects.count() + 1:05d}",
            "work_order_deadline": timezone.now() + datetime.timedelta(days=3),
        }
    return services.complaint_register(
        registered_by=by or _office(scene), channel=channel, **(defaults | kwargs)
    ).complaint


def _pk(build):
    return lambda scene: {"pk": build(scene).pk}


def _registered(scene):
    return _register(scene)


def _web(scene):
    """A web complaint nobody has taken up (the scene's roster has no shift on duty: no team)."""
    return services.complaint_submit_online(
        category=Complaint.Category.DELAY,
        description="排队太久。",
        incident_at=timezone.now() - datetime.timedelta(hours=1),
        phone="13912345678",
    ).complaint


def _with_verdict(scene, *, complaint=None, apologise=True):
    office = _office(scene)
    complaint = complaint or _register(scene)
    services.complaint_statement_record(complaint=complaint, by=office, staff=scene.staff, account="语气急了。")
    services.complaint_verdict_record(
        complaint=complaint,
        by=office,
        outcome="upheld",
        fault="station",
        findings="监控属实。",
        staff_involved=[scene.staff],
        staff_at_fault=[scene.staff],
    )
    if apologise:
        services.complaint_apology_record(
            complaint=complaint, by=office, apologised_by=scene.staff, role="person_concerned", method="phone"
        )
    return complaint


def _answered(scene, *, channel=Complaint.Channel.PHONE):
    complaint = _with_verdict(scene, complaint=_register(scene, channel=channel))
    extra = {"facts": "属实", "handling": "致歉", "grounds": "服务规范"} if channel == Complaint.Channel.HOTLINE else {}
    return services.complaint_answer(complaint=complaint, by=_office(scene), reply="已核实并致歉。", **extra)


def _answered_hotline(scene):
    return _answered(scene, channel=Complaint.Channel.HOTLINE)


def _visited(scene):
    complaint = _answered(scene)
    services.complaint_return_visit_record(complaint=complaint, by=_office(scene), result="satisfied", method="phone")
    return complaint


def _closed(scene):
    complaint = _visited(scene)
    return services.complaint_close(complaint=complaint, by=_office(scene))


def _paused(scene):
    complaint = _register(scene)
    services.complaint_pause(complaint=complaint, by=_office(scene), reason="等司机提供照片")
    return complaint


def _duplicate(scene, *, channel=Complaint.Channel.PHONE):
    primary = _register(scene)
    duplicate = _register(scene, channel=channel, phone="13700001111")
    return services.complaint_link_duplicate(complaint=duplicate, primary=primary, by=_office(scene))


def _hotline_duplicate(scene):
    return _duplicate(scene, channel=Complaint.Channel.HOTLINE)


def _extension(scene):
    """Requested by the team leader, who registered (and owns) the complaint; approved by the office."""
    leader = scene.users["team_leader"]
    complaint = _register(scene, by=leader)
    extension = services.complaint_extension_request(
        complaint=complaint,
        by=leader,
        reason="需调取多路监控",
        new_due=timezone.localdate(complaint.answer_due) + datetime.timedelta(days=7),
    )
    assert extension.status == Extension.Status.PENDING
    return extension


def _review(scene):
    complaint = _answered(scene)
    services.complaint_return_visit_record(
        complaint=complaint, by=_office(scene), result="dissatisfied", method="phone"
    )
    return Review.objects.get(complaint=complaint)


def _department(scene):
    return {"pk": scene.team.department_id or Department.objects.first().pk}


def _step(url_name, build=_registered, *, allowed=OFFICE, **kwargs):
    """A step page of the scene's complaint: the office takes it; the team leader sees the
    complaint but may not (403); the others with complaints pages do not see it (404)."""
    return Case(url_name, allowed, kwargs=_pk(build), status_for=kwargs.pop("status_for", UNSEEN), **kwargs)


def _refused(url_name, build, *, status_for=UNSEEN, **kwargs):
    """The step is not open in this status, for anybody (403; 404 where the complaint is unseen)."""
    return Case(url_name, frozenset(), kwargs=_pk(build), status_for=status_for, **kwargs)


# Steps behind an office-only permission: every other role is stopped before the complaint is read.
OFFICE_ONLY: dict[str, int] = {}


CASES = [
    # Lists.
    Case("complaints:list", HANDLE),  # each sees their own scope
    Case("complaints:ledger", OFFICE),
    Case("complaints:register", REGISTER),
    Case("complaints:duplicate_suggestions", REGISTER),
    # Naming a colleague on a complaint's form: whoever may handle complaints (a team leader or a
    # collector owns one), not only those who see the roster.
    Case("chooser", HANDLE, kwargs=lambda scene: {"name": "complaint-staff"}, data=lambda scene: {"q": "员工"}),
    # One complaint.
    Case("complaints:detail", frozenset({"office", "team_leader"}), kwargs=_pk(_registered), status_for=UNSEEN),
    Case(
        "complaints:detail",
        frozenset({"office", "leadership"}),
        kwargs=_pk(_answered_hotline),
        status_for={"staff": 404, "finance": 404, "team_leader": 200},
    ),  # hotline cases: the leadership group sees them from the start
    Case(
        "complaints:photo",
        frozenset(),
        kwargs=lambda scene: {"pk": _registered(scene).pk, "photo_pk": 999},
        status_for=dict.fromkeys(HANDLE, 404),
    ),
    _step("complaints:reveal_contact"),
    _step("complaints:reissue_code", method="post", status_for=UNSEEN),
    Case(
        "complaints:take_up",
        OFFICE,
        kwargs=_pk(_web),
        method="post",
        ok_status=302,
        status_for={"leadership": 404, "team_leader": 404},  # complaints.register; nobody else sees it
    ),
    _refused("complaints:take_up", _registered, method="post", status_for={"leadership": 404}),  # already owned
    # Steps while the complaint is being handled.
    _step("complaints:hand_over"),
    _step("complaints:escalate"),
    _step("complaints:subjects"),
    _step("complaints:contact"),
    _step("complaints:investigate", method="post", ok_status=302),
    _step("complaints:statement"),
    _step("complaints:pause"),
    _step("complaints:extension_request"),
    _step("complaints:verdict"),
    _step("complaints:apology"),
    _step("complaints:answer"),
    _step("complaints:link"),
    _step("complaints:void", status_for=OFFICE_ONLY),
    _step("complaints:handling_violation", status_for=OFFICE_ONLY),
    _step("complaints:penalty_propose", _with_verdict, status_for=OFFICE_ONLY),
    _refused("complaints:penalty_propose", _registered, status_for=OFFICE_ONLY),  # no verdict yet
    _step("complaints:resume", _paused),
    _refused("complaints:resume", _registered),
    _refused("complaints:pause", _paused),
    _step("complaints:unlink", _duplicate),
    _step("complaints:make_primary", _duplicate),
    _refused("complaints:unlink", _registered),
    _refused("complaints:answer", _duplicate),  # the incident is answered on the primary
    _step("complaints:work_order_report", _hotline_duplicate, status_for={"staff": 404, "finance": 404}),
    _refused("complaints:work_order_report", _duplicate),
    # After the answer.
    _refused("complaints:answer", _answered),
    _refused("complaints:verdict", _answered),
    _step("complaints:return_visit", _answered),
    _refused("complaints:return_visit", _registered),
    _step("complaints:work_order_return", _answered_hotline, status_for={"staff": 404, "finance": 404}),
    _refused("complaints:work_order_return", _answered),
    _step("complaints:close", _visited),
    _refused("complaints:close", _answered),
    # Closed: nothing but the page itself (and PEN-4 for the office).
    _refused("complaints:hand_over", _closed),
    _refused("complaints:escalate", _closed),
    _refused("complaints:return_visit", _closed),
    _step("complaints:handling_violation", _closed, status_for=OFFICE_ONLY),
    # Decisions by others.
    Case(
        "complaints:extension_decide",
        OFFICE,
        kwargs=_pk(_extension),
        status_for={"leadership": 404},
    ),
    Case("complaints:review_decide", OFFICE, kwargs=_pk(_review), status_for=UNSEEN),
    # The group office.
    Case("complaints:posters", OFFICE),
    Case("complaints:figures", FIGURES),
    Case("complaints:settings", OFFICE),
    Case("complaints:settings_change", OFFICE),
    Case("complaints:urgency_limit", OFFICE, kwargs=lambda scene: {"urgency": "urgent"}),
    Case("complaints:methods", OFFICE),
    Case("complaints:method_edit", OFFICE, kwargs=_department),
    # The working calendar.
    Case("calendar:index", CALENDAR),
    Case("calendar:day_remove", CALENDAR, method="post", data=lambda scene: {"date": "2026-03-03"}, ok_status=302),
    Case("calendar:year_confirm", CALENDAR, method="post", data=lambda scene: {"year": "2027"}, ok_status=302),
]

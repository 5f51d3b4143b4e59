"""The audit trail: who changed what, when, with the values before and after."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.template.loader import render_to_string
from django.utils import translation

from penalties.models import Penalty, PenaltyPolicy
from tests.penalties.factories import PenaltyPolicyFactory
from tests.roster.factories import DepartmentFactory, StaffFactory, TeamFactory, UserFactory
from tollservice.audit.models import AuditEntry
from tollservice.audit.selectors import history_for
from tollservice.audit.services import audit_record, diff, snapshot
from tollservice.audit.templatetags.audit_tags import audit_changes, audit_summary
from tollservice.roster import services
from tollservice.roster.models import Department

pytestmark = pytest.mark.django_db


def test_snapshot_renders_every_editable_field_as_text():
    staff = StaffFactory(name="王芳", employee_number="E0101", phone="", team=None)
    values = snapshot(staff)
    assert values["name"] == "王芳"
    assert values["employee_number"] == "E0101"
    assert values["department"] == str(staff.department)  # a foreign key reads as its name
    assert values["team"] == ""  # None
    assert values["active"] == "✓"
    assert not {"id", "created_at", "updated_at"} & values.keys()


def test_snapshot_records_a_choice_by_its_value_not_its_label():
    # The label would be in the language of whoever made the change; the history translates it.
    department = DepartmentFactory(kind=Department.Kind.FINANCE, name="财务室")
    with translation.override("en"):
        assert snapshot(department, ["kind"]) == {"kind": "finance"}


def test_snapshot_records_a_translated_name_in_every_language():
    policy = PenaltyPolicy.objects.order_by("effective_from").first() or PenaltyPolicyFactory()
    penalty = Penalty(policy=policy)  # "Penalty policy from …" is a translated name
    with translation.override("en"):
        names = snapshot(penalty, ["policy"])["policy"]
    with translation.override("zh-hans"):
        assert names["zh-hans"] == str(policy)
    with translation.override("en"):
        assert names["en"] == str(policy)
    assert names["en"] != names["zh-hans"]
    # A name without translated words (most are) stays one text.
    assert snapshot(StaffFactory(), ["department"]) == {"department": "征费室"}


def test_snapshot_names_an_account_by_its_person_on_the_roster():
    # Found walking issue 10: an order's history read "验证人 — → office" (the login name).
    from inspections.models import RectificationOrder

    account = UserFactory(username="office")
    StaffFactory(name="丁慧", user=account)
    assert snapshot(RectificationOrder(verified_by=account), ["verified_by"]) == {"verified_by": "丁慧"}
    # An account without a roster entry keeps its full name, then its login name.
    assert snapshot(RectificationOrder(verified_by=UserFactory(username="admin2")), ["verified_by"]) == {
        "verified_by": "admin2"
    }


def _written_in_english_read_in_chinese(actor, department):
    with translation.override("en"):
        services.department_update(
            actor=actor,
            department=department,
            name=department.name,
            kind=Department.Kind.FINANCE,
            head=None,
            hotline="",
            active=True,
        )
        staff = StaffFactory(department=department, user=UserFactory())
        services.staff_deactivate(actor=actor, staff=staff, left_on=datetime.date(2024, 5, 31))
    return staff


def test_a_change_made_in_english_reads_in_chinese():
    actor = UserFactory()
    department = DepartmentFactory(name="三号楼", kind=Department.Kind.OTHER)
    staff = _written_in_english_read_in_chinese(actor, department)
    entry = history_for(department).get()
    disabled = history_for(staff).get(summary="Account disabled")

    with translation.override("zh-hans"):
        assert audit_changes(entry) == [("类型", "其他", "财务室")]
        assert audit_summary(disabled) == "账号已停用"
        page = render_to_string("audit/history.html", {"history": [entry, disabled]})
    assert "财务室" in page and "账号已停用" in page
    assert "Finance office" not in page and "Account disabled" not in page

    with translation.override("en"):
        assert audit_changes(entry) == [("Kind", "Other", "Finance office")]
        assert audit_summary(disabled) == "Account disabled"


def test_a_translated_name_reads_in_the_readers_language():
    policy = PenaltyPolicy.objects.order_by("effective_from").first() or PenaltyPolicyFactory()
    penalty = Penalty(policy=policy)
    with translation.override("en"):
        entry = audit_record(actor=None, instance=StaffFactory(), action="update", after=snapshot(penalty, ["policy"]))
    with translation.override("zh-hans"):
        (_label, _before, after) = audit_changes(entry)[0]
        assert after == str(policy) and "处分标准" in after


def test_entries_written_before_values_were_recorded_still_display():
    # Older entries hold the label in the writer's language and a summary as it read: shown as stored.
    department = DepartmentFactory(name="三号楼", kind=Department.Kind.FINANCE)
    entry = AuditEntry.objects.create(
        action=AuditEntry.Action.UPDATE,
        content_type=ContentType.objects.get_for_model(Department),
        object_id=str(department.pk),
        object_repr=str(department),
        summary="名称已改",
        changes={"kind": ["Other", "财务室"], "active": ["✓", "✗"], "head": ["王芳 (E0001)", ""]},
    )
    with translation.override("zh-hans"):
        assert audit_changes(entry) == [("类型", "Other", "财务室"), ("有效", "✓", "✗"), ("负责人", "王芳 (E0001)", "")]
        assert audit_summary(entry) == "名称已改"
        page = render_to_string("audit/history.html", {"history": [entry]})
    assert "名称已改" in page and "财务室" in page


def test_moments_read_in_the_stations_time_and_a_complaints_verdict_by_its_label():
    # Found walking issue 11: a complaint's history read "收到时间 — → 2026-12-02 20:18:48.811520+00:00"
    # and "核查结论 — → upheld" on a Chinese page.
    from complaints.models import Complaint

    moment = datetime.datetime(2026, 12, 2, 20, 18, 48, 811520, tzinfo=datetime.UTC)
    entry = AuditEntry.objects.create(
        action=AuditEntry.Action.UPDATE,
        content_type=ContentType.objects.get_for_model(Complaint),
        object_id="1",
        object_repr="2026-0001",
        changes={
            "received_at": ["", str(moment)],
            "incident_at": ["", "2026-12-03 03:35:00+08:00"],
            "verdict_outcome": ["", "upheld"],
            "return_visit_result": ["", "basically"],
            "review_status": ["", "stands"],
        },
    )
    with translation.override("zh-hans"):
        assert [after for _label, _before, after in audit_changes(entry)] == [
            "2026-12-03 04:18",  # Asia/Shanghai
            "2026-12-03 03:35",
            "属实",
            "基本满意",
            "维持原处理",
        ]


def test_a_summary_someone_typed_is_kept_as_typed():
    staff = StaffFactory()
    with translation.override("en"):
        entry = audit_record(actor=None, instance=staff, action="update", summary="Moved after the audit")
    with translation.override("zh-hans"):
        assert audit_summary(entry) == "Moved after the audit"


def test_snapshot_of_chosen_fields_only():
    staff = StaffFactory(active=False)
    assert snapshot(staff, ["active", "position"]) == {"active": "✗", "position": staff.position}


def test_diff_keeps_only_what_changed():
    before = {"name": "王芳", "phone": "", "active": "✓"}
    after = {"name": "王芳", "phone": "13900000000", "active": "✗", "team": "收费1班"}
    assert diff(before, after) == {"phone": ["", "13900000000"], "active": ["✓", "✗"], "team": ["", "收费1班"]}
    assert diff(after, after) == {}


def test_audit_record_stores_who_what_and_the_changed_values():
    actor = UserFactory()
    staff = StaffFactory(phone="")
    before = snapshot(staff)
    staff.phone, staff.position = "13900000000", "班长"
    staff.save()

    entry = audit_record(
        actor=actor, instance=staff, action=AuditEntry.Action.UPDATE, before=before, after=snapshot(staff)
    )

    entry.refresh_from_db()
    assert entry.actor == actor
    assert entry.action == AuditEntry.Action.UPDATE
    assert entry.object_id == str(staff.pk)
    assert entry.object_repr == str(staff)
    assert entry.changes == {"phone": ["", "13900000000"], "position": [before["position"], "班长"]}
    assert entry.created_at is not None


def test_audit_record_without_a_signed_in_actor_or_values():
    staff = StaffFactory()
    entry = audit_record(actor=AnonymousUser(), instance=staff, action=AuditEntry.Action.CREATE, summary="导入")
    assert entry.actor is None
    assert entry.changes == {}
    assert entry.summary == "导入"


def test_audit_record_cuts_long_texts_to_fit():
    team = TeamFactory(name="班" * 100)
    entry = audit_record(actor=None, instance=team, action=AuditEntry.Action.STATE, summary="说明" * 200)
    assert len(entry.object_repr) <= 200
    assert len(entry.summary) == 200


def test_history_is_the_objects_own_entries_newest_first(django_assert_num_queries):
    actor = UserFactory(username="office-clerk")
    staff, other_staff = StaffFactory(), StaffFactory()
    team = TeamFactory()
    first = audit_record(actor=actor, instance=staff, action=AuditEntry.Action.CREATE)
    second = audit_record(actor=actor, instance=staff, action=AuditEntry.Action.DEACTIVATE)
    audit_record(actor=actor, instance=other_staff, action=AuditEntry.Action.CREATE)
    # Same primary key, different model: not part of the staff member's history.
    AuditEntry.objects.create(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        content_type=audit_record(actor=None, instance=team, action="create").content_type,
        object_id=str(staff.pk),
        object_repr="team",
    )

    with django_assert_num_queries(1):  # the actors come in the same query
        entries = list(history_for(staff))
        assert [e.actor.username for e in entries] == ["office-clerk", "office-clerk"]
    assert entries == [second, first]


def test_a_recorded_moment_reads_in_the_stations_local_time():
    # A datetime is recorded as str() of the stored value, in UTC; the history shows station time.
    from complaints.models import Complaint

    entry = AuditEntry.objects.create(
        action=AuditEntry.Action.STATE,
        content_type=ContentType.objects.get_for_model(Complaint),
        object_id="1",
        object_repr="TS-2026-0001",
        changes={"paused_since": ["", "2026-03-01 02:30:00+00:00"]},
    )
    with translation.override("zh-hans"):
        (_label, before, after) = audit_changes(entry)[0]
    assert before == "" and after == "2026-03-01 10:30"  # Asia/Shanghai is UTC+8


def test_a_complaints_latest_outcome_reads_as_its_label_not_its_code():
    # verdict_outcome and its kin keep another model's choice code in a plain text field.
    from complaints.models import Complaint

    entry = AuditEntry.objects.create(
        action=AuditEntry.Action.STATE,
        content_type=ContentType.objects.get_for_model(Complaint),
        object_id="1",
        object_repr="TS-2026-0001",
        changes={"verdict_outcome": ["", "upheld"], "return_visit_result": ["", "dissatisfied"]},
    )
    with translation.override("en"):
        rows = audit_changes(entry)
    assert [row[2] for row in rows] == ["Upheld", "Dissatisfied"]

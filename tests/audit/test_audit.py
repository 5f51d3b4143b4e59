"""The audit trail: who changed what, when, with the values before and after."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from tests.roster.factories import DepartmentFactory, StaffFactory, TeamFactory, UserFactory
from tollservice.audit.models import AuditEntry
from tollservice.audit.selectors import history_for
from tollservice.audit.services import audit_record, diff, snapshot
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


def test_snapshot_shows_choices_as_their_label_in_the_current_language():
    department = DepartmentFactory(kind=Department.Kind.FINANCE, name="财务室")
    with translation.override("en"):
        assert snapshot(department, ["kind"]) == {"kind": "Finance office"}


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

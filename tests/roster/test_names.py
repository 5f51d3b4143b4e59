"""People are named by their roster name wherever the portal shows who did something, never by
their login name ("减免已由deputy批准")."""

import pytest
from django.urls import reverse

from tests.roster.factories import StaffFactory, SupervisorFactory, UserFactory, user_with_role
from tollservice.audit.models import AuditEntry
from tollservice.audit.selectors import history_for
from tollservice.audit.services import audit_record
from tollservice.roster.names import person_name, with_person_names

pytestmark = pytest.mark.django_db


def test_person_name_is_the_roster_name_then_the_full_name_then_the_username():
    assert person_name(None) == ""
    staff_user = UserFactory(username="deputy", first_name="")
    StaffFactory(user=staff_user, name="孙凯平")
    assert person_name(staff_user) == "孙凯平"
    supervisor_user = UserFactory(username="jd01", first_name="old name")
    SupervisorFactory(user=supervisor_user, name="江小白")
    assert person_name(supervisor_user) == "江小白"
    assert person_name(UserFactory(username="auditor", first_name="审计", last_name="员")) == "审计 员"
    assert person_name(UserFactory(username="admin", first_name="")) == "admin"


def test_with_person_names_names_every_row_without_a_query_each(django_assert_num_queries):
    subject = StaffFactory()
    for index in range(3):
        actor = UserFactory(first_name="")
        StaffFactory(user=actor, name=f"员工名{index}")
        audit_record(actor=actor, instance=subject, action="update")
    actor = UserFactory(first_name="")
    SupervisorFactory(user=actor, name="监督员名")
    audit_record(actor=actor, instance=subject, action="update")
    entries = with_person_names(AuditEntry.objects.order_by("pk"), "actor").filter(object_id=str(subject.pk))
    with django_assert_num_queries(1):
        names = [person_name(entry.actor) for entry in entries]
    assert names == ["员工名0", "员工名1", "员工名2", "监督员名"]


def test_the_history_names_the_actor_by_their_roster_name(client):
    office = user_with_role("office")
    office.first_name = ""
    office.save()
    office.staff_profile.name = "彭洋"
    office.staff_profile.save()
    staff = StaffFactory()
    audit_record(actor=office, instance=staff, action="update", summary="Edited")
    assert [person_name(entry.actor) for entry in history_for(staff)] == ["彭洋"]
    client.force_login(user_with_role("leadership"))
    page = client.get(reverse("roster:staff_detail", args=[staff.pk])).content.decode()
    assert "彭洋" in page
    assert office.username not in page

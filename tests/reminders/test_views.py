"""The office's reminder settings and the dashboard's "my deadlines" panel."""

import dataclasses
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from penalties.reminders import TALK_FOLLOW_UP
from tests.query_budget import assert_constant_queries, get_rows, panel_rows
from tests.reminders.conftest import POLICY, SAMPLE
from tests.roster.factories import TeamFactory, user_with_role
from tollservice.reminders import panels, registry
from tollservice.reminders.models import ReminderPolicy
from tollservice.reminders.services import deadline_set, reminder_policy_change

pytestmark = pytest.mark.django_db


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def change_url(kind: str = SAMPLE) -> str:
    return reverse("reminders:policy_change", args=[kind])


FORM = {
    "before_days": "5，2、 0",
    "send_at": "09:30",
    "overdue_every_days": "2",
    "escalate_after_days": "",
    "escalate_every_days": "3",
    "escalation_levels": "1",
}


def test_the_settings_page_lists_every_kind_with_the_schedule_in_force(client, sample):
    client.force_login(sample.office)
    html = page(client.get(reverse("reminders:settings")))
    assert "谈话跟进" in html or "Follow-up of a talk" in html  # the INS-4 kind of penalties/
    assert change_url(TALK_FOLLOW_UP) in html and change_url(SAMPLE) in html
    assert not ReminderPolicy.objects.exists()  # reading writes nothing


def test_the_office_changes_when_reminders_go_out(client, sample):
    deadline = deadline_set(
        obj=sample.obj,
        kind=SAMPLE,
        due_at=timezone.localdate() + datetime.timedelta(days=10),
        responsible=[sample.alice],
        actor=sample.office,
    )
    client.force_login(sample.office)
    form = client.get(change_url()).context["form"]
    assert form.initial["before_days"] == "3, 1, 0"
    response = client.post(change_url(), FORM)
    assert response.status_code == 302 and response["Location"] == reverse("reminders:settings")
    policy = ReminderPolicy.objects.get(kind=SAMPLE)
    assert policy.before_days == [5, 2, 0] and policy.send_at == datetime.time(9, 30)
    assert policy.escalate_after_days is None and policy.updated_by == sample.office
    # The open deadline follows at once.
    steps = list(deadline.reminders.pending().values_list("step", "days"))
    assert steps == [("before", 5), ("before", 2), ("due", 0), ("overdue", 2)]
    assert "09:30" in page(client.get(reverse("reminders:settings")))


def test_bad_input_comes_back_with_a_message_and_everything_typed(client, sample):
    client.force_login(sample.office)
    html = page(client.post(change_url(), FORM | {"before_days": "3, 一, 0"}))
    assert 'value="3, 一, 0"' in html and 'value="09:30"' in html
    assert "is-invalid" in html
    # The service's refusal lands on its field too: nothing at all would remind anybody.
    response = client.post(change_url(), FORM | {"before_days": "", "overdue_every_days": ""})
    assert response.context["form"].errors["before_days"]
    assert not ReminderPolicy.objects.filter(kind=SAMPLE).exists()


def test_an_unknown_kind_is_a_404(client, sample):
    client.force_login(sample.office)
    assert client.get(change_url("tests.nothing")).status_code == 404


def test_only_the_office_finds_the_settings_in_its_menu(client, sample):
    client.force_login(sample.office)
    assert reverse("reminders:settings") in page(client.get(reverse("notifications:inbox")))
    client.force_login(user_with_role("leadership"))
    assert reverse("reminders:settings") not in page(client.get(reverse("notifications:inbox")))


def _deadlines(user, count: int, *, prefix: str = "整改班组") -> None:
    for n in range(count):
        deadline_set(
            obj=TeamFactory(name=f"{prefix}{n}"),
            kind=SAMPLE,
            due_at=timezone.now() + datetime.timedelta(days=n - 1),  # the first is overdue
            responsible=[user],
            actor=None,
        )


def test_my_deadlines_on_the_dashboard(client, sample):
    collector = user_with_role("staff")
    client.force_login(collector)
    assert 'id="panel-my-deadlines"' not in page(client.get(reverse("dashboard:home")))  # nothing due
    _deadlines(collector, 7)
    _deadlines(sample.office, 1, prefix="办公室")
    response = client.get(reverse("dashboard:home"))
    html = page(response)
    [panel] = [panel for panel in response.context["panels"] if panel["template"].startswith("reminders/")]
    assert len(panel["items"]) == 5 and panel["count"] == 7
    assert 'id="panel-my-deadlines"' in html
    assert "整改班组0" in html and "整改班组4" in html and "整改班组5" not in html  # the soonest five
    assert 'id="deadline-count"' in html
    assert "text-bg-danger" in html  # the overdue one says so
    # A collector may not open the roster's team pages, so the panel names them without a link; the office links.
    assert "/roster/teams/" not in html
    client.force_login(sample.office)
    office_html = page(client.get(reverse("dashboard:home")))
    assert "/roster/teams/" in office_html and reverse("reminders:settings") in office_html


def test_my_deadlines_panel_has_a_query_budget(rf, sample):
    _deadlines(sample.office, 2, prefix="甲")
    assert_constant_queries(
        panel_rows(rf, sample.office, panels.my_deadlines, lambda panel: len(panel["items"])),
        grow=lambda: _deadlines(sample.office, 6, prefix="乙"),
        max_queries=3,
    )


def test_the_settings_page_has_a_query_budget(client, sample, monkeypatch):
    for kind in (SAMPLE, TALK_FOLLOW_UP):  # both changed by the office: each with its row and editor
        client.force_login(sample.office)
        client.post(change_url(kind), FORM)

    def more_kinds():
        for n in range(3):
            key = f"tests.more{n}"
            monkeypatch.setitem(registry._KINDS, key, dataclasses.replace(sample.kind, key=key))
            reminder_policy_change(kind=key, changed_by=sample.office, **POLICY)

    assert_constant_queries(get_rows(client, reverse("reminders:settings")), grow=more_kinds, max_queries=12)

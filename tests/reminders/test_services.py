"""Setting, moving and closing deadlines, and sending their reminders exactly once."""

import dataclasses
import datetime
import logging

import pytest
from django.utils import timezone

from tests.query_budget import measure
from tests.reminders.conftest import POLICY, SAMPLE
from tests.roster.factories import StaffFactory, TeamFactory, UserFactory
from tollservice.audit.models import AuditEntry
from tollservice.audit.selectors import history_for
from tollservice.core.errors import DomainError
from tollservice.notifications.models import Notification
from tollservice.reminders import registry, rules, selectors
from tollservice.reminders.models import Deadline, Reminder, ReminderPolicy
from tollservice.reminders.rules import StepKind
from tollservice.reminders.services import (
    deadline_close,
    deadline_set,
    deadlines_close_all,
    policy_for,
    reminder_policy_change,
    reminders_send_due,
    sending,
)
from tollservice.reminders.services.sending import CLAIM_TIMEOUT

pytestmark = pytest.mark.django_db

FULL_PLAN = [("before", 3, 0), ("before", 1, 0), ("due", 0, 0), ("overdue", 1, 0), ("escalation", 3, 1)]
FULL_PLAN += [("escalation", 6, 2)]


def in_days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def pending(deadline) -> list[tuple[str, int, int]]:
    return list(deadline.reminders.pending().order_by("due_at", "pk").values_list("step", "days", "level"))


def reminder(deadline, step: str, days: int = 0) -> Reminder:
    return deadline.reminders.pending().get(step=step, days=days)


def set_sample(sample, due=None, **kwargs) -> Deadline:
    kwargs.setdefault("responsible", [sample.alice, sample.bob])
    return deadline_set(obj=sample.obj, kind=SAMPLE, due_at=due or in_days(10), actor=sample.office, **kwargs)


def inbox(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).order_by("pk").values_list("subject", flat=True))


# --- Setting, moving, closing ---------------------------------------------------------------------


def test_setting_a_deadline_holds_its_reminders_and_copies_the_policy_once(sample):
    deadline = set_sample(sample)
    assert deadline.due_at == rules.end_of_day(in_days(10))
    assert deadline.title == "收费3班" and deadline.url == sample.obj.get_absolute_url()
    assert set(deadline.responsible.all()) == {sample.alice, sample.bob}
    assert pending(deadline) == FULL_PLAN
    before_3 = reminder(deadline, "before", 3)
    assert before_3.due_at == datetime.datetime.combine(in_days(7), datetime.time(8), tzinfo=rules.local_zone())
    policy = ReminderPolicy.objects.get(kind=SAMPLE)
    assert policy.schedule == rules.Schedule() and policy.updated_by is None
    assert [entry.action for entry in history_for(deadline)] == [AuditEntry.Action.CREATE]


def test_setting_it_again_with_the_same_due_time_changes_nothing_but_who_answers(sample):
    deadline = set_sample(sample)
    rows = list(deadline.reminders.values_list("pk", flat=True))
    again = set_sample(sample, responsible=[sample.alice])
    assert again.pk == deadline.pk
    assert list(deadline.reminders.values_list("pk", flat=True)) == rows
    assert list(again.responsible.all()) == [sample.alice]


def test_moving_a_deadline_replaces_what_is_unsent_and_keeps_what_was_sent(sample):
    deadline = set_sample(sample)
    first = reminder(deadline, "before", 3)
    assert reminders_send_due(now=first.due_at) == 1
    moved = set_sample(sample, due=in_days(20))
    assert moved.pk == deadline.pk and moved.due_at == rules.end_of_day(in_days(20))
    first.refresh_from_db()
    assert first.sent_at is not None and first.cancelled_at is None  # history stays
    assert pending(moved) == FULL_PLAN  # all of them again, for the new day
    assert reminder(moved, "before", 3).due_at.date() == in_days(17)
    cancelled = deadline.reminders.filter(cancel_reason=Reminder.CancelReason.RESCHEDULED)
    assert cancelled.count() == len(FULL_PLAN) - 1
    assert [entry.action for entry in history_for(deadline)] == [AuditEntry.Action.UPDATE, AuditEntry.Action.CREATE]


def test_moving_a_deadline_closer_reminds_at_once_of_how_things_stand(sample):
    deadline = set_sample(sample)
    moved = set_sample(sample, due=timezone.now() + datetime.timedelta(hours=1))
    # Every step before it has passed; the latest of them is due now, the others are not held.
    due_now = moved.reminders.pending().filter(due_at__lte=timezone.now())
    assert due_now.count() == 1
    assert reminders_send_due() == 1
    assert len(inbox(sample.alice)) == 1
    assert deadline.reminders.pending().filter(due_at__lte=timezone.now()).count() == 0


def test_closing_a_deadline_cancels_what_is_unsent(sample):
    deadline = set_sample(sample)
    closed = deadline_close(obj=sample.obj, kind=SAMPLE, outcome="completed", actor=sample.office)
    assert closed.pk == deadline.pk and closed.status == Deadline.Status.COMPLETED
    assert closed.closed_by == sample.office and closed.closed_at is not None
    assert pending(closed) == []
    assert deadline.reminders.filter(cancel_reason=Reminder.CancelReason.CLOSED).count() == len(FULL_PLAN)
    assert reminders_send_due(now=timezone.now() + datetime.timedelta(days=30)) == 0
    assert Notification.objects.count() == 0
    # Nothing open any more: closing again does nothing; setting it again opens a new deadline.
    assert deadline_close(obj=sample.obj, kind=SAMPLE, outcome="cancelled", actor=sample.office) is None
    assert set_sample(sample).pk != deadline.pk
    with pytest.raises(ValueError):
        deadline_close(obj=sample.obj, kind=SAMPLE, outcome="done", actor=sample.office)


def test_closing_everything_on_an_object_closes_each_open_kind_and_nothing_of_other_objects(sample, monkeypatch):
    other_kind = dataclasses.replace(sample.kind, key="tests.other")
    monkeypatch.setitem(registry._KINDS, other_kind.key, other_kind)
    first = set_sample(sample)
    second = deadline_set(
        obj=sample.obj, kind=other_kind.key, due_at=in_days(5), responsible=[sample.alice], actor=sample.office
    )
    elsewhere = deadline_set(
        obj=TeamFactory(name="收费4班"), kind=SAMPLE, due_at=in_days(5), responsible=[sample.bob], actor=sample.office
    )
    closed = deadlines_close_all(obj=sample.obj, outcome="cancelled", actor=sample.office)
    assert sorted(d.pk for d in closed) == [first.pk, second.pk]
    for deadline in (first, second):
        deadline.refresh_from_db()
        assert deadline.status == Deadline.Status.CANCELLED and pending(deadline) == []
    elsewhere.refresh_from_db()
    assert elsewhere.is_open and pending(elsewhere)
    assert deadlines_close_all(obj=sample.obj, outcome="completed", actor=sample.office) == []
    with pytest.raises(ValueError):
        deadlines_close_all(obj=sample.obj, outcome="done", actor=sample.office)


def test_cancelling_keeps_the_outcome(sample):
    set_sample(sample)
    closed = deadline_close(obj=sample.obj, kind=SAMPLE, outcome="cancelled", actor=sample.office)
    assert closed.status == Deadline.Status.CANCELLED and pending(closed) == []


def test_responsible_people_without_an_account_are_skipped_with_a_log_line(sample, caplog):
    without_account = StaffFactory(name="无账号员工")
    disabled = UserFactory(is_active=False)
    with caplog.at_level(logging.INFO, logger="tollservice.reminders"):
        deadline = set_sample(sample, responsible=[StaffFactory(user=sample.alice), without_account, disabled, None])
    assert list(deadline.responsible.all()) == [sample.alice]
    assert deadline.unreachable == ["无账号员工", disabled.get_username()]  # named in the reminders
    assert "无账号员工" in caplog.text


def test_an_unregistered_kind_or_a_naive_time_is_a_programming_error(sample):
    with pytest.raises(LookupError):
        deadline_set(obj=sample.obj, kind="tests.nothing", due_at=in_days(1), responsible=[], actor=None)
    with pytest.raises(ValueError):
        set_sample(sample, due=datetime.datetime(2030, 1, 1, 12))


def test_deadlines_for_an_object_list_every_deadline_with_its_reminders(sample, django_assert_num_queries):
    set_sample(sample)
    deadline_close(obj=sample.obj, kind=SAMPLE, outcome="completed", actor=sample.office)
    set_sample(sample, due=in_days(5))
    deadline_set(obj=TeamFactory(), kind=SAMPLE, due_at=in_days(1), responsible=[], actor=None)  # not this object
    with django_assert_num_queries(3):
        deadlines = list(selectors.deadlines_for(obj=sample.obj))
        assert [d.status for d in deadlines] == ["open", "completed"]
        assert [len(d.reminders.all()) for d in deadlines] == [len(FULL_PLAN), len(FULL_PLAN)]


# --- Sending ------------------------------------------------------------------------------------


def test_a_due_reminder_is_sent_once_to_each_responsible_person(sample):
    deadline = set_sample(sample)
    first = reminder(deadline, "before", 3)
    assert reminders_send_due(now=first.due_at - datetime.timedelta(seconds=1)) == 0  # not yet
    assert reminders_send_due(now=first.due_at) == 1
    assert reminders_send_due(now=first.due_at) == 0  # a second run finds nothing
    assert reminders_send_due(now=first.due_at + CLAIM_TIMEOUT * 2) == 0  # nor a much later one
    first.refresh_from_db()
    assert first.sent_at == first.claimed_at == first.due_at and first.recipient_count == 2
    assert inbox(sample.alice) == inbox(sample.bob) == ["收费3班 before 3"]
    # The link goes only to those who may open the page (the kind's link_permission).
    assert set(Notification.objects.values_list("url", flat=True)) == {""}


def test_the_link_reaches_those_who_may_open_it(sample):
    deadline = set_sample(sample, responsible=[sample.office, sample.alice])
    reminders_send_due(now=reminder(deadline, "before", 3).due_at)
    urls = dict(Notification.objects.values_list("recipient__username", "url"))
    assert urls == {sample.office.username: sample.obj.get_absolute_url(), "alice": ""}


def test_a_reminder_whose_later_sibling_is_due_too_is_not_sent(sample):
    # The worker was down: "3 days before", "1 day before" and "on the day" are all due at once.
    deadline = set_sample(sample)
    on_the_day = reminder(deadline, "due")
    assert reminders_send_due(now=on_the_day.due_at + datetime.timedelta(minutes=5)) == 1
    assert inbox(sample.alice) == ["收费3班 due 0"]
    superseded = deadline.reminders.filter(cancel_reason=Reminder.CancelReason.SUPERSEDED)
    assert sorted(superseded.values_list("days", flat=True)) == [1, 3]


def test_overdue_reminders_repeat_until_the_deadline_is_closed(sample):
    deadline = set_sample(sample, due=in_days(1))
    overdue_1 = reminder(deadline, "overdue", 1)
    assert reminders_send_due(now=overdue_1.due_at) == 1
    overdue_2 = reminder(deadline, "overdue", 2)
    assert overdue_2.due_at == overdue_1.due_at + datetime.timedelta(days=1)
    # Two days later at noon (the worker was down): one reminder, and the next one tomorrow.
    late = overdue_1.due_at + datetime.timedelta(days=2, hours=4)
    assert reminders_send_due(now=late) == 2  # the overdue one and escalation level 1, each once
    assert pending(deadline) == [("overdue", 4, 0), ("escalation", 6, 2)]
    deadline_close(obj=sample.obj, kind=SAMPLE, outcome="completed", actor=sample.office)
    assert reminders_send_due(now=late + datetime.timedelta(days=10)) == 0
    # The step is the one planned (2 days overdue); a kind's words say how late it really is
    # (texts.due_phrase, from the due time and the moment of sending).
    assert inbox(sample.alice) == ["收费3班 overdue 1", "收费3班 overdue 2"]


def test_escalations_reach_the_people_above_as_they_are_when_sent(sample):
    deadline = set_sample(sample, due=in_days(1))
    level_1 = reminder(deadline, "escalation", 3)
    director = sample.escalate_to[1][0]
    sample.escalate_to[1] = [director, sample.alice, UserFactory(is_active=False)]  # changed posts meanwhile
    reminders_send_due(now=level_1.due_at)
    assert inbox(director) == ["收费3班 escalation 3"]
    assert "收费3班 escalation 3" in inbox(sample.alice)  # once, though responsible as well
    assert inbox(sample.escalate_to[2][0]) == []
    level_1.refresh_from_db()
    assert level_1.recipient_count == 2


def test_a_worker_killed_between_claim_and_send_leaves_the_reminder_to_a_later_run(sample, monkeypatch):
    deadline = set_sample(sample)
    first = reminder(deadline, "before", 3)
    now = first.due_at

    def die(**kwargs):
        raise SystemExit("worker killed")

    # Killed after its claim was committed and before anything was sent: a SystemExit is not
    # an Exception, so it ends the run as a dead process would end it.
    with monkeypatch.context() as patch, pytest.raises(SystemExit):
        patch.setattr(sending, "notification_send", die)
        reminders_send_due(now=now)
    first.refresh_from_db()
    assert first.claimed_at == now and first.sent_at is None and Notification.objects.count() == 0
    # While the claim may still be a live worker's, nobody else sends it.
    assert reminders_send_due(now=now + CLAIM_TIMEOUT - datetime.timedelta(seconds=1)) == 0
    assert Notification.objects.count() == 0
    # Once the claim has expired, a later run sends it, once.
    later = now + CLAIM_TIMEOUT + datetime.timedelta(seconds=1)
    assert reminders_send_due(now=later) == 1
    assert reminders_send_due(now=later) == 0
    assert inbox(sample.alice) == inbox(sample.bob) == ["收费3班 before 3"]


def test_a_reminder_that_fails_does_not_hold_up_the_others(sample, monkeypatch, caplog):
    broken = set_sample(sample)
    other = deadline_set(obj=TeamFactory(), kind=SAMPLE, due_at=in_days(10), responsible=[sample.bob], actor=None)
    message = sample.kind.message

    def fails_for_one(deadline, step):
        if deadline.pk == broken.pk:
            raise RuntimeError("no such talk")
        return message(deadline, step)

    monkeypatch.setitem(registry._KINDS, SAMPLE, dataclasses.replace(sample.kind, message=fails_for_one))
    with caplog.at_level(logging.ERROR):
        assert reminders_send_due(now=reminder(other, "before", 3).due_at) == 1
    assert "no such talk" in caplog.text
    assert inbox(sample.alice) == [] and len(inbox(sample.bob)) == 1
    assert reminder(broken, "before", 3).claimed_at is not None  # retried once the claim expires


def test_a_reminder_of_a_kind_nobody_registers_any_more_is_cancelled(sample, monkeypatch):
    deadline = set_sample(sample)
    monkeypatch.delitem(registry._KINDS, SAMPLE)
    assert reminders_send_due(now=deadline.due_at) == 0
    # Each due one is cancelled (and logged), not claimed again every ten minutes for ever.
    assert deadline.reminders.filter(cancel_reason=Reminder.CancelReason.UNKNOWN_KIND).count() == 3
    assert Notification.objects.count() == 0


def test_the_task_costs_the_same_queries_for_each_reminder(sample):
    # Query budget of the beat task: a fixed number per reminder sent, whatever else is waiting.
    def load(count: int) -> datetime.datetime:
        for _ in range(count):
            deadline_set(
                obj=TeamFactory(), kind=SAMPLE, due_at=in_days(10), responsible=[sample.alice, sample.bob], actor=None
            )
        return Reminder.objects.pending().order_by("due_at").first().due_at

    def queries_to_send(count: int) -> int:
        when = load(count)
        sent = measure(lambda: reminders_send_due(now=when))
        assert sent.rows == count
        return sent.queries

    few, many = queries_to_send(2), queries_to_send(6)
    per_reminder = (many - few) / 4
    assert per_reminder == int(per_reminder) and few == 1 + 2 * per_reminder, (few, many)
    assert per_reminder <= 20, per_reminder


# --- The policy ---------------------------------------------------------------------------------


def test_the_office_changes_a_policy_and_open_deadlines_follow_it(sample):
    deadline = set_sample(sample)
    closed = deadline_set(obj=TeamFactory(), kind=SAMPLE, due_at=in_days(10), responsible=[], actor=None)
    deadline_close(obj=closed.obj, kind=SAMPLE, outcome="completed", actor=None)
    policy = reminder_policy_change(kind=SAMPLE, changed_by=sample.office, **POLICY)
    assert policy.before_days == [5, 2] and policy.updated_by == sample.office
    assert pending(deadline) == [("before", 5, 0), ("before", 2, 0), ("overdue", 2, 0), ("escalation", 4, 1)]
    assert reminder(deadline, "before", 5).due_at.astimezone(rules.local_zone()).time() == datetime.time(9, 30)
    assert pending(closed) == []
    assert [entry.summary for entry in history_for(policy)] == ["Reminder settings changed"]
    # The row wins over the code's defaults from now on; the same values again change nothing.
    assert policy_for(SAMPLE).schedule.before_days == (5, 2)
    reminder_policy_change(kind=SAMPLE, changed_by=sample.office, **POLICY)
    assert history_for(policy).count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"before_days": [400]}, "before_days"),
        ({"before_days": list(range(11))}, "before_days"),
        ({"overdue_every_days": 0}, "overdue_every_days"),
        ({"escalate_after_days": 366}, "escalate_after_days"),
        ({"escalate_every_days": None}, "escalate_every_days"),
        ({"escalation_levels": 9}, "escalation_levels"),
        ({"before_days": [], "overdue_every_days": None, "escalate_after_days": None}, "before_days"),
    ],
)
def test_a_policy_that_makes_no_sense_is_refused_on_its_field(sample, change, field):
    with pytest.raises(DomainError) as refused:
        reminder_policy_change(kind=SAMPLE, changed_by=sample.office, **(POLICY | change))
    assert refused.value.field == field


def test_only_the_office_changes_a_policy(sample):
    with pytest.raises(DomainError):
        reminder_policy_change(kind=SAMPLE, changed_by=sample.alice, **POLICY)
    assert not ReminderPolicy.objects.filter(kind=SAMPLE).exists()


def test_a_reminder_step_reads_as_what_it_is():
    assert rules.Step(StepKind.ESCALATION, 3, 1).is_escalation
    assert rules.Step(StepKind.OVERDUE, 1).is_overdue and not rules.Step(StepKind.DUE).is_overdue

"""Rectification orders and supervisors' reports remind through the reminder engine
(``inspections.reminders``): each reminder is sent once, moving a deadline reschedules, verifying
or cancelling an order (deciding a report) cancels what is unsent; notifications link to the
pages they are about. An answered order reminds nobody while the office verifies it."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from inspections import reminders, services
from inspections.models import Inspection
from tests.inspections.factories import a_moment, finding, inspection
from tollservice.celery import app as celery_app
from tollservice.notifications.models import Notification
from tollservice.reminders import rules, selectors
from tollservice.reminders.models import Deadline, Reminder
from tollservice.reminders.services import reminders_send_due

pytestmark = pytest.mark.django_db

Kind = Inspection.Kind


def _order(site, *, due_in: int = 3, assignee=None):
    filed = inspection(by=site.office, team=site.team_a, breaches={"JC-01": (1, site.collector)})
    return services.rectification_order_issue(
        finding=finding(filed, "JC-01"),
        issued_by=site.office,
        instructions="佩戴工号牌上岗。",
        deadline=timezone.localdate() + datetime.timedelta(days=due_in),
        assignee=assignee,
    )


def deadline_of(obj) -> Deadline:
    return selectors.deadlines_for(obj=obj).get()


def send_first(deadline) -> datetime.datetime:
    first = deadline.reminders.pending().order_by("due_at").first()
    now = max(first.due_at, timezone.now())
    assert reminders_send_due(now=now) == 1
    return now


def test_an_order_due_in_three_days_reminds_the_assignee_and_the_team_leader_once(
    site, django_capture_on_commit_callbacks
):
    # INS-2: each order registers its deadline: 3 days, 1 day and the day itself before, then daily.
    order = _order(site, assignee=site.collector)
    deadline = deadline_of(order)
    assert deadline.kind == reminders.RECTIFICATION and deadline.is_open
    assert deadline.due_at == rules.end_of_day(order.deadline)
    assert set(deadline.responsible.all()) == {site.collector.user, site.leader_a.user}
    assert deadline.url == reverse("inspections:order_detail", args=[order.pk])
    assert "收费一班" in deadline.title and "着装统一" in deadline.title
    steps = list(deadline.reminders.pending().values_list("step", "days"))
    assert steps[:4] == [("before", 3), ("before", 1), ("due", 0), ("overdue", 1)]

    Notification.objects.all().delete()  # the order's own notification
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        now = send_first(deadline)
        assert reminders_send_due(now=now) == 0  # sent once: the next run sends nothing
        assert reminders_send_due(now=now + datetime.timedelta(minutes=5)) == 0
    notices = list(Notification.objects.order_by("pk"))
    assert {n.recipient for n in notices} == {site.collector.user, site.leader_a.user}
    for notice in notices:
        assert "3天后到期" in notice.body and "佩戴工号牌上岗。" in notice.body
        assert notice.url == reverse("inspections:order_detail", args=[order.pk])
    assert len(mail.outbox) == 2


def test_each_later_reminder_is_sent_once_at_its_time(site):
    order = _order(site)
    deadline = deadline_of(order)
    sent = []
    for reminder in deadline.reminders.pending().filter(step__in=["before", "due"]).order_by("due_at"):
        now = max(reminder.due_at, timezone.now())
        sent.append(reminders_send_due(now=now))
        assert reminders_send_due(now=now) == 0
    assert sent == [1, 1, 1]
    assert Notification.objects.filter(subject__contains="提醒").count() == 3  # the team leader, three times


def test_moving_the_deadline_reschedules_and_verifying_cancels_what_is_unsent(site):
    order = _order(site)
    deadline = deadline_of(order)
    later = order.deadline + datetime.timedelta(days=10)
    services.rectification_deadline_change(order=order, changed_by=site.office, deadline=later, reason="节假日顺延。")
    deadline.refresh_from_db()
    assert deadline.due_at == rules.end_of_day(later)
    assert min(r.due_at for r in deadline.reminders.pending()) > timezone.now() + datetime.timedelta(days=9)

    services.rectification_answer(order=order, answered_by=site.leader_a.user, answer="已整改。")
    services.rectification_verify(order=order, verified_by=site.office)
    deadline.refresh_from_db()
    assert deadline.status == Deadline.Status.COMPLETED
    assert not deadline.reminders.pending().exists()
    assert reminders_send_due(now=timezone.now() + datetime.timedelta(days=60)) == 0


def _open_deadlines(order):
    return [d for d in selectors.deadlines_for(obj=order) if d.is_open]


def test_an_answered_order_is_no_longer_reminded_while_the_office_verifies_it(site):
    # INS-2: the team leader answered; only the office has something to do now.
    order = _order(site)
    services.rectification_answer(order=order, answered_by=site.leader_a.user, answer="已整改。")
    deadline = deadline_of(order)
    assert deadline.status == Deadline.Status.COMPLETED and not deadline.reminders.pending().exists()
    Notification.objects.all().delete()
    assert reminders_send_due(now=timezone.now() + datetime.timedelta(days=60)) == 0
    assert not Notification.objects.exists()
    # Moving the deadline of an answered order does not remind the team leader again.
    later = order.deadline + datetime.timedelta(days=3)
    services.rectification_deadline_change(order=order, changed_by=site.office, deadline=later, reason="延期。")
    assert _open_deadlines(order) == []


def test_a_returned_order_is_reminded_of_its_new_deadline(site):
    order = _order(site)
    services.rectification_answer(order=order, answered_by=site.leader_a.user, answer="已整改。")
    new = order.deadline + datetime.timedelta(days=5)
    services.rectification_return(order=order, returned_by=site.office, reasons="照片不清晰。", deadline=new)
    [deadline] = _open_deadlines(order)
    assert deadline.due_at == rules.end_of_day(new)
    assert [r.step for r in deadline.reminders.pending().order_by("due_at")][:3] == ["before", "before", "due"]
    # Answered again and verified: nothing remains pending on the order.
    services.rectification_answer(order=order, answered_by=site.leader_a.user, answer="已重新整改。")
    services.rectification_verify(order=order, verified_by=site.office)
    assert _open_deadlines(order) == []
    assert not Reminder.objects.filter(deadline__object_id=order.pk, deadline__kind=reminders.RECTIFICATION).pending()


def test_an_order_cancelled_when_its_finding_is_withdrawn_on_appeal_is_no_longer_reminded(site):
    # INS-6: an appeal upheld cancels the finding's open orders, and with them their reminders.
    visit = inspection(
        by=site.supervisor,
        team=site.team_a,
        kind=Kind.SUPERVISOR_OPEN,
        breaches={"JC-02": (2, site.collector)},
        publish_by=site.office,
    )
    order = services.rectification_order_issue(
        finding=finding(visit, "JC-02"), issued_by=site.office, instructions="加强文明用语。"
    )
    appeal = services.appeal_lodge(finding=finding(visit, "JC-02"), lodged_by=site.leader_a.user, grounds="录像为证。")
    services.appeal_decide(appeal=appeal, decided_by=site.leader, decision="upheld", reasons="录像证实。")
    deadline = deadline_of(order)
    assert deadline.status == Deadline.Status.CANCELLED and not deadline.reminders.pending().exists()


def test_an_overdue_order_escalates_to_the_office_then_the_leadership_group(site):
    order = _order(site)
    deadline = deadline_of(order)
    level_1, level_2 = deadline.reminders.pending().filter(step="escalation").order_by("level")
    Notification.objects.all().delete()
    reminders_send_due(now=level_1.due_at)
    office_members = {site.office, site.office2, site.office_in_team}
    escalated = set(Notification.objects.filter(subject__contains="升级").values_list("recipient", flat=True))
    assert escalated and escalated <= {u.pk for u in office_members}
    reminders_send_due(now=level_2.due_at)
    leaders = set(Notification.objects.filter(subject__contains="升级").values_list("recipient", flat=True))
    assert {site.leader.pk, site.leader2.pk} <= leaders


def test_a_supervisor_report_reminds_the_leadership_group_until_it_is_decided(site):
    # INS-7: the leadership group decides on a report within the configured time, reminded.
    report = services.supervisor_report_submit(
        submitted_by=site.supervisor,
        period_start=a_moment(days_ago=10).date(),
        period_end=a_moment(days_ago=1).date(),
        summary="总体良好。",
        evaluations=[(site.team_a, "good", "服务规范。")],
    )
    deadline = deadline_of(report)
    assert deadline.kind == reminders.SUPERVISOR_REPORT
    assert deadline.due_at == rules.end_of_day(report.decision_due)
    assert {site.leader, site.leader2} <= set(deadline.responsible.all())
    assert deadline.url == reverse("inspections:report_detail", args=[report.pk])
    services.supervisor_report_decide(
        report=report, decided_by=site.leader, decision="accepted", actions="已督促整改。"
    )
    deadline.refresh_from_db()
    assert deadline.status == Deadline.Status.COMPLETED and not deadline.reminders.pending().exists()


def test_notifications_link_to_the_pages_they_are_about(site):
    visit = inspection(by=site.supervisor, team=site.team_a, kind=Kind.SUPERVISOR_COVERT)
    review = Notification.objects.filter(recipient=site.office).latest("pk")
    assert review.url == reverse("inspections:review_queue")
    services.inspection_publish(inspection=visit, published_by=site.office)
    in_effect = Notification.objects.filter(recipient=site.leader_a.user).latest("pk")
    assert in_effect.url == reverse("inspections:inspection_detail", args=[visit.pk])
    order = _order(site)
    issued = Notification.objects.filter(recipient=site.leader_a.user).latest("pk")
    assert issued.url == reverse("inspections:order_detail", args=[order.pk])


def test_the_kinds_are_registered_and_the_overdue_proposals_run_daily():
    from tollservice.reminders.registry import get_kind

    assert get_kind(reminders.RECTIFICATION).escalation_recipients is not None
    assert get_kind(reminders.SUPERVISOR_REPORT).link_permission == "supervisor_reports.view"
    entry = celery_app.conf.beat_schedule["inspections-overdue-proposals"]
    assert entry["task"] == "inspections.tasks.refresh_overdue_proposals"
    assert entry["schedule"].hour == {7}


def _bodies(user, word: str) -> list[str]:
    return list(Notification.objects.filter(recipient=user, subject__contains=word).values_list("body", flat=True))


def test_a_team_leader_without_an_account_is_named_and_the_office_is_told_instead(site):
    # INS-2: the escalation names who answers for the order, account or not.
    site.leader_a.user = None
    site.leader_a.save()
    order = _order(site)
    deadline = deadline_of(order)
    assert list(deadline.responsible.all()) == [] and deadline.unreachable == ["一班班长"]
    Notification.objects.all().delete()
    level_1 = deadline.reminders.pending().get(step="escalation", level=1)
    reminders_send_due(now=level_1.due_at)
    [body] = _bodies(site.office, "升级")
    assert "责任人：一班班长（无门户账号）" in body and "—" not in body
    assert "一班班长无法通过门户收到提醒，现改为通知您，请转告本人。" in body


def test_a_reminder_says_whom_it_reaches_in_place_of_an_assignee_without_an_account(site):
    order = _order(site, assignee=site.collector2)
    deadline = deadline_of(order)
    assert list(deadline.responsible.all()) == [site.leader_a.user] and deadline.unreachable == ["收费员乙"]
    Notification.objects.all().delete()
    send_first(deadline)
    [body] = _bodies(site.leader_a.user, "提醒")
    assert "收费员乙无法通过门户收到提醒，本提醒改发给一班班长。" in body
    level_1 = deadline.reminders.pending().get(step="escalation", level=1)
    reminders_send_due(now=level_1.due_at)
    [escalated] = _bodies(site.office, "升级")
    assert "责任人：一班班长、收费员乙（无门户账号）" in escalated

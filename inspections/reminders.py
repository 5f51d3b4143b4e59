"""Deadlines of the inspections module in the reminder engine (``tollservice.reminders``).

- ``inspections.rectification``: a rectification order's deadline. The assignee and the team's
  leader are reminded 3 days, 1 day and on the day before it (by default), then daily while it is
  overdue; an overdue order escalates to the group office's director, then to the leadership
  group. Answering the order closes the deadline and cancels what is unsent (the order then waits
  for the office, not for the team leader); returning it sets the deadline again, with fresh
  reminders; verifying or cancelling it closes whatever is still open on it.
- ``inspections.supervisor_report``: the leadership group's decision on a supervisor's report
  (INS-7), due ``report_decision_days`` after it was submitted; closed by the decision.

The services call the functions below inside their own transaction; the kinds are registered in
``InspectionsConfig.ready()``.
"""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from inspections.links import ORDER_DETAIL, REPORT_DETAIL, portal_url
from inspections.models import RectificationOrder, SupervisorReport
from tollservice.reminders.recipients import escalate_to_office_then_leadership, leadership_accounts
from tollservice.reminders.registry import DeadlineKind, ReminderDefaults, ReminderMessage, Step
from tollservice.reminders.services import deadline_close, deadline_set, deadlines_close_all
from tollservice.reminders.texts import standard_message

RECTIFICATION = "inspections.rectification"
SUPERVISOR_REPORT = "inspections.supervisor_report"


# --- Rectification orders ------------------------------------------------------------------------


def _order_what(order: RectificationOrder) -> str:
    return gettext("Rectification order %(number)s for %(team)s: %(item)s") % {
        "number": order.pk,
        "team": order.team.name,
        "item": order.finding.item.title,
    }


def _order_message(deadline, step: Step) -> ReminderMessage:
    order = RectificationOrder.objects.select_related("team", "finding__item").get(pk=deadline.object_id)
    details = gettext("What must be rectified: %(instructions)s") % {"instructions": order.instructions}
    return standard_message(deadline, step, what=_order_what(order), details=details)


RECTIFICATION_KIND = DeadlineKind(
    key=RECTIFICATION,
    label=_("Rectification order"),
    message=_order_message,
    escalation_recipients=escalate_to_office_then_leadership,
    defaults=ReminderDefaults(),  # 3 days, 1 day and the day itself before; daily after; escalated after 3
    link_permission="inspections.view",
)


def order_responsible(order: RectificationOrder) -> list:
    """Who answers an order and is reminded of it: the person named and the team's leader."""
    return [order.assignee, order.team.leader]


def order_deadline_set(*, order: RectificationOrder, actor) -> None:
    """Set (or move) the reminders of an order's deadline (a date: due at the end of that day)."""
    order = RectificationOrder.objects.select_related("team__leader__user", "assignee__user", "finding__item").get(
        pk=order.pk
    )
    deadline_set(
        obj=order,
        kind=RECTIFICATION,
        due_at=order.deadline,
        responsible=order_responsible(order),
        actor=actor,
        title=lambda: _order_what(order),
        url=portal_url(ORDER_DETAIL, pk=order.pk),
    )


def order_deadline_close(*, order: RectificationOrder, outcome: str, actor) -> None:
    """The answer is in: the team leader is no longer reminded while the office verifies it."""
    deadline_close(obj=order, kind=RECTIFICATION, outcome=outcome, actor=actor)


def order_deadlines_close_all(*, order: RectificationOrder, outcome: str, actor) -> None:
    """The order is verified or cancelled: nothing remains due on it."""
    deadlines_close_all(obj=order, outcome=outcome, actor=actor)


# --- Supervisors' reports (INS-7) ------------------------------------------------------------------


def _report_what(report: SupervisorReport) -> str:
    return gettext("Decision on the report of supervisor %(name)s (%(start)s – %(end)s)") % {
        "name": report.supervisor.name,
        "start": report.period_start.isoformat(),
        "end": report.period_end.isoformat(),
    }


def _report_message(deadline, step: Step) -> ReminderMessage:
    report = SupervisorReport.objects.select_related("supervisor").get(pk=deadline.object_id)
    return standard_message(deadline, step, what=_report_what(report))


SUPERVISOR_REPORT_KIND = DeadlineKind(
    key=SUPERVISOR_REPORT,
    label=_("Decision on a supervisor's report"),
    message=_report_message,
    escalation_recipients=escalate_to_office_then_leadership,
    defaults=ReminderDefaults(),
    link_permission="supervisor_reports.view",
)


def report_deadline_set(*, report: SupervisorReport, actor) -> None:
    """INS-7: the leadership group is reminded to decide on the report by ``decision_due``."""
    report = SupervisorReport.objects.select_related("supervisor").get(pk=report.pk)
    deadline_set(
        obj=report,
        kind=SUPERVISOR_REPORT,
        due_at=report.decision_due,
        responsible=leadership_accounts(),
        actor=actor,
        title=lambda: _report_what(report),
        url=portal_url(REPORT_DETAIL, pk=report.pk),
    )


def report_deadline_close(*, report: SupervisorReport, actor) -> None:
    deadline_close(obj=report, kind=SUPERVISOR_REPORT, outcome="completed", actor=actor)


KINDS = (RECTIFICATION_KIND, SUPERVISOR_REPORT_KIND)

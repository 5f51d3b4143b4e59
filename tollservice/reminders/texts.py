"""The words of a reminder, for kinds that do not want to write their own from scratch.

A kind's ``message`` may simply return ``standard_message(deadline, step, what=..., details=...)``.
The phrases are computed when the reminder is sent, from the deadline's due time and the moment
of sending: a reminder sent late (a deadline set two days before it is due) says "due in 2 days",
whatever its step was planned as.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from tollservice.core.text import join_list
from tollservice.reminders import rules
from tollservice.reminders.registry import ReminderMessage


def person_name(user) -> str:
    """The roster name of an account, else its full name or username."""
    staff = getattr(user, "staff_profile", None)
    return staff.name if staff is not None else (user.get_full_name() or user.get_username())


def due_label(due_at: datetime.datetime) -> str:
    """``2026-05-03``, or ``2026-05-03 15:00`` when the deadline is not the end of a day."""
    local = due_at.astimezone(rules.local_zone())
    if local.time() == datetime.time.max:
        return date_format(local.date(), "Y-m-d")
    return date_format(local, "Y-m-d H:i")


def due_phrase(due_at: datetime.datetime, *, now: datetime.datetime | None = None) -> str:
    now = now or timezone.now()
    left = rules.days_left(due_at, now)
    params = {"date": due_label(due_at), "days": abs(left)}
    if due_at >= now:
        if left == 0:
            return gettext("due today (%(date)s)") % params
        if left == 1:
            return gettext("due tomorrow (%(date)s)") % params
        return ngettext("due in %(days)s day (%(date)s)", "due in %(days)s days (%(date)s)", left) % params
    if left == 0:
        return gettext("overdue since %(date)s") % params
    return (
        ngettext("overdue by %(days)s day (due %(date)s)", "overdue by %(days)s days (due %(date)s)", abs(left))
        % params
    )


def standard_message(deadline, step: rules.Step, *, what: str, details: str = "", url: str = "") -> ReminderMessage:
    """Subject "Reminder: …", "Overdue: …" or "Escalated: … is overdue"; the body says when it is
    due, the ``details`` and, on an escalation, who is responsible; whoever is responsible but has
    no portal account is named, with who is told instead."""
    params = {"what": what}
    if step.is_escalation:
        subject = gettext("Escalated: %(what)s is overdue") % params
    elif step.is_overdue:
        subject = gettext("Overdue: %(what)s") % params
    else:
        subject = gettext("Reminder: %(what)s") % params
    lines = [gettext("%(what)s: %(when)s.") % {"what": what, "when": due_phrase(deadline.due_at)}]
    if details:
        lines.append(details)
    lines.extend(_who(deadline, escalation=step.is_escalation))
    return ReminderMessage(subject=subject, body="\n\n".join(lines), url=url or deadline.url)


def _who(deadline, *, escalation: bool) -> list[str]:
    """On an escalation, who is responsible (with or without an account); on any reminder, the
    responsible people the portal cannot reach, and that its reader is told in their place."""
    reached = [person_name(user) for user in deadline.responsible.select_related("staff_profile")]
    unreachable = [str(name) for name in deadline.unreachable or []]
    lines = []
    if escalation:
        names = reached + [gettext("%(name)s (no portal account)") % {"name": name} for name in unreachable]
        lines.append(gettext("Responsible: %(names)s") % {"names": join_list(names) or gettext("nobody named")})
    if unreachable:
        params = {"names": join_list(unreachable)}
        if escalation or not reached:
            lines.append(
                gettext("%(names)s cannot be reminded through the portal: you are told instead; please pass it on.")
                % params
            )
        else:
            lines.append(
                gettext("%(names)s cannot be reminded through the portal: this reminder goes to %(reached)s instead.")
                % {**params, "reached": join_list(reached)}
            )
    return lines

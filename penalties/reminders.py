"""INS-4: the follow-up of a talk is a deadline of the reminder engine (``tollservice.reminders``).

The people responsible are reminded before it is due and while it is overdue: the person talked
to (if they have an account), the team leader for a team talk, and whoever recorded the talk.
An overdue follow-up escalates to the director of the group office, then the leadership group.
Confirming the follow-up closes the deadline and cancels what is unsent.
"""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from penalties.links import TALK_DETAIL, portal_url
from penalties.models import TalkRecord
from tollservice.reminders.recipients import escalate_to_office_then_leadership
from tollservice.reminders.registry import DeadlineKind, ReminderDefaults, ReminderMessage, Step
from tollservice.reminders.services import deadline_close, deadline_set
from tollservice.reminders.texts import standard_message

TALK_FOLLOW_UP = "penalties.talk_follow_up"


def _what(talk: TalkRecord) -> str:
    who = talk.staff.name if talk.staff_id else talk.team.name
    return gettext("Follow-up of the %(kind)s with %(who)s") % {"kind": talk.get_kind_display(), "who": who}


def _message(deadline, step: Step) -> ReminderMessage:
    talk = TalkRecord.objects.select_related("staff", "team").get(pk=deadline.object_id)
    details = gettext("Follow-up required: %(follow_up)s") % {"follow_up": talk.follow_up}
    return standard_message(deadline, step, what=_what(talk), details=details)


TALK_FOLLOW_UP_KIND = DeadlineKind(
    key=TALK_FOLLOW_UP,
    label=_("Follow-up of a talk"),
    message=_message,
    escalation_recipients=escalate_to_office_then_leadership,
    defaults=ReminderDefaults(),  # 3 days, 1 day and the day itself before; daily after; escalated after 3
    link_permission="penalties.talks",
)


def talk_follow_up_responsible(talk: TalkRecord) -> list:
    """INS-4: the person talked to, the team's leader for a team talk, and the recorder."""
    people = [talk.staff if talk.staff_id else (talk.team.leader if talk.team_id else None)]
    return [*people, talk.recorded_by]


def talk_follow_up_schedule(*, talk: TalkRecord, actor) -> None:
    """Set (or move) the reminder deadline of a talk's follow-up; inside the service's transaction."""
    if not talk.follow_up or talk.follow_up_due is None or talk.follow_up_done_at is not None:
        return
    with_staff = TalkRecord.objects.select_related("staff__user", "team__leader__user", "recorded_by")
    talk = with_staff.get(pk=talk.pk)
    deadline_set(
        obj=talk,
        kind=TALK_FOLLOW_UP,
        due_at=talk.follow_up_due,  # a date: due at the end of that day, station time
        responsible=talk_follow_up_responsible(talk),
        actor=actor,
        title=lambda: _what(talk),
        url=portal_url(TALK_DETAIL, pk=talk.pk),
    )


def talk_follow_up_close(*, talk: TalkRecord, actor) -> None:
    deadline_close(obj=talk, kind=TALK_FOLLOW_UP, outcome="completed", actor=actor)

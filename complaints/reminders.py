"""A complaint's time limits as deadlines of the reminder engine (``tollservice.reminders``).

Four kinds, registered in ``ComplaintsConfig.ready()`` and set or closed only through
``complaints.services._deadlines``:

- ``complaints.first_contact`` — the driver is contacted within the urgency's hours;
- ``complaints.answer`` — the answer within its working days (moved by pauses, extensions,
  reopenings and a hotline centre's deadline);
- ``complaints.return_visit`` — the return visit within days of the answer;
- ``complaints.review`` — the toll-office head's review of a dissatisfied driver's complaint.

The people responsible (the owner and whoever the complaint is escalated to; the group office
while nobody owns it) are reminded on the day before and on the day, then daily while it is
overdue. A missed limit escalates along the complaint's own chain (CMP-3, CMP-5): a day late the
shift leader on duty at the incident's time hears of it, a day later the head of the
toll-collection office, then the group office — starting above whoever coordinates it already,
and passing over a level the roster leaves empty or that names a person complained about. A
review's escalation goes to the group office's director, then the leadership group.

Reminders name the complaint by its number and category only: never the driver's data.
"""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from complaints.models import Complaint, Review
from tollservice.reminders.recipients import escalate_to_office_then_leadership, office_director_accounts
from tollservice.reminders.registry import DeadlineKind, ReminderDefaults, ReminderMessage, Step, days
from tollservice.reminders.texts import standard_message

FIRST_CONTACT = "complaints.first_contact"
ANSWER = "complaints.answer"
RETURN_VISIT = "complaints.return_visit"
REVIEW = "complaints.review"

# What each limit asks for, in the reminder's title and subject.
_WHAT = {
    FIRST_CONTACT: _("Complaint %(number)s: first contact with the driver"),
    ANSWER: _("Complaint %(number)s: answer to the driver"),
    RETURN_VISIT: _("Complaint %(number)s: return visit"),
    REVIEW: _("Complaint %(number)s: review of the handling"),
}


def limit_title(kind: str, complaint: Complaint) -> str:
    """The deadline's title (in the language active when it is called)."""
    return str(_WHAT[kind]) % {"number": complaint.number}


def _complaint_of(deadline) -> Complaint:
    if deadline.kind == REVIEW:
        return Review.objects.select_related("complaint").get(pk=deadline.object_id).complaint
    return Complaint.objects.get(pk=deadline.object_id)


def _message(deadline, step: Step) -> ReminderMessage:
    complaint = _complaint_of(deadline)
    details = gettext("%(category)s, received through: %(channel)s.") % {
        "category": complaint.get_category_display(),
        "channel": complaint.get_channel_display(),
    }
    if step.is_escalation:
        details += "\n" + gettext(
            "You are next in the complaint's chain of responsibility: see that it is handled, or take it over."
        )
    return standard_message(deadline, step, what=limit_title(deadline.kind, complaint), details=details)


def escalate_along_the_chain(deadline, step: Step) -> list:
    """CMP-3 / CMP-5: escalation level 1 reaches the next person above whoever coordinates the
    complaint now, level 2 the one above that; a level without anybody (or naming a person the
    complaint is about) is passed over; past the chain's top, the group office's director."""
    from complaints.services.ownership import escalation_candidate

    complaint = _complaint_of(deadline)
    top = Complaint.Level.GROUP_OFFICE
    wanted = step.level
    for level in range(complaint.level + 1, top + 1):
        candidate = escalation_candidate(complaint, level)
        user = candidate.staff.user if candidate.staff is not None else None
        if user is None or not user.is_active:
            continue
        wanted -= 1
        if wanted == 0:
            return [user]
    return office_director_accounts()


def _limit_kind(key: str, label, *, before) -> DeadlineKind:
    return DeadlineKind(
        key=key,
        label=label,
        message=_message,
        escalation_recipients=escalate_along_the_chain,
        defaults=ReminderDefaults(
            before=before,
            overdue_every=days(1),
            escalate_after=days(1),
            escalate_every=days(1),
            escalation_levels=3,  # shift leader, toll-office head, group office
        ),
        link_permission="complaints.handle",
    )


KINDS = (
    _limit_kind(FIRST_CONTACT, _("Complaint: first contact with the driver"), before=(days(0),)),
    _limit_kind(ANSWER, _("Complaint: answer to the driver"), before=(days(1), days(0))),
    _limit_kind(RETURN_VISIT, _("Complaint: return visit"), before=(days(1), days(0))),
    DeadlineKind(
        key=REVIEW,
        label=_("Complaint: review of the handling"),
        message=_message,
        escalation_recipients=escalate_to_office_then_leadership,
        defaults=ReminderDefaults(
            before=(days(1), days(0)), overdue_every=days(1), escalate_after=days(1), escalate_every=days(2)
        ),
        link_permission="complaints.handle",
    ),
)

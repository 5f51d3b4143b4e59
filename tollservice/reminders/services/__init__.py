"""Everything that writes in the reminder engine. Import from here:
``from tollservice.reminders.services import deadline_set, deadline_close``."""

from tollservice.reminders.services.deadlines import deadline_close, deadline_set, deadlines_close_all
from tollservice.reminders.services.policies import policy_for, reminder_policy_change
from tollservice.reminders.services.sending import reminder_send, reminders_send_due

__all__ = [
    "deadline_close",
    "deadline_set",
    "deadlines_close_all",
    "policy_for",
    "reminder_policy_change",
    "reminder_send",
    "reminders_send_due",
]

from tollservice.reminders.models.deadline import Deadline, Reminder
from tollservice.reminders.models.policy import ReminderPolicy

__all__ = ["Deadline", "Reminder", "ReminderPolicy"]

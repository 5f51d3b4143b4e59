"""Celery application. The beat schedule is code, in the station's time zone."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tollservice.settings.local")

app = Celery("tollservice")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The folders of the local filesystem broker (used when REDIS_URL is unset).
BROKER_FOLDER_OPTIONS = ("data_folder_in", "data_folder_out", "processed_folder", "control_folder")


def ensure_broker_folders(sender, **kwargs):
    """The filesystem broker cannot publish or consume before its folders exist.

    Connected to ``on_after_configure``, which Celery sends when the configuration is first
    read: in the worker and beat at start-up and in a web process before its first message.
    """
    if not str(sender.conf.broker_url or "").startswith("filesystem:"):
        return
    options = sender.conf.broker_transport_options or {}
    for key in BROKER_FOLDER_OPTIONS:
        if options.get(key):
            os.makedirs(options[key], exist_ok=True)


app.on_after_configure.connect(ensure_broker_folders, weak=False)

# Periodic work is added here by each module. Deadline reminders need no entry of their own: a
# module registers a kind with tollservice.reminders and the one "reminders-send-due" run sends them.
# Daily work runs at a fixed hour of the station's day (CELERY_TIMEZONE = TIME_ZONE), not every 24
# hours from whenever beat last started: housekeeping at night, what people read before 08:00.
# Setting a key before the configuration is read does not read it: this stays lazy.
app.conf.beat_schedule = {
    "notifications-deliver-pending-email": {
        "task": "tollservice.notifications.tasks.deliver_pending_email",
        "schedule": 300.0,
    },
    "core-purge-form-submissions": {
        "task": "tollservice.core.tasks.purge_form_submissions",
        "schedule": crontab(hour=3, minute=30),
    },
    # PIPL: the driver's data of complaints closed longer than the retention period, once a night.
    "complaints-anonymise-expired": {
        "task": "complaints.tasks.anonymise_expired_complaints",
        "schedule": crontab(hour=2, minute=30),
    },
    # INS-4 / INS-5: teams that left rectification orders overdue are put to the office, once a day.
    "inspections-overdue-proposals": {
        "task": "inspections.tasks.refresh_overdue_proposals",
        "schedule": crontab(hour=7, minute=0),
    },
    # From November on, the reminder to enter the coming year's holidays (idempotent, daily, set
    # before the reminders of the day go out at 08:00).
    "calendar-remind-next-year": {
        "task": "tollservice.core.calendar.tasks.remind_next_year",
        "schedule": crontab(hour=6, minute=0),
    },
    # CAM-2: those who have not studied are reminded near the end of the study phase; one reminder a
    # person a day (the service keeps count), tried again in the working day if a run was missed.
    "awards-remind-study": {
        "task": "awards.tasks.remind_study_before_phase_ends",
        "schedule": crontab(hour="8,12,16", minute=0),
    },
    # AWD-1: this year's rankings of both awards computed afresh and stored, before the office's day
    # (the ranking page reads the stored one, and says when it was computed).
    "awards-refresh-rankings": {
        "task": "awards.tasks.refresh_current_rankings",
        "schedule": crontab(hour=1, minute=15),
    },
    # Deadline reminders are rows with a due time; this run sends the due ones, each exactly once.
    "reminders-send-due": {
        "task": "tollservice.reminders.tasks.send_due_reminders",
        "schedule": 60.0,
    },
}

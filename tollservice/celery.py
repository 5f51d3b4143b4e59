"""Celery application. The beat schedule is code, in the station's time zone."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tollservice.settings.local")

app = Celery("tollservice")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _make_filesystem_broker_folders(sender, **kwargs):
    """The local broker (no REDIS_URL) needs its folders before the first message."""
    options = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder"):
        if options.get(key):
            os.makedirs(options[key], exist_ok=True)


# Periodic work is added here by each module (e.g. rectification-deadline reminders).
app.conf.beat_schedule = {
    "notifications-deliver-pending-email": {
        "task": "tollservice.notifications.tasks.deliver_pending_email",
        "schedule": 300.0,
    },
}

"""Beat's safety net emails what the on-commit task did not (broker down, worker died)."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from tests.notifications.factories import NotificationFactory
from tests.roster.factories import UserFactory
from tollservice.celery import app
from tollservice.notifications.models import Notification
from tollservice.notifications.services import CLAIM_TIMEOUT
from tollservice.notifications.tasks import deliver_pending_email

pytestmark = pytest.mark.django_db


def _age(notification, by: datetime.timedelta, **fields):
    Notification.objects.filter(pk=notification.pk).update(created_at=timezone.now() - by, **fields)


def test_safety_net_sends_old_unsent_notifications_once():
    old = NotificationFactory(recipient=UserFactory(email="old@station.invalid"))
    fresh = NotificationFactory(recipient=UserFactory(email="fresh@station.invalid"))
    done = NotificationFactory(recipient=UserFactory(email="done@station.invalid"))
    _age(old, CLAIM_TIMEOUT * 2)
    _age(done, CLAIM_TIMEOUT * 2, emailed_at=timezone.now())

    assert deliver_pending_email.delay().get() == 1
    assert [m.to for m in mail.outbox] == [["old@station.invalid"]]
    # fresh is left to its own on-commit task; a second run sends nothing more.
    assert deliver_pending_email.delay().get() == 0
    fresh.refresh_from_db()
    assert fresh.emailed_at is None


def test_safety_net_retries_a_claim_abandoned_by_a_dead_worker():
    abandoned = NotificationFactory(recipient=UserFactory(email="a@station.invalid"))
    busy = NotificationFactory(recipient=UserFactory(email="b@station.invalid"))
    _age(abandoned, CLAIM_TIMEOUT * 3, email_claimed_at=timezone.now() - CLAIM_TIMEOUT * 2)
    _age(busy, CLAIM_TIMEOUT * 3, email_claimed_at=timezone.now())

    assert deliver_pending_email() == 1
    assert [m.to for m in mail.outbox] == [["a@station.invalid"]]


def test_safety_net_is_on_the_beat_schedule_in_the_station_time_zone(settings):
    app.loader.import_default_modules()
    entry = app.conf.beat_schedule["notifications-deliver-pending-email"]
    assert entry["task"] in app.tasks
    assert entry["task"] == deliver_pending_email.name
    assert app.conf.timezone == settings.TIME_ZONE == "Asia/Shanghai"


def test_daily_beat_work_runs_at_a_fixed_local_hour_not_every_24_hours():
    # An interval of a day drifts with each restart of beat; a crontab runs at the same station time.
    from celery.schedules import crontab

    app.loader.import_default_modules()
    for name, entry in app.conf.beat_schedule.items():
        assert entry["task"] in app.tasks, name
        schedule = entry["schedule"]
        if not isinstance(schedule, crontab):
            assert float(schedule) < 3600, f"{name} repeats every {schedule} s: make it a crontab"

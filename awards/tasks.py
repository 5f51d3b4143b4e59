"""The awards' periodic work (the schedule is in ``tollservice/celery.py``)."""

import datetime

from celery import shared_task
from django.contrib.auth import get_user_model

from awards import services


@shared_task
def remind_study_before_phase_ends() -> int:
    """CAM-2: near the end of the study phase, remind those who have not studied (a service
    decides the days and sends each person one reminder a day, however often this runs)."""
    result = services.study_reminders_scheduled()
    return 0 if result is None else result.sent + len(result.unreached)


@shared_task
def refresh_ranking(
    year: int, kind: str, trigger: str = "request", requested_by_id: int | None = None, requested_at: str = ""
) -> int:
    """AWD-1: store a fresh ranking of ``year``'s ``kind`` award. Idempotent: run again for the
    same request (``requested_at``), it finds the ranking stored since and computes nothing."""
    requested_by = get_user_model().objects.filter(pk=requested_by_id).first() if requested_by_id else None
    stored = services.ranking_refresh(
        year=year,
        kind=kind,
        trigger=trigger,
        triggered_by=requested_by,
        requested_at=datetime.datetime.fromisoformat(requested_at) if requested_at else None,
    )
    return stored.pk


@shared_task
def refresh_current_rankings() -> int:
    """AWD-1: every night, this year's rankings of both awards computed afresh."""
    return len(services.rankings_refresh_current())

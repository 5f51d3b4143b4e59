"""The awards' periodic work (the schedule is in ``tollservice/celery.py``)."""

from celery import shared_task

from awards import services


@shared_task
def remind_study_before_phase_ends() -> int:
    """CAM-2: near the end of the study phase, remind those who have not studied (a service
    decides the days and sends each person one reminder a day, however often this runs)."""
    result = services.study_reminders_scheduled()
    return 0 if result is None else result.sent + len(result.unreached)

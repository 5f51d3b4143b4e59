"""Thin tasks of the shared core."""

from celery import shared_task

from tollservice.core.service_views import form_submissions_purge


@shared_task
def purge_form_submissions() -> int:
    """Daily: forget the tokens of forms submitted long enough ago that they have expired."""
    return form_submissions_purge()

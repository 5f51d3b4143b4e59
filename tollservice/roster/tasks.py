"""Thin tasks: take ids, call a service."""

from celery import shared_task

from tollservice.roster.services.accounts import account_set_password_email


@shared_task
def send_set_password_link(user_id: int) -> bool:
    return account_set_password_email(user_id=user_id)

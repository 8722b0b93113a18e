"""Periodic tasks of accounts: thin, idempotent."""

from celery import shared_task

from portal.accounts.services import sign_in_codes_purge


@shared_task(name="accounts.sign_in_codes_purge", soft_time_limit=120, time_limit=180, ignore_result=True)
def sign_in_codes_purge_task() -> None:
    sign_in_codes_purge()

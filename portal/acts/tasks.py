"""Celery tasks of the register of MSE acts: thin and idempotent. Scheduled in ``portal/acts/beat.py``."""

from celery import shared_task

from portal.acts import services


@shared_task(name="acts.send_term_reminders", soft_time_limit=240, time_limit=300, ignore_result=True)
def send_term_reminders() -> int:
    """X-10: remind people whose disability term ends soon to get a new form 031/u, once per act."""
    return services.term_reminders_send_due()

"""Celery tasks of the notifications app: thin, named, idempotent, IDs only."""

from __future__ import annotations

import datetime as dt
import logging
import math

from celery import shared_task
from celery.exceptions import MaxRetriesExceededError
from django.conf import settings
from django.utils import timezone

from notifications import services

logger = logging.getLogger(__name__)


def retry_countdown(retry_at: dt.datetime, now: dt.datetime) -> int:
    """Whole seconds until ``retry_at``, rounded up: a retry that lands early finds the message not
    due yet, and would have to run again."""
    return max(1, math.ceil((retry_at - now).total_seconds()))


@shared_task(name="notifications.message_send", bind=True, acks_late=True, soft_time_limit=60, time_limit=90)
def message_send_task(self, message_id: int) -> None:
    """Send one outbox message. Running it twice sends once (the row's status decides).

    A message that is due later (after a failure's backoff, a guard's hold, or because this run came
    early) is retried by this task at that time, so an urgent message (a sign-in code) never waits
    for the beat's next minute; long waits are left to the beat re-dispatch.
    """
    outcome = services.message_send(message_id=message_id)
    if outcome.retry_at is None:
        return
    countdown = retry_countdown(outcome.retry_at, timezone.now())
    if countdown > settings.SMS_TASK_RETRY_MAX_COUNTDOWN:
        return  # a long wait (quiet hours, long backoff) is the beat re-dispatch's job
    try:
        raise self.retry(countdown=countdown, max_retries=settings.SMS_TASK_MAX_RETRIES)
    except MaxRetriesExceededError:
        logger.warning("sms %s: task retries used up; the beat re-dispatch takes over", message_id)


@shared_task(name="notifications.dispatch_due", acks_late=True, soft_time_limit=120, time_limit=150)
def dispatch_due_task() -> int:
    """Beat, every minute: drain messages left due (broker outage, lost worker, backoff over)."""
    return services.messages_dispatch_due()


@shared_task(name="notifications.drain", acks_late=True, soft_time_limit=90, time_limit=120)
def messages_drain_task() -> int:
    """Send due messages in batches (claimed with SKIP LOCKED) for up to ``SMS_DRAIN_SECONDS``.

    Running it twice, or in several workers at once, sends each message once: a row is claimed by
    one drain only, and its status decides the rest."""
    return services.messages_drain()


@shared_task(name="notifications.poll_statuses", acks_late=True, soft_time_limit=240, time_limit=280)
def poll_statuses_task() -> int:
    """Beat, every 5 minutes: ask the gateway for delivery statuses not yet reported."""
    return services.messages_poll_statuses()

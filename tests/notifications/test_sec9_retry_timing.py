"""A retry runs when the message is due, never before: its countdown is rounded up, and a run that
arrives early re-schedules itself for the rest instead of leaving the message to the beat's next
minute (a sign-in code lives five minutes)."""

import datetime as dt

import pytest
from celery.exceptions import Retry
from django.utils import timezone

from notifications.models import Message
from notifications.services import notify
from notifications.tasks import message_send_task, retry_countdown

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 11, 30, 3, 0, tzinfo=dt.UTC)  # 08:00 in Almaty


@pytest.fixture
def clock(monkeypatch):
    """A clock the test moves: ``clock.at(seconds)`` sets now to T0 + seconds."""

    class Clock:
        now = T0

        def at(self, seconds: float) -> dt.datetime:
            self.now = T0 + dt.timedelta(seconds=seconds)
            return self.now

    c = Clock()
    monkeypatch.setattr(timezone, "now", lambda: c.now)
    return c


def _sign_in_code() -> Message:
    return notify(
        recipient="+77011234567",
        template="sign_in_code",
        context={"code": "482913", "minutes": 5},
        dedupe_key="sec9:code",
        urgent=True,
    )


@pytest.mark.parametrize(
    ("seconds", "countdown"),
    [(30.4, 31), (30.0, 30), (29.01, 30), (0.2, 1), (0, 1), (-5, 1)],
)
def test_sec9_retry_countdown_is_rounded_up(seconds, countdown):
    assert retry_countdown(T0 + dt.timedelta(seconds=seconds), T0) == countdown


def test_sec9_a_run_that_arrives_early_reschedules_itself_for_the_rest(clock, http_backend):
    message = _sign_in_code()
    Message.objects.filter(pk=message.pk).update(
        status=Message.Status.TECHNICAL_FAILURE, next_attempt_at=T0 + dt.timedelta(seconds=20.4)
    )
    with pytest.raises(Retry) as retry:
        message_send_task.apply(args=[message.pk])
    assert retry.value.when == 21
    assert http_backend.sent == []


def test_sec9_a_run_at_next_attempt_at_sends(clock, http_backend):
    message = _sign_in_code()
    Message.objects.filter(pk=message.pk).update(status=Message.Status.TECHNICAL_FAILURE, next_attempt_at=T0)
    result = message_send_task.apply(args=[message.pk])
    assert result.state == "SUCCESS"
    assert http_backend.ids() == [str(message.pk)]


def test_sec9_sign_in_code_after_a_gateway_refusal_goes_with_the_task_retry_not_the_beat(clock, http_backend):
    # given the gateway refuses the code for now (too many requests)
    http_backend.fail_next("error", 9)
    message = _sign_in_code()
    with pytest.raises(Retry) as first:
        message_send_task.apply(args=[message.pk])
    # then the task retries itself when the backoff is over
    assert first.value.when == 30
    # when that retry lands a little early (as a rounded-down countdown made it)
    clock.at(29.6)
    with pytest.raises(Retry) as early:
        message_send_task.apply(args=[message.pk])
    # then it re-schedules for the rest, not for the beat's next minute
    assert early.value.when == 1
    assert http_backend.sent == []
    # and the next run, on time, sends the code
    clock.at(30.0)
    assert message_send_task.apply(args=[message.pk]).state == "SUCCESS"
    assert http_backend.ids() == [str(message.pk)]
    message.refresh_from_db()
    assert message.status == Message.Status.SENT

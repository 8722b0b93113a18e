"""A gateway that accepts a message and then answers 502/503/504 has it: the outcome is unknown, and
the next attempt asks the gateway by the message's own id before sending anything again."""

import pytest
from django.db import transaction

from notifications.models import Message
from notifications.services import message_send, notify
from notifications.tasks import dispatch_due_task, message_send_task

pytestmark = pytest.mark.django_db

INVITE = {"full_name": "Сериков Ерлан", "link": "https://mse.example.kz/q"}


@pytest.fixture
def production_retries(settings):
    # The production default: immediate repeats of a call that surely did not reach the gateway.
    settings.SMS_GATEWAY_RETRIES = 2
    settings.SMS_RETRY_BACKOFF_SECONDS = 0
    settings.SMS_TASK_MAX_RETRIES = 0


def _notify(key: str, phone: str = "+77011234567") -> Message:
    with transaction.atomic():
        return notify(recipient=phone, template="queue_invited", context=INVITE, dedupe_key=key)


@pytest.mark.parametrize("http_status", [502, 503, 504])
def test_sec8_accepted_then_5xx_gives_exactly_one_message_at_the_gateway(
    http_status, production_retries, http_backend, django_capture_on_commit_callbacks
):
    # given the gateway takes the message, then answers an HTTP error
    http_backend.fail_next("accept_then_http", http_status)
    with django_capture_on_commit_callbacks(execute=True):
        message = _notify(f"sec8:{http_status}")
    # then the send was not repeated at once, and the outcome is recorded as unknown
    assert len(http_backend.sent) == 1
    message.refresh_from_db()
    assert message.status == Message.Status.TECHNICAL_FAILURE
    assert message.error_code == f"http:{http_status}"
    # when the retry path runs (the Celery retry, then the beat re-dispatch)
    message_send_task.apply(args=[message.pk])
    dispatch_due_task.apply()
    # then the gateway was asked, knew the message, and still holds exactly one
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert message.attempts == 2
    assert http_backend.ids() == [str(message.pk)]
    status_calls = [c for c in http_backend.calls if c["path"] == "/sys/status.php"]
    assert len(status_calls) == 1
    assert status_calls[0]["body"]["id"] == str(message.pk)


def test_sec8_five_messages_accepted_then_5xx_are_five_at_the_gateway(
    production_retries, http_backend, django_capture_on_commit_callbacks
):
    phones = [f"+7701123456{i}" for i in range(5)]
    for code in (502, 503, 504, 502, 503):
        http_backend.fail_next("accept_then_http", code)
    with django_capture_on_commit_callbacks(execute=True):
        messages = [_notify(f"sec8:five:{i}", phone) for i, phone in enumerate(phones)]
    dispatch_due_task.apply()
    dispatch_due_task.apply()
    assert len(http_backend.sent) == 5
    assert sorted(http_backend.ids()) == sorted(str(m.pk) for m in messages)
    assert set(Message.objects.values_list("status", flat=True)) == {Message.Status.SENT}


def test_sec8_5xx_before_accepting_is_sent_once_after_the_gateway_says_it_has_none(
    production_retries, http_backend, django_capture_on_commit_callbacks
):
    # given the gateway answers 502 without taking the message
    http_backend.fail_next("http", 502)
    with django_capture_on_commit_callbacks(execute=True):
        message = _notify("sec8:not-accepted")
    assert http_backend.sent == []
    # when the next attempt runs
    outcome = message_send(message_id=message.pk)
    # then the gateway was asked first, did not know it, and got it once
    assert outcome.status == Message.Status.SENT
    assert http_backend.ids() == [str(message.pk)]
    paths = [c["path"] for c in http_backend.calls]
    assert paths == ["/sys/send.php", "/sys/status.php", "/sys/send.php"]

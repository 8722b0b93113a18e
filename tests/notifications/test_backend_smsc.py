"""The http backend against a local server that behaves like SMSC.kz, failures included."""

import pytest

from notifications.backends import PermanentSendError, TechnicalSendError, TemporarySendError, backend_get
from notifications.models import Message
from notifications.services import message_send, messages_dispatch_due, messages_poll_statuses, notify

pytestmark = pytest.mark.django_db

INVITE = {"full_name": "Сериков Ерлан", "link": "https://mse.example.kz/q"}


def _message(person, key="m"):
    return notify(recipient=person, template="queue_invited", context=INVITE, dedupe_key=key)


def test_http_backend_sends_the_documented_request(person, http_backend):
    message = _message(person)
    outcome = message_send(message_id=message.pk)
    assert outcome.status == Message.Status.SENT
    [sent] = http_backend.sent
    assert sent["phone"] == "77011234567"  # digits, no "+"
    assert sent["id"] == str(message.pk)  # our id: the message can be looked up even if the answer is lost
    assert sent["text"] == message.text  # UTF-8 Cyrillic arrives intact
    message.refresh_from_db()
    assert message.gateway_id == str(message.pk)
    assert message.backend == "http"


@pytest.mark.parametrize(
    ("code", "error", "status"),
    [
        (1, PermanentSendError, Message.Status.PERMANENT_FAILURE),
        (2, TemporarySendError, Message.Status.TEMPORARY_FAILURE),
        (3, TemporarySendError, Message.Status.TEMPORARY_FAILURE),
        (4, TemporarySendError, Message.Status.TEMPORARY_FAILURE),
        (5, PermanentSendError, Message.Status.PERMANENT_FAILURE),
        (6, PermanentSendError, Message.Status.PERMANENT_FAILURE),
        (7, PermanentSendError, Message.Status.PERMANENT_FAILURE),
        (8, PermanentSendError, Message.Status.PERMANENT_FAILURE),
        (9, TemporarySendError, Message.Status.TEMPORARY_FAILURE),
    ],
)
def test_http_backend_handles_each_documented_error_code(person, http_backend, code, error, status):
    message = _message(person)
    http_backend.fail_next("error", code)
    with pytest.raises(error) as err:
        backend_get().send(message)
    assert err.value.code == f"smsc:{code}"
    http_backend.fail_next("error", code)
    message_send(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == status
    assert message.error_code == f"smsc:{code}"
    if status == Message.Status.PERMANENT_FAILURE:
        assert message.next_attempt_at is None  # not retried
    else:
        assert message.next_attempt_at > message.failed_at  # retried after a backoff


def test_wrong_credentials_are_a_temporary_failure_and_the_message_waits(settings, person, http_backend):
    settings.SMS_GATEWAY_PASSWORD = "wrong"
    message = _message(person)
    message_send(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == Message.Status.TEMPORARY_FAILURE
    assert message.reason == "wrong gateway login or password"
    assert http_backend.sent == []


def test_bad_number_at_the_gateway_is_a_permanent_failure_not_retried(settings, person, http_backend):
    settings.SMS_RETRY_BACKOFF_SECONDS = 0
    message = _message(person)
    http_backend.fail_next("error", 7)
    message_send(message_id=message.pk)
    messages_dispatch_due()
    message.refresh_from_db()
    assert message.status == Message.Status.PERMANENT_FAILURE
    assert message.reason == "invalid phone number"
    assert http_backend.requests == 1
    assert message.attempts == 1


def test_transient_http_error_of_a_status_read_is_retried_within_the_call(settings, person, http_backend):
    settings.SMS_GATEWAY_RETRIES = 1
    message = _message(person)
    assert message_send(message_id=message.pk).status == Message.Status.SENT
    http_backend.fail_next("status_http", 503)
    # a read is safe to repeat: the second status call answers
    assert backend_get().status(message).status == Message.Status.SENT
    assert [c["path"] for c in http_backend.calls] == ["/sys/send.php", "/sys/status.php", "/sys/status.php"]


def test_gateway_server_error_is_a_technical_failure(person, http_backend):
    http_backend.fail_next("http", 500)
    message = _message(person)
    assert message_send(message_id=message.pk).status == Message.Status.TECHNICAL_FAILURE


def test_gateway_unreachable_is_a_technical_failure(person, http_backend):
    http_backend.stop()
    message = _message(person)
    with pytest.raises(TechnicalSendError):
        backend_get().send(message)
    message_send(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == Message.Status.TECHNICAL_FAILURE
    assert message.error_code == "unreachable"
    assert message.next_attempt_at is not None


def test_gateway_timeout_is_a_technical_failure(settings, person, http_backend):
    settings.SMS_GATEWAY_TIMEOUT_SECONDS = 0.2
    http_backend.fail_next("lost_answer", 0.6)
    message = _message(person)
    message_send(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == Message.Status.TECHNICAL_FAILURE
    assert message.error_code == "timeout"


@pytest.mark.parametrize(
    ("code", "status"),
    [
        (1, Message.Status.DELIVERED),
        (3, Message.Status.PERMANENT_FAILURE),
        (20, Message.Status.PERMANENT_FAILURE),
        (22, Message.Status.PERMANENT_FAILURE),
        (0, Message.Status.SENT),
    ],
)
def test_status_poll_updates_accepted_messages(settings, person, http_backend, code, status):
    settings.SMS_STATUS_POLL_MIN_AGE_SECONDS = 0
    message = _message(person)
    message_send(message_id=message.pk)
    http_backend.set_status(str(message.pk), code)
    assert messages_poll_statuses() == 1
    message.refresh_from_db()
    assert message.status == status
    if status == Message.Status.DELIVERED:
        assert message.delivered_at is not None
        # a later, older report never moves a delivered message back
        http_backend.set_status(str(message.pk), 0)
        messages_poll_statuses()
        message.refresh_from_db()
        assert message.status == Message.Status.DELIVERED

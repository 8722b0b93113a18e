"""The gateway's login and password travel only in POST bodies, never in a URL (URLs are logged)."""

import pytest

from notifications.backends import backend_get
from notifications.services import message_send, messages_poll_statuses, notify
from tests.notifications.fake_smsc import LOGIN, PASSWORD

pytestmark = pytest.mark.django_db

INVITE = {"full_name": "Сериков Ерлан", "link": "https://mse.example.kz/q"}


def test_sec12_send_and_status_calls_carry_credentials_in_the_post_body_only(settings, http_backend):
    settings.SMS_STATUS_POLL_MIN_AGE_SECONDS = 0
    message = notify(recipient="+77011234567", template="queue_invited", context=INVITE, dedupe_key="sec12")
    message_send(message_id=message.pk)
    message.refresh_from_db()
    backend_get().status(message)  # the status call of an uncertain attempt
    assert messages_poll_statuses() == 1  # and of the beat's poll
    calls = http_backend.calls
    assert [(c["method"], c["path"]) for c in calls] == [
        ("POST", "/sys/send.php"),
        ("POST", "/sys/status.php"),
        ("POST", "/sys/status.php"),
    ]
    for call in calls:
        assert call["query"] == ""
        assert (call["body"]["login"], call["body"]["psw"]) == (LOGIN, PASSWORD)
    assert calls[1]["body"]["phone"] == "77011234567"
    assert calls[1]["body"]["id"] == str(message.pk)

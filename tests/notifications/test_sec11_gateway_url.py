"""``SMS_GATEWAY_URL`` is the gateway's base address; one written with the API path works too."""

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from notifications.backends import backend_get
from notifications.models import Message
from notifications.services import message_send, notify

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
INVITE = {"full_name": "Сериков Ерлан", "link": "https://mse.example.kz/q"}


def _example_gateway_url() -> str:
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    (value,) = [line.split("=", 1)[1].strip() for line in lines if line.startswith("SMS_GATEWAY_URL=")]
    return value


def test_sec11_env_example_names_the_gateway_base_address():
    url = urlsplit(_example_gateway_url())
    assert (url.scheme, url.netloc, url.path) == ("https", "smsc.kz", "")


def test_sec11_the_example_address_shape_sends(settings, http_backend):
    # the example's address, with the local gateway's host in place of the real one
    settings.SMS_GATEWAY_URL = http_backend.url + urlsplit(_example_gateway_url()).path
    message = notify(recipient="+77011234567", template="queue_invited", context=INVITE, dedupe_key="sec11:ex")
    assert message_send(message_id=message.pk).status == Message.Status.SENT
    assert http_backend.ids() == [str(message.pk)]


@pytest.mark.parametrize("suffix", ["", "/", "/sys/send.php", "/sys/status.php", "/sys", "/sys/"])
def test_sec11_gateway_url_with_or_without_the_api_path_sends_and_reads_status(settings, http_backend, suffix):
    settings.SMS_GATEWAY_URL = http_backend.url + suffix
    message = notify(recipient="+77011234567", template="queue_invited", context=INVITE, dedupe_key="sec11")
    assert message_send(message_id=message.pk).status == Message.Status.SENT
    message.refresh_from_db()
    assert backend_get().status(message).status == Message.Status.SENT
    assert [c["path"] for c in http_backend.calls] == ["/sys/send.php", "/sys/status.php"]

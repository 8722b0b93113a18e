"""No IIN, phone number or secret in any log line: every handler masks them (portal/log_filters.py)."""

import io
import logging

import pytest

from portal.celery import app as celery_app
from portal.log_filters import PersonalDataFilter, mask_personal_data


@pytest.mark.parametrize(
    ("line", "masked"),
    [
        (
            "GET /api/v1/queue/bookings/?citizen_iin=900101300017 200",
            "GET /api/v1/queue/bookings/?citizen_iin=[iin] 200",
        ),
        ("user iin900101300017 signed in", "user iin[iin] signed in"),
        ("sms to +77011234567 failed", "sms to [phone] failed"),
        ("sms to 77011234567 failed", "sms to [phone] failed"),
        ("phone 8 (701) 123-45-67 invalid", "phone [phone] invalid"),
        ("phone +7 701 123 45 67 invalid", "phone [phone] invalid"),
        ("to +447911123456 abroad", "to [phone] abroad"),
        ("GET /sys/status.php?login=portal&psw=secret-psw&phone=77011234567&id=5", None),
        ('{"password": "hunter2", "user": "op"}', '{"password": "***", "user": "op"}'),
        ("password=hunter2 api_key=abc123", "password=*** api_key=***"),
        # what must stay: masked phones, message ids, times, dates, short numbers
        (
            "sms 12345 to +7 701 *** ** 67 at 2026-11-30 08:00:00",
            "sms 12345 to +7 701 *** ** 67 at 2026-11-30 08:00:00",
        ),
    ],
)
def test_sec12_mask_personal_data(line, masked):
    if masked is None:
        masked = "GET /sys/status.php?login=portal&psw=***&phone=[phone]&id=5"
    assert mask_personal_data(line) == masked


def test_sec12_filter_masks_arguments_and_tracebacks():
    record = logging.LogRecord(
        "x", logging.ERROR, __file__, 1, "booking for %s (%s)", ("900101300017", "+77011234567"), None
    )
    try:
        raise ValueError("no person with IIN 850315400005")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    PersonalDataFilter().filter(record)
    assert record.getMessage() == "booking for [iin] ([phone])"
    assert "850315400005" not in record.exc_text
    assert "no person with IIN [iin]" in record.exc_text


def _through_handler(handler: logging.Handler, logger_name: str, *args) -> str:
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        logging.getLogger(logger_name).warning(*args)
    finally:
        handler.setStream(previous)
    return stream.getvalue()


def _configured_handler(logger: logging.Logger) -> logging.StreamHandler:
    # The handler settings.LOGGING put there (pytest adds its own capture handlers beside it).
    (handler,) = [h for h in logger.handlers if any(isinstance(f, PersonalDataFilter) for f in h.filters)]
    return handler


def test_sec12_every_configured_log_line_is_masked():
    root_handler = _configured_handler(logging.getLogger())
    written = _through_handler(root_handler, "notifications.backends.smsc", "gateway %s psw=%s", "+77011234567", "pw1")
    assert "gateway [phone] psw=***" in written
    assert "77011234567" not in written
    assert "pw1" not in written


def test_sec12_development_server_request_lines_are_masked():
    handler = _configured_handler(logging.getLogger("django.server"))
    written = _through_handler(handler, "django.server", '"GET /x/?citizen_iin=%s HTTP/1.1" 200', "900101300017")
    assert "citizen_iin=[iin]" in written
    assert "900101300017" not in written


def test_sec12_celery_workers_log_through_the_same_handlers():
    assert celery_app.conf.worker_hijack_root_logger is False


def test_sec12_gunicorn_access_log_is_masked(tmp_path):
    """A real gunicorn, started as the image starts it (gunicorn.conf.py read from the working directory)."""
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.request
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "CELERY_BROKER_URL": "memory://"}
    command = [sys.executable, "-m", "gunicorn", "portal.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    server = subprocess.Popen(
        [*command, "--workers", "1", "--access-logfile", "-"],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        for _ in range(100):  # until it listens
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        url = f"http://127.0.0.1:{port}/healthz?citizen_iin=900101300017&phone=%2B77011234567"
        with urllib.request.urlopen(url, timeout=30) as response:
            assert response.status == 200
    finally:
        server.terminate()
        written, _ = server.communicate(timeout=30)
    assert "GET /healthz?citizen_iin=[iin]&phone=%2B[phone]" in written
    assert "900101300017" not in written
    assert "77011234567" not in written

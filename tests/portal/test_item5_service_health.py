"""Issue 14, item 5: the service's own health. /healthz on django-health-check with the beat's
age; /metrics in the Prometheus format, for the operator only; JSON log lines, masked."""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from notifications.models import Message
from notifications.services import notify
from portal.health import BEAT_LATE, BEAT_OK, BEAT_UNKNOWN
from portal.log_filters import PersonalDataFilter
from portal.monitoring.logs import JsonFormatter
from portal.monitoring.metrics import celery_queue_length, registered_gauges
from portal.tasks import HEARTBEAT_KEY
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "operator-metrics-token-0123456789"
INVITE = {"full_name": "Сериков Ерлан", "link": "https://mse.example.kz/q"}


def _heartbeat(minutes_ago: float) -> None:
    cache.set(HEARTBEAT_KEY, (timezone.now() - dt.timedelta(minutes=minutes_ago)).isoformat(), timeout=None)


@pytest.fixture(autouse=True)
def _no_heartbeat():
    cache.delete(HEARTBEAT_KEY)
    yield
    cache.delete(HEARTBEAT_KEY)


# --- /healthz -------------------------------------------------------------------------------------
def test_item5_healthz_keeps_its_contract_and_adds_the_beat(client):
    _heartbeat(minutes_ago=1)
    body = client.get("/healthz").json()
    assert set(body) == {"status", "components", "celery_heartbeat", "beat"}
    assert body["status"] == "ok"
    assert body["components"] == {"database": "ok", "cache": "ok", "broker": "ok"}
    assert body["beat"]["state"] == BEAT_OK == "ok"
    assert body["beat"]["last_ran"] == body["celery_heartbeat"]
    assert 60 <= body["beat"]["age_seconds"] < 120
    assert body["beat"]["max_age_seconds"] == 300  # the default: five minutes


def test_item5_healthz_beat_four_minutes_ago_is_on_time(client):
    _heartbeat(minutes_ago=4)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["beat"]["state"] == "ok"
    assert response.json()["status"] == "ok"


def test_item5_healthz_beat_six_minutes_ago_is_late_and_degrades_the_status(client):
    _heartbeat(minutes_ago=6)
    response = client.get("/healthz")
    assert response.status_code == 200  # every request is still served: no traffic taken away
    body = response.json()
    assert body["beat"]["state"] == BEAT_LATE == "late"
    assert body["status"] == "degraded"
    assert body["components"] == {"database": "ok", "cache": "ok", "broker": "ok"}


def test_item5_healthz_beat_limit_is_the_setting(client, settings):
    settings.HEALTH_BEAT_MAX_AGE_SECONDS = 120
    _heartbeat(minutes_ago=3)
    assert client.get("/healthz").json()["beat"]["state"] == "late"
    settings.HEALTH_BEAT_MAX_AGE_SECONDS = 600
    assert client.get("/healthz").json()["beat"]["state"] == "ok"


def test_item5_healthz_no_heartbeat_recorded_is_unknown_and_not_degraded(client):
    body = client.get("/healthz").json()
    assert body["beat"] == {"state": BEAT_UNKNOWN, "last_ran": None, "age_seconds": None, "max_age_seconds": 300}
    assert body["celery_heartbeat"] is None
    assert body["status"] == "ok"


# --- /metrics ---------------------------------------------------------------------------------------
def _scrape(client) -> dict[str, list]:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    return {f.name: f.samples for f in text_string_to_metric_families(response.content.decode())}


def _gauge(families: dict[str, list], name: str) -> float:
    [sample] = families[name]
    return sample.value


def test_item5_metrics_not_found_without_the_operator_token_or_address(client, settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_IPS = []
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong-token").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Basic {TOKEN}").status_code == 404
    settings.METRICS_TOKEN = ""  # no token configured: an empty bearer proves nothing
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


def test_item5_metrics_production_default_is_closed_to_everyone(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = []
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 404


def test_item5_metrics_served_to_an_allowed_address_only(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = ["10.0.0.5"]
    assert client.get("/metrics", REMOTE_ADDR="10.0.0.5").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.0.0.6").status_code == 404


def test_item5_metrics_request_latency_by_route_pattern_never_the_path(client, settings):
    settings.METRICS_TOKEN = TOKEN
    client.get("/healthz")
    client.get("/no-such-page/900101300017/")
    families = _scrape(client)
    samples = families["portal_http_request_duration_seconds"]
    routes = {s.labels["route"] for s in samples}
    assert "healthz" in routes
    assert "unmatched" in routes
    assert not any("900101300017" in route for route in routes)
    counts = [
        s
        for s in samples
        if s.name.endswith("_count") and s.labels["route"] == "healthz" and s.labels["status"] == "2xx"
    ]
    assert counts
    assert counts[0].value >= 1


def test_item5_metrics_outbox_backlog_counts_due_unsent_messages(client, settings):
    settings.METRICS_TOKEN = TOKEN
    person = PersonFactory(phone="+77011234567")
    messages = [
        notify(recipient=person, template="queue_invited", context=INVITE, dedupe_key=f"m{i}") for i in range(5)
    ]
    now = timezone.now()
    due, due_retry, future, sent, delivered = (m.pk for m in messages)
    Message.objects.filter(pk=due).update(status=Message.Status.CREATED, next_attempt_at=now - dt.timedelta(minutes=2))
    Message.objects.filter(pk=due_retry).update(
        status=Message.Status.TEMPORARY_FAILURE, next_attempt_at=now - dt.timedelta(seconds=30)
    )
    Message.objects.filter(pk=future).update(
        status=Message.Status.TEMPORARY_FAILURE, next_attempt_at=now + dt.timedelta(minutes=10)
    )
    Message.objects.filter(pk=sent).update(status=Message.Status.SENT, next_attempt_at=None)
    Message.objects.filter(pk=delivered).update(status=Message.Status.DELIVERED, next_attempt_at=None)
    assert _gauge(_scrape(client), "portal_sms_outbox_backlog") == 2


def test_item5_metrics_celery_queue_length_unknown_on_the_filesystem_broker(client, settings):
    settings.METRICS_TOKEN = TOKEN
    settings.CELERY_BROKER_URL = "filesystem://"
    assert celery_queue_length() is None
    assert math.isnan(_gauge(_scrape(client), "portal_celery_queue_length"))


def test_item5_metrics_celery_queue_length_unknown_when_redis_is_down(settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    assert celery_queue_length() is None


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis as the broker")
def test_item5_metrics_celery_queue_length_is_the_redis_list_length(client, settings):
    import redis

    from portal.celery import app

    settings.METRICS_TOKEN = TOKEN
    server = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    queue = app.conf.task_default_queue
    server.delete(queue)
    try:
        server.rpush(queue, "a", "b", "c")
        assert _gauge(_scrape(client), "portal_celery_queue_length") == 3
    finally:
        server.delete(queue)


def test_item5_metrics_heartbeat_age(client, settings):
    settings.METRICS_TOKEN = TOKEN
    _heartbeat(minutes_ago=2)
    assert 120 <= _gauge(_scrape(client), "portal_celery_heartbeat_age_seconds") < 180


def test_item5_each_app_registers_its_own_gauges():
    names = {g.name for g in registered_gauges()}
    assert {
        "portal_celery_queue_length",  # the core's
        "portal_celery_heartbeat_age_seconds",  # the core's
        "portal_sms_outbox_backlog",  # notifications'
        "portal_pilot_distribution_waiting",  # mse_pilot's
    } <= names


# --- JSON log lines -------------------------------------------------------------------------------
def _record(message: str, *args, **extra) -> logging.LogRecord:
    record = logging.LogRecord("portal.test", logging.WARNING, __file__, 1, message, args, None)
    record.__dict__.update(extra)
    return record


def test_item5_json_log_line_masks_iin_and_phone_in_message_and_extra_fields():
    record = _record(
        "booking for %s, phone %s",
        "900101300017",
        "+7 701 123 45 67",
        citizen_iin="900101300017",
        phone="87011234567",
        iin_number=900101300017,
        contact={"mobile": "+77011234567", "list": ["8 (701) 123-45-67"]},
        slot=3,
    )
    PersonalDataFilter().filter(record)  # the handler's filter, as settings.LOGGING wires it
    line = JsonFormatter().format(record)
    assert "\n" not in line
    data = json.loads(line)
    assert data["message"] == "booking for [iin], phone [phone]"
    assert data["citizen_iin"] == "[iin]"
    assert data["phone"] == "[phone]"
    assert data["iin_number"] == "[iin]"
    assert data["contact"] == {"mobile": "[phone]", "list": ["[phone]"]}
    assert data["slot"] == 3
    assert data["level"] == "WARNING"
    assert data["logger"] == "portal.test"
    for secret in ("900101300017", "7011234567", "701 123", "701) 123"):
        assert secret not in line


def test_item5_json_log_line_masks_the_traceback_even_without_the_filter():
    try:
        raise ValueError("no person with IIN 900101300017, phone +77011234567")
    except ValueError:
        record = logging.LogRecord("portal.test", logging.ERROR, __file__, 1, "failed", None, sys.exc_info())
    data = json.loads(JsonFormatter().format(record))
    assert "ValueError: no person with IIN [iin], phone [phone]" in data["exception"]


def test_item5_log_format_json_setting_writes_one_masked_json_line_per_record():
    code = (
        "import logging; log = logging.getLogger('portal.check');"
        "log.warning('iin %s phone %s', '900101300017', '+77011234567', extra={'phone': '87011234567'});"
        "log.warning('second')"
    )
    env = {**os.environ, "LOG_FORMAT": "json", "DJANGO_SETTINGS_MODULE": "tests.settings"}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    ours = [line for line in lines if line["logger"] == "portal.check"]
    assert [line["message"] for line in ours] == ["iin [iin] phone [phone]", "second"]
    assert ours[0]["phone"] == "[phone]"
    assert "900101300017" not in result.stderr
    assert "7011234567" not in result.stderr

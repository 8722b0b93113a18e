"""sec10: production-safe defaults; the dev inbox only where asked for; no secret on the debug page."""

import importlib
import json
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.test import RequestFactory, override_settings
from django.urls import NoReverseMatch, clear_url_caches, reverse
from django.views.debug import technical_500_response

from notifications.services import message_send, notify

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parents[2]
INBOX = "/notifications/dev/inbox/"
REDIS_PASSWORD = "r3dis-Pa55word"
DB_PASSWORD = "pg-Pa55word"
REDIS_URL = f"redis://:{REDIS_PASSWORD}@redis.internal:6379/0"
DATABASE_URL = f"postgres://portal:{DB_PASSWORD}@db.internal:5432/portal"


def _settings_in_a_fresh_process(env_extra: dict) -> subprocess.CompletedProcess:
    """Load portal.settings (not the test settings) with only ``env_extra`` among the portal's variables."""
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.DEBUG, s.SMS_DEV_INBOX, s.SMS_BACKEND]))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SMS_"))}
    env.update(env_extra, DJANGO_SETTINGS_MODULE="portal.settings")
    return subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def _skip_if_dotenv_sets_debug():
    # the settings read a local .env for variables the environment does not set
    if (BASE_DIR / ".env").exists():
        pytest.skip("a local .env may set DJANGO_DEBUG or the key: the bare defaults cannot be observed here")


def test_sec10_unset_django_debug_means_production():
    _skip_if_dotenv_sets_debug()
    result = _settings_in_a_fresh_process({"DJANGO_SECRET_KEY": "x" * 60, "SMS_DEV_INBOX": "true"})
    assert result.returncode == 0, result.stderr
    debug, dev_inbox, backend = json.loads(result.stdout.strip().splitlines()[-1])
    assert debug is False
    assert dev_inbox is False  # asking for the inbox does not open it in production
    assert backend == "http"


def test_sec10_unset_django_debug_without_a_secret_key_refuses_to_start():
    _skip_if_dotenv_sets_debug()
    result = _settings_in_a_fresh_process({})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_sec10_development_is_on_only_when_asked_for():
    result = _settings_in_a_fresh_process({"DJANGO_DEBUG": "true", "SMS_DEV_INBOX": "true"})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [True, True, "database"]
    result = _settings_in_a_fresh_process({"DJANGO_DEBUG": "true"})
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [True, False, "database"]


def test_sec10_make_run_turns_development_and_the_inbox_on_explicitly():
    procfile = dict(line.split(": ", 1) for line in (BASE_DIR / "Procfile.dev").read_text().splitlines() if line)
    assert set(procfile) == {"web", "worker", "beat"}
    for command in procfile.values():
        assert command.startswith("DJANGO_DEBUG=true ")
    assert "SMS_DEV_INBOX=true" in procfile["web"]
    assert "SMS_DEV_INBOX" not in procfile["worker"]


def _reload_urls():
    importlib.reload(importlib.import_module("notifications.urls"))
    importlib.reload(importlib.import_module("portal.urls"))
    clear_url_caches()


@contextmanager
def urls_with(**overrides):
    """The URL map as it is built at start-up under these settings, put back afterwards."""
    try:
        with override_settings(**overrides):
            _reload_urls()
            yield
    finally:
        _reload_urls()


@pytest.fixture
def message(person_with_phone):
    message = notify(
        recipient=person_with_phone, template="sign_in_code", context={"code": "123456", "minutes": 5}, dedupe_key="x"
    )
    message_send(message_id=message.pk)
    return message


@pytest.fixture
def person_with_phone():
    from tests.factories import PersonFactory

    return PersonFactory(phone="+77011234567")


def test_sec10_dev_inbox_is_not_routed_in_debug_unless_enabled(client, message):
    with urls_with(DEBUG=True, SMS_DEV_INBOX=False):
        with pytest.raises(NoReverseMatch):
            reverse("notifications:dev-inbox")
        response = client.get(INBOX)
        assert response.status_code == 404
        assert "123456" not in response.content.decode()


def test_sec10_dev_inbox_is_refused_when_debug_is_off_at_run_time(client, message):
    with urls_with(DEBUG=False, SMS_DEV_INBOX=True):
        assert client.get(INBOX).status_code == 404


def test_sec10_dev_inbox_shows_messages_in_development_when_enabled(client, message):
    with urls_with(DEBUG=True, SMS_DEV_INBOX=True):
        assert reverse("notifications:dev-inbox") == INBOX
        response = client.get(INBOX)
        assert response.status_code == 200
        assert "123456" in response.content.decode()


def _debug_page(request) -> str:
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        return technical_500_response(request, *sys.exc_info()).content.decode()


@override_settings(
    DEBUG=True,
    REDIS_URL=REDIS_URL,
    DATABASE_URL_FOR_REPORTS=DATABASE_URL,
    SENTRY_DSN=f"https://public:{DB_PASSWORD}@sentry.example.kz/1",
    CELERY_BROKER_URL=REDIS_URL,
    CACHES={
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": REDIS_URL},
        "throttle": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "throttle"},
    },
)
def test_sec10_debug_page_never_shows_redis_or_database_passwords():
    # runserver copies the process environment into request.META: the URLs are there too
    request = RequestFactory().get("/boom", REDIS_URL=REDIS_URL, DATABASE_URL=DATABASE_URL)
    page = _debug_page(request)
    assert "RuntimeError" in page  # it is the debug page
    assert REDIS_PASSWORD not in page
    assert DB_PASSWORD not in page
    # the cache's LOCATION is not a secret by name: its URL keeps the host, not the password
    assert "redis://:********************@redis.internal:6379/0" in page


def test_sec10_error_report_filter_masks_a_password_in_any_url_value():
    from portal.error_reports import SecretsHiddenReporterFilter

    f = SecretsHiddenReporterFilter()
    assert f.cleanse_setting("REDIS_URL", REDIS_URL) == "********************"
    assert f.cleanse_setting("SENTRY_DSN", "https://k@sentry.example.kz/1") == "********************"
    assert f.cleanse_setting("OPTIONS", {"LOCATION": DATABASE_URL}) == {
        "LOCATION": "postgres://portal:********************@db.internal:5432/portal"
    }
    assert f.cleanse_setting("TIME_ZONE", "Asia/Almaty") == "Asia/Almaty"

"""Fixtures of the notifications tests: a local SMSC-like gateway and the http backend pointed at it."""

import pytest
from django.db import connection

from tests.factories import PersonFactory
from tests.notifications.fake_smsc import LOGIN, PASSWORD, FakeSmsc


def needs_postgres():
    """Skip a test that needs real concurrent connections when the database is SQLite."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: concurrent transactions")


@pytest.fixture(autouse=True)
def _notification_settings(settings):
    # Deterministic by default: no quiet hours, no rate limit, no grace before the beat re-dispatch.
    settings.SMS_QUIET_HOURS_START = settings.SMS_QUIET_HOURS_END = "00:00"
    settings.SMS_RATE_LIMIT_PER_HOUR = 0
    settings.SMS_REDISPATCH_GRACE_SECONDS = 0
    settings.SMS_GATEWAY_RETRIES = 0
    settings.SMS_GATEWAY_TIMEOUT_SECONDS = 2.0


@pytest.fixture
def gateway():
    with FakeSmsc() as fake:
        yield fake


@pytest.fixture
def http_backend(settings, gateway):
    settings.SMS_BACKEND = "http"
    settings.SMS_GATEWAY_URL = gateway.url
    settings.SMS_GATEWAY_LOGIN = LOGIN
    settings.SMS_GATEWAY_PASSWORD = PASSWORD
    settings.SMS_GATEWAY_SENDER = "MSE.KZ"
    return gateway


@pytest.fixture
def person(db):
    return PersonFactory(phone="+77011234567", preferred_language="ru", last_name="Сериков", first_name="Ерлан")


@pytest.fixture
def seeded_templates(transactional_db):
    """Transactional tests flush the database after each test: put the seeded templates back."""
    import importlib

    from django.apps import apps

    importlib.import_module("notifications.migrations.0002_seed_templates").seed(apps, None)

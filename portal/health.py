"""What ``/healthz`` reports: the state of each component the portal runs on, each probed briefly.

- ``database``: the portal can do nothing without it.
- ``cache``: Redis (or the database cache of the embedded default). Without it the portal keeps
  working: cache reads miss and API request budgets are not enforced.
- ``broker``: Celery's broker. Without it SMS wait in the outbox, and the beat re-dispatch sends
  them once it is back.
"""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import Error as DatabaseError
from django.db import connection
from kombu.exceptions import OperationalError as BrokerError

OK, DOWN = "ok", "down"
PROBE_KEY_PREFIX = "portal:healthz:probe:"

logger = logging.getLogger(__name__)


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        logger.warning("healthz: database down (%s)", type(exc).__name__)
        return DOWN
    return OK


def cache_state() -> str:
    """A write read back. The Redis cache swallows its own connection errors (it fails open), so
    only a value that comes back proves the cache works."""
    key, token = PROBE_KEY_PREFIX + uuid.uuid4().hex, uuid.uuid4().hex
    try:
        cache.set(key, token, timeout=10)
        state = OK if cache.get(key) == token else DOWN
        cache.delete(key)
    except DatabaseError as exc:  # the embedded default's database cache
        logger.warning("healthz: cache down (%s)", type(exc).__name__)
        return DOWN
    return state


def broker_state() -> str:
    from portal.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(
                max_retries=1, interval_start=0, interval_step=0.2, timeout=settings.REDIS_SOCKET_TIMEOUT_SECONDS
            )
    except (BrokerError, OSError) as exc:
        logger.warning("healthz: broker down (%s)", type(exc).__name__)
        return DOWN
    return OK


def components() -> dict[str, str]:
    return {"database": database_state(), "cache": cache_state(), "broker": broker_state()}

"""What ``/healthz`` reports: the state of each component the portal runs on, each probed briefly.

- ``database``: the portal can do nothing without it.
- ``cache``: Redis (or the database cache of the embedded default). Without it the portal keeps
  working: cache reads miss and API request budgets are not enforced.
- ``broker``: Celery's broker. Without it SMS wait in the outbox, and the beat re-dispatch sends
  them once it is back.
- ``beat`` (reported beside the components): how long ago the beat-scheduled heartbeat last ran on
  a worker, against ``HEALTH_BEAT_MAX_AGE_SECONDS``. Late: beat, or every worker, has stopped, and
  nothing periodic runs (SMS re-dispatch, lateness annulments, retention purges).

Each probe is a django-health-check ``HealthCheck``: the library's ``Database`` check and the
portal's own cache, broker and beat checks, each failing with the library's
``HealthCheckException``. They run synchronously in the request's own thread (``check_passes``),
not through the library's asyncio runner: Django refuses database calls from an event loop, and a
probe in a worker thread would open (and leave) a database connection of its own.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
import logging
import uuid
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import Error as DatabaseError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from health_check.base import HealthCheck
from health_check.checks import Database
from health_check.exceptions import HealthCheckException, ServiceUnavailable, ServiceWarning
from kombu.exceptions import OperationalError as BrokerError

from portal.tasks import HEARTBEAT_KEY

OK, DOWN = "ok", "down"
# The beat's states: ran within the limit, ran longer ago, or no heartbeat recorded (never ran
# since the cache was emptied, or the cache is down).
BEAT_OK, BEAT_LATE, BEAT_UNKNOWN = "ok", "late", "unknown"
PROBE_KEY_PREFIX = "portal:healthz:probe:"

logger = logging.getLogger(__name__)


@dataclasses.dataclass
class CacheCheck(HealthCheck):
    """A write read back. The Redis cache swallows its own connection errors (it fails open), so
    only a value that comes back proves the cache works."""

    def run(self) -> None:
        key, token = PROBE_KEY_PREFIX + uuid.uuid4().hex, uuid.uuid4().hex
        try:
            cache.set(key, token, timeout=10)
            came_back = cache.get(key) == token
            cache.delete(key)
        except DatabaseError as exc:  # the embedded default's database cache
            raise ServiceUnavailable(type(exc).__name__) from exc
        if not came_back:
            raise ServiceUnavailable("the value written did not come back")


@dataclasses.dataclass
class BrokerCheck(HealthCheck):
    """One connection to Celery's broker, one quick retry."""

    def run(self) -> None:
        from portal.celery import app

        try:
            with app.connection_for_write() as conn:
                conn.ensure_connection(
                    max_retries=1,
                    interval_start=0,
                    interval_step=0.2,
                    timeout=settings.REDIS_SOCKET_TIMEOUT_SECONDS,
                )
        except (BrokerError, OSError) as exc:
            raise ServiceUnavailable(type(exc).__name__) from exc


def heartbeat_last_ran() -> dt.datetime | None:
    value = cache.get(HEARTBEAT_KEY)
    return parse_datetime(value) if isinstance(value, str) else None


@dataclasses.dataclass
class BeatCheck(HealthCheck):
    """The heartbeat (every minute: beat -> broker -> worker -> cache) ran within ``max_age``."""

    max_age: dt.timedelta = dataclasses.field(default_factory=lambda: dt.timedelta(minutes=5))

    def run(self) -> None:
        last_ran = heartbeat_last_ran()
        if last_ran is None:
            raise ServiceWarning("no heartbeat recorded")
        if timezone.now() - last_ran > self.max_age:
            raise ServiceUnavailable(f"the heartbeat last ran at {last_ran.isoformat()}")


def check_passes(check: HealthCheck) -> bool:
    """Runs a synchronous check in this thread; an expected failure is logged as one warning line."""
    if inspect.iscoroutinefunction(check.run):
        raise TypeError(f"{check!r}: /healthz runs synchronous checks only")
    try:
        check.run()
    except HealthCheckException as exc:
        logger.warning("healthz: %r failed (%s)", check, exc)
        return False
    return True


def _state(check: HealthCheck) -> str:
    return OK if check_passes(check) else DOWN


def database_state() -> str:
    return _state(Database())


def cache_state() -> str:
    return _state(CacheCheck())


def broker_state() -> str:
    return _state(BrokerCheck())


def components() -> dict[str, str]:
    return {"database": database_state(), "cache": cache_state(), "broker": broker_state()}


def beat(*, cache_up: bool) -> dict[str, Any]:
    """The beat's state, when the heartbeat last ran and how many seconds ago, and the limit."""
    max_age = dt.timedelta(seconds=settings.HEALTH_BEAT_MAX_AGE_SECONDS)
    last_ran = heartbeat_last_ran() if cache_up else None
    age = None if last_ran is None else max(0, int((timezone.now() - last_ran).total_seconds()))
    state = BEAT_UNKNOWN if last_ran is None else BEAT_OK if check_passes(BeatCheck(max_age=max_age)) else BEAT_LATE
    return {
        "state": state,
        "last_ran": last_ran.isoformat() if last_ran else None,
        "age_seconds": age,
        "max_age_seconds": settings.HEALTH_BEAT_MAX_AGE_SECONDS,
    }

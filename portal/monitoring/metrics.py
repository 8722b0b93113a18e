"""The portal's Prometheus metrics (prometheus-client).

- ``portal_http_request_duration_seconds``: a histogram of request latency by method, route
  pattern (``api/v1/bookings/<uuid:public_id>/``, never the path itself: no identifier, no
  personal data in a label) and status class; observed by ``middleware.RequestLatencyMiddleware``.
- Gauges read at scrape time, each registered with ``register_gauge``: the core registers the
  Celery queue length and the heartbeat's age; each app registers its own in its
  ``AppConfig.ready`` (the notifications outbox backlog, the remote pilot's distribution waiting
  list), so the core names no app. A gauge whose reader returns ``None`` (unknown: the filesystem
  broker has no queue length) is written as NaN.

With several processes (gunicorn workers) set ``PROMETHEUS_MULTIPROC_DIR`` (prometheus-client's
multiprocess mode): the histogram is then summed over the workers at scrape time.
"""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from prometheus_client import CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

logger = logging.getLogger(__name__)

REQUEST_LATENCY = Histogram(
    "portal_http_request_duration_seconds",
    "Time from the request's arrival to its response, by method, route pattern and status class.",
    ["method", "route", "status"],
    buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)

GaugeReader = Callable[[], float | None]


@dataclass(frozen=True)
class Gauge:
    name: str
    documentation: str
    read: GaugeReader


_gauges: dict[str, Gauge] = {}


def register_gauge(*, name: str, documentation: str, read: GaugeReader) -> None:
    """Add a gauge read at every scrape. Called from an ``AppConfig.ready``; the name should start
    with ``portal_``. A name registered twice with another reader is an error."""
    known = _gauges.get(name)
    if known is not None and known.read is not read:
        raise ImproperlyConfigured(f"the gauge {name!r} is registered twice")
    _gauges[name] = Gauge(name, documentation, read)


def registered_gauges() -> list[Gauge]:
    return list(_gauges.values())


class GaugeCollector(Collector):
    """Reads every registered gauge when Prometheus scrapes."""

    def collect(self) -> Iterator[Metric]:
        for gauge in registered_gauges():
            value = gauge.read()
            yield GaugeMetricFamily(gauge.name, gauge.documentation, value=math.nan if value is None else value)


def exposition() -> bytes:
    """The text Prometheus scrapes: the request histogram (this process's, or every worker's in
    multiprocess mode) and the registered gauges, read now."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]  # prometheus-client leaves it unannotated
    else:
        registry.register(_ThisProcess())
    registry.register(GaugeCollector())
    return generate_latest(registry)


class _ThisProcess(Collector):
    def collect(self) -> Iterator[Metric]:
        yield from REQUEST_LATENCY.collect()


# --- the core's own gauges --------------------------------------------------------------------
def celery_queue_length() -> float | None:
    """Tasks waiting in the broker's default queue: LLEN of its Redis list. ``None`` (unknown) on
    another broker (the embedded filesystem broker) or when Redis does not answer."""
    url: str = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://")):
        return None
    import redis

    from portal.celery import app

    timeout = settings.REDIS_SOCKET_TIMEOUT_SECONDS
    client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
    try:
        return float(client.llen(app.conf.task_default_queue))
    except redis.RedisError as exc:
        logger.warning("metrics: broker queue length unknown (%s)", type(exc).__name__)
        return None
    finally:
        client.close()


def heartbeat_age_seconds() -> float | None:
    """Seconds since the every-minute heartbeat last ran (``None``: none recorded)."""
    from portal.health import heartbeat_last_ran

    last_ran = heartbeat_last_ran()
    return None if last_ran is None else (timezone.now() - last_ran).total_seconds()


def register_core_gauges() -> None:
    register_gauge(
        name="portal_celery_queue_length",
        documentation="Tasks waiting in the broker's default queue (NaN: unknown, the filesystem broker).",
        read=celery_queue_length,
    )
    register_gauge(
        name="portal_celery_heartbeat_age_seconds",
        documentation="Seconds since the beat-scheduled heartbeat last ran on a worker (NaN: none recorded).",
        read=heartbeat_age_seconds,
    )

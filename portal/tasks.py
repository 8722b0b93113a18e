"""Core periodic tasks."""

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

HEARTBEAT_KEY = "portal:celery:heartbeat"


@shared_task(name="portal.heartbeat", soft_time_limit=10, time_limit=20, ignore_result=True)
def heartbeat() -> None:
    """Beat -> broker -> worker round trip; /healthz shows how long ago it last ran."""
    cache.set(HEARTBEAT_KEY, timezone.now().isoformat(), timeout=None)

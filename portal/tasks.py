"""Core periodic tasks."""

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from portal.uploads import private_uploads_orphans_sweep

HEARTBEAT_KEY = "portal:celery:heartbeat"


@shared_task(name="portal.heartbeat", soft_time_limit=10, time_limit=20, ignore_result=True)
def heartbeat() -> None:
    """Beat -> broker -> worker round trip; /healthz shows how long ago it last ran."""
    cache.set(HEARTBEAT_KEY, timezone.now().isoformat(), timeout=None)


@shared_task(name="portal.private_uploads_orphans_sweep", soft_time_limit=1800, time_limit=1900, ignore_result=True)
def private_uploads_orphans_sweep_task() -> int:
    """Delete the private files no row names, older than ``UPLOAD_ORPHAN_AGE_HOURS`` (safe to repeat)."""
    return private_uploads_orphans_sweep(older_than=dt.timedelta(hours=settings.UPLOAD_ORPHAN_AGE_HOURS))

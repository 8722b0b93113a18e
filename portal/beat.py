"""Every periodic task of the portal, collected from the apps, each with when and why.

Each installed app that has periodic tasks declares them in ``<app>/beat.py`` as
``BEAT_SCHEDULE = {name: (task name, crontab kwargs, why)}``; ``beat_schedule()`` collects them over
``apps.get_app_configs()`` without naming any app (this module holds the core's own entries, as the
``portal`` app's). A name declared twice is an error.

django-celery-beat keeps schedules in the database so operators can change them in the admin;
``beat_schedule_sync`` (run after every migrate) creates the entries when missing and never
overwrites an operator's edit of the time. Times are Asia/Almaty.
"""

from __future__ import annotations

import importlib
import importlib.util

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

BEAT_SCHEDULE: dict[str, tuple[str, dict, str]] = {
    # key: (task name, crontab fields, why)
    # X-9 [A]: every day 03:30, delete access log rows older than ACCESS_LOG_RETENTION_DAYS.
    "accesslog: purge expired": (
        "accesslog.purge_expired",
        {"minute": "30", "hour": "3"},
        "X-9 access log retention",
    ),
    # Sign-in codes (which hold an IIN, asked for by anyone) are deleted once past the day's limit.
    "accounts: purge sign-in codes": (
        "accounts.sign_in_codes_purge",
        {"minute": "40", "hour": "3"},
        "sign-in codes older than a day deleted",
    ),
    # Uploads: every day 03:50, delete the private files no row names (an outer transaction rolled
    # back, or the process died before the commit) once older than UPLOAD_ORPHAN_AGE_HOURS.
    "portal: sweep orphaned uploads": (
        "portal.private_uploads_orphans_sweep",
        {"minute": "50", "hour": "3"},
        "private documents left by a write that never committed are deleted",
    ),
    # Operators: proves beat, broker and worker are alive; /healthz reports its age.
    "portal: heartbeat": ("portal.heartbeat", {"minute": "*"}, "every minute: worker and beat liveness"),
}


def beat_schedule() -> dict[str, tuple[str, dict, str]]:
    """The entries of every installed app's ``beat`` module, in the order of ``INSTALLED_APPS``."""
    collected: dict[str, tuple[str, dict, str]] = {}
    for config in apps.get_app_configs():
        module_name = f"{config.name}.beat"
        if importlib.util.find_spec(module_name) is None:
            continue
        entries = getattr(importlib.import_module(module_name), "BEAT_SCHEDULE", {})
        for name, entry in entries.items():
            if name in collected:
                raise ImproperlyConfigured(f"beat entry {name!r} of {module_name} is declared twice")
            collected[name] = entry
    return collected


def beat_schedule_sync(**_kwargs) -> None:
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    for name, (task, cron, why) in beat_schedule().items():
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        fields = {"minute": "*", "hour": "*", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"}
        fields.update(cron)
        schedule, _ = CrontabSchedule.objects.get_or_create(timezone="Asia/Almaty", **fields)
        PeriodicTask.objects.create(name=name, task=task, crontab=schedule, description=why)

"""Celery tasks of the monthly reports (X-7): thin, idempotent, ids only. Scheduled in ``beat.py``."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from portal.reports import services


@shared_task(name="reports.build", soft_time_limit=240, time_limit=300, ignore_result=True)
def report_build_task(report_id: int) -> None:
    """One report a staff member asked for (the row exists, ``building``)."""
    services.report_build_by_id(report_id=report_id)


@shared_task(name="reports.build_previous_month", soft_time_limit=1800, time_limit=1900, ignore_result=True)
def reports_build_previous_month() -> int:
    """Every report of the month that has just closed; running it again rebuilds the same rows."""
    return services.reports_build_month(month=services.previous_month(timezone.localdate()))

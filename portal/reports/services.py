"""Building the monthly reports (X-7): by the beat after each month closes, or on demand by staff.

``report_build`` is an upsert: one ``MonthlyReport`` per key, month and scope (a unique constraint);
building again replaces the figures, so the beat and a staff member's request may both run, any
number of times. A build that raises leaves the row ``failed`` with the error's name, never half
figures.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from portal.accounts.models import User
from portal.errors import ApplicationError, NotFoundError
from portal.reports.errors import MONTH_IN_FUTURE, REPORT_UNKNOWN, SCOPE_NOT_ALLOWED
from portal.reports.models import MonthlyReport, scope_key_for
from portal.reports.registry import ReportScope, report_definition, report_definitions
from portal.reports.selectors import Area, area_for
from portal.territory.models import MseDepartment, Region

logger = logging.getLogger(__name__)


def month_check(*, month: dt.date, today: dt.date | None = None) -> dt.date:
    """The month's first day; a month that has not begun is refused (field ``month``)."""
    today = today or timezone.localdate()
    first = month.replace(day=1)
    if first > today.replace(day=1):
        raise ApplicationError(MONTH_IN_FUTURE, field="month")
    return first


def _row(*, key: str, scope: ReportScope, requested_by: User | None) -> MonthlyReport:
    row, _created = MonthlyReport.objects.update_or_create(
        key=key,
        month=scope.first_day,
        scope_key=scope_key_for(region_id=scope.region_id, department_id=scope.department_id),
        defaults={"status": MonthlyReport.Status.BUILDING, "error": "", "requested_by": requested_by},
        create_defaults={
            "status": MonthlyReport.Status.BUILDING,
            "region_id": scope.region_id,
            "department_id": scope.department_id,
            "requested_by": requested_by,
        },
    )
    return row


def report_build(*, key: str, scope: ReportScope, requested_by: User | None = None) -> MonthlyReport:
    """Build (or rebuild) one report now: its figures replace the stored ones in one write."""
    definition = report_definition(key)
    if definition is None:
        raise NotFoundError(REPORT_UNKNOWN, field="key")
    row = _row(key=key, scope=scope, requested_by=requested_by)
    try:
        with transaction.atomic():
            sections = definition.build(scope)
    except Exception as exc:  # a broken build marks the row failed; the beat goes on to the next one
        logger.exception("report %s %s %s failed", key, scope.first_day, row.scope_key)
        row.status = MonthlyReport.Status.FAILED
        row.error = type(exc).__name__
        row.save(update_fields=["status", "error", "updated_at"])
        return row
    row.figures = {"sections": [s.as_json() for s in sections]}
    row.status = MonthlyReport.Status.READY
    row.built_at = timezone.now()
    row.error = ""
    row.save(update_fields=["figures", "status", "built_at", "error", "updated_at"])
    return row


@transaction.atomic
def report_request(*, actor_user: User, key: str, month: dt.date, area_key: str) -> MonthlyReport:
    """A staff member asks for a report: checked (the key, a month that has begun, an area of
    theirs), marked ``building`` and built by a task after commit."""
    from portal.reports.tasks import report_build_task

    if report_definition(key) is None:
        raise NotFoundError(REPORT_UNKNOWN, field="key")
    first = month_check(month=month)
    area: Area | None = area_for(actor_user, area_key)
    if area is None:
        raise NotFoundError(SCOPE_NOT_ALLOWED, field="area")
    scope = ReportScope(month=first, region_id=area.region_id, department_id=area.department_id)
    row = _row(key=key, scope=scope, requested_by=actor_user)
    transaction.on_commit(lambda: report_build_task.delay(row.pk))
    return row


def report_build_by_id(*, report_id: int) -> MonthlyReport | None:
    row = MonthlyReport.objects.filter(pk=report_id).first()
    if row is None:
        return None
    scope = ReportScope(month=row.month, region_id=row.region_id, department_id=row.department_id)
    return report_build(key=row.key, scope=scope, requested_by=row.requested_by)


def previous_month(today: dt.date) -> dt.date:
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def reports_build_month(*, month: dt.date) -> int:
    """Every registered report for a closed month: the country, each region, each department.

    Safe to run again: each build replaces its own row. Returns how many reports were built.
    """
    scopes = [ReportScope(month=month)]
    scopes += [ReportScope(month=month, region_id=pk) for pk in Region.objects.values_list("pk", flat=True)]
    scopes += [ReportScope(month=month, department_id=pk) for pk in MseDepartment.objects.values_list("pk", flat=True)]
    built = 0
    for definition in report_definitions():
        for scope in scopes:
            report_build(key=definition.key, scope=scope)
            built += 1
    return built

"""Reads of the deadline radar (X-6): who may see it, and every registered source's open deadlines
of an area with their working hours left and state, the most urgent first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.deadlines.registry import DeadlineItem, DeadlineScope, deadline_sources
from portal.deadlines.states import deadline_state
from portal.territory.models import MseDepartment, Region
from portal.workcal.services import WorkingCalendar, working_calendar


def user_may_see_deadlines(user: User) -> bool:
    """Staff with an area: superusers, Committee staff and operators (the country), a region's provider
    staff, a department's staff."""
    if not user.is_authenticated or not user.is_staff:
        return False
    if user.is_superuser or user.has_role(Role.COMMITTEE_STAFF) or user.has_role(Role.OPERATOR):
        return True
    return user.department_id is not None or user.region_id is not None


@dataclass(frozen=True)
class RadarRow:
    item: DeadlineItem
    title: str
    hours_left: float
    state: str
    department: str
    region: str


def _within(scope: DeadlineScope, item: DeadlineItem, department_region: int | None) -> bool:
    """A second check after the source's own filter: an item naming another department or region than
    the area's is never shown."""
    if scope.area is None:
        return True
    if scope.is_nowhere:
        return False
    if scope.region_id is not None:
        return item.region_id in (None, scope.region_id)
    if item.department_id is not None and item.department_id != scope.department_id:
        return False
    return item.region_id in (None, department_region)


def radar_rows(
    *,
    scope: DeadlineScope,
    now: dt.datetime,
    kinds: Collection[str] | None = None,
    calendar: WorkingCalendar | None = None,
) -> list[RadarRow]:
    """The open deadlines of ``scope`` (of ``kinds`` only, when given), the least working time left first."""
    if scope.is_nowhere:
        return []
    calendar = calendar or working_calendar()
    department_region = None
    if scope.department_id is not None:
        department_region = (
            MseDepartment.objects.filter(pk=scope.department_id).values_list("region_id", flat=True).first()
        )
    found: list[tuple[str, DeadlineItem]] = []
    for source in deadline_sources():
        if kinds and source.kind not in kinds:
            continue
        title = str(source.title)
        found.extend((title, item) for item in source.items(scope, now) if _within(scope, item, department_region))
    department_ids = {i.department_id for _t, i in found if i.department_id}
    department_names = {d.pk: d.name for d in MseDepartment.objects.filter(pk__in=department_ids)}
    region_names = {r.pk: r.name for r in Region.objects.filter(pk__in={i.region_id for _t, i in found if i.region_id})}
    rows = []
    for title, item in found:
        left = calendar.working_hours_left(now, item.due_at)
        rows.append(
            RadarRow(
                item=item,
                title=title,
                hours_left=left,
                state=deadline_state(remaining=left, late=item.due_at < now),
                department=department_names.get(item.department_id, "") if item.department_id else "",
                region=region_names.get(item.region_id, "") if item.region_id else "",
            )
        )
    return sorted(rows, key=lambda r: (r.hours_left, r.item.due_at, r.item.kind, r.item.reference))

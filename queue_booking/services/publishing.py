"""Publishing reception schedules as slots (Q-2, Q-3), and following the core calendar's changes."""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from portal.territory.models import MseDepartment
from portal.workcal.services import WorkingCalendar
from queue_booking import selectors
from queue_booking.models import Q2_TIMES, Booking, ReceptionSchedule, Slot
from queue_booking.services.closures import slots_recompute

logger = logging.getLogger(__name__)


def slot_starts_at(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=ZoneInfo(settings.TIME_ZONE))


@transaction.atomic
def reception_schedule_publish(
    *, schedule: ReceptionSchedule, actor_user=None, now: dt.datetime | None = None
) -> list[Booking]:
    """Q-2, Q-3: materialise the year's slots (five Q-2 times of every working day from today on).

    Running it again adds what is missing and applies a changed capacity; returns the bookings a
    lower capacity pushed out (moved to "to rebook").
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    first = max(dt.date(schedule.year, 1, 1), today)
    last = dt.date(schedule.year, 12, 31)
    if first > last:
        return []
    cal = WorkingCalendar()
    existing = set(
        Slot.objects.filter(department_id=schedule.department_id, day__gte=first, day__lte=last).values_list(
            "starts_at", flat=True
        )
    )
    new = [
        Slot(department_id=schedule.department_id, day=d, starts_at=at, capacity=schedule.capacity_per_slot)
        for d in cal.working_days_in(first, last)
        for at in (slot_starts_at(d, t) for t in Q2_TIMES)
        if at not in existing
    ]
    Slot.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    return slots_recompute(department=schedule.department, first=first, last=last, actor_user=actor_user, now=now)


@transaction.atomic
def calendar_days_apply(*, days: set[dt.date], actor_user=None, now: dt.datetime | None = None) -> list[Booking]:
    """The core working calendar changed on ``days``: apply it to every department's slots.

    A new day off closes its slots like a department's day off (X-3: its bookings move to "to
    rebook", each person gets an SMS and a held place); a new working day (a transferred weekend
    day) gets the five Q-2 times; a removed exception gives the day back. Returns the moved bookings.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    days = {d for d in days if d >= today}
    if not days:
        return []
    cal = WorkingCalendar()
    moved: list[Booking] = []
    schedules = ReceptionSchedule.objects.filter(year__in={d.year for d in days}).select_related("department")
    for schedule in schedules.order_by("department_id", "year"):
        for day in sorted(d for d in days if d.year == schedule.year):
            if cal.is_working_day(day):
                Slot.objects.bulk_create(
                    [
                        Slot(
                            department_id=schedule.department_id,
                            day=day,
                            starts_at=slot_starts_at(day, t),
                            capacity=schedule.capacity_per_slot,
                        )
                        for t in Q2_TIMES
                    ],
                    ignore_conflicts=True,
                )
            moved += slots_recompute(
                department=schedule.department, first=day, last=day, actor_user=actor_user, now=now
            )
    return moved


def schedule_warning_check(*, today: dt.date | None = None) -> list[MseDepartment]:
    """Q-3 [A]: from 15 December, log a warning for every department without next year's schedule."""
    warning = selectors.schedule_warning(today=today)
    if warning is None:
        return []
    year, missing = warning
    for department in missing:
        logger.warning(
            "queue: department %s (%s) has no reception schedule for %s; due by 25 December",
            department.number,
            department.region,
            year,
        )
    return missing

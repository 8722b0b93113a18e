"""Pilots, reception schedules, business trips and days off (Q-1..Q-3), and closures over bookings (X-3)."""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from portal.territory.models import MseDepartment
from portal.workcal.services import WorkingCalendar
from queue_booking import selectors
from queue_booking.models import (
    Q2_TIMES,
    Booking,
    ReceptionException,
    ReceptionSchedule,
    Slot,
    queue_setting,
)
from queue_booking.services.notices import recipient_of, send, slot_context
from queue_booking.services.transitions import booking_transition
from queue_booking.services.waitlist import waitlist_offer_freed_place

logger = logging.getLogger(__name__)

# in force "after ten calendar days from the day of the last signature", for 12 months.
PILOT_DELAY_DAYS = 10
PILOT_MONTHS = 12


def pilot_window(*, last_signed_on: dt.date) -> tuple[dt.date, dt.date]:
    """(first day in force, last day in force) of an order signed last on ``last_signed_on``.

    Signed 11 Nov 2025: days 12-21 Nov elapse, in force from 22 Nov 2025 until 21 Nov 2026.
    """
    starts_on = last_signed_on + dt.timedelta(days=PILOT_DELAY_DAYS + 1)
    return starts_on, starts_on + relativedelta(months=PILOT_MONTHS) - dt.timedelta(days=1)


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


def _capacity_by_day(department: MseDepartment, first: dt.date, last: dt.date):
    per_year = dict(
        ReceptionSchedule.objects.filter(department=department, year__gte=first.year, year__lte=last.year).values_list(
            "year", "capacity_per_slot"
        )
    )
    exceptions = list(ReceptionException.objects.filter(department=department, starts_on__lte=last, ends_on__gte=first))
    cal = WorkingCalendar()

    def capacity(day: dt.date, current: int) -> int:
        if not cal.is_working_day(day):  # a day off the core calendar gained after publishing
            return 0
        cap = per_year.get(day.year, current)
        for e in exceptions:
            if e.starts_on <= day <= e.ends_on:
                cap = min(cap, e.capacity_per_slot)
        return cap

    return capacity


def slots_recompute(
    *, department: MseDepartment, first: dt.date, last: dt.date, actor_user=None, now: dt.datetime | None = None
) -> list[Booking]:
    """Give the slots of [first, last] the capacity the schedule and its exceptions say.

    Where bookings no longer fit, the later-made ones move to "to rebook": each person gets N-rebook
    with a place held in the next free slot (first choice), and staff see them in the admin.
    """
    now = now or timezone.now()
    capacity = _capacity_by_day(department, first, last)
    # Lock order (locks.py): slots in id order, then their bookings.
    slots = list(
        Slot.objects.select_for_update()
        .filter(department=department, day__gte=first, day__lte=last, starts_at__gt=now)
        .order_by("pk")
    )
    moved: list[Booking] = []
    for slot in slots:
        cap = capacity(slot.day, slot.capacity)
        if cap == slot.capacity:
            continue
        taken = slot.booked
        if taken > cap:
            # holds made for earlier closures give way first; the person keeps "to rebook"
            for held in Booking.objects.select_for_update().filter(held_slot=slot).order_by("-pk"):
                if taken <= cap:
                    break
                Booking.objects.filter(pk=held.pk).update(held_slot=None, hold_until=None)
                taken -= 1
            over = list(
                Booking.objects.select_for_update()
                .filter(slot=slot, status=Booking.Status.BOOKED)
                .order_by("-created_at", "-pk")[: max(taken - cap, 0)]
            )
            for booking in over:
                booking_transition(
                    booking=booking,
                    to=Booking.Status.TO_REBOOK,
                    actor_user=actor_user,
                    now=now,
                    note="reception closed or reduced",
                )
                moved.append(booking)
            taken -= len(over)
        Slot.objects.filter(pk=slot.pk).update(capacity=cap, booked=taken)
    moved.sort(key=lambda b: (b.starts_at, b.pk))
    for booking in moved:
        _hold_next_place(booking=booking, closed=(first, last), now=now)
    return moved


def _hold_next_place(*, booking: Booking, closed: tuple[dt.date, dt.date], now: dt.datetime) -> None:
    """X-3: hold the next free place for a person whose booking a closure cancelled, and tell them."""
    cal = WorkingCalendar()
    window = selectors.booking_window(department=booking.department, today=timezone.localdate(now))
    candidates = (
        Slot.objects.select_for_update(skip_locked=True, of=("self",))
        # from tomorrow on: a place an hour away is no real choice
        .filter(department=booking.department, day__gt=timezone.localdate(now), booked__lt=F("capacity"))
        .exclude(day__gte=closed[0], day__lte=closed[1])
        .select_related("department")
        .order_by("starts_at")
    )
    if window is not None:
        candidates = candidates.filter(day__lte=window[1])
    held = next((s for s in candidates[:50] if cal.is_working_day(s.day)), None)
    if held is not None:
        Slot.objects.filter(pk=held.pk).update(booked=F("booked") + 1)
        booking.held_slot = held
        booking.hold_until = now + dt.timedelta(hours=queue_setting("QUEUE_REBOOK_HOLD_HOURS"))
        booking.save(update_fields=["held_slot", "hold_until", "updated_at"])
    recipient = recipient_of(booking)
    offer = held or booking.slot
    send(
        recipient=recipient,
        template="queue_rebook",
        context=slot_context(recipient, offer) if offer is not None else {"full_name": recipient.full_name, "link": ""},
        dedupe_key=f"booking:{booking.pk}:rebook",
        department=booking.department,
    )


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


@transaction.atomic
def reception_exception_save(
    *, exception: ReceptionException, actor_user=None, now: dt.datetime | None = None
) -> list[Booking]:
    """Save a business trip or day off and apply it to the slots; returns the bookings moved."""
    previous = None
    if exception.pk is not None:
        previous = ReceptionException.objects.filter(pk=exception.pk).values_list("starts_on", "ends_on").first()
    if exception.created_by_id is None and getattr(actor_user, "pk", None):
        exception.created_by = actor_user
    exception.save()
    first, last = exception.starts_on, exception.ends_on
    if previous:
        first, last = min(first, previous[0]), max(last, previous[1])
    return slots_recompute(department=exception.department, first=first, last=last, actor_user=actor_user, now=now)


@transaction.atomic
def reception_exception_delete(*, exception: ReceptionException, actor_user=None, now: dt.datetime | None = None):
    """Remove a business trip or day off: its days get the schedule's capacity back."""
    department, first, last = exception.department, exception.starts_on, exception.ends_on
    exception.delete()
    slots_recompute(department=department, first=first, last=last, actor_user=actor_user, now=now)


@transaction.atomic
def hold_release(*, booking: Booking, now: dt.datetime | None = None) -> bool:
    """A rebooking hold ran out: give the place back and offer it to the waiting list."""
    now = now or timezone.now()
    if booking.held_slot_id is None:
        return False
    slot = (
        Slot.objects.select_for_update(of=("self",))
        .select_related("department")
        .filter(pk=booking.held_slot_id)
        .first()
    )
    locked = Booking.objects.select_for_update().get(pk=booking.pk)
    if slot is None or locked.held_slot_id != slot.pk or (locked.hold_until and locked.hold_until > now):
        return False
    Booking.objects.filter(pk=locked.pk).update(held_slot=None, hold_until=None)
    Slot.objects.filter(pk=slot.pk).update(booked=F("booked") - 1)
    slot.booked -= 1
    waitlist_offer_freed_place(slot=slot, freed_by=f"hold:{locked.pk}", now=now, skip_person=locked.person)
    return True


def holds_release_expired(*, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    due = Booking.objects.filter(status=Booking.Status.TO_REBOOK, held_slot__isnull=False, hold_until__lt=now)
    return sum(hold_release(booking=b, now=now) for b in due.select_related("person"))


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

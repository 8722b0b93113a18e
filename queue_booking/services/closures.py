"""Business trips, days off and reduced reception over published slots (Q-3), and what happens to
the bookings they close (X-3: "to rebook", an SMS and a held place)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from portal.territory.models import MseDepartment
from portal.workcal.services import WorkingCalendar
from queue_booking import locks, selectors
from queue_booking.models import Booking, ReceptionException, ReceptionSchedule, Slot
from queue_booking.services.notices import recipient_of, send, slot_context
from queue_booking.services.transitions import booking_transition
from queue_booking.sms import QueueSms

# How many free places to look at for the held place of a person whose booking was closed.
HOLD_CANDIDATES = 50


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
    slots = locks.slots_of_days_for_update(department_id=department.pk, first=first, last=last, starting_after=now)
    moved: list[Booking] = []
    for slot in slots:
        cap = capacity(slot.day, slot.capacity)
        if cap == slot.capacity:
            continue
        taken = slot.booked
        if taken > cap:
            # holds made for earlier closures give way first; the person keeps "to rebook"
            for held in locks.bookings_holding_slot_for_update(slot_id=slot.pk):
                if taken <= cap:
                    break
                Booking.objects.filter(pk=held.pk).update(held_slot=None, hold_until=None)
                taken -= 1
            over = locks.bookings_latest_of_slot_for_update(slot_id=slot.pk, limit=taken - cap)
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
        Slot.objects.of_department(slot.department_id).filter(pk=slot.pk).update(capacity=cap, booked=taken)
    moved.sort(key=lambda b: (b.starts_at, b.pk))
    for booking in moved:
        _hold_next_place(booking=booking, closed=(first, last), now=now)
    return moved


def _hold_next_place(*, booking: Booking, closed: tuple[dt.date, dt.date], now: dt.datetime) -> None:
    """X-3: hold the next free place for a person whose booking a closure cancelled, and tell them."""
    cal = WorkingCalendar()
    window = selectors.booking_window(department=booking.department, today=timezone.localdate(now))
    candidates = locks.free_slots_skip_locked(
        department_id=booking.department_id,
        # from tomorrow on: a place an hour away is no real choice
        after_day=timezone.localdate(now),
        until_day=window[1] if window is not None else None,
        closed=closed,
        limit=HOLD_CANDIDATES,
    )
    held = next((s for s in candidates if cal.is_working_day(s.day)), None)
    if held is not None:
        Slot.objects.of_department(held.department_id).filter(pk=held.pk).update(booked=F("booked") + 1)
        booking.held_slot = held
        booking.hold_until = now + dt.timedelta(hours=settings.QUEUE_REBOOK_HOLD_HOURS)
        booking.save(update_fields=["held_slot", "hold_until", "updated_at"])
    recipient = recipient_of(booking, day=timezone.localdate(now))
    offer = held or booking.slot
    send(
        recipient=recipient,
        subject=booking.person,
        template=QueueSms.REBOOK,
        context=slot_context(recipient, offer) if offer is not None else {"full_name": recipient.full_name, "link": ""},
        dedupe_key=f"booking:{booking.pk}:rebook",
        department=booking.department,
    )


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
